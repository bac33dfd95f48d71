using System.Text.Json.Nodes;
using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Tests.Serialization;

public class ConfigRoundTripTests
{
    /// <summary>Serialize, write as text, parse, deserialize, serialize again: the text must not change.</summary>
    static (string First, Layer Restored) RoundTrip(Layer layer)
    {
        var first = ConfigJson.ToText(LayerRegistry.Serialize(layer));
        var restored = LayerRegistry.Deserialize(JsonNode.Parse(first));
        Assert.Equal(layer.GetType(), restored.GetType());
        Assert.Equal(first, ConfigJson.ToText(LayerRegistry.Serialize(restored)));
        return (first, restored);
    }

    public static TheoryData<string> BuiltInCases() => [.. BuiltInCaseNames];

    static readonly string[] BuiltInCaseNames =
        ["dense", "dense_full", "dropout", "flatten", "activation", "input", "sequential", "sequential_input",
         "conv2d", "conv2d_full", "max_pooling2d", "relu", "relu_capped", "softmax",
         "conv1d", "conv1d_full", "elu", "leaky_relu",
         "simple_rnn", "simple_rnn_full", "simple_rnn_cell", "lstm", "lstm_full", "lstm_cell",
         "gru", "gru_full", "gru_cell", "embedding", "embedding_full",
         "max_pooling1d", "average_pooling1d", "average_pooling2d", "global_average_pooling1d", "global_max_pooling1d",
         "global_average_pooling2d", "global_max_pooling2d",
         "reshape", "permute", "layer_normalization", "layer_normalization_full", "subtract", "multiply", "average", "maximum", "minimum",
         "batch_normalization", "batch_normalization_full", "add", "concatenate", "concatenate_axis", "functional", "functional_shared",
         "bidirectional", "bidirectional_full", "time_distributed", "repeat_vector", "masking", "embedding_mask_zero",
         "conv_lstm1d", "conv_lstm2d_full", "conv_lstm_cell",
         "spatial_dropout1d", "spatial_dropout2d", "spatial_dropout3d", "gaussian_noise", "gaussian_dropout", "alpha_dropout",
         "activity_regularization", "prelu", "thresholded_relu", "normalization", "normalization_given", "rescaling", "center_crop",
         "resizing", "dot", "attention", "additive_attention", "einsum_dense", "multi_head_attention",
         "conv3d", "conv1d_transpose", "conv2d_transpose", "conv3d_transpose", "depthwise_conv1d", "depthwise_conv2d",
         "separable_conv1d", "separable_conv2d", "max_pooling3d", "average_pooling3d", "global_average_pooling3d", "global_max_pooling3d",
         "up_sampling1d", "up_sampling2d", "up_sampling3d", "zero_padding1d", "zero_padding2d", "zero_padding3d",
         "cropping1d", "cropping2d", "cropping3d", "locally_connected1d", "locally_connected2d",
         "random_flip", "random_rotation", "random_zoom", "random_translation", "random_contrast", "random_brightness", "random_crop"];

