using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>Keras 2's <c>LocallyConnected1D</c>: an unshared-weights convolution along the time axis of (batch, steps, channels) (see <see cref="BaseLocallyConnected"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class LocallyConnected1D : BaseLocallyConnected
{
    public LocallyConnected1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                              string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
                              Initializer? biasInitializer = null, int implementation = 1,
                              long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, dataFormat, activation, useBias, kernelInitializer, biasInitializer,
               implementation, inputShape, name, trainable) { }
}
