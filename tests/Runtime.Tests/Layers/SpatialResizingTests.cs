using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// UpSampling1D/2D/3D (nearest; 2-D bilinear as TensorFlow's resize with half-pixel centres),
/// ZeroPadding1D/2D/3D and Cropping1D/2D/3D in Keras' int / per-axis / pair-per-axis forms:
/// values by hand, shapes with unknown dims, Keras 1 config forms, every file format, gradients
/// through them, and a real tf.keras 2.15 model with UpSampling2D (fixtures/savedmodel/kroax_decoder).
/// </summary>
[Collection(GlobalRandomState.Name)]
public class SpatialResizingTests
{
    public SpatialResizingTests() => torch.set_num_threads(1);

    static float[] Run(Layer layer, Tensor x)
    {
        using var y = layer.Invoke(x);
        Assert.Equal([x.shape[0], .. layer.ComputeOutputShape([.. x.shape.Skip(1)])], y.shape);
        return y.data<float>().ToArray();
    }

    [Fact]
    public void UpSampling_repeats_each_cell()
    {
        using var steps = tensor(new[] { 1f, 2f, 3f, 4f }, [1, 2, 2]);   // 2 steps of 2 features
        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f], Run(new UpSampling1D(3), steps));
        using var image = tensor(new[] { 1f, 2f, 3f, 4f }, [1, 2, 2, 1]);
        Assert.Equal([1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f], Run(new UpSampling2D([1, 3]), image));
        Assert.Equal([1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f], Run(new UpSampling2D([2, 1], dataFormat: "channels_first"), image.reshape(1, 1, 2, 2)));
        using var volume = arange(1, 3, dtype: ScalarType.Float32).reshape(1, 2, 1, 1, 1);
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 2f, 2f, 2f, 2f], Run(new UpSampling3D(), volume));
        Assert.Equal([-1L, 6, 3], new UpSampling2D([3, 2]).ComputeOutputShape([-1, 3, 3]));
    }

    [Fact]
    public void Bilinear_UpSampling2D_samples_at_half_pixel_centres_as_TensorFlow()
    {
        // TensorFlow's resize (half_pixel_centers): output cell o reads input position (o + 0.5) / s − 0.5,
        // clamped to the first cell, interpolated linearly between its two neighbours.
        using var x = randn(1, 3, 2, 2);
        var layer = new UpSampling2D([2, 3], interpolation: "bilinear");
        using var y = layer.Invoke(x);
        Assert.Equal([1L, 6, 6, 2], y.shape);
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int oh = 0; oh < 6; oh++)
            for (int ow = 0; ow < 6; ow++)
                for (int c = 0; c < 2; c++)
                {
                    var (h0, h1, fh) = Neighbours(oh, 2, 3);
                    var (w0, w1, fw) = Neighbours(ow, 3, 2);
                    float At(int h, int w) => input[(h * 2 + w) * 2 + c];
                    double top = At(h0, w0) * (1 - fw) + At(h0, w1) * fw, bottom = At(h1, w0) * (1 - fw) + At(h1, w1) * fw;
                    double expected = top * (1 - fh) + bottom * fh;
                    Assert.True(Math.Abs(expected - actual[n++]) < 1e-5, $"({oh},{ow},{c}): expected {expected}, got {actual[n - 1]}");
                }
    }

    static (int Low, int High, double Fraction) Neighbours(int output, int scale, int inputLength)
    {
        double position = Math.Max((output + 0.5) / scale - 0.5, 0);
        int low = (int)Math.Floor(position);
        return (low, Math.Min(low + 1, inputLength - 1), position - low);
    }

    [Fact]
    public void ZeroPadding_adds_zeros_in_each_Keras_form()
    {
        using var steps = tensor(new[] { 1f, 2f }, [1, 2, 1]);
        Assert.Equal([0f, 1f, 2f, 0f], Run(new ZeroPadding1D(), steps));
        Assert.Equal([0f, 0f, 1f, 2f, 0f], Run(new ZeroPadding1D([2, 1]), steps));
        using var image = tensor(new[] { 5f }, [1, 1, 1, 1]);
        Assert.Equal([0f, 0f, 0f, 0f, 5f, 0f, 0f, 0f, 0f], Run(new ZeroPadding2D(), image));
        // Per axis: 1 row above and below, none left or right.
        Assert.Equal([0f, 5f, 0f], Run(new ZeroPadding2D([[1], [0]]), image));
        // Pairs: (0 top, 1 bottom), (2 left, 0 right).
        Assert.Equal([0f, 0f, 5f, 0f, 0f, 0f], Run(new ZeroPadding2D([[0, 1], [2, 0]]), image));
        using var twoChannels = tensor(new[] { 1f, 2f }, [1, 2, 1, 1]);   // channels_first: 2 channels of 1x1
        Assert.Equal([0f, 1f, 0f, 2f], Run(new ZeroPadding2D([[0], [1, 0]], dataFormat: "channels_first"), twoChannels));
        var padding3 = new ZeroPadding3D([[1], [2], [0, 3]]);
        Assert.Equal([[1, 1], [2, 2], [0, 3]], padding3.Padding);
        Assert.Equal([4L, -1, 5, 7], padding3.ComputeOutputShape([2, -1, 2, 7]));
        using var volume = ones([1, 1, 1, 1, 1]);
        Assert.Equal(1f, Run(padding3, volume).Sum());
    }

    [Fact]
    public void Cropping_removes_cells_in_each_Keras_form()
    {
        using var steps = arange(1, 6, dtype: ScalarType.Float32).reshape(1, 5, 1);
        Assert.Equal([2f, 3f, 4f], Run(new Cropping1D(), steps));
        Assert.Equal([3f, 4f], Run(new Cropping1D([2, 1]), steps));
        using var image = arange(1, 13, dtype: ScalarType.Float32).reshape(1, 3, 4, 1);   // rows 1-4, 5-8, 9-12
        Assert.Equal(Enumerable.Range(1, 12).Select(v => (float)v), Run(new Cropping2D(), image));
        Assert.Equal([6f, 7f], Run(new Cropping2D([[1]]), image));
        Assert.Equal([2f, 3f, 6f, 7f], Run(new Cropping2D([[0, 1], [1, 1]]), image));
        Assert.Equal([5f, 6f], Run(new Cropping2D([[1, 1], [0, 2]], dataFormat: "channels_first"), image.reshape(1, 1, 3, 4)));
        using var volume = arange(0, 27, dtype: ScalarType.Float32).reshape(1, 3, 3, 3, 1);
        Assert.Equal([13f], Run(new Cropping3D(), volume));   // the centre of 3x3x3
        Assert.Equal([-1L, 1, 1, 4], new Cropping3D().ComputeOutputShape([-1, 3, 3, 4]));
        var e = Assert.Throws<IncompatibleShapeException>(() => new Cropping2D([[2]]).Invoke(image));
        Assert.Contains("longer than its cropping", e.Message);
        Assert.Throws<ArgumentException>(() => new Cropping2D([[1], [1], [1]]));
        Assert.Throws<ArgumentException>(() => new ZeroPadding1D([-1]));
    }

    [Fact]
    public void Configs_have_Keras_keys_and_forms()
    {
        Assert.Equal("2", new UpSampling1D().GetConfig()["size"]!.ToJsonString());
        var up = new UpSampling2D(interpolation: "bilinear").GetConfig();
        Assert.Equal(("[2,2]", "bilinear", "channels_last"), (up["size"]!.ToJsonString(), up["interpolation"]!.GetValue<string>(), up["data_format"]!.GetValue<string>()));
        Assert.Equal("[[1,1],[1,1]]", new ZeroPadding2D().GetConfig()["padding"]!.ToJsonString());
        Assert.Equal("[1,1]", new ZeroPadding1D().GetConfig()["padding"]!.ToJsonString());
        Assert.Equal("[[1,1],[1,1],[1,1]]", new Cropping3D().GetConfig()["cropping"]!.ToJsonString());
        Assert.False(new Cropping1D().GetConfig().ContainsKey("data_format"));
        var e = Assert.Throws<ArgumentException>(() => new UpSampling2D(interpolation: "bicubic"));
        Assert.Contains("not implemented", e.Message);
    }

    [Fact]
    public void Keras1_config_forms_are_read()
    {
        const string json = """
            {"class_name": "Sequential", "config": [
              {"class_name": "ZeroPadding2D", "config": {"name": "zp", "padding": [1, 2], "dim_ordering": "tf", "batch_input_shape": [null, 3, 3, 1], "trainable": true}},
              {"class_name": "Cropping2D", "config": {"name": "crop", "cropping": [[1, 0], [0, 2]], "dim_ordering": "tf", "trainable": true}}]}
            """;
        var model = (Sequential)Model.FromJson(json);
        Assert.Equal([[1, 1], [2, 2]], Assert.IsType<ZeroPadding2D>(model.Layers[0]).Padding);
        Assert.Equal([[1, 0], [0, 2]], Assert.IsType<Cropping2D>(model.Layers[1]).Cropping);
        var volumes = (Sequential)Model.FromJson("""
            {"class_name": "Sequential", "config": [
              {"class_name": "Convolution3D", "config": {"name": "c3", "nb_filter": 2, "kernel_dim1": 1, "kernel_dim2": 2, "kernel_dim3": 3,
                "border_mode": "same", "subsample": [1, 1, 1], "dim_ordering": "th", "batch_input_shape": [null, 1, 4, 4, 4], "trainable": true}}]}
            """);
        var conv = Assert.IsType<Conv3D>(volumes.Layers[0]);
        Assert.Equal([1, 2, 3], conv.KernelSize);
        Assert.Equal((2, "same", "channels_first"), (conv.Filters, conv.Padding, conv.DataFormat));
        var upsampling = (Sequential)Model.FromJson("""
            {"class_name": "Sequential", "config": [{"class_name": "UpSampling1D", "config": {"name": "up", "length": 3, "batch_input_shape": [null, 4, 2]}},
              {"class_name": "ZeroPadding1D", "config": {"name": "zp1", "padding": 2}}]}
            """);
        Assert.Equal(3, Assert.IsType<UpSampling1D>(upsampling.Layers[0]).Size);
        Assert.Equal([2, 2], Assert.IsType<ZeroPadding1D>(upsampling.Layers[1]).Padding);
    }

    [FixtureFact("savedmodel/kroax_decoder/variables/variables.index")]
    public void A_real_tf_keras_decoder_with_UpSampling2D_gives_its_recorded_outputs()
    {
        // tf.keras 2.15: Conv2D(16, 3, same, relu) on (4, 4, 16) -> UpSampling2D((7, 7)) -> Conv2D(32, same, relu)
        // -> Conv2D(1, same, sigmoid) (its keras_metadata.pb); expected.f32 computed by TF.js and numpy.
        var dir = Fixtures.Get("savedmodel/kroax_decoder");
        var model = new Sequential(
            new Conv2D(16, [3, 3], padding: "same", activation: "relu", inputShape: [4, 4, 16]),
            new UpSampling2D([7, 7]),
            new Conv2D(32, [3, 3], padding: "same", activation: "relu"),
            new Conv2D(1, [3, 3], padding: "same", activation: "sigmoid"));
        model.LoadWeights(Path.Combine(dir, "variables", "variables"));
        using var x = tensor(ReadFloats(Path.Combine(dir, "inputs.f32")), [8, 4, 4, 16]);
        using var y = model.Predict(x);
        Assert.Equal([8L, 28, 28, 1], y.shape);
        WeightAssert.Close(ReadFloats(Path.Combine(dir, "expected.f32")), y.data<float>().ToArray(), 1e-4);
    }

    static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Resizing_layers_round_trip_through_every_format(string fileName)
    {
        foreach (var create in Models) EveryFormat.RoundTrip(create, fileName);
    }

    [Fact]
    public void Gradients_flow_through_the_resizing_layers()
    {
        foreach (var create in Models) EveryFormat.GradientsReachEveryWeight(create(15));
    }

    static readonly Func<int, Sequential>[] Models =
    [
        seed => Compiled(seed, new Conv1D(2, [2], inputShape: [5, 1]), new UpSampling1D(2), new ZeroPadding1D([1, 2]), new Cropping1D([0, 1])),
        seed => Compiled(seed, new Conv2D(2, [2], inputShape: [4, 4, 1]), new UpSampling2D([2, 1], interpolation: "bilinear"),
                         new ZeroPadding2D([[1], [0, 2]]), new Cropping2D([[1, 0], [1, 1]]), new UpSampling2D()),
        seed => Compiled(seed, new Conv3D(2, [2], dataFormat: "channels_first", inputShape: [1, 3, 3, 3]), new UpSampling3D([1, 2, 1], dataFormat: "channels_first"),
                         new ZeroPadding3D([[1]], dataFormat: "channels_first"), new Cropping3D([[0], [1], [0, 1]], dataFormat: "channels_first")),
    ];

    static Sequential Compiled(int seed, params Layer[] layers)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(layers.Append(new Flatten()).Append(new Dense(1)).ToArray());
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
