using System.Diagnostics;
using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Serialization;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Every model kind, compiled with Adam and trained one epoch (so the optimizer has its slots), saved in
/// every Keras format, then read by the two checkers of <c>shared/tools/keras-loaders</c>: they follow
/// Keras 2.8's <c>hdf5_format</c> and Keras 3.6's <c>saving_lib</c> / <c>legacy_h5_format</c> step by step
/// (each rule cites the Keras source line) and say FATAL where real Keras would raise and WARN where it
/// would load with a warning (optimizer state dropped). Neither may appear.
/// The custom layer is <see cref="Antirectifier"/>, the class the checkers know as a custom one (they
/// check its weights, not its constructor, which only a registered Python class defines).
/// </summary>
[Collection(GlobalRandomState.Name)]
public class KerasLoaderCheckTests
{
    public KerasLoaderCheckTests() => TutorialModel.SingleThread();

    public static TheoryData<string> Kinds() =>
        ["sequential_input_shape", "sequential_input_layer", "functional_two_in_two_out", "nested_sequential", "nested_functional",
         "lstm", "batch_normalization", "custom_layer", "convolution"];

    static Model Create(string kind)
    {
        switch (kind)
        {
            case "sequential_input_shape":
                return new Sequential(new Dense(8, activation: "relu", inputShape: [4]), new Dropout(0.2), new Dense(3));
            case "sequential_input_layer":
                return new Sequential(new InputLayer([4]), new Dense(8, activation: "relu"), new Dense(3));
            case "functional_two_in_two_out":
            {
                var a = Keras.Input([4], name: "a");
                var b = Keras.Input([6], name: "b");
                var joined = new Concatenate().Call(new Dense(5, activation: "relu").Call(a), new Dense(5, activation: "relu").Call(b));
                var first = new Dense(3, name: "first").Call(joined);
                var second = new Dense(3, name: "second").Call(joined);
                return new Functional([a, b], [first, second]);
            }
            case "nested_sequential":
                return new Sequential(new Sequential(new Dense(8, activation: "relu", inputShape: [4]), new Dense(6)), new Dense(3));
            case "nested_functional":
            {
                var innerIn = Keras.Input([4]);
                var inner = new Functional(innerIn, new Dense(6, activation: "tanh").Call(new Dense(8, activation: "relu").Call(innerIn)));
                var input = Keras.Input([4]);
                return new Functional(input, new Dense(3).Call(new Concatenate().Call(inner.Call(input), input)));
            }
            case "lstm":
                return new Sequential(new LSTM(5, inputShape: [7, 4]), new Dense(3));
            case "batch_normalization":
                return new Sequential(new Dense(8, inputShape: [4]), new BatchNormalization(), new Dense(3));
            case "custom_layer":
                return new Sequential(new InputLayer([4]), new Antirectifier(6), new Dense(3));
            case "convolution":
                return new Sequential(new Conv2D(4, [3, 3], activation: "relu", inputShape: [8, 8, 1]), new MaxPooling2D(),
                                      new Flatten(), new Dense(3));
            default:
                throw new ArgumentException(kind);
        }
    }

