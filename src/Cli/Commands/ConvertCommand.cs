using System.CommandLine;
using Layerwise.Models;

namespace Layerwise.Cli.Commands;

/// <summary>
/// <c>layerwise convert IN OUT</c>: reads any format and writes the one OUT names: <c>.h5</c>/<c>.hdf5</c> whole model
/// (Keras 2 HDF5), <c>.weights.h5</c> (Keras 3 weights), <c>.keras</c>, <c>.onnx</c> (export), an extension-less
/// path as a model directory; <c>--to checkpoint|directory|tfjs|h5-weights</c> picks explicitly.
/// </summary>
internal static class ConvertCommand
{
    static readonly string[] Targets = ["auto", "h5", "h5-weights", "weights-h5", "keras", "directory", "checkpoint", "onnx", "tfjs"];

    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("in") { Description = "The file to read (any format Layerwise reads)." };
        var output = new Argument<string>("out") { Description = "The file to write; its extension picks the format unless --to is given." };
        var to = new Option<string>("--to")
        {
            Description = "Output format: h5 (Keras 2 model), h5-weights (Keras 2 save_weights), weights-h5 (Keras 3 .weights.h5), keras, directory, checkpoint (TF tensor bundle), onnx, tfjs. Default: from OUT's extension.",
            DefaultValueFactory = _ => "auto",
        };
        to.AcceptOnlyFromAmong(Targets);
        var weightsOnly = new Option<bool>("--weights-only") { Description = "Write only the weights (.h5 -> save_weights layout; no extension -> TF checkpoint)." };
        var model = CommonOptions.Architecture();
        var command = new Command("convert", "Convert between every format Layerwise reads and every format it writes.") { input, output, to, weightsOnly, model };
        command.SetAction(parse => context.Guard(() =>
        {
            var source = ModelFile.Resolve(parse.GetValue(input)!);
            var target = parse.GetValue(output)!;
            var format = Pick(parse.GetValue(to)!, target, parse.GetValue(weightsOnly));
            var loaded = ModelOpener.Open(source, parse.GetValue(model), compile: source.IsWholeModel);
            Write(loaded, target, format);
            context.Output.WriteLine($"Wrote {target} ({format}) from {source.Path} ({source.Description}).");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string Pick(string to, string path, bool weightsOnly)
    {
        if (to != "auto") return to;
        if (path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase)) return "weights-h5";
        if (path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase)) return weightsOnly ? "h5-weights" : "h5";
        if (path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase)) return weightsOnly ? throw new CliException(ExitCodes.Usage, ".keras archives hold whole models; write weights as .weights.h5 or a checkpoint.") : "keras";
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return "onnx";
        if (path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase)) return "checkpoint";
        return weightsOnly ? "checkpoint" : "directory";
    }

    static void Write(Model model, string path, string format)
    {
        switch (format)
        {
            case "h5": Require(path, ".h5", ".hdf5"); model.Save(path); break;
            case "keras": Require(path, ".keras"); model.Save(path); break;
            case "weights-h5": Require(path, ".weights.h5"); model.SaveWeights(path); break;
            case "h5-weights":
                Require(path, ".h5", ".hdf5");
                if (path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase))
                    throw new CliException(ExitCodes.Usage, $"{path}: a .weights.h5 name is written in Keras 3's layout; use another .h5 name for Keras 2's save_weights layout.");
                model.SaveWeights(path);
                break;
            case "directory":
                if (Path.HasExtension(path)) throw new CliException(ExitCodes.Usage, $"{path}: a model directory's name has no extension (it would be read back as a file).");
                model.Save(path);
                break;
            case "checkpoint":
                if (path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
                    throw new CliException(ExitCodes.Usage, $"{path}: a checkpoint is written at a prefix without .h5/.keras (e.g. out/cp.ckpt).");
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (directory is not null) Directory.CreateDirectory(directory);
                model.SaveWeights(path);
                break;
            case "onnx": model.ExportOnnx(path); break;
            case "tfjs": model.SaveTfjs(path); break;
        }
    }

    static void Require(string path, params string[] extensions)
    {
        if (!extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw new CliException(ExitCodes.Usage, $"{path}: this format is written to a name ending in {string.Join(" or ", extensions)} (Layerwise and Keras pick the format by extension when reading).");
    }
}
