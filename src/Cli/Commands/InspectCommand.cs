using System.CommandLine;
using Layerwise.Cli.Inspection;

namespace Layerwise.Cli.Commands;

/// <summary><c>layerwise inspect FILE [--json] [--config]</c>: what the file records, read without building a model.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A .h5 / .weights.h5 / .keras file, model directory, SavedModel or TF.js directory, or a checkpoint prefix (or directory with a checkpoint state file)." };
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON (includes the full config)." };
        var config = new Option<bool>("--config") { Description = "Also print the model config (text output)." };
        var command = new Command("inspect", "Writer and version, layers, config, weights with shapes and dtypes, optimizer state; checksums verified where the format has them.") { file, json, config };
        command.SetAction(parse => context.Guard(() =>
        {
            var inspection = FileInspector.Inspect(ModelFile.Resolve(parse.GetValue(file)!));
            if (parse.GetValue(json)) InspectionWriter.WriteJson(inspection, context.Output);
            else InspectionWriter.WriteText(inspection, context.Output, parse.GetValue(config));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
