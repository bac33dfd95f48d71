using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AlphaDropout</c>, the dropout for SELU networks: in training, dropped inputs are set to
/// SELU's negative saturation value <c>-alpha·scale</c>, then everything is transformed affinely
/// (<c>a·x + b</c>, Keras' constants) so that mean and variance are kept; at inference, passes inputs through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AlphaDropout : Layer
{
    const double SeluAlpha = 1.6732632423543772848170429916717;
    const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.AlphaDropout</c>).</summary>
    /// <param name="rate">Fraction of the input units to drop during training, in [0, 1) (Keras' <c>rate</c>).</param>
    /// <param name="noiseShape">Shape of the drop mask, batch counted, broadcast over the input; -1 takes the input's
    /// size (Keras' <c>noise_shape</c>). Null: one draw per element.</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public AlphaDropout(double rate, long[]? noiseShape = null, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        Rate = NoiseRate.Check(rate, "AlphaDropout");
        NoiseShape = noiseShape?.ToArray();
        Seed = seed;
    }

    /// <summary>Fraction of the input units to drop during training, in [0, 1) (Keras' <c>rate</c>).</summary>
    public double Rate { get; }

    /// <summary>Keras' <c>noise_shape</c> (batch axis included); null: one draw per element. A -1 (Keras' None) takes the input's size.</summary>
    public long[]? NoiseShape { get; }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Rate == 0) return inputs.alias();
        var shape = ResolveNoiseShape(inputs.shape);
        using var scope = NewDisposeScope();
        double alphaP = -SeluAlpha * SeluScale;
        var kept = rand(shape, dtype: inputs.dtype, device: inputs.device).ge(Rate).to_type(inputs.dtype);
        double a = Math.Pow((1 - Rate) * (1 + Rate * alphaP * alphaP), -0.5);
        double b = -a * alphaP * Rate;
        var x = inputs.mul(kept).add(kept.neg().add(1).mul(alphaP));
        return scope.MoveToOuter(x.mul(a).add(b));
    }

    long[] ResolveNoiseShape(long[] batchShape)
    {
        if (NoiseShape is null) return batchShape;
        bool fits = NoiseShape.Length == batchShape.Length &&
                    NoiseShape.Zip(batchShape).All(p => p.First == -1 || p.First == 1 || p.First == p.Second);
        if (!fits)
            throw new IncompatibleShapeException(Name, $"an input that noise_shape {ShapeText.Format(NoiseShape)} broadcasts to", batchShape);
        return [.. NoiseShape.Zip(batchShape).Select(p => p.First == -1 ? p.Second : p.First)];
    }
}
