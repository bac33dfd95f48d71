using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Consecutive <see cref="IChannelsFirstLayer"/>s of a model (Conv2D → MaxPooling2D → ...) called while no
/// gradient is recorded: the input is permuted to torch's layout once, each layer takes and gives that
/// layout, and the output is permuted back once, where each layer's <c>Call</c> would permute in and out.
/// Every layer sees the sizes, strides and values it would see through its own <c>Call</c> (a
/// channels_last-stored tensor), so outputs are bit for bit the same; each layer's input shape is checked
/// before its computation, as <c>Invoke</c> does.
/// </summary>
internal static class ChannelsFirstRun
{
    /// <summary>
    /// The number of layers from <paramref name="start"/> that can run together; 0 when fewer than two can
    /// (one layer alone saves nothing) or gradients are recorded (training keeps each layer's own <c>Call</c>).
    /// </summary>
    public static int Length(IReadOnlyList<Layer> layers, int start)
    {
        int length = 0;
        while (start + length < layers.Count && layers[start + length] is IChannelsFirstLayer { CanRunChannelsFirst: true }) length++;
        return length >= 2 && !is_grad_enabled() ? length : 0;
    }

    /// <summary>
    /// Runs <paramref name="count"/> layers from <paramref name="start"/> on <paramref name="inputs"/> (Keras'
    /// layout, batch first); null when the input's rank cannot be that of a spatial layer (the caller then
    /// runs the layers one by one, and the first one refuses the input).
    /// </summary>
    public static Tensor? Call(IReadOnlyList<Layer> layers, int start, int count, Tensor inputs)
    {
        var batchShape = inputs.Sizes();
        int spatialRank = batchShape.Length - 2;
        if (spatialRank < 1) return null;
        using var scope = NewDisposeScope();
        var h = inputs.permute(ConvolutionArithmetic.ToChannelsFirst(spatialRank));
        for (int i = 0; i < count; i++)
        {
            if (i > 0) batchShape = KerasLayoutSizes(h);
            h = ((IChannelsFirstLayer)layers[start + i]).CallChannelsFirst(h, batchShape);
        }
        return scope.MoveToOuter(h.permute(ConvolutionArithmetic.ToChannelsLast((int)h.Dimensions - 2)));
    }

    /// <summary>
    /// Whether <paramref name="layer"/> is one of Layerwise's own types, whose <c>Call</c> the run reproduces;
    /// a user's subclass may override it, and then runs alone.
    /// </summary>
    public static bool IsOwnType(Layer layer) => layer.GetType().Assembly == typeof(ChannelsFirstRun).Assembly;

    /// <summary>
    /// <paramref name="channelsFirst"/> stored as the contiguous channels_last tensor a layer's <c>Call</c>
    /// returns: as it is when it already is (torch's convolution and pooling of channels_last-stored inputs
    /// give such outputs), else copied into that order.
    /// </summary>
    public static Tensor StoredChannelsLast(Tensor channelsFirst)
    {
        int spatialRank = (int)channelsFirst.Dimensions - 2;
        if (IsStoredChannelsLast(channelsFirst, spatialRank)) return channelsFirst;
        return channelsFirst.permute(ConvolutionArithmetic.ToChannelsLast(spatialRank)).contiguous()
                            .permute(ConvolutionArithmetic.ToChannelsFirst(spatialRank));
    }

    /// <summary>
    /// Whether the channels-last permutation of <paramref name="t"/> is contiguous, from its strides (no
    /// tensor made): innermost the channels, then the spatial axes from the last, then the batch; as
    /// torch's <c>is_contiguous</c>, axes of size 1 may have any stride.
    /// </summary>
    static bool IsStoredChannelsLast(Tensor t, int spatialRank)
    {
        long expected = 1;
        for (int k = 0; k < spatialRank + 2; k++)
        {
            int axis = k == 0 ? 1 : k == spatialRank + 1 ? 0 : spatialRank + 2 - k;
            long size = t.size(axis);
            if (size != 1 && t.stride(axis) != expected) return false;
            expected *= size;
        }
        return true;
    }

    /// <summary>The sizes of a channels-first tensor in Keras' channels_last order: (batch, spatial..., channels).</summary>
    static long[] KerasLayoutSizes(Tensor channelsFirst)
    {
        var sizes = channelsFirst.Sizes();
        return [sizes[0], .. sizes[2..], sizes[1]];
    }
}
