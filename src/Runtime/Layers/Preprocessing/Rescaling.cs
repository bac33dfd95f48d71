using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Rescaling</c>: <c>inputs · scale + offset</c> (e.g. scale 1/255 for pixel values), the same in training and inference.</summary>
[Layer(Module = "keras.layers")]
public partial class Rescaling : Layer
{
    public Rescaling(double scale, double offset = 0.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(scale) || !double.IsFinite(offset))
            throw new ArgumentException($"Rescaling needs a finite scale and offset; received scale={scale}, offset={offset}.");
        Scale = scale;
        Offset = offset;
    }

    public double Scale { get; }
    public double Offset { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scaled = inputs.mul(Scale);
        return scaled.add(Offset);
    }
}