    static Layer BuiltIn(string which) => which switch
    {
        "dense" => new Dense(3),
        "dense_full" => new Dense(7, activation: "softmax", useBias: false, kernelInitializer: new RandomNormal(0.5, 0.25),
                                  biasInitializer: "ones", inputShape: [4], name: "custom_dense", trainable: false),
        "dropout" => new Dropout(0.2, inputShape: [8]),
        "flatten" => new Flatten(inputShape: [2, 3]),
        "activation" => new Activation("tanh"),
        "input" => new InputLayer([28, 28]),
        "sequential" => new Sequential(new Dense(4, activation: "relu", inputShape: [3]), new Dropout(0.5), new Dense(2)),
        "sequential_input" => new Sequential(new InputLayer([5]), new Flatten(), new Dense(2, kernelInitializer: "he_uniform")),
        "conv2d" => new Conv2D(8, [3, 3]),
        "conv2d_full" => new Conv2D(4, [5, 3], strides: [2, 1], padding: "same", dilationRate: [1, 1], activation: "relu", useBias: false,
                                    kernelInitializer: "he_normal", inputShape: [28, 28, 1]),
        "max_pooling2d" => new MaxPooling2D([3, 3], strides: [2, 2], padding: "same"),
        "relu" => new ReLU(),
        "relu_capped" => new ReLU(maxValue: 6, negativeSlope: 0.1, threshold: 0.5),
        "softmax" => new Softmax(axis: 1),
        "conv1d" => new Conv1D(8, [3]),
        "conv1d_full" => new Conv1D(4, [2], strides: [1], padding: "causal", dataFormat: "channels_first", dilationRate: [2], groups: 2,
                                    activation: "tanh", useBias: false, kernelInitializer: "he_uniform", inputShape: [6, 16]),
        "elu" => new ELU(alpha: 0.7),
        "leaky_relu" => new LeakyReLU(alpha: 0.5, inputShape: [3]),
        "simple_rnn" => new SimpleRNN(4),
        "simple_rnn_full" => new SimpleRNN(6, activation: "relu", useBias: false, kernelInitializer: "he_uniform", recurrentInitializer: new Orthogonal(0.5),
                                           dropout: 0.2, recurrentDropout: 0.1, returnSequences: true, goBackwards: true, unroll: true, inputShape: [5, 3]),
        "simple_rnn_cell" => new SimpleRNNCell(3, dropout: 0.25),
        "lstm" => new LSTM(8),
        "lstm_full" => new LSTM(5, activation: "relu", recurrentActivation: "hard_sigmoid", useBias: true, biasInitializer: "ones",
                                unitForgetBias: false, dropout: 0.3, recurrentDropout: 0.2, returnSequences: true, goBackwards: true,
                                inputShape: [7, 2], name: "encoder", trainable: false),
        "lstm_cell" => new LSTMCell(4, recurrentActivation: "hard_sigmoid", unitForgetBias: false),
        "gru" => new GRU(3),
        "gru_full" => new GRU(4, activation: "relu", recurrentActivation: "hard_sigmoid", useBias: true, biasInitializer: "ones",
                              dropout: 0.1, recurrentDropout: 0.2, returnSequences: true, goBackwards: true, resetAfter: false,
                              inputShape: [6, 2], name: "decoder", trainable: false),
        "gru_cell" => new GRUCell(5, resetAfter: false, recurrentDropout: 0.5),
        "embedding" => new Embedding(100, 8),
        "embedding_full" => new Embedding(50, 4, embeddingsInitializer: new RandomNormal(0, 0.1), inputLength: 7, name: "tokens", trainable: false),
        "max_pooling1d" => new MaxPooling1D([3], strides: [1], padding: "same", dataFormat: "channels_first"),
        "average_pooling1d" => new AveragePooling1D(inputShape: [8, 2]),
        "average_pooling2d" => new AveragePooling2D([2, 3], strides: [1, 2], padding: "same", dataFormat: "channels_first", name: "avg"),
        "global_average_pooling1d" => new GlobalAveragePooling1D(),
        "global_max_pooling1d" => new GlobalMaxPooling1D(dataFormat: "channels_first", keepdims: true),
        "global_average_pooling2d" => new GlobalAveragePooling2D(keepdims: true, inputShape: [4, 4, 3]),
        "global_max_pooling2d" => new GlobalMaxPooling2D(),
        "reshape" => new Reshape([-1, 4], inputShape: [8]),
        "permute" => new Permute([3, 1, 2], name: "swap"),
        "layer_normalization" => new LayerNormalization(),
        "layer_normalization_full" => new LayerNormalization(axis: [1, 2], epsilon: 1e-6, center: false, scale: true,
                                                             gammaInitializer: "zeros", inputShape: [3, 4], trainable: false),
        "subtract" => new Subtract(),
        "multiply" => new Multiply(name: "gate"),
        "average" => new Average(),
        "maximum" => new Maximum(trainable: false),
        "minimum" => new Minimum(),
        "batch_normalization" => new BatchNormalization(),
        "batch_normalization_full" => new BatchNormalization(axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, scale: false,
                                                             movingVarianceInitializer: "zeros", inputShape: [3, 8, 8]),
        "add" => new Add(),
        "concatenate" => new Concatenate(),
        "concatenate_axis" => new Concatenate(axis: 2, name: "join_steps", trainable: false),
        "spatial_dropout1d" => new SpatialDropout1D(0.3, seed: 4),
        "spatial_dropout2d" => new SpatialDropout2D(0.2, dataFormat: "channels_first"),
        "spatial_dropout3d" => new SpatialDropout3D(0.1, inputShape: [2, 3, 4, 5]),
        "gaussian_noise" => new GaussianNoise(0.5, seed: 1),
        "gaussian_dropout" => new GaussianDropout(0.25),
        "alpha_dropout" => new AlphaDropout(0.1, noiseShape: [-1, 1, 4]),
        "activity_regularization" => new ActivityRegularization(l1: 0.01, l2: 0.02),
        "prelu" => new PReLU(alphaInitializer: "ones", sharedAxes: [1, 2], inputShape: [4, 4, 3]),
        "thresholded_relu" => new ThresholdedReLU(0.5),
        "normalization" => new Normalization(axis: [1, -1], invert: true),
        "normalization_given" => new Normalization(axis: [], mean: [2.5], variance: [4]),
        "rescaling" => new Rescaling(1 / 255.0, offset: -0.5),
        "center_crop" => new CenterCrop(4, 5, dataFormat: "channels_first"),
        "resizing" => new Resizing(8, 6, interpolation: "nearest", cropToAspectRatio: true),
        "dot" => new Dot([1, 2], normalize: true),
        "attention" => new Attention(useScale: true, scoreMode: "concat", dropout: 0.1),
        "additive_attention" => new AdditiveAttention(useScale: false),
        "einsum_dense" => new EinsumDense("abc,cd->abd", [null, 8], activation: "relu", biasAxes: "d"),
        "multi_head_attention" => new MultiHeadAttention(4, 8, valueDim: 6, dropout: 0.1, useBias: false, outputShape: [5], kernelInitializer: "he_uniform"),
        "conv3d" => new Conv3D(4, [3, 2, 1], strides: [2], padding: "same", dataFormat: "channels_first", groups: 2, inputShape: [2, 8, 8, 8]),
        "conv1d_transpose" => new Conv1DTranspose(3, [3], strides: [2], padding: "same", outputPadding: [1], activation: "relu"),
        "conv2d_transpose" => new Conv2DTranspose(8, [3, 2], strides: [2, 1], dilationRate: [1], useBias: false, inputShape: [5, 5, 2]),
        "conv3d_transpose" => new Conv3DTranspose(2, [2], dataFormat: "channels_first", kernelInitializer: "he_normal"),
        "depthwise_conv1d" => new DepthwiseConv1D([3], padding: "causal", depthMultiplier: 2),
        "depthwise_conv2d" => new DepthwiseConv2D([3, 3], strides: [2], padding: "same", depthwiseInitializer: "he_uniform", inputShape: [9, 9, 3]),
        "separable_conv1d" => new SeparableConv1D(4, [2], dilationRate: [2], pointwiseInitializer: "ones"),
        "separable_conv2d" => new SeparableConv2D(6, [3], depthMultiplier: 3, dataFormat: "channels_first", activation: "tanh", name: "sep"),
        "max_pooling3d" => new MaxPooling3D([2, 2, 1], strides: [1], padding: "same"),
        "average_pooling3d" => new AveragePooling3D(dataFormat: "channels_first", inputShape: [2, 4, 4, 4]),
        "global_average_pooling3d" => new GlobalAveragePooling3D(keepdims: true),
        "global_max_pooling3d" => new GlobalMaxPooling3D(dataFormat: "channels_first"),
        "up_sampling1d" => new UpSampling1D(3),
        "up_sampling2d" => new UpSampling2D([2, 3], interpolation: "bilinear"),
        "up_sampling3d" => new UpSampling3D([2], dataFormat: "channels_first"),
        "zero_padding1d" => new ZeroPadding1D([2, 0]),
        "zero_padding2d" => new ZeroPadding2D([[1], [0, 2]], dataFormat: "channels_first"),
        "zero_padding3d" => new ZeroPadding3D(),
        "cropping1d" => new Cropping1D([0, 3], inputShape: [8, 2]),
        "cropping2d" => new Cropping2D([[1, 2], [3, 4]]),
        "cropping3d" => new Cropping3D([[1]], dataFormat: "channels_first"),
        "locally_connected1d" => new LocallyConnected1D(3, [2], strides: [2], activation: "relu", inputShape: [6, 2]),
        "locally_connected2d" => new LocallyConnected2D(2, [3, 2], useBias: false),
        "functional" => FunctionalCase(),
        "functional_shared" => SharedFunctionalCase(),
        "bidirectional" => new Bidirectional(new LSTM(3)),
        "bidirectional_full" => new Bidirectional(new GRU(2, returnSequences: true, name: "g"), mergeMode: "ave",
                                                  backwardLayer: new GRU(2, returnSequences: true, goBackwards: true, resetAfter: false),
                                                  inputShape: [5, 3], name: "bi", trainable: false),
        "time_distributed" => new TimeDistributed(new Dense(4, activation: "relu"), inputShape: [6, 2]),
        "repeat_vector" => new RepeatVector(4, name: "repeat"),
        "masking" => new Masking(maskValue: -1.5, inputShape: [7, 3]),
        "embedding_mask_zero" => new Embedding(20, 3, maskZero: true),
        "conv_lstm1d" => new ConvLSTM1D(4, [3]),
        "conv_lstm2d_full" => new ConvLSTM2D(2, [3, 2], strides: [2, 1], padding: "same", recurrentActivation: "hard_sigmoid", unitForgetBias: false,
                                             dropout: 0.1, recurrentDropout: 0.2, returnSequences: true, goBackwards: true, inputShape: [4, 8, 8, 1]),
        "conv_lstm_cell" => new ConvLSTMCell(2, 3, [2, 2], padding: "same"),
        "random_flip" => new RandomFlip("vertical", seed: 3, dataFormat: "channels_first"),
        "random_rotation" => new RandomRotation((-0.2, 0.1), fillMode: "constant", interpolation: "nearest", seed: 1, fillValue: 0.5),
        "random_zoom" => new RandomZoom(0.2, (-0.1, 0.3), fillMode: "wrap"),
        "random_translation" => new RandomTranslation((-0.1, 0.2), 0.3, fillMode: "nearest", inputShape: [8, 8, 3]),
        "random_contrast" => new RandomContrast((0.1, 0.4), valueRange: [0, 1], seed: 2),
        "random_brightness" => new RandomBrightness(0.25, valueRange: [-1, 1]),
        "random_crop" => new RandomCrop(5, 7, seed: 4),
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };

