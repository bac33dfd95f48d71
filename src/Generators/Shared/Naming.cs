using System.Text;

namespace Layerwise.Generators.Shared;

/// <summary>Keras' naming rules, as the runtime applies them too.</summary>
internal static class Naming
{
    /// <summary>Keras' <c>to_snake_case</c>: "useBias" -> "use_bias", "KernelInitializer" -> "kernel_initializer".</summary>
    public static string ToSnakeCase(string name)
    {
        name = name.TrimStart('@', '_');
        if (name.StartsWith("m_", System.StringComparison.Ordinal)) name = name.Substring(2);
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c)
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
