using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RepeatVector</c>: inputs [batch, features] become [batch, n, features], each sample's
/// vector repeated <see cref="N"/> times (an encoder's summary fed to every step of a decoder).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RepeatVector : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RepeatVector</c>).</summary>
    /// <param name="n">How many times each sample's vector is repeated (Keras' <c>n</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public RepeatVector(int n, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "RepeatVector needs a positive n (the number of repetitions).");
        N = n;
    }

    /// <summary>How many times each vector is repeated (Keras' <c>n</c>).</summary>
    public int N { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 1)
            throw new IncompatibleShapeException(Name, "an input of rank 2 (batch, features)", [-1, .. inputShape]);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(inputs.unsqueeze(1).expand(inputs.shape[0], N, inputs.shape[1]).contiguous());
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [N, .. inputShape];
}
