namespace Layerwise.Layers;

/// <summary>The rate check shared by the dropout-like layers: Keras accepts rates in [0, 1).</summary>
internal static class NoiseRate
{
    public static double Check(double rate, string layer)
    {
        if (rate is < 0 or >= 1 || double.IsNaN(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"{layer} rate must be in [0, 1).");
        return rate;
    }
}
