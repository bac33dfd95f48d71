using System.CommandLine;
using Layerwise.Data;
using static TorchSharp.torch;

namespace Layerwise.Cli.Commands;

/// <summary><c>layerwise predict MODEL IN.npy OUT.npy [--batch-size N]</c>: Keras' <c>model.predict</c> on a NumPy array.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var modelFile = new Argument<string>("model") { Description = "A whole-model file (or weights with --model)." };
        var input = new Argument<string>("input") { Description = "The inputs as a .npy array, batch first (float64 is converted to float32)." };
        var output = new Argument<string>("output") { Description = "Where the predictions are written (.npy, float32)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per batch (Keras' batch_size).", DefaultValueFactory = _ => 32 };
        var architecture = CommonOptions.Architecture();
        var command = new Command("predict", "Run the model on a .npy array and write the outputs as .npy.") { modelFile, input, output, batchSize, architecture };
        command.SetAction(parse => context.Guard(() =>
        {
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new CliException(ExitCodes.Usage, $"--batch-size must be at least 1; received {batch}.");
            var model = ModelOpener.Open(ModelFile.Resolve(parse.GetValue(modelFile)!), parse.GetValue(architecture));
            var inputPath = parse.GetValue(input)!;
            if (!File.Exists(inputPath)) throw new CliException(ExitCodes.Missing, $"{inputPath}: no such file.");
            using var x = NumpyFile.Read(inputPath);
            using var xModel = x.dtype == ScalarType.Float64 ? x.to(ScalarType.Float32) : x.alias();
            if (xModel.dim() < 1) throw new CliException(ExitCodes.Usage, $"{inputPath}: expected a batch of inputs (at least one dimension); the array is a scalar.");
            using var y = model.Predict(xModel, batchSize: batch);
            NumpyFile.Write(parse.GetValue(output)!, y);
            context.Output.WriteLine($"Wrote {parse.GetValue(output)}: {Inspection.InspectionWriter.Shape(y.shape)} {y.dtype.ToString().ToLowerInvariant()} predictions for {x.shape[0]} samples.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
