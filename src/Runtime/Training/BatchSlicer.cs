using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>
/// Cuts (x, y) into batches of <c>batchSize</c> in a fixed or shuffled order. Shuffling draws a
/// permutation from torch's generator, so seeded runs see the same data order.
/// </summary>
internal sealed class BatchSlicer(Tensor x, Tensor? y, int batchSize)
{
    Tensor? order;

    public long Samples { get; } = x.shape[0];

    public int Steps => (int)((Samples + batchSize - 1) / batchSize);

    /// <summary>Draws a new order for the next epoch (or goes back to the stored order).</summary>
    public void NewEpoch(bool shuffle)
    {
        order?.Dispose();
        order = null;
        if (!shuffle) return;
        order = randperm(Samples, ScalarType.Int64, x.device);
        order.DetachFromDisposeScope();
    }

    public (Tensor X, Tensor? Y) Batch(int step)
    {
        long start = (long)step * batchSize;
        long count = Math.Min(batchSize, Samples - start);
        if (order is null) return (x.narrow(0, start, count), y?.narrow(0, start, count));
        using var indices = order.narrow(0, start, count);
        return (x.index_select(0, indices), y?.index_select(0, indices));
    }
}
