using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Layerwise.Generators.Incremental;

/// <summary>
/// A weak reference to the compilation a pipeline value was made from, with a stamp that orders
/// handles by creation. Values that compare equal across runs keep the previous run's object (Roslyn
/// caches the earlier item), so a kept value points at an older compilation; holding it weakly keeps
/// old compilations from being rooted by the cache. A step that re-runs takes the newest of its inputs'
/// handles: at least one input changed in this run, and that one was made from this run's compilation,
/// which the driver holds while the run lasts.
/// </summary>
internal sealed class CompilationHandle
{
    static long lastStamp;

    readonly WeakReference<Compilation> compilation;
    readonly long stamp;

    public CompilationHandle(Compilation compilation)
    {
        this.compilation = new WeakReference<Compilation>(compilation);
        stamp = Interlocked.Increment(ref lastStamp);
    }

    /// <summary>The compilation of the newer of two handles.</summary>
    public static Compilation Newest(CompilationHandle a, CompilationHandle b) => (a.stamp >= b.stamp ? a : b).Get();

    /// <summary>The compilation; only valid in the run that made this handle or a later step of it.</summary>
    public Compilation Get() =>
        compilation.TryGetTarget(out var target)
            ? target
            : throw new InvalidOperationException("Layerwise.Generators: a cached pipeline value outlived its compilation (a bug in the generator's pipeline).");
}
