using Layerwise.Models;

namespace Layerwise.Tests;

/// <summary>Assertions on weight values shared by the layer tests.</summary>
internal static class WeightAssert
{
    /// <summary>Every element within <paramref name="tolerance"/> of the expected value (hand-computed expectations).</summary>
    public static void Close(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    /// <summary>
    /// Every weight of <paramref name="model"/> differs from its value in <paramref name="before"/>
    /// (<see cref="TutorialModel.WeightValues"/> taken before a training step): autograd reached it.
    /// </summary>
    public static void EveryWeightChanged(Model model, float[][] before)
    {
        var after = TutorialModel.WeightValues(model);
        foreach (var (w, (b, a)) in model.Weights.Zip(before.Zip(after)))
            Assert.False(b.SequenceEqual(a), $"{w.Path} did not change");
    }
}
