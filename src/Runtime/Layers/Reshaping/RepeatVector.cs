using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RepeatVector</c>: inputs [batch, features] become [batch, n, features], each sample's
/// vector repeated <see cref="N"/> times (an encoder's summary fed to every step of a decoder).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RepeatVector : Layer
{
    public RepeatVector(int n, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "RepeatVector needs a positive n (the number of repetitions).");
        N = n;
    }

    /// <summary>How many times each vector is repeated (Keras' <c>n</c>).</summary>
    public int N { get; }

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 1)
            throw new IncompatibleShapeException(Name, "an input of rank 2 (batch, features)", [-1, .. inputShape]);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(inputs.unsqueeze(1).expand(inputs.shape[0], N, inputs.shape[1]).contiguous());
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [N, .. inputShape];
}
