using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Formats;

/// <summary>
/// Values read from a file, held until every one of them has been read and checked; only then are
/// they copied into the model (<see cref="Apply"/>), so a bad file never leaves a half-loaded model.
/// A model that a loader has just created (<see cref="ForNewModel"/>) is not staged: nobody else
/// holds it, and a failed load throws it away, so its weights and optimizer slots are read straight
/// into their own memory, without a second full-size copy of them in memory or a copy afterwards.
/// </summary>
internal sealed class StagedWeights : IDisposable
{
    readonly List<(Variable Variable, Tensor Value)> weights = [];
    readonly List<(Variable Variable, string Slot, Tensor Value)> slots = [];
    readonly IReadOnlyList<Variable>? newModelWeights;
    readonly HashSet<Variable> writtenInPlace = new(ReferenceEqualityComparer.Instance);
    Training.Optimizers.Optimizer? slotsCreatedIn;

    public StagedWeights() { }

    StagedWeights(Model newModel) => newModelWeights = newModel.Weights;

    /// <summary>
    /// For a model the loader created (with <see cref="WeightInitialization.Skip"/>): weights are
    /// read in place, and <see cref="Apply"/> zeroes any weight the file did not give, since skipped
    /// initialization leaves them unset.
    /// </summary>
    public static StagedWeights ForNewModel(Model model) => new(model);

    public long? Iterations { get; set; }

    public int Count => weights.Count + writtenInPlace.Count;

    public void Add(Variable variable, Tensor value) => weights.Add((variable, value));

    /// <summary>
    /// Reads the value of <paramref name="variable"/> with <paramref name="read"/>, which fills a
    /// contiguous CPU float32 tensor of the variable's shape: the variable's own memory when it
    /// belongs to a new model and lives on the CPU, else a staging tensor applied later.
    /// </summary>
    public void Read(Variable variable, Action<Tensor> read)
    {
        if (newModelWeights is not null && IsReadableInPlace(variable.Value))
        {
            // a detached alias of the same memory: writing into it is no operation autograd records
            using (var memory = variable.Value.detach()) read(memory);
            writtenInPlace.Add(variable);
            return;
        }
        Add(variable, ReadNew(variable, read));
    }

    static Tensor ReadNew(Variable variable, Action<Tensor> read)
    {
        var value = empty(variable.Shape, ScalarType.Float32);
        try
        {
            read(value);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    static bool IsReadableInPlace(Tensor value) =>
        value.device_type == TorchSharp.DeviceType.CPU && value.dtype == ScalarType.Float32 && value.is_contiguous();

    /// <summary>
    /// Reads the optimizer slot <paramref name="slot"/> of <paramref name="variable"/> with
    /// <paramref name="read"/>, as <see cref="Read"/> does: for a new model straight into the slot
    /// <paramref name="optimizer"/> creates for it (dropped again by <c>Apply(null)</c> when the
    /// loader finds the optimizer state unusable), else into a staging tensor.
    /// </summary>
    public void ReadSlot(Training.Optimizers.Optimizer optimizer, Variable variable, string slot, Action<Tensor> read)
    {
        if (newModelWeights is not null)
        {
            slotsCreatedIn = optimizer;
            var target = optimizer.GetSlot(variable, slot);
            if (IsReadableInPlace(target))
            {
                using (var memory = target.detach()) read(memory);
                return;
            }
        }
        slots.Add((variable, slot, ReadNew(variable, read)));
    }

    /// <summary>
    /// Copies the staged values into the variables, and into the optimizer's slots when one is given;
    /// without one, slots read in place are dropped, so the model starts with a fresh optimizer.
    /// </summary>
    public void Apply(Training.Optimizers.Optimizer? optimizer)
    {
        using var _ = no_grad();
        foreach (var (variable, value) in weights) variable.Assign(value);
        if (newModelWeights is not null)
        {
            var staged = new HashSet<Variable>(weights.Select(w => w.Variable), ReferenceEqualityComparer.Instance);
            foreach (var variable in newModelWeights)
                if (!writtenInPlace.Contains(variable) && !staged.Contains(variable)) variable.Value.zero_();
        }
        if (optimizer is null)
        {
            slotsCreatedIn?.ClearSlots();
            return;
        }
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
