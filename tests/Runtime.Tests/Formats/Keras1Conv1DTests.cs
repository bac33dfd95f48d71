using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Keras 1's Convolution1D / AtrousConvolution1D: its config keys become Conv1D's, and its kernels,
/// stored as 2-D ones of width 1 ([length, 1, in, filters], or [filters, in, length, 1] in Theano
/// order), become [length, in, filters] as Keras 2's legacy loader makes them.
/// </summary>
public class Keras1Conv1DTests
{
    const string Config = """
        {"class_name": "Sequential", "config": [
          {"class_name": "Convolution1D", "config": {"name": "convolution1d_1", "trainable": true, "input_dtype": "float32",
            "nb_filter": 2, "filter_length": 2, "init": "glorot_uniform", "activation": "linear", "border_mode": "same",
            "subsample_length": 1, "W_regularizer": null, "b_regularizer": null, "bias": true, "input_dim": 3, "input_length": 5}},
          {"class_name": "AtrousConvolution1D", "config": {"name": "atrousconvolution1d_1", "trainable": true, "nb_filter": 4,
            "filter_length": 3, "init": "he_normal", "activation": "tanh", "border_mode": "valid", "subsample_length": 1,
            "atrous_rate": 2, "bias": false, "input_dim": null, "input_length": null}}
        ]}
        """;

    [Fact]
    public void Keras1_config_keys_become_Conv1D_options()
    {
        var model = (Sequential)Model.FromJson(Config);
        var first = Assert.IsType<Conv1D>(model.Layers[0]);
        Assert.Equal((2, "same", true), (first.Filters, first.Padding, first.UseBias));
        Assert.Equal([2], first.KernelSize);
        Assert.Equal([1], first.Strides);
        Assert.Equal([5L, 3], model.InputShape!);
        var atrous = Assert.IsType<Conv1D>(model.Layers[1]);
        Assert.Equal((4, "valid", false, "tanh"), (atrous.Filters, atrous.Padding, atrous.UseBias, atrous.Activation));
        Assert.Equal([3], atrous.KernelSize);
        Assert.Equal([2], atrous.DilationRate);
        Assert.IsType<Layerwise.Initializers.HeNormal>(atrous.KernelInitializer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keras1_kernels_with_a_unit_axis_load_as_Conv1D_kernels(bool theano)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("keras1.h5");
        var values = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        // filter_length 2, input_dim 3, nb_filter 2.
        ulong[] dims = theano ? [2, 3, 2, 1] : [2, 1, 3, 2];
        var file = new H5File { Attributes = { ["layer_names"] = new[] { "convolution1d_1" } } };
        if (theano) file.Attributes["backend"] = "theano";
        var group = new H5Group
        {
            Attributes = { ["weight_names"] = new[] { "convolution1d_1_W", "convolution1d_1_b" } },
            ["convolution1d_1_W"] = new H5Dataset(values, fileDims: dims),
            ["convolution1d_1_b"] = new H5Dataset(new float[] { 0.5f, -0.5f }, fileDims: [2]),
        };
        file["convolution1d_1"] = group;
        file.Write(path);

        var model = new Sequential(new Conv1D(2, [2], inputShape: [5, 3]));
        model.LoadWeights(path);

        using var raw = tensor(values).reshape([.. dims.Select(d => (long)d)]);
        // TensorFlow order: drop the unit axis. Theano: [f, in, k, 1] -> [k, in, f], and flip k (Theano convolves).
        using var expected = theano ? raw.squeeze(3).permute(2, 1, 0).flip(0) : raw.squeeze(1);
        var conv = (Conv1D)model.Layers[0];
        Assert.Equal([2L, 3, 2], conv.Kernel.Shape);
        Assert.True(expected.eq(conv.Kernel.Value).all().item<bool>(), "kernel not converted as Keras' legacy loader converts it");
        Assert.Equal(new[] { 0.5f, -0.5f }, conv.Bias!.Value.data<float>().ToArray());
    }
}
