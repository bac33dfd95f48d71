using System.Text;

namespace Layerwise;

/// <summary>
/// Keras' per-process object names: the first Dense is "dense", the next "dense_1", and so on,
/// counted separately for each base name. <see cref="Backend.ClearSession"/> starts them again.
/// </summary>
internal static class UniqueNames
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

    /// <summary>Keras' <c>to_snake_case</c>: "SparseCategoricalAccuracy" -> "sparse_categorical_accuracy".</summary>
    public static string ToSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            bool boundary = i > 0 && char.IsUpper(c)
                && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])
                    || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) && char.IsUpper(pascal[i - 1])));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
