// Custom layers that survive the round trip (the tutorial's "custom objects" section, in C#):
// this process trains a subclassed model with a custom layer and saves it; a second process, which
// passes no custom objects, loads it by its registered name and must predict the same, bit for bit.
//
//   dotnet run --project samples/CustomLayers              save, then load in a child process
//   dotnet run --project samples/CustomLayers -- save DIR  the same, in DIR
//   dotnet run --project samples/CustomLayers -- load DIR  load only
using System.Diagnostics;
using CustomLayers;
using Layerwise;
using Layerwise.Data;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using TorchSharp;

torch.set_num_threads(1);
var directory = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "layerwise_custom_layers");

if (args.Length > 0 && args[0] == "load") return Load(directory);

// 1. Train.
Backend.SetRandomSeed(7);
var ((trainImages, trainLabels), (testImages, testLabels)) = Mnist.Load();
var (xTrain, yTrain) = Mnist.Preprocess(trainImages, trainLabels, 1000);
var (xTest, _) = Mnist.Preprocess(testImages, testLabels, 100);
var model = new DigitClassifier(hiddenUnits: 64, classes: 10, dropoutRate: 0.2, name: "digits");
model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
model.Fit(xTrain, yTrain, batchSize: 32, epochs: 3, verbose: 2);
Console.WriteLine($"Tracked fields: {string.Join(", ", model.TrackedFields.Select(f => f.Name))}");

// 2. Save config, weights and the predictions to compare against.
SavedModel.Save(model, directory);
WholeModelFormats.Save(model, directory);
using (var predictions = model.Predict(xTest))
    File.WriteAllBytes(Path.Combine(directory, "expected.bin"), Bytes(predictions));
File.WriteAllBytes(Path.Combine(directory, "inputs.bin"), Bytes(xTest));
Console.WriteLine($"Saved to {directory}: {string.Join(", ", Directory.GetFiles(directory).Select(Path.GetFileName).Order())}");

// 3. Load in another process, which has no reference to the model object and passes no custom objects.
var self = Environment.ProcessPath!;
var start = new ProcessStartInfo(self) { UseShellExecute = false };
if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
foreach (var a in new[] { "load", directory }) start.ArgumentList.Add(a);
using var child = Process.Start(start)!;
child.WaitForExit();
Console.WriteLine(child.ExitCode == 0 ? "Round trip OK: the other process predicted the same." : $"Round trip FAILED (exit code {child.ExitCode}).");
return child.ExitCode;

static int Load(string directory)
{
    var inputsBytes = File.ReadAllBytes(Path.Combine(directory, "inputs.bin"));
    var inputs = torch.tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(inputsBytes).ToArray(), [inputsBytes.Length / 4 / 784, 784]);
    var model = (Model)SavedModel.Load(directory, [784]);
    Console.WriteLine($"[load] {model.ClassName} \"{model.Name}\" from its registered name {model.Registration!.RegisteredName}, {model.CountParams():N0} params");
    using var predictions = model.Predict(inputs);
    var expected = File.ReadAllBytes(Path.Combine(directory, "expected.bin"));
    bool same = expected.AsSpan().SequenceEqual(Bytes(predictions));
    Console.WriteLine(same ? "[load] predictions are identical" : "[load] predictions DIFFER");
    int failures = WholeModelFormats.Check(directory, inputs, expected, Bytes);
    return same && failures == 0 ? 0 : 1;
}

static byte[] Bytes(torch.Tensor t)
{
    using var cpu = t.detach().cpu().contiguous();
    return System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray();
}
