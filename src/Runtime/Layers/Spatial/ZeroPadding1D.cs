namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ZeroPadding1D</c>: zeros added before and after the steps of (batch, steps, features):
/// [n] on both sides or [before, after] (default [1, 1]); see <see cref="ZeroPadding"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ZeroPadding1D : ZeroPadding
{
    public ZeroPadding1D(int[]? padding = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, [SpatialMargins.Pair(padding, 1, nameof(padding))], null, inputShape, name, trainable) => Padding = Margins[0];

    public int[] Padding { get; }
}
