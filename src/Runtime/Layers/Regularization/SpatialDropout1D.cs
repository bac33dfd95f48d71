namespace Layerwise.Layers;

/// <summary>Keras' <c>SpatialDropout1D</c> over inputs [batch, steps, channels]; see <see cref="SpatialDropout"/>.</summary>
[Layer(Module = "keras.layers")]
public partial class SpatialDropout1D : SpatialDropout
{
    public SpatialDropout1D(double rate, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(rate, null, 1, inputShape, name, trainable)
    {
        Seed = seed;
    }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }
}
