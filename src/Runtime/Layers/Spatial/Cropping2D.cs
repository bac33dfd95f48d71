namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Cropping2D</c>: cells removed before and after each spatial axis, in Keras' forms: [[n]]
/// everywhere, one per axis ([[a], [b]...]) or a (before, after) pair per axis (default 0 everywhere);
/// see <see cref="Cropping"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Cropping2D : Cropping
{
    public Cropping2D(int[][]? cropping = null, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, SpatialMargins.Pairs(cropping, 2, 0, nameof(cropping)), dataFormat, inputShape, name, trainable) => Cropping = Margins;

    public int[][] Cropping { get; }
}
