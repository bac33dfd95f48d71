using System.Reflection;
using System.Runtime.CompilerServices;

namespace Layerwise.Serialization;

/// <summary>
/// Runs the module initializers (the generated registrations) of assemblies marked
/// <see cref="LayerAssemblyAttribute"/>. Only assemblies the application itself references or has
/// loaded are considered: a name read from a model file never chooses an assembly to load.
/// </summary>
internal static class LayerAssemblies
{
    /// <summary>
    /// Loads <paramref name="simpleName"/> (a compile-time reference of the calling assembly, written
    /// by the generator) and runs its module initializer; a missing assembly is left alone, as the
    /// CLR would when the referencing code never touches it.
    /// </summary>
    public static void Initialize(string simpleName)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(simpleName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return;
        }
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
    }

    /// <summary>
    /// Runs the module initializers of every loaded, marked assembly (a plug-in loaded with
    /// <c>Assembly.LoadFrom</c> whose code has not run). Returns whether any was marked.
    /// </summary>
    public static bool InitializeLoaded()
    {
        bool any = false;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || !assembly.IsDefined(typeof(LayerAssemblyAttribute), inherit: false)) continue;
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            any = true;
        }
        return any;
    }
}
