using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// A <c>channels_last</c> layer that computes in torch's channels-first layout inside (convolution,
/// pooling) and can take and give that layout directly, so that a model runs consecutive such layers
/// without permuting back to Keras' layout between them (<see cref="ChannelsFirstRun"/>).
/// </summary>
internal interface IChannelsFirstLayer
{
    /// <summary>
    /// Whether this layer, as configured and built, can run inside a channels-first run: channels_last data
    /// and every step of its computation indifferent to the layout (elementwise activations only).
    /// </summary>
    bool CanRunChannelsFirst { get; }

    /// <summary>
    /// The layer's <c>Invoke</c> on <paramref name="channelsFirst"/> (batch, channels, spatial...), stored as
    /// a contiguous channels_last tensor is: checks <paramref name="batchShape"/>, the input's shape in Keras'
    /// layout, as <c>Invoke</c> does, and returns the output in the same layout and storage order
    /// (<see cref="ChannelsFirstRun.StoredChannelsLast"/>), so the values and their memory are those the
    /// layer's <c>Call</c> gives, only not permuted back.
    /// </summary>
    Tensor CallChannelsFirst(Tensor channelsFirst, long[] batchShape);
}
