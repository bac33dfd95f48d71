namespace Layerwise.Layers;

/// <summary>Keras' <c>SpatialDropout2D</c> over inputs channels_last [batch, spatial..., channels] or channels_first [batch, channels, spatial...]; see <see cref="SpatialDropout"/>.</summary>
[Layer(Module = "keras.layers")]
public partial class SpatialDropout2D : SpatialDropout
{
    public SpatialDropout2D(double rate, string? dataFormat = null, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(rate, dataFormat, 2, inputShape, name, trainable)
    {
        Seed = seed;
    }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }
}
