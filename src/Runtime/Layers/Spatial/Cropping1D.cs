namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Cropping1D</c>: cells removed before and after the steps of (batch, steps, features):
/// [n] on both sides or [before, after] (default [1, 1]); see <see cref="Cropping"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Cropping1D : Cropping
{
    public Cropping1D(int[]? cropping = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, [SpatialMargins.Pair(cropping, 1, nameof(cropping))], null, inputShape, name, trainable) => Cropping = Margins[0];

    public int[] Cropping { get; }
}
