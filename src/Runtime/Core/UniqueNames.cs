using System.Text.RegularExpressions;

namespace Layerwise;

/// <summary>
/// Keras' per-process object names: the first Dense is "dense", the next "dense_1", and so on,
/// counted separately for each base name. <see cref="Backend.ClearSession"/> starts them again.
/// </summary>
internal static partial class UniqueNames
{
    static readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    static readonly Lock gate = new();

    public static string Next(string baseName)
    {
        lock (gate)
        {
            counts.TryGetValue(baseName, out var seen);
            counts[baseName] = seen + 1;
            return seen == 0 ? baseName : $"{baseName}_{seen}";
        }
    }

    /// <summary>Marks a user-chosen name as taken, so generated names do not repeat it.</summary>
    public static void Reserve(string name)
    {
        lock (gate) counts.TryAdd(name, 1);
    }

    public static void Reset()
    {
        lock (gate) counts.Clear();
    }

    /// <summary>Keras' <c>to_snake_case</c>: "SparseCategoricalAccuracy" -> "sparse_categorical_accuracy", "Conv2DTranspose" -> "conv2d_transpose".</summary>
    public static string ToSnakeCase(string pascal)
    {
        var intermediate = WordStart().Replace(pascal, "$1_$2");
        var snake = LowerUpper().Replace(intermediate, "$1_$2").ToLowerInvariant();
        return snake.StartsWith('_') ? "private" + snake : snake;
    }

    [GeneratedRegex("(.)([A-Z][a-z0-9]+)")]
    private static partial Regex WordStart();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex LowerUpper();
}
