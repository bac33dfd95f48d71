using System.CommandLine;

namespace Layerwise.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    /// <summary><c>--model FILE</c>: the architecture for a weights-only file.</summary>
    public static Option<string?> Architecture() => new("--model", "-m")
    {
        Description = "A whole-model file whose architecture receives the weights, when FILE holds weights only (checkpoint, .weights.h5, save_weights .h5).",
    };
}
