using Layerwise.Data;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Cli;

/// <summary>
/// <c>summary</c>, <c>convert</c>, <c>predict</c>, <c>diff</c> and <c>verify</c> on Keras-written fixtures
/// (outputs against the Keras-recorded ones) and on files the project writes; exit codes per failure.
/// </summary>
public class CliCommandTests
{
    [FixtureFact(CliRunner.KerasH5)]
    public void Summary_prints_Keras_table_with_the_hand_counted_parameters()
    {
        var text = CliRunner.Ok("summary", Fixtures.Get(CliRunner.KerasH5));
        // Dense(128) on 784 inputs and Dense(10): 784*128+128 + 128*10+10
        Assert.Contains($"Total params: {784 * 128 + 128 + 128 * 10 + 10:N0}", text);
        Assert.Contains(" Layer (type)                Output Shape              Param #", text);
        Assert.Contains("dense_2 (Dense)", text);
    }

    [FixtureFact(CliRunner.KerasH5)]
    public void Predict_matches_the_outputs_Keras_recorded_in_any_batch_size()
    {
        using var dir = new TempDirectory();
        using (var digits = CliRunner.MnistDigits(8, 28, 28)) NumpyFile.Write(dir.Combine("x.npy"), digits);
        var expected = CliRunner.ReadFloats(Fixtures.Get(CliRunner.KerasH5Expected));

        foreach (var batch in new[] { "3", "32" })
        {
            CliRunner.Ok("predict", Fixtures.Get(CliRunner.KerasH5), dir.Combine("x.npy"), dir.Combine("y.npy"), "--batch-size", batch);
            using var y = NumpyFile.Read(dir.Combine("y.npy"));
            Assert.Equal([8L, 10], y.shape);
            CliRunner.AssertClose(expected, y.data<float>().ToArray(), 1e-4);
        }
    }

    [FixtureFact(CliRunner.KerasH5)]
    public void Convert_to_every_written_format_keeps_the_Keras_recorded_outputs()
    {
        using var dir = new TempDirectory();
        var source = Fixtures.Get(CliRunner.KerasH5);
        using (var digits = CliRunner.MnistDigits(8, 28, 28)) NumpyFile.Write(dir.Combine("x.npy"), digits);
        var expected = CliRunner.ReadFloats(Fixtures.Get(CliRunner.KerasH5Expected));

        // whole models: read back alone; weights: read back into the architecture of the source
        (string Out, string[] Options, bool WeightsOnly)[] targets =
        [
            ("m.h5", [], false), ("m.keras", [], false), ("m_dir", [], false),
            ("w.weights.h5", [], true), ("w2.h5", ["--weights-only"], true), ("ckpt/cp.ckpt", ["--weights-only"], true),
        ];
        foreach (var (output, options, weightsOnly) in targets)
        {
            CliRunner.Ok(["convert", source, dir.Combine(output), .. options]);
            string[] architecture = weightsOnly ? ["--model", source] : [];
            CliRunner.Ok(["predict", dir.Combine(output), dir.Combine("x.npy"), dir.Combine("y.npy"), .. architecture]);
            using var y = NumpyFile.Read(dir.Combine("y.npy"));
            CliRunner.AssertClose(expected, y.data<float>().ToArray(), 1e-4);
            Assert.Equal(0, CliRunner.Run(["verify", dir.Combine(output), .. architecture]).Code);
        }
        CliRunner.Ok("convert", source, dir.Combine("m.onnx"));
        Assert.True(new FileInfo(dir.Combine("m.onnx")).Length > 4 * 101_770, "the ONNX file holds the float32 weights");
        CliRunner.Ok("convert", source, dir.Combine("web"), "--to", "tfjs");
        Assert.True(File.Exists(dir.Combine("web", "model.json")));
        Assert.Contains("TensorFlow.js layers model", CliRunner.Ok("inspect", dir.Combine("web")));
    }

    [FixtureFact(CliRunner.TfCheckpoint)]
    public void A_TensorFlow_checkpoint_converts_into_a_given_architecture_with_its_recorded_outputs()
    {
        using var dir = new TempDirectory();
        TutorialModel.Create().Save(dir.Combine("arch.h5"));   // the tutorial's 784-512-10, fresh weights
        var prefix = Fixtures.Get(CliRunner.TfCheckpoint)[..^".index".Length];
        using (var digits = CliRunner.MnistDigits(8, 784)) NumpyFile.Write(dir.Combine("x.npy"), digits);

        CliRunner.Ok("convert", prefix, dir.Combine("m.keras"), "--model", dir.Combine("arch.h5"));
        CliRunner.Ok("predict", dir.Combine("m.keras"), dir.Combine("x.npy"), dir.Combine("y.npy"));

        using var y = NumpyFile.Read(dir.Combine("y.npy"));
        var expected = CliRunner.ReadFloats(Path.Combine(Path.GetDirectoryName(prefix)!, "cp-0000.expected.mnist8_784.f32"));
        CliRunner.AssertClose(expected, y.data<float>().ToArray(), 1e-4);

        var (code, _, error) = CliRunner.Run("summary", prefix);   // weights only, no --model
        Assert.Equal(1, code);
        Assert.Contains("--model", CliRunner.AssertOneLineError(error));
    }

    [Fact]
    public void Diff_of_a_file_with_itself_is_zero_and_of_a_perturbed_copy_is_the_perturbation()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        model.Save(dir.Combine("a.keras"));
        model.SaveWeights(dir.Combine("a.weights.h5"));
        var kernel = model.Weights[0];
        using (no_grad())
        {
            using var changed = kernel.ToCpu().clone();
            changed[3, 4] = changed[3, 4] + 0.25f;
            kernel.Assign(changed);
        }
        model.Save(dir.Combine("b.h5"));