    /// <summary>Compiles with Adam and trains one epoch on random data, so that every optimizer variable exists.</summary>
    static void CompileAndTrain(Model model, string kind)
    {
        var metrics = new Metric[] { new SparseCategoricalAccuracy() };
        using var y = randint(0, 3, [16], dtype: ScalarType.Int64, generator: new Generator(3));
        if (model is Functional { Inputs.Count: 2 } functional)
        {
            model.Compile(new Adam(), [new SparseCategoricalCrossentropy(fromLogits: true), new SparseCategoricalCrossentropy(fromLogits: true)], metrics);
            using var a = rand([16, 4], generator: new Generator(1));
            using var b = rand([16, 6], generator: new Generator(2));
            functional.Fit([a, b], [y, y], batchSize: 8, epochs: 1, verbose: 0);
            return;
        }
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), metrics);
        long[] shape = kind switch { "lstm" => [16, 7, 4], "convolution" => [16, 8, 8, 1], _ => [16, 4] };
        using var x = rand(shape, generator: new Generator(1));
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
    }

    [KerasLoaderCheckTheory]
    [MemberData(nameof(Kinds))]
    public void Every_format_loads_in_Keras_2_8_and_Keras_3_6_without_errors_or_warnings(string kind)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(5);
        var model = Create(kind);
        CompileAndTrain(model, kind);
        // The file names check_keras3.py reads in a folder.
        model.Save(dir.Combine("model.h5"));
        model.Save(dir.Combine("model.keras"));
        model.Save(dir.Combine("model_dir"));
        model.SaveWeights(dir.Combine("w.h5"));
        model.SaveWeights(dir.Combine("w.weights.h5"));

        var findings = new List<string>();
        findings.AddRange(KerasLoaderCheckers.Run("check_h5_keras28.py", dir.Combine("model.h5"), dir.Combine("w.h5")));
        findings.AddRange(KerasLoaderCheckers.Run("check_keras3.py", dir.Path));
        Assert.True(findings.Count == 0, $"{kind}: the Keras loader checks report:\n{string.Join("\n", findings)}");
    }
}

/// <summary>
/// Runs a checker of <c>shared/tools/keras-loaders</c> (found beside <c>shared/fixtures</c>, or at
/// <c>LAYERWISE_KERAS_LOADERS</c>) under Debian's python3 with h5py and numpy, and returns its FATAL and WARN findings.
/// </summary>
internal static class KerasLoaderCheckers
{
    const string Python = "/usr/bin/python3";

    public static string? Folder { get; } = FindFolder();

    static string? FindFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LAYERWISE_KERAS_LOADERS");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "tools", "keras-loaders");
            if (File.Exists(Path.Combine(candidate, "check_keras3.py"))) return candidate;
        }
        return null;
    }

    static readonly Lazy<string?> missingReason = new(() =>
    {
        if (Folder is null) return "the Keras loader checkers (shared/tools/keras-loaders) are absent and LAYERWISE_KERAS_LOADERS is unset";
        if (!File.Exists(Python)) return $"{Python} is absent";
        var (code, _, error) = Execute(["-c", "import h5py, numpy"]);
        return code == 0 ? null : $"h5py or numpy is not importable by {Python} ({error.Trim()}); install python3-h5py python3-numpy";
    });

    /// <summary>Why the checkers cannot run here, or null when they can.</summary>
    public static string? Missing => missingReason.Value;

    /// <summary>The FATAL and WARN findings of <paramref name="script"/> on <paramref name="arguments"/>, each as "file: SEV message".</summary>
    public static List<string> Run(string script, params string[] arguments)
    {
        var (code, output, error) = Execute([Path.Combine(Folder!, script), .. arguments, "--json"]);
        Assert.True(code == 0, $"{script} exited with {code}:\n{error}\n{output}");
        var report = JsonNode.Parse(output)!.AsObject();
        var findings = new List<string>();
        foreach (var (file, result) in report)
            foreach (var item in result!["items"]!.AsArray())
                if (item!["sev"]!.GetValue<string>() is "FATAL" or "WARN")
                    findings.Add($"{script} {file}: {item["sev"]} {item["msg"]} [{item["ref"]}]");
        return findings;
    }

    static (int Code, string Output, string Error) Execute(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A theory skipped, with a message, when the Keras loader checkers or python3 with h5py and numpy are absent.</summary>
public sealed class KerasLoaderCheckTheoryAttribute : TheoryAttribute
{
    public KerasLoaderCheckTheoryAttribute()
    {
        if (KerasLoaderCheckers.Missing is { } why) Skip = $"Keras loader checks skipped: {why}.";
    }
}
