using System.IO.Compression;
using System.Text;
using Layerwise.Formats;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Tests.Security;

/// <summary>
/// A config is measured as text (values, nesting, layers) before .NET's JSON tree, which costs 10-20 times
/// the text, is built from it: a 15 MB config repeating one entry 100,000 times took +270 to +660 MB before
/// the layer count refused it. Changes <see cref="LoadLimits"/>, so the tests run alone.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ConfigTextBudgetTests
{
    public ConfigTextBudgetTests() => TutorialModel.SingleThread();

    const string Dense = """{"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "linear", "use_bias": true}}""";

    /// <summary>A Sequential whose Dense layer is listed <paramref name="repeats"/> times (what the fuzz harness's json:repeat makes).</summary>
    static string RepeatedLayers(int repeats) =>
        """{"class_name": "Sequential", "config": {"name": "s", "layers": [""" +
        """{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 2], "dtype": "float32", "name": "input"}}, """ +
        string.Join(", ", Enumerable.Repeat(Dense, repeats)) + "]}}";

    /// <summary>One Dense layer whose <c>batch_input_shape</c> has <paramref name="extra"/> more entries: many values, one layer.</summary>
    static string LongList(int extra) =>
        """{"class_name": "Sequential", "config": {"name": "s", "layers": [""" +
        """{"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [null, 2""" +
        string.Concat(Enumerable.Repeat(", 1", extra)) + "]}}]}}";

    /// <summary>Bytes allocated on this thread while <paramref name="action"/> ran (and threw).</summary>
    static (long Allocated, T Error) AllocatedUntilThrown<T>(Action action) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<T>(action);
        return (GC.GetAllocatedBytesForCurrentThread() - before, error);
    }

    [Fact]
    public void A_config_repeating_a_layer_100000_times_is_refused_from_its_text_without_building_a_tree()
    {
        var json = RepeatedLayers(100_000);   // 10 MB of text, 100,001 layers
        var (allocated, error) = AllocatedUntilThrown<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("LoadLimits.MaxLayers = 20000", error.Message);
        Assert.Contains("at byte", error.Message);   // where in the text the budget ran out
        // The UTF-8 copy of the text (10 MB) and little else: the tree the layer count used to be taken from
        // allocated 10-20 times the text before it refused the config.
        long utf8 = Encoding.UTF8.GetByteCount(json);
        Assert.True(allocated < utf8 + (4 << 20), $"allocated {allocated / 1024} KB for {utf8 / 1024} KB of text; expected no JSON tree");
    }

    [Fact]
    public void A_config_with_more_values_than_MaxConfigValues_is_refused_before_parsing_although_it_has_few_layers()
    {
        // 400,000 numbers in one shape list (one layer): the fuzz harness's repeated inbound_nodes entry is of this kind.
        var json = LongList(400_000);
        var (allocated, error) = AllocatedUntilThrown<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("LoadLimits.MaxConfigValues = 300000", error.Message);
        long utf8 = Encoding.UTF8.GetByteCount(json);
        Assert.True(allocated < utf8 + (4 << 20), $"allocated {allocated / 1024} KB for {utf8 / 1024} KB of text; expected no JSON tree");
    }

    [Fact]
    public void MaxConfigValues_counts_every_value_and_can_be_raised()
    {
        // {class_name, config:{name, layers:[{class_name, config:{name, units, batch_input_shape:[null, 2, 1 x 10]}}]}}
        // objects 4, lists 2, strings 4 ("Sequential", "s", "Dense", "d"), numbers 1 + 1 + 10, null 1: 23 values.
        var json = LongList(10);
        Assert.Equal(LoadLimits.DefaultMaxConfigValues, LoadLimits.MaxConfigValues);
        try
        {
            LoadLimits.MaxConfigValues = 22;
            var error = Assert.Throws<ConfigException>(() => ConfigJson.Parse(json, "model.json"));
            Assert.Contains("model.json", error.Message);
            Assert.Contains("LoadLimits.MaxConfigValues = 22", error.Message);
            LoadLimits.MaxConfigValues = 23;
            Assert.NotNull(ConfigJson.Parse(json, "model.json"));
        }
        finally
        {
            LoadLimits.MaxConfigValues = LoadLimits.DefaultMaxConfigValues;
        }
    }

    [Fact]
    public void A_string_longer_than_64_KB_is_refused_from_the_text()
    {
        // The long run's from-json finding (mutant 4895, seed 1): 78 layers each holding a 640 KB initializer name.
        var json = RepeatedLayers(78).Replace("\"activation\": \"linear\"", "\"activation\": \"" + new string('x', 640_000) + "\"");
        var (allocated, error) = AllocatedUntilThrown<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("a string of more than 65536 bytes", error.Message);
        long utf8 = Encoding.UTF8.GetByteCount(json);
        Assert.True(allocated < utf8 + (4 << 20), $"allocated {allocated / 1024} KB for {utf8 / 1024} KB of text; expected no JSON tree");
    }

    [Fact]
    public void Nesting_deeper_than_MaxConfigDepth_is_refused_naming_the_setting()
    {
        var json = RepeatedLayers(1).Replace("\"units\": 2", "\"units\": " + new string('[', 300) + "2" + new string(']', 300));
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("LoadLimits.MaxConfigDepth = 256", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadLimits.MaxConfigDepth = LoadLimits.MaxConfigDepthCeiling + 1);
    }

    [Fact]
    public void Layers_nested_in_wrappers_and_models_count_toward_MaxLayers_in_the_text()
    {
        // A Sequential holding a Sequential of two Dense layers and a Bidirectional wrapping an LSTM:
        // 1 + 2 (the inner list) + 1 (Bidirectional) + 1 (its "layer") = 5 layers, as the parsed config counts them.
        const string json = """
            {"class_name": "Sequential", "config": {"name": "outer", "layers": [
              {"class_name": "Sequential", "config": {"name": "inner", "layers": [
                {"class_name": "Dense", "config": {"name": "a", "units": 2}},
                {"class_name": "Dense", "config": {"name": "b", "units": 2}}]}},
              {"class_name": "Bidirectional", "config": {"name": "bi", "layer": {"class_name": "LSTM", "config": {"name": "l", "units": 2}}}}]}}
            """;
        try
        {
            LoadLimits.MaxLayers = 4;
            var error = Assert.Throws<ConfigException>(() => ConfigJson.Parse(json));
            Assert.Contains("LoadLimits.MaxLayers = 4", error.Message);
            LoadLimits.MaxLayers = 5;
            Assert.NotNull(ConfigJson.Parse(json));
        }
        finally
        {
            LoadLimits.MaxLayers = LoadLimits.DefaultMaxLayers;
        }
    }

    [FixtureFact("keras3/iris_mlp/model.keras")]
    public void A_keras_archive_and_a_model_directory_whose_config_repeats_a_layer_are_refused_from_the_text()
    {
        // A Keras-written archive (one Layerwise wrote records its config's hash, which refuses any change first).
        using var dir = new TempDirectory();
        var archive = dir.Combine("m.keras");
        var folder = dir.Combine("m_dir");
        File.Copy(Fixtures.Get("keras3/iris_mlp/model.keras"), archive);
        ZipFile.ExtractToDirectory(archive, folder);
        var hostile = RepeatedLayers(30_000);
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Update))
        {
            zip.GetEntry("config.json")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("config.json", CompressionLevel.NoCompression).Open());
            writer.Write(hostile);
        }
        File.WriteAllText(Path.Combine(folder, "config.json"), hostile);

        foreach (var path in new[] { archive, folder })
        {
            var (allocated, error) = AllocatedUntilThrown<ModelFileException>(() => Model.Load(path));
            Assert.Contains("config.json", error.Message);
            Assert.Contains("LoadLimits.MaxLayers = 20000", error.Message);
            Assert.Contains("at byte", error.Message);
            // The archive's member is measured as bytes, before it becomes text (twice its size) and UTF-8 again:
            // a member that inflates 100 times cost that much over a small archive.
            if (path == archive)
            {
                long member = Encoding.UTF8.GetByteCount(hostile);
                Assert.True(allocated < member + (4 << 20), $"allocated {allocated / 1024} KB for a {member / 1024} KB member; expected its bytes and little else");
            }
        }
    }

    [FixtureFact("dl4j")]
    public void Every_real_keras_config_in_the_fixtures_fits_a_thirtieth_of_the_budgets_and_a_tenth_of_the_depth()
    {
        // dl4j's *_config.json (Keras 1 and 2) and the config.json of every Keras 3 archive.
        var texts = Directory.EnumerateFiles(Fixtures.Root!, "*_config.json", SearchOption.AllDirectories).Order()
            .Select(f => (Path.GetRelativePath(Fixtures.Root!, f), File.ReadAllText(f)))
            .Concat(Directory.EnumerateFiles(Fixtures.Root!, "*.keras", SearchOption.AllDirectories).Order().Select(f =>
            {
                using var zip = ZipFile.OpenRead(f);
                using var reader = new StreamReader(zip.GetEntry("config.json")!.Open());
                return (Path.GetRelativePath(Fixtures.Root!, f), reader.ReadToEnd());
            }))
            .ToList();
        Assert.True(texts.Count > 20, $"expected the fixtures' configs; found {texts.Count}");
        try
        {
            LoadLimits.MaxConfigValues = LoadLimits.DefaultMaxConfigValues / 30;
            LoadLimits.MaxConfigDepth = LoadLimits.DefaultMaxConfigDepth / 10;
            LoadLimits.MaxLayers = LoadLimits.DefaultMaxLayers / 30;
            foreach (var (name, text) in texts) Assert.NotNull(ConfigJson.Parse(text, name));
        }
        finally
        {
            LoadLimits.MaxConfigValues = LoadLimits.DefaultMaxConfigValues;
            LoadLimits.MaxConfigDepth = LoadLimits.DefaultMaxConfigDepth;
            LoadLimits.MaxLayers = LoadLimits.DefaultMaxLayers;
        }
    }
}
