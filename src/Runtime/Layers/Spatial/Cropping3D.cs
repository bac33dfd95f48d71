namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Cropping3D</c>: cells removed before and after each spatial axis, in Keras' forms: [[n]]
/// everywhere, one per axis ([[a], [b]...]) or a (before, after) pair per axis (default 1 everywhere);
/// see <see cref="Cropping"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Cropping3D : Cropping
{
    public Cropping3D(int[][]? cropping = null, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, SpatialMargins.Pairs(cropping, 3, 1, nameof(cropping)), dataFormat, inputShape, name, trainable) => Cropping = Margins;

    public int[][] Cropping { get; }
}
