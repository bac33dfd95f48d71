using Layerwise.Training.Optimizers;

namespace Layerwise.Formats;

/// <summary>
/// The names Keras gives an optimizer's per-variable slots in files, by Keras generation, and the
/// runtime's slot each one is: Keras 2 (<c>m</c>/<c>v</c>; RMSprop <c>rms</c>, <c>momentum</c>,
/// <c>mg</c>) and Keras 3 (<c>momentum</c>/<c>velocity</c>; RMSprop <c>velocity</c>, <c>momentum</c>,
/// <c>average_gradient</c>).
/// </summary>
internal static class OptimizerSlotNames
{
    /// <summary>Keras 2's name of a runtime slot (what .h5 files written here use).</summary>
    public static string Keras2(Optimizer optimizer, string slot) => (optimizer, slot) switch
    {
        (RMSprop, "velocity") => "rms",
        (RMSprop, "average_gradient") => "mg",
        _ => slot,
    };

    /// <summary>Keras 3's name of a runtime slot.</summary>
    public static string Keras3(Optimizer optimizer, string slot) => (optimizer, slot) switch
    {
        (Adam, "m") => "momentum",
        (Adam, "v") => "velocity",
        _ => slot,
    };

    /// <summary>The runtime slot a file's slot name means for <paramref name="optimizer"/>; null when it has none.</summary>
    public static string? FromFile(Optimizer optimizer, string fileSlot)
    {
        var slot = (optimizer, fileSlot) switch
        {
            (Adam, "momentum") => "m",
            (Adam, "velocity") => "v",
            (RMSprop, "rms") => "velocity",
            (RMSprop, "mg") => "average_gradient",
            _ => fileSlot,
        };
        return optimizer.SlotNames.Contains(slot) ? slot : null;
    }

    /// <summary>
    /// Whether Keras 3 lays this optimizer's variables out variable by variable (Adam: m0, v0, m1, v1, ...)
    /// rather than slot by slot (RMSprop, SGD: all velocities, then all momentums).
    /// </summary>
    public static bool Keras3InterleavesSlots(Optimizer optimizer) => optimizer is Adam;
}
