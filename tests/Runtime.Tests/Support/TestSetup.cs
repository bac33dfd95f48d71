using System.Runtime.CompilerServices;
using TorchSharp;

// Tests seed torch's global generator and use the per-process layer names: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Layerwise.Tests.Support;

internal static class TestSetup
{
    /// <summary>Two cores here: torch with two threads sometimes stalls for seconds (DESIGN.md), so tests use one.</summary>
    [ModuleInitializer]
    internal static void OneTorchThread() => torch.set_num_threads(1);
}
