namespace Layerwise.Layers;

/// <summary>Keras' <c>SpatialDropout2D</c> over inputs channels_last [batch, spatial..., channels] or channels_first [batch, channels, spatial...]; see <see cref="SpatialDropout"/>.</summary>
[Layer(Module = "keras.layers")]
public partial class SpatialDropout2D : SpatialDropout
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.SpatialDropout2D</c>).</summary>
    /// <param name="rate">Fraction of the channels (whole feature maps) dropped in training (Keras'
    /// <c>rate</c>).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public SpatialDropout2D(double rate, string? dataFormat = null, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(rate, dataFormat, 2, inputShape, name, trainable)
    {
        Seed = seed;
    }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }
}
