using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>
/// Keras' "added losses" (<c>layer.add_loss</c>, <c>model.losses</c>): scalars that layers add while
/// they are called (ActivityRegularization's penalty), summed into the total loss of that batch.
/// <c>Fit</c> and <c>Evaluate</c> open a <see cref="Collect"/> scope around each forward pass; outside
/// one (<c>Predict</c>, a plain <c>Invoke</c>) layers skip computing them. The scope flows with the
/// async context, so concurrent models do not see each other's losses.
/// </summary>
internal static class AddedLosses
{
    static readonly AsyncLocal<Collector?> current = new();

    /// <summary>Whether a training or evaluation step is collecting added losses now.</summary>
    public static bool Collecting => current.Value is not null;

    /// <summary>Collects the losses added until the returned scope is disposed.</summary>
    public static Collector Collect()
    {
        var collector = new Collector(current.Value);
        current.Value = collector;
        return collector;
    }

    /// <summary>Adds <paramref name="loss"/> (a scalar) to the current collection; ignored when none is open.</summary>
    public static void Add(Tensor loss) => current.Value?.Losses.Add(loss);

    public sealed class Collector(Collector? previous) : IDisposable
    {
        internal List<Tensor> Losses { get; } = [];

        /// <summary>The sum of the losses added so far; null when none was.</summary>
        public Tensor? Sum()
        {
            if (Losses.Count == 0) return null;
            var total = Losses[0];
            for (int i = 1; i < Losses.Count; i++) total = total.add(Losses[i]);
            return total;
        }

        public void Dispose() => current.Value = previous;
    }
}
