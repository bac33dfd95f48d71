namespace Layerwise.Layers;

/// <summary>
/// The (before, after) amounts per spatial axis that <c>ZeroPadding*D</c> and <c>Cropping*D</c>
/// take in Keras' three forms: one integer for every side, one per axis (both sides alike), or a
/// pair per axis; here written [[n]], [[a], [b]] and [[a1, a2], [b1, b2]].
/// </summary>
internal static class SpatialMargins
{
    public static int[][] Pairs(int[][]? values, int rank, int defaultValue, string argument)
    {
        if (values is null) return [.. Enumerable.Range(0, rank).Select(_ => new[] { defaultValue, defaultValue })];
        var axes = values.Length == 1 ? [.. Enumerable.Repeat(values[0], rank)] : values;
        if (axes.Length != rank || axes.Any(a => a is null || a.Length is < 1 or > 2 || a.Any(v => v < 0)))
            throw new ArgumentException(
                $"{argument} must be one non-negative integer, {rank} (one per axis) or {rank} pairs (before, after); " +
                $"received [{string.Join(", ", values.Select(a => a is null ? "null" : "[" + string.Join(", ", a) + "]"))}].", argument);
        return [.. axes.Select(a => a.Length == 1 ? new[] { a[0], a[0] } : new[] { a[0], a[1] })];
    }

    /// <summary>The one-axis form: one non-negative integer for both sides, or (before, after).</summary>
    public static int[] Pair(int[]? values, int defaultValue, string argument) =>
        Pairs(values is null ? null : [values], 1, defaultValue, argument)[0];
}
