using System.Text;
using System.Text.Json.Nodes;
using Layerwise.Tests.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// RepeatVector: values, shapes (unknown features included), bad ranks, a real tf.keras 2.14 model that
/// uses it (fixtures/savedmodel/chat) against its expected outputs, a seq2seq-shaped model in every file format.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class RepeatVectorTests
{
    public RepeatVectorTests() => torch.set_num_threads(1);

    [Fact]
    public void Each_vector_is_repeated_n_times()
    {
        var layer = new RepeatVector(3);
        using var y = layer.Invoke(tensor(new[] { 1f, 2f, 3f, 4f }, [2, 2]));
        Assert.Equal([2L, 3, 2], y.shape);
        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f], y.data<float>().ToArray());
        Assert.Equal([3L, -1], layer.ComputeOutputShape([-1]));
        Assert.Equal(3, layer.GetConfig()["n"]!.GetValue<int>());
    }

    [Fact]
    public void Inputs_other_than_rank_2_and_a_non_positive_n_are_refused()
    {
        Assert.Throws<IncompatibleShapeException>(() => new RepeatVector(2).Invoke(randn(1, 2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepeatVector(0));
    }

    [FixtureFact("savedmodel/chat/keras_metadata.pb")]
    public void Real_tf_keras_model_with_RepeatVector_gives_its_expected_outputs()
    {
        // The model's config as tf.keras 2.14 saved it (the root object's JSON in keras_metadata.pb), its
        // weights from the SavedModel's variables bundle, its outputs computed by TF.js and numpy.
        var dir = Fixtures.Get("savedmodel/chat");
        var config = JsonNode.Parse(RootConfigJson(File.ReadAllBytes(Path.Combine(dir, "keras_metadata.pb"))))!;
        config = Untuple(config)!;
        // Embedding's own batch_input_shape (None, None) is unused (its input is the "text" InputLayer,
        // (None, 97)); unknown lengths in layer configs are another issue's work, so it is dropped here.
        foreach (var layer in config["config"]!["layers"]!.AsArray())
            if (layer!["class_name"]!.GetValue<string>() == "Embedding") layer["config"]!.AsObject().Remove("batch_input_shape");
        var model = (Functional)Model.FromJson(config.ToJsonString());
        Assert.Equal(2, model.Layers.OfType<RepeatVector>().Count());
        Assert.Equal(227_587, model.CountParams());
        model.LoadWeights(Path.Combine(dir, "variables", "variables"));
        using var text = IntsAsFloats(Path.Combine(dir, "inputs_0_text.i32")).reshape(8, 97);
        using var date = KerasH5FixtureTests.ReadFloats(Path.Combine(dir, "inputs_1_date.f32")).reshape(8, 1);
        using var user = KerasH5FixtureTests.ReadFloats(Path.Combine(dir, "inputs_2_user.f32")).reshape(8, 1);
        using var expected = KerasH5FixtureTests.ReadFloats(Path.Combine(dir, "expected.f32")).reshape(8, 3);
        var byName = new Dictionary<string, Tensor> { ["text"] = text, ["date"] = date, ["user"] = user };
        var outputs = model.Predict(byName);
        double worst = (outputs[0] - expected).abs().max().item<float>();
        Assert.True(worst <= 1e-4, $"largest difference {worst:G3} > 1e-4");
    }

    /// <summary>The JSON object starting at the root model's <c>{"class_name": "Functional"</c> in a SavedMetadata protobuf.</summary>
    static string RootConfigJson(byte[] metadata)
    {
        var marker = Encoding.UTF8.GetBytes("{\"class_name\": \"Functional\"");
        int start = metadata.AsSpan().IndexOf(marker);
        Assert.True(start >= 0, "no Functional config in keras_metadata.pb");
        int depth = 0;
        bool inString = false;
        for (int i = start; i < metadata.Length; i++)
        {
            byte b = metadata[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inString = false;
            }
            else if (b == (byte)'"') inString = true;
            else if (b == (byte)'{') depth++;
            else if (b == (byte)'}' && --depth == 0) return Encoding.UTF8.GetString(metadata, start, i - start + 1);
        }
        throw new InvalidDataException("unterminated config JSON in keras_metadata.pb");
    }

    /// <summary>SavedModel metadata writes tuples as <c>{"class_name": "__tuple__", "items": [...]}</c>; configs elsewhere write lists.</summary>
    static JsonNode? Untuple(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when o["class_name"] is JsonValue v && v.GetValue<string>() == "__tuple__":
                return Untuple(o["items"]!.DeepClone());
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o) copy[key] = Untuple(value?.DeepClone());
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(item => Untuple(item?.DeepClone()))]);
            default:
                return node?.DeepClone();
        }
    }

    static Tensor IntsAsFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new int[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
        return tensor(values.Select(v => (float)v).ToArray());
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Trained_model_round_trips_in_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(seed: 9);
        var generator = new Generator(3);
        using var x = randn([8, 3], generator: generator);
        using var y = randn([8, 1], generator: generator);
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = NewModel(seed: 10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(5, ((RepeatVector)loaded.Layers[1]).N);
        }
        PredictionAssert.Same(model, loaded, x);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Dense(4, inputShape: [3]), new RepeatVector(5), new LSTM(2), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }
}
