namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ZeroPadding2D</c>: zeros added before and after each spatial axis, in Keras' forms: [[n]]
/// everywhere, one per axis ([[a], [b]...]) or a (before, after) pair per axis (default 1 everywhere);
/// see <see cref="ZeroPadding"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ZeroPadding2D : ZeroPadding
{
    public ZeroPadding2D(int[][]? padding = null, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, SpatialMargins.Pairs(padding, 2, 1, nameof(padding)), dataFormat, inputShape, name, trainable) => Padding = Margins;

    public int[][] Padding { get; }
}
