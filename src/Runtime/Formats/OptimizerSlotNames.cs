using Layerwise.Training.Optimizers;

namespace Layerwise.Formats;

/// <summary>
/// The names Keras gives an optimizer's per-variable slots in files, by Keras generation, and the
/// runtime's slot each one is. The runtime uses Keras 3's names except for Adam (m, v, vhat).
/// <list type="table">
/// <listheader><term>optimizer</term><description>tf.keras ≤ 2.10 (legacy) · tf.keras 2.11–2.15 · Keras 3</description></listheader>
/// <item><term>Adam, AdamW</term><description>m, v, vhat · m, v, vhat · momentum, velocity, velocity_hat</description></item>
/// <item><term>RMSprop</term><description>rms, momentum, mg · velocity, momentum, average_gradient · the same</description></item>
/// <item><term>Adadelta</term><description>accum_grad, accum_var · accumulated_grad, accumulated_delta_var · the same</description></item>
/// <item><term>Adamax</term><description>m, v · m, u · momentum, norm</description></item>
/// <item><term>Nadam</term><description>m, v · m, v · momentum, velocity</description></item>
/// <item><term>Adagrad, Ftrl, SGD</term><description>accumulator, linear, momentum in every generation</description></item>
/// </list>
/// </summary>
internal static class OptimizerSlotNames
{
    /// <summary>tf.keras 2's (legacy OptimizerV2) name of a runtime slot: what .h5 files and TF checkpoints written here use.</summary>
    public static string Keras2(Optimizer optimizer, string slot) => (optimizer, slot) switch
    {
        (RMSprop, "velocity") => "rms",
        (RMSprop, "average_gradient") => "mg",
        (Adadelta, "accumulated_grad") => "accum_grad",
        (Adadelta, "accumulated_delta_var") => "accum_var",
        (Adamax or Nadam, "momentum") => "m",
        (Adamax, "norm") => "v",
        (Nadam, "velocity") => "v",
        _ => slot,
    };

    /// <summary>Keras 3's name of a runtime slot.</summary>
    public static string Keras3(Optimizer optimizer, string slot) => (optimizer, slot) switch
    {
        (Adam, "m") => "momentum",
        (Adam, "v") => "velocity",
        (Adam, "vhat") => "velocity_hat",
        _ => slot,
    };

    /// <summary>Every slot name a file may use, Keras 3's first (to match <c>..._velocity_hat</c> before <c>..._velocity</c>).</summary>
    public static IEnumerable<string> Keras3Names(Optimizer optimizer) =>
        optimizer.SlotNames.Select(s => Keras3(optimizer, s)).OrderByDescending(n => n.Length);

    /// <summary>The runtime slot a file's slot name means for <paramref name="optimizer"/>; null when it has none.</summary>
    public static string? FromFile(Optimizer optimizer, string fileSlot)
    {
        var slot = (optimizer, fileSlot) switch
        {
            (Adam, "momentum") => "m",
            (Adam, "velocity") => "v",
            (Adam, "velocity_hat") => "vhat",
            (RMSprop, "rms") => "velocity",
            (RMSprop, "mg") => "average_gradient",
            (Adadelta, "accum_grad") => "accumulated_grad",
            (Adadelta, "accum_var") => "accumulated_delta_var",
            (Adamax or Nadam, "m") => "momentum",
            (Adamax, "v" or "u") => "norm",
            (Nadam, "v") => "velocity",
            _ => fileSlot,
        };
        return optimizer.SlotNames.Contains(slot) ? slot : null;
    }

    /// <summary>
    /// The order of Keras 3's optimizer variables after <c>iteration</c> and <c>learning_rate</c>: groups of slots
    /// created together are interleaved variable by variable (Adam: m0, v0, m1, v1, ...), one group after the
    /// other (Adam's velocity_hat after all of those; RMSprop: all velocities, then all momentums, ...).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Keras3Groups(Optimizer optimizer) => optimizer switch
    {
        Adam adam => adam.Amsgrad ? [["m", "v"], ["vhat"]] : [["m", "v"]],
        Adadelta or Adamax or Nadam or Ftrl => [optimizer.SlotNames],
        _ => [.. optimizer.SlotNames.Select(s => (IReadOnlyList<string>)[s])],
    };

    /// <summary>
    /// Scalars Keras keeps beside the slots that the runtime recomputes from the step: Nadam's momentum-schedule
    /// product (Keras 3 <c>u_product</c>, tf.keras 2 <c>momentum_cache</c>). Skipped when read.
    /// </summary>
    public static bool IsDerivedScalar(string name) => name is "u_product" or "momentum_cache";
}
