using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Lets a loader build a model whose every weight it is about to overwrite without running the
/// initializers: weights created inside <see cref="Skip"/> are left unset (<c>torch.empty</c>), and
/// the loader reads them straight into that memory (<c>StagedWeights.ForNewModel</c>, which zeroes
/// any weight the file did not give). Drawing ~100 M random numbers took longer than reading the same
/// weights from disk, and even zero-filling them first cost ~15-25 % of a load (bench/FormatsBench).
/// The setting flows with the async context, so it never leaks into other code.
/// </summary>
internal static class WeightInitialization
{
    static readonly AsyncLocal<bool> skipping = new();

    /// <summary>Until disposed, new weights are left unset instead of drawn by their initializer.</summary>
    public static IDisposable Skip()
    {
        bool previous = skipping.Value;
        skipping.Value = true;
        return new Restore(previous);
    }

    /// <summary>The first value of a new weight (used by <see cref="Layer"/>'s <c>AddWeight</c>).</summary>
    public static Tensor Create(Initializer initializer, long[] shape, Device device) =>
        skipping.Value ? empty(shape, ScalarType.Float32, device) : initializer.Generate(shape, device);

    sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => skipping.Value = previous;
    }
}
