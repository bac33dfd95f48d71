using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Rescaling</c>: <c>inputs · scale + offset</c> (e.g. scale 1/255 for pixel values), the same in training and inference.</summary>
[Layer(Module = "keras.layers")]
public partial class Rescaling : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Rescaling</c>).</summary>
    /// <param name="scale">Factor the inputs are multiplied by, e.g. 1/255 (Keras' <c>scale</c>).</param>
    /// <param name="offset">Value added after scaling (Keras' <c>offset</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Rescaling(double scale, double offset = 0.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(scale) || !double.IsFinite(offset))
            throw new ArgumentException($"Rescaling needs a finite scale and offset; received scale={scale}, offset={offset}.");
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Factor the inputs are multiplied by, e.g. 1/255 (Keras' <c>scale</c>).</summary>
    public double Scale { get; }
    /// <summary>Value added after scaling (Keras' <c>offset</c>).</summary>
    public double Offset { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scaled = inputs.mul(Scale);
        return scaled.add(Offset);
    }
}
