using System.CommandLine;

namespace Layerwise.Cli.Commands;

/// <summary><c>layerwise summary FILE</c>: Keras' <c>model.summary()</c> table of the model the file holds.</summary>
internal static class SummaryCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A whole-model file (or weights with --model)." };
        var model = CommonOptions.Architecture();
        var command = new Command("summary", "Print Keras' model.summary() table.") { file, model };
        command.SetAction(parse => context.Guard(() =>
        {
            var loaded = ModelOpener.Open(ModelFile.Resolve(parse.GetValue(file)!), parse.GetValue(model));
            context.Output.WriteLine(loaded.SummaryText());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
