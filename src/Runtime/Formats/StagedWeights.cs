using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Formats;

/// <summary>
/// What a loader reads from a file for a model, and when it writes it. The loader first checks every name,
/// shape, type and extent, registering each weight's values here; nothing of an existing model changes until
/// <see cref="Apply"/>. Values that sit contiguously in the file (<see cref="Hdf5ContiguousValues"/>, what
/// Layerwise, h5py and Keras write) are then read straight into the weights' own memory, without a second
/// full-size copy; a failure while doing so (an I/O error, a content hash mismatch) throws
/// <see cref="WeightsPartlyLoadedException"/>. With <see cref="VerifyFirst"/>, every such value is read and
/// hashed through a small buffer before the first weight is written, so a damaged file leaves the model as
/// it was. Values that need PureHDF (other types, compact or chunked storage, Keras 1 conversions) are read
/// into a staging copy while checking (read in place at once for a model a loader has just created,
/// <see cref="ForNewModel"/>: nobody else holds it, and a failed load throws it away).
/// </summary>
internal sealed class StagedWeights : IDisposable
{
    readonly List<(Variable Variable, Tensor Value)> weights = [];
    readonly List<(Variable Variable, string Slot, Tensor Value)> slots = [];
    readonly List<(Variable Variable, Hdf5ContiguousValues Values)> deferred = [];
    readonly List<(Variable Variable, string Slot, Hdf5ContiguousValues Values)> deferredSlots = [];
    readonly IReadOnlyList<Variable>? newModelWeights;
    readonly HashSet<Variable> writtenInPlace = new(ReferenceEqualityComparer.Instance);
    Training.Optimizers.Optimizer? slotsCreatedIn;

    /// <summary>For a model that exists: its weights change only in <see cref="Apply"/>.</summary>
    /// <param name="verifyFirst">Read and check every value before writing any (see <see cref="VerifyFirst"/>).</param>
    public StagedWeights(bool verifyFirst = false) => VerifyFirst = verifyFirst;

    /// <summary>
    /// Whether <see cref="Apply"/> first reads every in-place value through a bounded buffer and checks its hash,
    /// so that a damaged file is refused before any weight changes (and a file that changes between the two
    /// reads is reported as <see cref="WeightsPartlyLoadedException"/>).
    /// </summary>
    public bool VerifyFirst { get; }

    StagedWeights(Model newModel) => newModelWeights = newModel.Weights;

    /// <summary>
    /// For a model the loader created (with <see cref="WeightInitialization.Skip"/>): weights are
    /// read in place, and <see cref="Apply"/> zeroes any weight the file did not give, since skipped
    /// initialization leaves them unset.
    /// </summary>
    public static StagedWeights ForNewModel(Model model) => new(model);

    public long? Iterations { get; set; }

    public int Count => weights.Count + writtenInPlace.Count + (newModelWeights is null ? deferred.Count : 0);

    /// <summary>
    /// Registers <paramref name="values"/> (checked to be in the file) for <paramref name="variable"/>, read into its
    /// memory in <see cref="Apply"/>, with the other such values, on all cores.
    /// </summary>
    public void Read(Variable variable, Hdf5ContiguousValues values)
    {
        deferred.Add((variable, values));
        if (newModelWeights is not null) writtenInPlace.Add(variable);
    }

    /// <summary>As <see cref="Read(Variable, Hdf5ContiguousValues)"/>, for the optimizer slot <paramref name="slot"/> of <paramref name="variable"/>.</summary>
    public void ReadSlot(Variable variable, string slot, Hdf5ContiguousValues values) => deferredSlots.Add((variable, slot, values));

    public void Add(Variable variable, Tensor value)
    {
        stagedBytes += value.NumberOfElements * value.ElementSize;
        weights.Add((variable, value));
    }

    [ThreadStatic] static long stagedBytes;

    /// <summary>
    /// Bytes of staging copies (values read before the model is written) the loads on this thread have made so
    /// far: what a test reads around a load to see that the weights were not staged.
    /// </summary>
    internal static long StagedBytesOnThisThread => stagedBytes;

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
    /// <paramref name="read"/>, as <see cref="Read(Variable, Action{Tensor})"/> does: for a new model straight into the slot
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
        var value = ReadNew(variable, read);
        stagedBytes += value.NumberOfElements * value.ElementSize;
        slots.Add((variable, slot, value));
    }

    /// <summary>
    /// Copies the staged values into the variables, and into the optimizer's slots when one is given;
    /// without one, slots read in place are dropped, so the model starts with a fresh optimizer.
    /// </summary>
    public void Apply(Training.Optimizers.Optimizer? optimizer)
    {
        using var _ = no_grad();
        var reads = InPlaceReads(optimizer);
        string[]? hashes = VerifyFirst ? HashAll(reads) : null;
        // Each weight is read from its own place of the file into its own memory: all cores share the work.
        ParallelWork.Run(reads.Count, i =>
        {
            var (what, target, values) = reads[i];
            try
            {
                using var memory = target().detach();
                var hash = values.ReadInto(memory);
                if (hashes is not null && hashes[i] != hash)
                    throw new LayerwiseException($"the values at {values.ObjectPath} changed between the check and the read (the file was rewritten in place meanwhile).");
            }
            // A model the loader created is thrown away on failure: the error keeps its type.
            catch (Exception e) when (newModelWeights is null)
            {
                throw new WeightsPartlyLoadedException(values.FilePath, values.ObjectPath, what, e);
            }
        });
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

    /// <summary>The values to read in place in <see cref="Apply"/>: what each is (for messages), where it goes, where it is in the file.</summary>
    List<(string What, Func<Tensor> Target, Hdf5ContiguousValues Values)> InPlaceReads(Training.Optimizers.Optimizer? optimizer)
    {
        var reads = deferred.Select(d => ($"weight \"{d.Variable.Path}\"", (Func<Tensor>)(() => d.Variable.Value), d.Values)).ToList();
        if (optimizer is not null)
            foreach (var (variable, slot, values) in deferredSlots)
            {
                // Created here, on this thread, before the parallel reads.
                var target = optimizer.GetSlot(variable, slot);
                reads.Add(($"optimizer slot \"{slot}\" of weight \"{variable.Path}\"", () => target, values));
            }
        return reads;
    }

    /// <summary>Reads every in-place value through bounded buffers (one per thread), checking the hashes the file records; nothing is written.</summary>
    static string[] HashAll(List<(string What, Func<Tensor> Target, Hdf5ContiguousValues Values)> reads)
    {
        var hashes = new string[reads.Count];
        ParallelWork.Run(reads.Count, i =>
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Hdf5ContiguousValues.PieceBytes);
            try
            {
                hashes[i] = reads[i].Values.Hash(buffer);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        return hashes;
    }

    public void Dispose()
    {
        foreach (var (_, value) in weights) value.Dispose();
        foreach (var (_, _, value) in slots) value.Dispose();
        weights.Clear();
        slots.Clear();
    }
}
