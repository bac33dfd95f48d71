namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling1D</c>: each step of (batch, steps, features) repeated <see cref="Size"/> times (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling1D : UpSampling
{
    public UpSampling1D(int size = 2, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, [Positive(size)], null, "nearest", inputShape, name, trainable) => Size = size;

    public int Size { get; }

    static int Positive(int size) => size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "UpSampling1D's size must be positive.");
}
