using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Masking</c>: a time step whose features all equal <see cref="MaskValue"/> is padding. Its
/// mask [batch, timesteps] (<see cref="ComputeMask"/>) is false there, so later recurrent layers skip
/// the step; the output is the input with those steps zeroed, as in Keras. Any shape of at least
/// two axes per sample is accepted, with any number of steps.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Masking : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Masking</c>).</summary>
    /// <param name="maskValue">A step whose features all equal it is masked (Keras' <c>mask_value</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Masking(double maskValue = 0.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        MaskValue = maskValue;
    }

    /// <summary>A step whose features all equal it is masked (Keras' <c>mask_value</c>).</summary>
    public double MaskValue { get; }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length < 1)
            throw new IncompatibleShapeException(Name, "an input of rank 2 or more (batch, ..., features)", [-1, .. inputShape]);
    }

    /// <summary>Keras declares no input spec for Masking: any sample shape of the built rank is accepted.</summary>
    protected override void CheckInputShape(long[] batchShape)
    {
        if (batchShape.Length != BuildInputShape!.Length + 1)
            throw new IncompatibleShapeException(Name, $"an input of rank {BuildInputShape.Length + 1}", batchShape);
    }

    /// <summary>True where a step has a feature other than <see cref="MaskValue"/>; an incoming mask is replaced.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => inputs.ne(MaskValue).any(-1);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var keep = inputs.ne(MaskValue).any(-1, keepdim: true);
        return scope.MoveToOuter(inputs.mul(keep.to_type(inputs.dtype)));
    }
}
