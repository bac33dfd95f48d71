using Layerwise.Formats;
using Layerwise.Layers;
using Layerwise.Models;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Keras 1's GRU: its config (no reset_after, inner_* keys) is the reset_after=false GRU, and its nine
/// per-gate arrays <c>W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h</c> are fused into kernel,
/// recurrent_kernel and bias in the order z, r, h, as Keras 2's legacy loader does.
/// </summary>
public class Keras1GruTests
{
    const string Config = """
        {"class_name": "Sequential", "config": [
          {"class_name": "GRU", "config": {"name": "gru_1", "trainable": true, "input_dtype": "float32", "output_dim": 2,
            "init": "glorot_uniform", "inner_init": "orthogonal", "activation": "tanh", "inner_activation": "hard_sigmoid",
            "W_regularizer": null, "U_regularizer": null, "b_regularizer": null, "dropout_W": 0.0, "dropout_U": 0.0,
            "return_sequences": false, "go_backwards": false, "stateful": false, "unroll": false, "consume_less": "cpu",
            "input_dim": 3, "input_length": 4}}
        ]}
        """;

    static readonly string[] Names = ["gru_1_W_z", "gru_1_U_z", "gru_1_b_z", "gru_1_W_r", "gru_1_U_r", "gru_1_b_r", "gru_1_W_h", "gru_1_U_h", "gru_1_b_h"];

    /// <summary>Array k holds 100·k + 0, 1, 2, ...: every value says where it came from.</summary>
    static float[] Values(int k, int count) => [.. Enumerable.Range(0, count).Select(i => 100f * k + i)];

    static string WriteFile(TempDirectory dir, ulong[]? wrongFirstShape = null)
    {
        var path = dir.Combine("keras1_gru.h5");
        var file = new H5File { Attributes = { ["layer_names"] = new[] { "gru_1" } } };
        var group = new H5Group { Attributes = { ["weight_names"] = Names } };
        ulong[][] shapes = [[3, 2], [2, 2], [2]];
        for (int k = 0; k < Names.Length; k++)
        {
            var shape = k == 0 && wrongFirstShape is not null ? wrongFirstShape : shapes[k % 3];
            group[Names[k]] = new H5Dataset(Values(k, (int)shape.Aggregate(1UL, (a, b) => a * b)), fileDims: shape);
        }
        file["gru_1"] = group;
        file.Write(path);
        return path;
    }

    [Fact]
    public void Keras1_config_is_the_reset_after_false_GRU()
    {
        var model = (Sequential)Model.FromJson(Config);
        var gru = Assert.IsType<GRU>(model.Layers[0]);
        Assert.Equal((2, false, "hard_sigmoid"), (gru.Units, gru.ResetAfter, gru.RecurrentActivation));
        Assert.Equal([4L, 3], model.InputShape!);
    }

    [Fact]
    public void Nine_per_gate_arrays_are_fused_in_the_order_z_r_h()
    {
        using var dir = new TempDirectory();
        var model = (Sequential)Model.FromJson(Config);
        model.LoadWeights(WriteFile(dir));
        var cell = ((GRU)model.Layers[0]).CellLayer;
        // kernel = [W_z | W_r | W_h] along the last axis; likewise U and b.
        using var kernel = cat([tensor(Values(0, 6), [3, 2]), tensor(Values(3, 6), [3, 2]), tensor(Values(6, 6), [3, 2])], 1);
        using var recurrent = cat([tensor(Values(1, 4), [2, 2]), tensor(Values(4, 4), [2, 2]), tensor(Values(7, 4), [2, 2])], 1);
        using var bias = cat([tensor(Values(2, 2)), tensor(Values(5, 2)), tensor(Values(8, 2))], 0);
        Assert.True(kernel.equal(cell.Kernel.Value).all().item<bool>(), "kernel");
        Assert.True(recurrent.equal(cell.RecurrentKernel.Value).all().item<bool>(), "recurrent_kernel");
        Assert.True(bias.equal(cell.Bias!.Value).all().item<bool>(), "bias");
    }

    [Fact]
    public void A_per_gate_array_of_the_wrong_shape_names_the_dataset()
    {
        using var dir = new TempDirectory();
        var model = (Sequential)Model.FromJson(Config);
        var e = Assert.Throws<ModelFileException>(() => model.LoadWeights(WriteFile(dir, wrongFirstShape: [4, 2])));
        Assert.Contains("Keras 1 GRU weight \"gru_1_W_z\" of layer \"gru_1\" (2 units) should have shape (3, 2)", e.Message);
    }
}
