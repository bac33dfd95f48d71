using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>The check every save/load round trip ends with: the loaded model predicts exactly what the original did.</summary>
internal static class PredictionAssert
{
    public static void Same(Model expected, Model actual, Tensor x, string? context = null)
    {
        using var a = expected.Predict(x);
        using var b = actual.Predict(x);
        Assert.True(a.equal(b).all().item<bool>(), $"{(context is null ? "" : context + ": ")}predictions differ after the round trip");
    }
}
