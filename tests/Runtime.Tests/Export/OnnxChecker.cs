using Layerwise.Tests.Formats;

namespace Layerwise.Tests.Export;

/// <summary>
/// ONNX's own validator, <c>onnx.checker.check_model(full_check=True)</c> (shape inference included),
/// from Debian's python3-onnx: an independent reading of the protobuf and of the operator schemas.
/// </summary>
internal static class OnnxChecker
{
    static readonly Lazy<string?> missingReason = new(() =>
    {
        if (!File.Exists("/usr/bin/python3")) return "/usr/bin/python3 is absent";
        var (code, _, error) = H5Py.Execute("import onnx", []);
        return code == 0 ? null : $"the onnx module is not importable by /usr/bin/python3 ({error.Trim()}); install python3-onnx";
    });

    public static string? Missing => missingReason.Value;

    /// <summary>Checks the file and returns what the script prints (opset and node count).</summary>
    public static string Check(string path)
    {
        const string script =
            "import sys, onnx\n" +
            "model = onnx.load(sys.argv[1])\n" +
            "onnx.checker.check_model(model, full_check=True)\n" +
            "print(model.opset_import[0].version, len(model.graph.node))\n";
        var (code, output, error) = H5Py.Execute(script, [path]);
        Assert.True(code == 0, $"onnx.checker refused the file:\n{error}");
        return output.Trim();
    }
}

/// <summary>A fact skipped, with a message, where python3-onnx is not installed.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxChecker.Missing is { } why) Skip = $"Independent ONNX check skipped: {why}.";
    }
}
