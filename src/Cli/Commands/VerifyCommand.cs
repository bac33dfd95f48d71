using System.CommandLine;
using Layerwise.Cli.Inspection;
using Layerwise.Formats.Hdf5;
using PureHDF;

namespace Layerwise.Cli.Commands;

/// <summary>
/// <c>layerwise verify FILE</c>: loads everything (a whole model compiled with its optimizer state; weights into
/// <c>--model</c>, or every array read when no architecture is given) and checks checksums; the exit code says what failed.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "Any file Layerwise reads." };
        var model = CommonOptions.Architecture();
        var command = new Command("verify", "Load the file fully. Exit 0 ok, 2 missing, 3 unknown format, 4 corrupt, 5 unsupported content.") { file, model };
        command.SetAction(parse => context.Guard(() =>
        {
            var resolved = ModelFile.Resolve(parse.GetValue(file)!);
            var inspection = FileInspector.Inspect(resolved);   // checksums and structure
            var architecture = parse.GetValue(model);
            if (resolved.IsWholeModel || architecture is not null)
            {
                var loaded = ModelOpener.Open(resolved, architecture, compile: resolved.IsWholeModel);
                context.Output.WriteLine($"OK: {resolved.Path}: {resolved.Description}, {loaded.ClassName} \"{loaded.Name}\", {loaded.Weights.Count} weights ({loaded.CountParams():N0} parameters) loaded; checksums: {inspection.Checksums}.");
            }
            else
            {
                if (resolved.Kind is ModelFileKind.KerasH5Weights or ModelFileKind.Keras3Weights) ReadEveryArray(resolved.Path);
                context.Output.WriteLine($"OK: {resolved.Path}: {resolved.Description}, {inspection.Weights.Count + inspection.OptimizerWeights.Count} arrays read; checksums: {inspection.Checksums}.");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Reads every dataset of a weights file (no architecture to load it into), so truncated data is found.</summary>
    static void ReadEveryArray(string path)
    {
        using var input = Hdf5Input.Open(path, path);
        void Walk(IH5Group group)
        {
            foreach (var child in input.Children(group))
            {
                if (child is IH5Group sub) Walk(sub);
                else if (child is IH5Dataset)
                {
                    var name = child.Name.Split('/')[^1];
                    var (dataset, shape) = input.FloatDataset(group, name);
                    using var _ = input.ReadFloats(dataset, shape, Hdf5Input.Join(group, name));
                }
            }
        }
        Walk(input.Root);
    }
}