    static Functional FunctionalCase()
    {
        var inputs = Keras.Input([6]);
        var hidden = new Dense(4, activation: "relu").Call(inputs);
        var joined = new Concatenate().Call(hidden, new Dropout(0.5).Call(inputs));
        return new Functional(inputs, new Dense(2).Call(joined));
    }

    /// <summary>Two inputs through one shared layer, two outputs: node indices 0 and 1 in the config.</summary>
    static Functional SharedFunctionalCase()
    {
        var a = Keras.Input([3]);
        var b = Keras.Input([3]);
        var shared = new Dense(3);
        var sa = shared.Call(a);
        var sb = shared.Call(b);
        return new Functional([a, b], [new Add().Call(sa, sb), sb], trainable: false);
    }

    [Theory]
    [MemberData(nameof(BuiltInCases))]
    public void Every_built_in_layer_config_round_trips_unchanged(string which) => RoundTrip(BuiltIn(which));

    [Fact]
    public void Every_registered_built_in_has_a_round_trip_case()
    {
        // A new [Layer] in the runtime fails here until it gets a case above.
        var builtIns = LayerRegistry.RegisteredNames.Where(n => n.StartsWith("Layerwise>", StringComparison.Ordinal)).ToList();
        var covered = BuiltInCaseNames.Select(c => BuiltIn(c).Registration!.RegisteredName).ToHashSet();
        Assert.NotEmpty(builtIns);
        var missing = builtIns.Where(n => !covered.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "no round-trip case for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Dense_config_has_Keras_keys_and_base_config_first()
    {
        var config = new Dense(7, activation: "relu", inputShape: [4], name: "d").GetConfig();
        Assert.Equal(["name", "trainable", "dtype", "units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "batch_input_shape"],
                     config.Select(p => p.Key));
        Assert.Equal("""{"module":"keras.initializers","class_name":"GlorotUniform","config":{"seed":null},"registered_name":null}""",
                     config["kernel_initializer"]!.ToJsonString());
        Assert.Equal("[null,4]", config["batch_input_shape"]!.ToJsonString());
    }

    [Fact]
    public void Built_in_layers_serialize_as_Keras_writes_them()
    {
        var node = LayerRegistry.Serialize(new Dropout(0.25, name: "drop"));
        Assert.Equal("""{"module":"keras.layers","class_name":"Dropout","config":{"name":"drop","trainable":true,"dtype":"float32","rate":0.25},"registered_name":null}""",
                     node.ToJsonString());
    }

    [Fact]
    public void Sequential_config_keeps_its_input_layer_and_restores_the_input_shape()
    {
        var (json, restored) = RoundTrip(BuiltIn("sequential_input"));
        Assert.Contains("\"class_name\":\"InputLayer\"", json);
        Assert.Contains("\"batch_shape\":[null,5]", json);
        var model = (Sequential)restored;
        Assert.Equal([5L], model.InputShape!);
        Assert.Equal(["Flatten", "Dense"], model.Layers.Select(l => l.ClassName));
    }

    [Fact]
    public void Custom_layer_with_every_kind_of_value_round_trips()
    {
        var layer = new EveryKindLayer(true, 3, 1L << 40, 0.1f, 0.3, "fast", Padding.ChannelsLast, [1, 2], ["a", "b"], [0.5, 1.5], (3, 5),
                                       maybe: 9, maybePadding: Padding.Same, note: null, shape: [2, 3], inner: new Dense(2),
                                       children: [new Dropout(0.1), new Flatten()], init: new RandomUniform(-1, 1), renamed: 11, ignored: 99,
                                       inputShape: [6]);
        var (json, restored) = RoundTrip(layer);
        var config = layer.GetConfig();
        Assert.Equal("channels_last", config["padding"]!.GetValue<string>());
        Assert.Equal("[3,5]", config["kernel_size"]!.ToJsonString());
        Assert.Equal(11, config["alias_key"]!.GetValue<int>());
        Assert.False(config.ContainsKey("ignored"));
        Assert.Equal("\"Tests>EveryKind\"", ConfigJson.ToText(LayerRegistry.Serialize(layer)["registered_name"]!));
        var copy = (EveryKindLayer)restored;
        Assert.Equal(7, copy.Ignored); // [ConfigIgnore]: the constructor's default
        Assert.Equal(0.1f, copy.Scale);
        Assert.Equal((3, 5), copy.KernelSize);
        Assert.Equal(Padding.Same, copy.MaybePadding);
        Assert.IsType<Dense>(copy.Inner);
        Assert.Equal(["Dropout", "Flatten"], copy.Children!.Select(c => c.ClassName));
        Assert.DoesNotContain("\"note\":\"", json);
    }

    [Fact]
    public void Custom_layer_and_subclassed_model_round_trip()
    {
        RoundTrip(new Antirectifier(4, activation: "tanh", initializer: "glorot_normal"));
        var (json, restored) = RoundTrip(new TwoTower(8, 3, dropoutRate: 0.25));
        Assert.Contains("\"registered_name\":\"Layerwise.Tests>TwoTower\"", json);
        Assert.Equal(8, ((TwoTower)restored).HiddenUnits);
    }

    [Fact]
    public void Absent_optional_keys_take_the_constructor_defaults()
    {
        var dense = (Dense)LayerRegistry.Deserialize(JsonNode.Parse("""{"class_name": "Dense", "config": {"units": 5}}"""));
        Assert.Equal(5, dense.Units);
        Assert.Equal("linear", dense.Activation);
        Assert.True(dense.UseBias);
        Assert.IsType<GlorotUniform>(dense.KernelInitializer);
    }

    [Fact]
    public void A_Keras_3_Dense_config_loads()
    {
        const string keras = """
            {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_7", "trainable": true,
             "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
             "units": 10, "activation": "relu", "use_bias": true,
             "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
             "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
             "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
             "registered_name": null, "build_config": {"input_shape": [null, 784]}}
            """;
        var dense = LayerRegistry.Deserialize<Dense>(JsonNode.Parse(keras));
        Assert.Equal(("dense_7", 10, "relu"), (dense.Name, dense.Units, dense.Activation));
        Assert.IsType<Zeros>(dense.BiasInitializer);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_and_the_expected_type()
    {
        var e = Assert.Throws<ConfigException>(() =>
            LayerRegistry.Deserialize(JsonNode.Parse("""{"class_name": "Dense", "config": {"units": "ten"}}""")));
        Assert.Equal("Dense.config.units", e.Path);
        Assert.Contains("expected an integer", e.Message);
        Assert.Contains("\"ten\"", e.Message);
    }

    [Fact]
    public void A_missing_required_key_is_reported_with_its_type()
    {
        var e = Assert.Throws<ConfigException>(() =>
            LayerRegistry.Deserialize(JsonNode.Parse("""{"class_name": "Dense", "config": {"activation": "relu"}}""")));
        Assert.Contains("\"units\" is required (int)", e.Message);
    }

    [Fact]
    public void Lambda_layers_are_refused_with_an_explanation()
    {
        var e = Assert.Throws<ConfigException>(() =>
            LayerRegistry.Deserialize(JsonNode.Parse("""{"class_name": "Lambda", "config": {"function": "..."}}""")));
        Assert.Contains("Python code", e.Message);
    }
}
