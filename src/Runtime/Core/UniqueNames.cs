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

    /// <summary>
    /// Keras' <c>to_snake_case</c>: "SparseCategoricalAccuracy" -> "sparse_categorical_accuracy",
    /// "Conv2D" -> "conv2d", "MaxPooling2D" -> "max_pooling2d", "ReLU" -> "re_lu". The same two
    /// substitutions as Keras (<c>(.)([A-Z][a-z0-9]+)</c>, then <c>([a-z])([A-Z])</c>, left to right,
    /// non-overlapping), so default names match the ones Keras gives.
    /// </summary>
    public static string ToSnakeCase(string pascal)
    {
        var first = new StringBuilder(pascal.Length + 8);
        int p = 0;
        for (int i = 1; i < pascal.Length; i++)
        {
            if (!char.IsAsciiLetterUpper(pascal[i]) || i + 1 >= pascal.Length || !IsLowerOrDigit(pascal[i + 1])) continue;
            int j = i + 1;
            while (j < pascal.Length && IsLowerOrDigit(pascal[j])) j++;
            first.Append(pascal, p, i - p).Append('_').Append(pascal, i, j - i);
            p = j;
            i = j; // the next match needs a preceding character after this one
        }
        first.Append(pascal, p, pascal.Length - p);
        var intermediate = first.ToString();
        var result = new StringBuilder(intermediate.Length + 8);
        for (int i = 0; i < intermediate.Length; i++)
        {
            result.Append(char.ToLowerInvariant(intermediate[i]));
            if (char.IsAsciiLetterLower(intermediate[i]) && i + 1 < intermediate.Length && char.IsAsciiLetterUpper(intermediate[i + 1]))
            {
                result.Append('_').Append(char.ToLowerInvariant(intermediate[i + 1]));
                i++;
            }
        }
        return result.ToString();

        static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
    }
}
