using Microsoft.CodeAnalysis;

namespace Layerwise.Generators.Shared;

/// <summary>
/// Whether a type's generated registration can compile: the registration is one
/// <c>[ModuleInitializer]</c> method per assembly that names the type, so the type must be
/// accessible at the module level. Added for the analyzers (LW0005); the generator can
/// use it to skip such types instead of writing a registration that does not compile.
/// </summary>
internal static class ModuleVisibility
{
    /// <summary>The type itself or the first containing type that hides it from the module; null when none does.</summary>
    public static INamedTypeSymbol? FirstHidden(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
            if (!IsVisible(t)) return t;
        return null;
    }

    static bool IsVisible(INamedTypeSymbol type) =>
        type.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
        && !type.IsFileLocal;
}
