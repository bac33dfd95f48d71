using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Normalization (Adapt, Keras' weights mean/variance/count, statistics given in the config, invert,
/// axis None), Rescaling, CenterCrop and Resizing (TensorFlow's half-pixel bilinear and nearest, crop to
/// aspect ratio): values from Keras' documented examples or computed by hand; every file format.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class PreprocessingLayerTests
{
    public PreprocessingLayerTests() => torch.set_num_threads(1);

    static readonly float[] KerasDocData = [0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6];

    [Fact]
    public void Adapt_gives_keras_documented_outputs_and_weights()
    {
        // keras.layers.Normalization docs: adapt on this data, then [[0, 7, 4]] -> [[-1, -1, -1]].
        var layer = new Normalization();
        layer.Adapt(tensor(KerasDocData, [4, 3]));
        using var y = layer.Invoke(tensor(new float[] { 0, 7, 4 }, [1, 3]));
        WeightAssert.Close([-1, -1, -1], y.data<float>().ToArray());
        Assert.Equal([("mean", new long[] { 3 }, false), ("variance", [3], false), ("count", [], false)],
                     layer.Weights.Select(w => (w.Name, w.Shape, w.Trainable)));
        WeightAssert.Close([1, 8, 5], layer.AdaptedMean!.ToCpu().data<float>().ToArray());
        WeightAssert.Close([1, 1, 1], layer.AdaptedVariance!.ToCpu().data<float>().ToArray());
        Assert.Equal(4f, layer.Count!.ToCpu().item<float>());
    }

    [Fact]
    public void Inverted_normalization_gives_keras_documented_output()
    {
        // Keras docs: the same adapt data, invert=True, [[1, 2, 3]] -> [[2, 10, 8]].
        var layer = new Normalization(invert: true);
        layer.Adapt(tensor(KerasDocData, [4, 3]));
        using var y = layer.Invoke(tensor(new float[] { 1, 2, 3 }, [1, 3]));
        WeightAssert.Close([2, 10, 8], y.data<float>().ToArray());
    }

    [Fact]
    public void Axis_none_keeps_one_scalar_mean_and_variance()
    {
        // Keras docs: axis=None, adapt [1, 2, 3, 4, 5], then [1, 2, 3] -> [-1.4142135, -0.70710677, 0].
        var layer = new Normalization(axis: []);
        layer.Adapt(tensor(new float[] { 1, 2, 3, 4, 5 }, [5, 1]));
        Assert.Equal([], layer.AdaptedMean!.Shape);
        using var y = layer.Invoke(tensor(new float[] { 1, 2, 3 }, [3, 1]));
        WeightAssert.Close([-1.4142135f, -0.70710677f, 0], y.data<float>().ToArray());
        // Keras' config form of axis=None is an empty list (a null from other writers means the same).
        var fromNull = (Normalization)Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Normalization", "config": {"name": "n", "axis": null, "batch_input_shape": [null, 1]}}]}}""").Layers[0];
        Assert.Empty(fromNull.Axis);
    }

    [Fact]
    public void Mean_and_variance_from_a_keras_config_need_no_weights()
    {
        // Keras docs: Normalization(mean=3., variance=2.) on [[1], [2], [3]] -> [[-1.4142135], [-0.70710677], [0]].
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Normalization", "config": {"name": "n", "axis": -1, "mean": 3.0, "variance": 2.0, "invert": false, "batch_input_shape": [null, 1]}}]}}""");
        var layer = (Normalization)model.Layers[0];
        Assert.Empty(layer.Weights);
        using var y = model.Predict(tensor(new float[] { 1, 2, 3 }, [3, 1]));
        WeightAssert.Close([-1.4142135f, -0.70710677f, 0], y.data<float>().ToArray());
        Assert.Equal("[3]", layer.GetConfig()["mean"]!.ToJsonString());
        Assert.Throws<InvalidOperationException>(() => layer.Adapt(ones(2, 1)));
    }

    [Fact]
    public void Per_feature_config_statistics_and_several_kept_axes_match_hand_computation()
    {
        Backend.SetRandomSeed(1);
        using var x = randn(5, 2, 3);
        var given = new Normalization(mean: [1, 2, 3], variance: [4, 0, 0.25]);
        using var y = given.Invoke(x);
        // A zero variance divides by Keras' epsilon 1e-7 instead.
        using var expected = x.sub(tensor(new float[] { 1, 2, 3 })).div(tensor(new float[] { 2, 1e-7f, 0.5f }));
        Assert.True(expected.allclose(y, rtol: 1e-5, atol: 1e-3));
        var adapted = new Normalization(axis: [1, 2]);
        adapted.Adapt(x);
        using var byHand = x.sub(x.mean([0L])).div(x.var([0L], unbiased: false).sqrt());
        using var output = adapted.Invoke(x);
        Assert.True(byHand.allclose(output, atol: 1e-4));
        Assert.Equal(5f, adapted.Count!.ToCpu().item<float>());
    }

    [Fact]
    public void Normalization_needs_known_kept_axes_and_the_same_shape_to_adapt_again()
    {
        var e = Assert.Throws<IncompatibleShapeException>(() => new Normalization().EnsureBuilt([-1]));
        Assert.Contains("known sizes", e.Message);
        var layer = new Normalization();
        layer.Adapt(ones(2, 3));
        Assert.Throws<IncompatibleShapeException>(() => layer.Adapt(ones(2, 4)));
        Assert.Throws<ArgumentException>(() => new Normalization(mean: [1.0]));
    }

    static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>
    /// Real tf.keras 2.10 bundles (SavedModel variables of shared/fixtures/savedmodel, written by model.save):
    /// an adapted Normalization (mean, variance, count as int64) before Dense layers. The model is written
    /// here as the fixture's keras_metadata describes it; its outputs must match expected.f32 (TF.js and numpy).
    /// </summary>
    [FixtureTheory("savedmodel")]
    [InlineData("coffee", 2)]
    [InlineData("stock_a", 4)]
    public void Adapted_statistics_from_real_tf_keras_bundles_give_their_outputs(string name, int features)
    {
        Backend.SetRandomSeed(1);
        var normalization = new Normalization(inputShape: [features]);
        var model = name == "coffee"
            ? new Sequential(normalization, new Dense(3, activation: "sigmoid"), new Dense(1, activation: "sigmoid"))
            : new Sequential(normalization, new Dense(10, activation: "relu"), new Dense(10, activation: "relu"), new Dense(1));
        model.LoadWeights(Path.Combine(Fixtures.Get($"savedmodel/{name}/variables"), "variables"));
        Assert.True(normalization.Count!.ToCpu().item<float>() > 0, "count (int64 in the bundle) must be read");
        using var x = tensor(ReadFloats(Fixtures.Get($"savedmodel/{name}/inputs.f32")), [8, features]);
        using var y = model.Predict(x);
        WeightAssert.Close(ReadFloats(Fixtures.Get($"savedmodel/{name}/expected.f32")), y.data<float>().ToArray(), 1e-4);
    }

    [H5PyFact]
    public void Keras_2_h5_with_an_int64_count_loads()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("n.h5");
        var layer = new Normalization(inputShape: [3]);
        var model = new Sequential(layer);
        layer.Adapt(tensor(KerasDocData, [4, 3]));
        model.Save(path);
        // tf.keras writes count as an int64 scalar; rewrite ours (float32) that way.
        H5Py.Run("import h5py,sys,numpy as np\nf=h5py.File(sys.argv[1],'r+')\ng=f['model_weights'][sys.argv[2]][sys.argv[2]]\ndel g['count:0']\ng.create_dataset('count:0', data=np.int64(4))", [path, layer.Name]);
        var loaded = (Normalization)Model.Load(path).Layers[0];
        Assert.Equal(4f, loaded.Count!.ToCpu().item<float>());
        WeightAssert.Close([1, 8, 5], loaded.AdaptedMean!.ToCpu().data<float>().ToArray());
    }

    [Fact]
    public void Rescaling_multiplies_then_adds()
    {
        using var y = new Rescaling(1 / 127.5, offset: -1).Invoke(tensor(new float[] { 0, 127.5f, 255 }, [1, 3]));
        WeightAssert.Close([-1, 0, 1], y.data<float>().ToArray());
    }

    [Theory]
    [InlineData("channels_last")]
    [InlineData("channels_first")]
    public void Center_crop_takes_the_centred_window(string dataFormat)
    {
        using var image = arange(5 * 6, dtype: ScalarType.Float32).reshape(1, 5, 6, 1);
        var input = dataFormat == "channels_last" ? image : image.permute(0, 3, 1, 2);
        using var y = new CenterCrop(2, 3, dataFormat: dataFormat).Invoke(input);
        // Start rows (5 - 2) / 2 = 1, columns (6 - 3) / 2 = 1: rows 1-2, columns 1-3.
        Assert.Equal([7f, 8, 9, 13, 14, 15], y.data<float>().ToArray());
        Assert.Equal(dataFormat == "channels_last" ? new long[] { 1, 2, 3, 1 } : [1, 1, 2, 3], y.shape);
    }

    [Fact]
    public void Center_crop_resizes_an_image_smaller_than_the_target()
    {
        using var image = full(1, 2, 3, 2, 4f);
        using var y = new CenterCrop(4, 4).Invoke(image);
        Assert.Equal([1L, 4, 4, 2], y.shape);
        Assert.True(y.eq(4f).all().item<bool>());
    }

    /// <summary>tf.image.resize (v2) bilinear with half-pixel centres, written out: channels_last [h, w, c] -> [outH, outW, c].</summary>
    static float[,,] TfBilinear(float[,,] image, int outH, int outW)
    {
        int h = image.GetLength(0), w = image.GetLength(1), c = image.GetLength(2);
        var result = new float[outH, outW, c];
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        {
            double iy = (oy + 0.5) * h / outH - 0.5, ix = (ox + 0.5) * w / outW - 0.5;
            int y0 = Math.Max((int)Math.Floor(iy), 0), y1 = Math.Min((int)Math.Ceiling(iy), h - 1);
            int x0 = Math.Max((int)Math.Floor(ix), 0), x1 = Math.Min((int)Math.Ceiling(ix), w - 1);
            double ly = iy - Math.Floor(iy), lx = ix - Math.Floor(ix);
            for (int k = 0; k < c; k++)
            {
                double top = image[y0, x0, k] + (image[y0, x1, k] - image[y0, x0, k]) * lx;
                double bottom = image[y1, x0, k] + (image[y1, x1, k] - image[y1, x0, k]) * lx;
                result[oy, ox, k] = (float)(top + (bottom - top) * ly);
            }
        }
        return result;
    }

    static float[,,] RandomImage(int h, int w, int c, int seed)
    {
        var random = new Random(seed);
        var image = new float[h, w, c];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++) image[i, j, k] = (float)random.NextDouble();
        return image;
    }

    static Tensor Batch(float[,,] image) => tensor(image.Cast<float>().ToArray(), [1, image.GetLength(0), image.GetLength(1), image.GetLength(2)]);

    [Fact]
    public void Bilinear_resizing_matches_tensorflow_half_pixel_interpolation()
    {
        var image = RandomImage(3, 7, 2, 1);
        using var y = new Resizing(5, 4).Invoke(Batch(image));    // up on rows, down on columns
        WeightAssert.Close(TfBilinear(image, 5, 4).Cast<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void Nearest_resizing_matches_tensorflow_half_pixel_rounding()
    {
        var image = RandomImage(3, 7, 1, 2);
        using var y = new Resizing(5, 4, interpolation: "nearest").Invoke(Batch(image));
        var expected = new float[5 * 4];
        for (int oy = 0; oy < 5; oy++)
        for (int ox = 0; ox < 4; ox++)
            expected[oy * 4 + ox] = image[Math.Min((int)Math.Floor((oy + 0.5) * 3 / 5), 2), Math.Min((int)Math.Floor((ox + 0.5) * 7 / 4), 6), 0];
        Assert.Equal(expected, y.data<float>().ToArray());
    }

    [Fact]
    public void Crop_to_aspect_ratio_takes_the_centred_window_first()
    {
        // 4 x 8 to 2 x 2: the centred 4 x 4 window (columns 2-5), then bilinear to 2 x 2.
        var image = RandomImage(4, 8, 1, 3);
        var window = new float[4, 4, 1];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) window[i, j, 0] = image[i, j + 2, 0];
        using var y = new Resizing(2, 2, cropToAspectRatio: true).Invoke(Batch(image));
        WeightAssert.Close(TfBilinear(window, 2, 2).Cast<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void Resizing_refuses_interpolations_torch_computes_differently()
    {
        var e = Assert.Throws<ArgumentException>(() => new Resizing(2, 2, interpolation: "bicubic"));
        Assert.Contains("bilinear, nearest", e.Message);
        // Unknown image sizes (Keras' None) are fine: the output size is the target.
        Assert.Equal([5L, 4, 3], new Resizing(5, 4).ComputeOutputShape([-1, -1, 3]));
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var normalization = new Normalization();
        var model = new Sequential(
            new Rescaling(0.5, offset: 0.1, inputShape: [6, 8, 2]), new Resizing(4, 6), new CenterCrop(3, 3),
            new Resizing(4, 4, interpolation: "nearest", cropToAspectRatio: true), normalization, new Flatten(), new Dense(1));
        normalization.Adapt(rand(10, 4, 4, 2, generator: new Generator((ulong)seed)));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    [Theory]
    [MemberData(nameof(FormatRoundTrip.Paths), MemberType = typeof(FormatRoundTrip))]
    public void Model_with_every_preprocessing_layer_round_trips(string fileName)
    {
        var model = NewModel(7);
        using var x = rand(5, 6, 8, 2, generator: new Generator(2));
        model.Fit(x, randn(5, 1, generator: new Generator(3)), batchSize: 5, epochs: 1, verbose: 0);
        var loaded = FormatRoundTrip.SaveAndLoad(model, fileName, () => NewModel(8));
        PredictionAssert.Same(model, loaded, x);
    }
}
