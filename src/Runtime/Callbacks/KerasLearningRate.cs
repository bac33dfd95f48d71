using System.Globalization;
using Layerwise.Training.Optimizers;

namespace Layerwise.Callbacks;

/// <summary>
/// The learning rate as Keras 2's callbacks see it: a float32 variable. Reading it gives the double of
/// that float32 (what <c>float(backend.get_value(optimizer.lr))</c> returns, e.g. 0.0010000000474974513);
/// <c>logs["lr"]</c> holds the NumPy float32 itself, which prints with float32's shortest digits (0.001).
/// </summary>
internal static class KerasLearningRate
{
    /// <summary>The optimizer's learning rate as the double of its float32 value.</summary>
    public static double Read(Optimizer optimizer) => (float)optimizer.LearningRate;

    /// <summary>The value for <c>logs["lr"]</c>: the double nearest the float32's shortest digits, so CSV and History read 0.001.</summary>
    public static double LogValue(Optimizer optimizer) => ShortestFloat32(optimizer.LearningRate);

    /// <summary>Stores <paramref name="value"/> as Keras' float32 variable would hold it.</summary>
    public static void Write(Optimizer optimizer, double value) => optimizer.LearningRate = ShortestFloat32(value);

    static double ShortestFloat32(double value) =>
        double.Parse(((float)value).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
