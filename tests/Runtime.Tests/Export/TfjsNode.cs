using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Layerwise.Tests.Export;

/// <summary>
/// The TensorFlow.js side of the export tests: Node with the npm package <c>@tensorflow/tfjs</c> pinned by
/// tests/Tfjs/package-lock.json (<c>npm ci</c> runs once when node_modules is missing), and tests/Tfjs/predict.mjs,
/// which loads an exported directory with <c>tf.loadLayersModel(handler, {strict: true})</c> and predicts.
/// <see cref="Missing"/> says why the tests cannot run here (they skip with it).
/// </summary>
internal static class TfjsNode
{
    /// <summary>tests/Tfjs of the repository, found by walking up from the test assembly.</summary>
    public static readonly string? Folder = FindFolder();

    static readonly Lazy<string?> missingReason = new(() =>
    {
        if (Folder is null) return "tests/Tfjs/package.json was not found above the test assembly";
        if (Execute("node", ["--version"], Folder).Code is not 0) return "node is not on PATH (install Debian's nodejs and npm)";
        if (!File.Exists(Path.Combine(Folder, "node_modules", "@tensorflow", "tfjs", "package.json")))
        {
            var (code, output, error) = Execute("npm", ["ci", "--no-audit", "--no-fund"], Folder);
            if (code != 0) return $"npm ci in {Folder} failed ({code}): {(error + output).Trim()}";
        }
        return null;
    });

    /// <summary>Why TF.js cannot be run here, or null when it can.</summary>
    public static string? Missing => missingReason.Value;

    /// <summary>
    /// TF.js' predictions for the model exported in <paramref name="modelDir"/> on <paramref name="inputs"/>
    /// (float values, batch first): one (shape, values) per output; or TF.js' error text when loading or predicting failed.
    /// </summary>
    public static (List<(long[] Shape, float[] Data)>? Outputs, string Error) Predict(string modelDir, IReadOnlyList<(long[] Shape, float[] Data)> inputs)
    {
        var inputsPath = Path.Combine(modelDir + ".inputs.json");
        var array = new JsonArray();
        foreach (var (shape, data) in inputs)
            array.Add((JsonNode)new JsonObject
            {
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["data"] = new JsonArray([.. data.Select(v => (JsonNode)JsonValue.Create(v))]),
            });
        File.WriteAllText(inputsPath, array.ToJsonString());
        var (code, output, error) = Execute("node", [Path.Combine(Folder!, "predict.mjs"), modelDir, inputsPath], Folder!);
        if (code != 0) return (null, error);
        var result = JsonNode.Parse(output)!["outputs"]!.AsArray();
        return ([.. result.Select(o => (
            o!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray(),
            o["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()))], error);
    }

    static string? FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tfjs");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        return null;
    }

    internal static (int Code, string Output, string Error) Execute(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

/// <summary>A fact that runs exported models in TensorFlow.js under Node: skipped, with the reason, when Node or the npm package is unavailable.</summary>
public sealed class TfjsFactAttribute : FactAttribute
{
    public TfjsFactAttribute()
    {
        if (TfjsNode.Missing is { } why) Skip = $"TensorFlow.js check skipped: {why}.";
    }
}

/// <summary>The theory form of <see cref="TfjsFactAttribute"/>.</summary>
public sealed class TfjsTheoryAttribute : TheoryAttribute
{
    public TfjsTheoryAttribute()
    {
        if (TfjsNode.Missing is { } why) Skip = $"TensorFlow.js check skipped: {why}.";
    }
}
