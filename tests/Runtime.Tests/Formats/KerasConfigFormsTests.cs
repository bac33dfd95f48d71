using Layerwise.Formats;
using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Tests.Formats;

/// <summary>The config forms of Keras 1, Keras 2 and Keras 3 become the same model.</summary>
public class KerasConfigFormsTests
{
    [Fact]
    public void Keras1_bare_list_config_with_old_key_names_builds_the_model_it_describes()
    {
        const string json = """
            {"class_name": "Sequential", "config": [
              {"class_name": "Convolution2D", "config": {"name": "convolution2d_1", "nb_filter": 8, "nb_row": 3, "nb_col": 2,
                "border_mode": "same", "subsample": [2, 2], "dim_ordering": "th", "init": "glorot_uniform", "bias": true,
                "activation": "relu", "batch_input_shape": [null, 1, 12, 12], "input_dtype": "float32", "trainable": true}},
              {"class_name": "MaxPooling2D", "config": {"name": "maxpooling2d_1", "pool_size": [2, 2], "border_mode": "valid",
                "strides": null, "dim_ordering": "th", "trainable": true}},
              {"class_name": "Dropout", "config": {"name": "dropout_1", "p": 0.25, "trainable": true}},
              {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": true}},
              {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 5, "init": "he_normal", "bias": false,
                "activation": "softmax", "W_regularizer": null, "trainable": true}}
            ]}
            """;
        var model = (Sequential)Model.FromJson(json);
        Assert.Equal(["convolution2d_1", "maxpooling2d_1", "dropout_1", "flatten_1", "dense_1"], model.Layers.Select(l => l.Name));
        var conv = Assert.IsType<Conv2D>(model.Layers[0]);
        Assert.Equal((8, "same", "channels_first"), (conv.Filters, conv.Padding, conv.DataFormat));
        Assert.Equal([3, 2], conv.KernelSize);
        Assert.Equal([2, 2], conv.Strides);
        Assert.Equal([1L, 12, 12], model.InputShape!);
        Assert.Equal("channels_first", Assert.IsType<MaxPooling2D>(model.Layers[1]).DataFormat);
        Assert.Equal(0.25, Assert.IsType<Dropout>(model.Layers[2]).Rate);
        var dense = Assert.IsType<Dense>(model.Layers[4]);
        Assert.Equal((5, false, "softmax"), (dense.Units, dense.UseBias, dense.Activation));
        Assert.IsType<HeNormal>(dense.KernelInitializer);
        Assert.Equal([8L, 3, 3], model.Layers[1].ComputeOutputShape([8, 6, 6]));
    }

    [Fact]
    public void Keras3_config_with_dtype_policies_and_module_keys_builds_the_model()
    {
        const string json = """
            {"module": "keras", "class_name": "Sequential", "registered_name": null, "config": {"name": "seq", "trainable": true,
              "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
              "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
                 "config": {"batch_shape": [null, 6], "dtype": "float32", "sparse": false, "name": "input_layer"}},
                {"module": "keras.layers", "class_name": "Dense", "registered_name": null, "build_config": {"input_shape": [null, 6]},
                 "config": {"name": "dense", "trainable": true,
                   "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
                   "units": 3, "activation": "relu", "use_bias": true,
                   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                   "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                   "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}
              ], "build_input_shape": [null, 6]}}
            """;
        var model = (Sequential)Model.FromJson(json);
        Assert.Equal("seq", model.Name);
        Assert.True(model.Built);
        Assert.Equal([6L, 3], model.Layers[0].Weights[0].Shape);
    }

    [Fact]
    public void Keras2_variance_scaling_initializers_become_their_names()
    {
        const string json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [null, 3],
                "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "uniform", "seed": null}},
                "bias_initializer": {"class_name": "Zeros", "config": {}}}}]}}
            """;
        var dense = (Dense)((Sequential)Model.FromJson(json)).Layers[0];
        Assert.IsType<HeUniform>(dense.KernelInitializer);
    }

    [Fact]
    public void Functional_config_without_inputs_is_refused_with_an_explanation()
    {
        // Functional models load (tests/Runtime.Tests/Models/FunctionalApi); one with no graph says what it lacks.
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson("""{"class_name": "Functional", "config": {"layers": []}}"""));
        Assert.Contains("Functional.config.input_layers: expected [layer name, node index, tensor index]", error.Message);
    }

    [Fact]
    public void Lambda_nested_anywhere_is_refused_before_anything_is_created()
    {
        var error = Assert.Throws<LambdaLayerException>(() => Model.FromJson("""
            {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 2]}},
              {"class_name": "Lambda", "config": {"name": "scale", "function": ["4wMAAA...", null, null], "function_type": "lambda"}}]}}
            """));
        Assert.Equal("scale", error.LayerName);
    }
}
