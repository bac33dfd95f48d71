using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Keras' random image augmentation layers: identity at inference (Keras' behaviour), Keras' config
/// keys (read from configs as Keras 3 writes them), the training-time transformations of RandomFlip,
/// RandomBrightness, RandomContrast and RandomCrop checked against their definitions, RandomCrop's
/// inference resize against a hand computation, and models holding them in every file format.
/// </summary>
public class RandomAugmentationTests
{
    public RandomAugmentationTests() => torch.set_num_threads(1);

    public static TheoryData<string> LayerNames() =>
        ["RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness"];

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();

    static Layer Create(string className) => className switch
    {
        "RandomFlip" => new RandomFlip("horizontal"),
        "RandomRotation" => new RandomRotation(0.2),
        "RandomZoom" => new RandomZoom((-0.2, 0.3), 0.1),
        "RandomTranslation" => new RandomTranslation(0.1, (-0.2, 0.2), fillMode: "constant"),
        "RandomContrast" => new RandomContrast(0.3),
        "RandomBrightness" => new RandomBrightness((-0.2, 0.1), valueRange: [0, 1]),
        _ => throw new ArgumentException(className),
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Augmentation_is_identity_at_inference(string className)
    {
        var model = new Sequential(new InputLayer([8, 6, 3]), Create(className));
        using var x = rand(4, 8, 6, 3, generator: new Generator(1));
        using var y = model.Predict(x);
        Assert.True(Same(y, x));
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Config_round_trips_with_Keras_keys(string className)
    {
        var layer = Create(className);
        var config = LayerRegistry.Serialize(layer);
        Assert.Equal("keras.layers", config["module"]!.GetValue<string>());
        var restored = LayerRegistry.Deserialize(JsonNode.Parse(config.ToJsonString()));
        Assert.Equal(config.ToJsonString(), LayerRegistry.Serialize(restored).ToJsonString());
    }

    [Fact]
    public void Keras_3_configs_load_with_their_factors_as_written()
    {
        // As Keras 3.5 wrote them in shared/fixtures/keras3/mnist_aug_cnn (value_range is an older key Keras ignores too).
        var rotation = LayerRegistry.Deserialize<RandomRotation>(JsonNode.Parse("""
            {"module": "keras.layers", "class_name": "RandomRotation", "config": {"name": "random_rotation", "trainable": true, "dtype": "float32",
             "factor": [-0.1, 0.1], "value_range": [0, 255], "data_format": "channels_last", "fill_mode": "reflect", "fill_value": 0.0,
             "interpolation": "bilinear", "seed": null}, "registered_name": null}
            """));
        Assert.Equal((-0.1, 0.1, false), (rotation.Factor.Lower, rotation.Factor.Upper, rotation.Factor.IsSingle));
        var zoom = LayerRegistry.Deserialize<RandomZoom>(JsonNode.Parse("""
            {"class_name": "RandomZoom", "config": {"name": "random_zoom", "height_factor": 0.1, "width_factor": null, "fill_mode": "reflect",
             "interpolation": "bilinear", "seed": 7, "fill_value": 0.0, "data_format": "channels_last"}}
            """));
        Assert.Equal((0.1, true, 7), (zoom.HeightFactor.Lower, zoom.HeightFactor.IsSingle, zoom.Seed!.Value));
        Assert.Null(zoom.WidthFactor);
        var written = zoom.GetConfig();
        Assert.Equal("0.1", written["height_factor"]!.ToJsonString());
        Assert.Null(written["width_factor"]);
        Assert.Equal("[-0.1,0.1]", rotation.GetConfig()["factor"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"class_name": "RandomFlip", "config": {"name": "f", "mode": "diagonal"}}""", "horizontal, vertical or horizontal_and_vertical")]
    [InlineData("""{"class_name": "RandomRotation", "config": {"name": "r", "factor": "big"}}""", "RandomRotation.config.factor")]
    [InlineData("""{"class_name": "RandomTranslation", "config": {"name": "t", "height_factor": 0.1, "width_factor": 0.1, "fill_mode": "mirror"}}""", "fill_mode")]
    [InlineData("""{"class_name": "RandomContrast", "config": {"name": "c", "factor": 1.5}}""", "[0, 1]")]
    public void Bad_config_values_are_config_errors(string json, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(json)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Random_flip_in_training_flips_whole_images_left_right_about_half_of_them()
    {
        var flip = new RandomFlip("horizontal");
        using var x = rand(64, 5, 4, 2, generator: new Generator(2));
        torch.manual_seed(3);
        using var y = flip.Call(x, training: true);
        using var mirrored = x.flip(2);
        int flipped = 0;
        for (int i = 0; i < 64; i++)
        {
            bool same = Same(y[i], x[i]), isMirror = Same(y[i], mirrored[i]);
            Assert.True(same || isMirror, $"image {i} is neither the input nor its mirror image");
            if (isMirror) flipped++;
        }
        Assert.InRange(flipped, 16, 48);
    }

    [Fact]
    public void Random_flip_both_ways_can_turn_an_image_upside_down()
    {
        using var x = rand(64, 5, 4, 1, generator: new Generator(4));
        torch.manual_seed(5);
        using var y = new RandomFlip().Call(x, training: true);
        using var both = x.flip(1, 2);
        using var upsideDown = x.flip(1);
        Assert.Contains(Enumerable.Range(0, 64), i => Same(y[i], both[i]));
        Assert.Contains(Enumerable.Range(0, 64), i => Same(y[i], upsideDown[i]));
    }

    [Fact]
    public void Random_brightness_in_training_adds_one_delta_per_image_within_the_range()
    {
        // Values in [0.3, 0.7] and deltas in [-0.2, 0.1] (value range [0, 1]): no clipping happens.
        using var x = rand(16, 4, 4, 3, generator: new Generator(6)).mul(0.4).add(0.3);
        torch.manual_seed(7);
        using var y = ((Layer)new RandomBrightness((-0.2, 0.1), valueRange: [0, 1])).Call(x, training: true);
        using var delta = y - x;
        for (int i = 0; i < 16; i++)
        {
            double first = delta[i].flatten()[0].item<float>();
            Assert.InRange(first, -0.2 - 1e-6, 0.1 + 1e-6);
            Assert.True(delta[i].sub(first).abs().max().item<float>() < 1e-6, $"image {i} got different deltas");
        }
    }

    [Fact]
    public void Random_contrast_in_training_scales_distances_from_the_channel_mean()
    {
        using var x = rand(8, 4, 4, 2, generator: new Generator(8)).mul(50).add(100);
        torch.manual_seed(9);
        using var y = ((Layer)new RandomContrast(0.3)).Call(x, training: true);
        using var mean = x.mean([1L, 2L], keepdim: true);
        using var ratio = (y - mean) / (x - mean);
        for (int i = 0; i < 8; i++)
        {
            double first = ratio[i].flatten()[0].item<float>();
            Assert.InRange(first, 0.7 - 1e-4, 1.3 + 1e-4);
            Assert.True(ratio[i].sub(first).abs().max().item<float>() < 1e-3, $"image {i} got different factors");
        }
    }

    [Fact]
    public void Random_crop_at_inference_centre_crops_to_the_aspect_ratio_and_resizes()
    {
        // 4 x 6 image to 2 x 2: the centred 4 x 4 square (columns 1..4), halved: each output pixel is
        // the mean of a 2 x 2 block (a bilinear resize by 1/2 with half-pixel centres samples between them).
        using var x = arange(24, ScalarType.Float32).reshape(1, 4, 6, 1);
        var model = new Sequential(new InputLayer([4, 6, 1]), new RandomCrop(2, 2));
        using var y = model.Predict(x);
        float Block(int r, int c) => (x[0, r, c, 0].item<float>() + x[0, r, c + 1, 0].item<float>() +
                                      x[0, r + 1, c, 0].item<float>() + x[0, r + 1, c + 1, 0].item<float>()) / 4;
        Assert.Equal([1L, 2, 2, 1], y.shape);
        Assert.Equal([Block(0, 1), Block(0, 3), Block(2, 1), Block(2, 3)], y.data<float>().ToArray());
    }

    [Fact]
    public void Random_crop_in_training_takes_a_window_of_the_image()
    {
        using var x = arange(2 * 6 * 7, ScalarType.Float32).reshape(2, 6, 7, 1);
        torch.manual_seed(10);
        using var y = new RandomCrop(3, 4).Call(x, training: true);
        Assert.Equal([2L, 3, 4, 1], y.shape);
        long top = (long)(y[0, 0, 0, 0].item<float>() / 7), left = (long)(y[0, 0, 0, 0].item<float>() % 7);
        using var window = x.narrow(1, top, 3).narrow(2, left, 4);
        Assert.True(Same(y, window));
    }

    // A factor pair [f, f] makes the draw deterministic, so the warps can be checked against hand computations.

    [Fact]
    public void Random_translation_in_training_shifts_and_fills_as_Keras_fill_modes_say()
    {
        // 1 x 4 x 4 x 1, values 0..15; dx = 0.25 * 4 = 1 column right, dy = 0: output (x, y) reads input (x - 1, y).
        using var x = arange(16, ScalarType.Float32).reshape(1, 4, 4, 1);
        using var shifted = x.narrow(2, 0, 3);
        foreach (var (fillMode, firstColumn) in new[] { ("constant", full(new long[] { 1, 4, 1, 1 }, 7f)), ("nearest", x.narrow(2, 0, 1)),
                                                         ("reflect", x.narrow(2, 0, 1)), ("wrap", x.narrow(2, 3, 1)) })
        {
            var layer = new RandomTranslation((0.0, 0.0), (0.25, 0.25), fillMode: fillMode, fillValue: 7);
            using var y = layer.Call(x, training: true);
            using var expected = cat([firstColumn, shifted], 2);
            Assert.True(Same(y, expected), $"{fillMode}: {string.Join(", ", y.data<float>().ToArray())}");
        }
    }

    [Fact]
    public void Random_translation_by_half_a_pixel_interpolates_bilinearly()
    {
        // dy = 0.125 * 4 = half a row down: output row r reads row r - 0.5, the mean of rows r - 1 and r (row -1 reflects to row 0).
        using var x = arange(16, ScalarType.Float32).reshape(1, 4, 4, 1);
        using var y = new RandomTranslation((0.125, 0.125), (0.0, 0.0)).Call(x, training: true);
        using var above = cat([x.narrow(1, 0, 1), x.narrow(1, 0, 3)], 1);
        using var expected = (x + above) / 2;
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Random_rotation_by_a_quarter_turn_rotates_a_square_image()
    {
        // θ = 0.25 · 2π: output (x, y) reads the input at (w - 1 - y, x), i.e. torch's rot90 over (height, width).
        using var x = rand(2, 5, 5, 3, generator: new Generator(16));
        using var y = new RandomRotation((0.25, 0.25)).Call(x, training: true);
        using var expected = x.rot90(1, (1, 2));
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Random_zoom_in_training_samples_the_scaled_grid_about_the_centre()
    {
        // Image value 10·y + x (bilinear interpolation of it is exact); zoom factor 1 - 0.5 = 0.5 both ways (zoom in 2x):
        // output (x, y) reads (0.5·x + 2·0.5, 0.5·y + 2·0.5) in a 5 x 5 image.
        using var rows = arange(5, ScalarType.Float32).view(5, 1).mul(10);
        using var x = (rows + arange(5, ScalarType.Float32).view(1, 5)).reshape(1, 5, 5, 1);
        using var y = new RandomZoom((-0.5, -0.5)).Call(x, training: true);
        using var grid = arange(5, ScalarType.Float32).mul(0.5).add(1.0);
        using var expected = (grid.view(5, 1).mul(10) + grid.view(1, 5)).reshape(1, 5, 5, 1);
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Geometric_augmentation_draws_one_transform_per_image()
    {
        using var x = rand(1, 6, 6, 1, generator: new Generator(17)).expand(32, 6, 6, 1).contiguous();
        torch.manual_seed(18);
        using var y = new RandomRotation(0.5, interpolation: "nearest").Call(x, training: true);
        Assert.Contains(Enumerable.Range(1, 31), i => !Same(y[i], y[0]));
    }

    static Sequential AugmentedModel(int seed)
    {
        torch.manual_seed(seed);
        var augmentation = new Sequential([new RandomFlip(), new RandomRotation((-0.1, 0.1)), new RandomZoom(0.1), new RandomTranslation(0.1, 0.1),
                                           new RandomContrast(0.2), new RandomBrightness(0.1)], name: "augmentation");
        return new Sequential(new InputLayer([8, 8, 1]), augmentation, new RandomCrop(6, 6), new Flatten(), new Dense(2));
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Model_with_augmentation_trains_and_round_trips_through_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = AugmentedModel(12);
        model.Compile(optimizer: "adam", loss: "mse");
        using var x = rand(8, 8, 8, 1, generator: new Generator(13)).mul(255);
        model.Fit(x, randn(8, 2, generator: new Generator(14)), batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = AugmentedModel(15);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            // The written form makes the nested Sequential's input explicit (an InputLayer / batch shape, as
            // Keras writes a built Sequential), so the config is compared from the first load on: it must be stable.
            var again = dir.Combine("again_" + fileName);
            loaded.Save(again);
            Assert.Equal(LayerRegistry.Serialize(loaded).ToJsonString(), LayerRegistry.Serialize(Model.Load(again)).ToJsonString());
            Assert.Equal(model.Layers.Select(l => l.ClassName), loaded.Layers.Select(l => l.ClassName));
        }
        PredictionAssert.Same(model, loaded, x);
    }
}