        var (same, sameText, _) = CliRunner.Run("diff", dir.Combine("a.keras"), dir.Combine("a.weights.h5"), "--model", dir.Combine("a.keras"));
        Assert.Equal(0, same);
        Assert.Contains("The weights are identical.", sameText);

        var (code, text, _) = CliRunner.Run("diff", dir.Combine("a.keras"), dir.Combine("b.h5"));
        Assert.Equal(6, code);
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kernelLine = lines.Single(l => l.StartsWith(kernel.Path + " "));
        Assert.Equal(0.25, double.Parse(kernelLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture), 5);
        foreach (var other in model.Weights.Skip(1))
            Assert.EndsWith(" 0", lines.Single(l => l.StartsWith(other.Path + " ")));
        Assert.Equal(0, CliRunner.Run("diff", dir.Combine("a.keras"), dir.Combine("b.h5"), "--tolerance", "0.3").Code);
    }

    [Fact]
    public void Diff_reports_weights_only_one_side_has()
    {
        using var dir = new TempDirectory();
        var small = TutorialModel.Create(hidden: 8, compile: false);
        var other = new Sequential(new Layerwise.Layers.Dense(4, inputShape: [3]));
        other.EnsureBuilt([3]);
        small.Save(dir.Combine("a.keras"));
        other.Save(dir.Combine("b.keras"));

        var (code, text, _) = CliRunner.Run("diff", dir.Combine("a.keras"), dir.Combine("b.keras"));
        Assert.Equal(6, code);
        foreach (var w in small.Weights) Assert.Contains($"{w.Path}", text);
        Assert.Equal(small.Weights.Count, text.Split('\n').Count(l => l.TrimEnd().EndsWith("only in A")));
        Assert.Equal(other.Weights.Count, text.Split('\n').Count(l => l.TrimEnd().EndsWith("only in B")));
    }

    [Fact]
    public void Verify_exit_codes_tell_missing_unknown_corrupt_and_unsupported_apart()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        model.Save(dir.Combine("m.h5"));
        model.SaveWeights(dir.Combine("ckpt", "cp.ckpt"));
        model.SaveWeights(dir.Combine("w.h5"));
        model.SaveWeights(dir.Combine("w.weights.h5"));
        Assert.Equal(0, CliRunner.Run("verify", dir.Combine("m.h5")).Code);
        Assert.Equal(0, CliRunner.Run("verify", dir.Combine("ckpt", "cp.ckpt")).Code);
        // Weights without an architecture: every dataset is read (through the groups the walk found).
        foreach (var weights in new[] { "w.h5", "w.weights.h5" })
        {
            var result = CliRunner.Run("verify", dir.Combine(weights));
            Assert.True(result.Code == 0, $"verify {weights}: exit {result.Code}: {result.Error}");
        }

        void Expect(int code, params string[] args)
        {
            var result = CliRunner.Run(args);
            Assert.True(code == result.Code, $"{string.Join(' ', args)}: expected exit {code}, got {result.Code}: {result.Error}");
            CliRunner.AssertOneLineError(result.Error);
        }

        Expect(2, "verify", dir.Combine("absent.h5"));
        File.WriteAllText(dir.Combine("notes.txt"), "not a model");
        Expect(3, "verify", dir.Combine("notes.txt"));
        Directory.CreateDirectory(dir.Combine("empty"));
        Expect(3, "verify", dir.Combine("empty"));

        var bytes = File.ReadAllBytes(dir.Combine("m.h5"));
        File.WriteAllBytes(dir.Combine("truncated.h5"), bytes[..(bytes.Length / 3)]);
        Expect(4, "verify", dir.Combine("truncated.h5"));
        File.WriteAllBytes(dir.Combine("garbage.h5"), [.. Enumerable.Repeat((byte)7, 4096)]);
        Expect(4, "verify", dir.Combine("garbage.h5"));

        // a flipped byte in the checkpoint's data: its CRC-32C no longer matches
        var data = Directory.GetFiles(dir.Combine("ckpt"), "cp.ckpt.data-*").Single();
        var tensorBytes = File.ReadAllBytes(data);
        tensorBytes[100] ^= 0x01;
        File.WriteAllBytes(data, tensorBytes);
        Expect(4, "verify", dir.Combine("ckpt", "cp.ckpt"));

        if (Fixtures.Find(CliRunner.LambdaH5) is { } lambda) Expect(5, "verify", lambda);
    }

    [Fact]
    public void Predict_reports_missing_and_mismatched_inputs_as_one_line_errors()
    {
        using var dir = new TempDirectory();
        TutorialModel.Create(hidden: 8).Save(dir.Combine("m.keras"));
        var (code, _, error) = CliRunner.Run("predict", dir.Combine("m.keras"), dir.Combine("absent.npy"), dir.Combine("y.npy"));
        Assert.Equal(2, code);
        CliRunner.AssertOneLineError(error);

        using (var wrong = zeros([2, 5])) NumpyFile.Write(dir.Combine("x.npy"), wrong);
        (code, _, error) = CliRunner.Run("predict", dir.Combine("m.keras"), dir.Combine("x.npy"), dir.Combine("y.npy"));
        Assert.Equal(1, code);
        CliRunner.AssertOneLineError(error);
        Assert.False(File.Exists(dir.Combine("y.npy")));
    }
}
