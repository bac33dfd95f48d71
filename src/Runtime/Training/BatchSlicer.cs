using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>
/// Cuts (inputs, targets) into batches of <c>batchSize</c> in a fixed or shuffled order. Shuffling draws one
/// permutation from torch's generator per epoch and applies it to every input and target, so samples stay
/// aligned across them and seeded runs see the same data order.
/// </summary>
internal sealed class BatchSlicer(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, int batchSize, IReadOnlyList<Tensor?>? weights = null)
{
    Tensor? order;

    public long Samples { get; } = x[0].shape[0];

    public int Steps => (int)((Samples + batchSize - 1) / batchSize);

    /// <summary>Draws a new order for the next epoch (or goes back to the stored order).</summary>
    public void NewEpoch(bool shuffle)
    {
        order?.Dispose();
        order = null;
        if (!shuffle) return;
        order = randperm(Samples, ScalarType.Int64, x[0].device);
        order.DetachFromDisposeScope();
    }

    public (Tensor[] X, Tensor[]? Y) Batch(int step)
    {
        long start = (long)step * batchSize;
        long count = Math.Min(batchSize, Samples - start);
        if (order is null) return (Slice(x, t => t.narrow(0, start, count))!, Slice(y, t => t.narrow(0, start, count)));
        using var indices = order.narrow(0, start, count);
        return (Slice(x, t => t.index_select(0, indices))!, Slice(y, t => t.index_select(0, indices)));
    }

    /// <summary>The sample weights of the same samples as <see cref="Batch"/> (same order), per output; null where none.</summary>
    public Tensor?[]? Weights(int step)
    {
        if (weights is null) return null;
        long start = (long)step * batchSize;
        long count = Math.Min(batchSize, Samples - start);
        if (order is null) return [.. weights.Select(w => w?.narrow(0, start, count))];
        using var indices = order.narrow(0, start, count);
        return [.. weights.Select(w => w?.index_select(0, indices))];
    }

    static Tensor[]? Slice(IReadOnlyList<Tensor>? tensors, Func<Tensor, Tensor> cut) =>
        tensors is null ? null : [.. tensors.Select(cut)];
}
