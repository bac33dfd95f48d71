using System.CommandLine;
using Layerwise.Plotting;

namespace Layerwise.Cli.Commands;

/// <summary><c>layerwise plot history.csv out.png</c>: the curves of a CSVLogger file (Keras' or Layerwise's).</summary>
internal static class PlotCommand
{
    public static Command Create(CliContext context)
    {
        var csv = new Argument<string>("history") { Description = "A CSV written by CSVLogger (header epoch,loss,...)." };
        var png = new Argument<string>("png") { Description = "The PNG to write: one chart per metric, train and validation curves." };
        var separator = new Option<char>("--separator") { Description = "The CSV's separator (CSVLogger's separator argument).", DefaultValueFactory = _ => ',' };
        var command = new Command("plot", "Plot a CSVLogger history as a PNG.") { csv, png, separator };
        command.SetAction(parse => context.Guard(() =>
        {
            var path = parse.GetValue(csv)!;
            if (!File.Exists(path)) throw new CliException(ExitCodes.Missing, $"{path}: no such file.");
            var history = HistoryCsv.Read(path, parse.GetValue(separator));
            history.Plot(parse.GetValue(png)!);
            context.Output.WriteLine($"Wrote {parse.GetValue(png)}: {history.Epochs.Count} epochs of {string.Join(", ", history.Values.Keys)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
