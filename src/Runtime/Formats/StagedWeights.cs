using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Formats;

/// <summary>
/// Values read from a file, held until every one of them has been read and checked; only then are
/// they copied into the model (<see cref="Apply"/>), so a bad file never leaves a half-loaded model.
/// </summary>
internal sealed class StagedWeights : IDisposable
{
    readonly List<(Variable Variable, Tensor Value)> weights = [];
    readonly List<(Variable Variable, string Slot, Tensor Value)> slots = [];

    public long? Iterations { get; set; }

    public int Count => weights.Count;

    public void Add(Variable variable, Tensor value) => weights.Add((variable, value));

    public void AddSlot(Variable variable, string slot, Tensor value) => slots.Add((variable, slot, value));

    /// <summary>Copies the staged values into the variables (and optimizer slots, when one is given).</summary>
    public void Apply(Training.Optimizers.Optimizer? optimizer)
    {
        using var _ = no_grad();
        foreach (var (variable, value) in weights) variable.Assign(value);
        if (optimizer is null) return;
        foreach (var (variable, slot, value) in slots)
        {
            var target = optimizer.GetSlot(variable, slot);
            using var moved = value.to(target.device);
            target.copy_(moved);
        }
        if (Iterations is { } iterations) optimizer.Iterations = iterations;
    }

    public void Dispose()
    {
        foreach (var (_, value) in weights) value.Dispose();
        foreach (var (_, _, value) in slots) value.Dispose();
        weights.Clear();
        slots.Clear();
    }
}
