namespace Layerwise.Layers;

/// <summary>Keras' <c>SpatialDropout1D</c> over inputs [batch, steps, channels]; see <see cref="SpatialDropout"/>.</summary>
[Layer(Module = "keras.layers")]
public partial class SpatialDropout1D : SpatialDropout
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.SpatialDropout1D</c>).</summary>
    /// <param name="rate">Fraction of the channels (whole feature maps) dropped in training (Keras'
    /// <c>rate</c>).</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public SpatialDropout1D(double rate, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(rate, null, 1, inputShape, name, trainable)
    {
        Seed = seed;
    }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }
}
