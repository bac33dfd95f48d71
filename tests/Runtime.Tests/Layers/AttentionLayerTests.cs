using System.Text.Json.Nodes;
using Layerwise.Serialization;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Formats;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Dot, Attention, AdditiveAttention and MultiHeadAttention (with its EinsumDense projections): values
/// against the math written out with plain torch ops, Keras' weight names and shapes (Keras 2 .h5 and
/// Keras 3 paths), configs, functional models through every file format, and gradients.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class AttentionLayerTests
{
    public AttentionLayerTests() => torch.set_num_threads(1);

    [Fact]
    public void Dot_of_vectors_is_their_inner_product_or_cosine()
    {
        using var a = tensor(new float[] { 1, 2, 3, 0, 3, 4 }, [2, 3]);
        using var b = tensor(new float[] { 4, 5, 6, 0, 4, 3 }, [2, 3]);
        using var y = new Dot(1).Call([a, b]);
        Assert.Equal([2L, 1], y.shape);
        Assert.Equal([32f, 24], y.data<float>().ToArray());     // 4 + 10 + 18; 12 + 12
        using var cosine = new Dot(-1, normalize: true).Call([a, b]);
        WeightAssert.Close([32 / (MathF.Sqrt(14) * MathF.Sqrt(77)), 24f / 25], cosine.data<float>().ToArray());
    }

    [Fact]
    public void Dot_of_sequences_contracts_the_given_axes()
    {
        Backend.SetRandomSeed(1);
        using var a = randn(2, 3, 4);
        using var b = randn(2, 5, 4);
        using var c = randn(2, 3, 6);
        using var y = new Dot([2, 2]).Call([a, b]);       // [2, 3, 5]: a · bᵀ per sample
        Assert.True(a.bmm(b.transpose(1, 2)).allclose(y, atol: 1e-5));
        using var z = new Dot(1).Call([a, c]);            // [2, 4, 6]: aᵀ · c per sample
        Assert.True(a.transpose(1, 2).bmm(c).allclose(z, atol: 1e-5));
        Assert.Equal([4L, 6], new Dot(1).ComputeOutputShape([[3, 4], [3, 6]]));
        Assert.Equal([-1L, 6], new Dot(1).ComputeOutputShape([[-1, -1], [-1, 6]]));
        var e = Assert.Throws<IncompatibleShapeException>(() => new Dot(2).ComputeOutputShape([[3, 4], [3, 5]]));
        Assert.Contains("size 4 on axis 2", e.Message);
    }

    /// <summary>A functional model's config as Keras would write it, with <paramref name="edit"/> applied to the config of the layer named <paramref name="layerName"/>.</summary>
    static Functional ReloadWithKerasForm(Functional model, string layerName, Action<JsonObject> edit)
    {
        var json = LayerRegistry.Serialize(model);
        var layer = json["config"]!["layers"]!.AsArray().Single(l => l!["config"]!["name"]!.GetValue<string>() == layerName)!;
        edit(layer["config"]!.AsObject());
        return (Functional)Model.FromJson(json.ToJsonString());
    }

    [Fact]
    public void Dot_axes_read_as_keras_writes_them()
    {
        var inputs = new[] { Keras.Input([3]), Keras.Input([3]) };
        var model = new Functional(inputs, [new Dot(1, name: "d").Call(inputs)]);
        Assert.Equal("[1,1]", model.Layers.OfType<Dot>().Single().GetConfig()["axes"]!.ToJsonString());
        var loaded = ReloadWithKerasForm(model, "d", c => c["axes"] = 1);     // Keras' Dot(axes=1)
        Assert.Equal([1, 1], loaded.Layers.OfType<Dot>().Single().Axes);
    }

    /// <summary>softmax(scores, over value steps) · value, with Keras' causal mask when asked: the attention every layer here ends with.</summary>
    static Tensor Attend(Tensor scores, Tensor value, bool causal = false)
    {
        if (causal)
        {
            long tq = scores.shape[1], tv = scores.shape[2];
            var mask = new float[tq * tv];
            for (long i = 0; i < tq; i++) for (long j = 0; j < tv; j++) mask[i * tv + j] = j > i ? -1e9f : 0;
            scores = scores.add(tensor(mask, [tq, tv]));
        }
        return F.softmax(scores, -1).bmm(value);
    }

    [Fact]
    public void Attention_dot_scores_are_scaled_query_key_products()
    {
        Backend.SetRandomSeed(2);
        using var q = randn(2, 3, 4);
        using var v = randn(2, 5, 4);
        using var k = randn(2, 5, 4);
        var layer = new Attention(useScale: true);
        using var unbuilt = layer.Call([q, v, k]);
        Assert.Equal([("scale", Array.Empty<long>())], layer.Weights.Select(w => (w.Name, w.Shape)));
        layer.Scale!.Assign(tensor(0.5f));
        using var y = layer.Call([q, v, k]);
        Assert.True(Attend(q.bmm(k.transpose(1, 2)).mul(0.5), v).allclose(y, atol: 1e-5), "dot scores");
        // Without a key, the value is the key.
        using var selfKey = new Attention().Call([q, v]);
        Assert.True(Attend(q.bmm(v.transpose(1, 2)), v).allclose(selfKey, atol: 1e-5), "value as key");
    }

    [Fact]
    public void Attention_concat_scores_and_the_causal_mask()
    {
        Backend.SetRandomSeed(3);
        using var q = randn(2, 4, 3);
        using var v = randn(2, 4, 3);
        var layer = new Attention(useScale: true, scoreMode: "concat") { UseCausalMask = true };
        layer.Call([q, v]).Dispose();
        Assert.Equal(["scale", "concat_score_weight"], layer.Weights.Select(w => w.Name));
        layer.Scale!.Assign(tensor(2f));
        layer.ConcatScoreWeight!.Assign(tensor(0.7f));
        using var y = layer.Call([q, v]);
        // concat_score_weight · Σ_features tanh(scale · (q_i + k_j)), written out per (i, j).
        var scores = zeros(2, 4, 4);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                scores[.., i, j] = q[.., i, ..].add(v[.., j, ..]).mul(2).tanh().sum(-1).mul(0.7);
        Assert.True(Attend(scores, v, causal: true).allclose(y, atol: 1e-5));
        // The first query step sees only the first value step.
        Assert.True(v[.., 0, ..].allclose(y[.., 0, ..], atol: 1e-5));
    }

    [Fact]
    public void Additive_attention_scores_are_scaled_sums_of_tanh()
    {
        Backend.SetRandomSeed(4);
        using var q = randn(2, 3, 4);
        using var v = randn(2, 5, 4);
        var layer = new AdditiveAttention();
        layer.Call([q, v]).Dispose();
        Assert.Equal([("scale", new long[] { 4 })], layer.Weights.Select(w => (w.Name, w.Shape)));
        using var scale = tensor(new float[] { 0.5f, -1, 2, 0.25f });
        layer.Scale!.Assign(scale);
        using var y = layer.Call([q, v]);
        var scores = zeros(2, 3, 5);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
                scores[.., i, j] = q[.., i, ..].add(v[.., j, ..]).tanh().mul(scale).sum(-1);
        Assert.True(Attend(scores, v).allclose(y, atol: 1e-5));
    }

    [Fact]
    public void Attention_layers_check_their_inputs()
    {
        var e = Assert.Throws<IncompatibleShapeException>(() => new Attention().ComputeOutputShape([[3, 4], [5, 6]]));
        Assert.Contains("as many features as the query", e.Message);
        Assert.Throws<ArgumentException>(() => new AdditiveAttention().ComputeOutputShape([[3, 4]]));
        Assert.Equal([-1L, 6], new Attention().ComputeOutputShape([[-1, 4], [-1, 6], [-1, 4]]));
        Assert.Throws<ArgumentException>(() => new Attention(scoreMode: "general"));
    }

    [Fact]
    public void Multi_head_attention_matches_the_math_written_out()
    {
        Backend.SetRandomSeed(5);
        const int heads = 2, keyDim = 3, valueDim = 4;
        using var query = randn(2, 5, 6);
        using var value = randn(2, 7, 8);
        using var key = randn(2, 7, 9);
        var layer = new MultiHeadAttention(heads, keyDim, valueDim: valueDim, outputShape: [10]);
        layer.Call([query, value, key]).Dispose();
        Assert.Equal(
            [("query/kernel", new long[] { 6, heads, keyDim }), ("query/bias", [heads, keyDim]),
             ("key/kernel", [9, heads, keyDim]), ("key/bias", [heads, keyDim]),
             ("value/kernel", [8, heads, valueDim]), ("value/bias", [heads, valueDim]),
             ("attention_output/kernel", [heads, valueDim, 10]), ("attention_output/bias", [10])],
            layer.Weights.Select(w => ($"{w.Owner.Name}/{w.Name}", w.Shape)));
        foreach (var w in layer.Weights.Where(w => w.Name == "bias")) w.Assign(randn(w.Shape));
        using var y = layer.Call([query, value, key]);

        // Projections: x · W (W flattened to [features, heads·dim]) + b, split into heads: [B, heads, steps, dim].
        Tensor Project(Tensor x, EinsumDense d, int dim) =>
            x.matmul(d.Kernel.Value.reshape(x.shape[2], heads * dim)).add(d.Bias!.Value.reshape(heads * dim))
             .reshape(x.shape[0], x.shape[1], heads, dim).permute(0, 2, 1, 3);
        var q = Project(query, layer.QueryDense, keyDim);
        var k = Project(key, layer.KeyDense, keyDim);
        var v = Project(value, layer.ValueDense, valueDim);
        var weights = F.softmax(q.matmul(k.transpose(2, 3)).div(Math.Sqrt(keyDim)), -1);     // [B, heads, 5, 7]
        var perHead = weights.matmul(v);                                                     // [B, heads, 5, valueDim]
        var joined = perHead.permute(0, 2, 1, 3).reshape(2, 5, heads * valueDim);
        var expected = joined.matmul(layer.OutputDense.Kernel.Value.reshape(heads * valueDim, 10)).add(layer.OutputDense.Bias!.Value);
        Assert.Equal([2L, 5, 10], y.shape);
        Assert.True(expected.allclose(y, atol: 1e-5), "multi-head attention differs from the written-out math");

        // Causal: query step t sees value steps 0..t only, i.e. -1e9 on the scores above the diagonal.
        layer.UseCausalMask = true;
        using var causal = layer.Call([query, value, key]);
        var mask = ones(5, 7).triu(1).mul(-1e9);
        var causalWeights = F.softmax(q.matmul(k.transpose(2, 3)).div(Math.Sqrt(keyDim)).add(mask), -1);
        var causalExpected = causalWeights.matmul(v).permute(0, 2, 1, 3).reshape(2, 5, heads * valueDim)
            .matmul(layer.OutputDense.Kernel.Value.reshape(heads * valueDim, 10)).add(layer.OutputDense.Bias!.Value);
        Assert.True(causalExpected.allclose(causal, atol: 1e-5), "causal multi-head attention");
    }

    [Fact]
    public void Multi_head_attention_defaults_and_keras_config()
    {
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 4, useBias: false, name: "mha");
        Assert.Equal([-1L, 6], layer.ComputeOutputShape([[-1, 6], [-1, 5]]));
        Assert.Equal([3L, 6], layer.ComputeOutputShape([[3, 6], [7, 5]]));
        layer.Call([zeros(1, 3, 6), zeros(1, 7, 5)]).Dispose();
        Assert.Equal(4, layer.Weights.Count);                                 // no biases
        Assert.Equal([6L, 2, 4], layer.QueryDense.Kernel.Shape);
        Assert.Equal([2L, 4, 6], layer.OutputDense.Kernel.Shape);            // value_dim defaults to key_dim, output to the query's features
        var config = layer.GetConfig();
        Assert.Equal(2, config["num_heads"]!.GetValue<int>());
        Assert.Equal(4, config["key_dim"]!.GetValue<int>());
        Assert.Equal(4, config["value_dim"]!.GetValue<int>());
        // Keras writes output_shape as a number or a list, value_dim as null when it is key_dim, and (tf.keras 2) the build shapes.
        var query = Keras.Input([4, 6]);
        var model = new Functional([query], [new MultiHeadAttention(3, 2, outputShape: [5], name: "m2").Call(query, query)]);
        var loaded = ReloadWithKerasForm(model, "m2", c => { c["output_shape"] = 5; c["value_dim"] = null; c["query_shape"] = new JsonArray(null, 4, 6); });
        var restored = loaded.Layers.OfType<MultiHeadAttention>().Single();
        Assert.Equal((3, 2, 2), (restored.NumHeads, restored.KeyDim, restored.ValueDim));
        Assert.Equal([5], restored.OutputShape!);
        Assert.Throws<ArgumentException>(() => new MultiHeadAttention(2, 4, attentionAxes: [1, 2]));
    }

    static Functional NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var query = Keras.Input([4, 6], name: "query");
        var value = Keras.Input([5, 6], name: "value");
        var mha = new MultiHeadAttention(2, 3, name: "mha").Call(query, value);
        var luong = new Attention(useScale: true, scoreMode: "concat").Call(mha, value);
        var bahdanau = new AdditiveAttention().Call(luong, value, value);
        var dot = new Dot(2).Call(bahdanau, value);                         // [4, 5]
        var model = new Functional([query, value], [new Dense(1).Call(new Flatten().Call(dot))]);
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    [Theory]
    [MemberData(nameof(FormatRoundTrip.Paths), MemberType = typeof(FormatRoundTrip))]
    public void Functional_model_with_every_attention_layer_round_trips(string fileName)
    {
        var model = NewModel(7);
        Tensor[] x = [randn(6, 4, 6, generator: new Generator(1)), randn(6, 5, 6, generator: new Generator(2))];
        model.Fit(x, [randn(6, 1, generator: new Generator(3))], batchSize: 3, epochs: 1, verbose: 0);
        var loaded = (Functional)FormatRoundTrip.SaveAndLoad(model, fileName, () => NewModel(8));
        if (fileName == "cp")
        {
            // tf.keras 2's keys: the projections under MultiHeadAttention's attributes _query_dense, ...
            using var dir = new TempDirectory();
            model.SaveWeights(dir.Combine("cp"));
            using var reader = Layerwise.Formats.Checkpoint.BundleReader.Open(dir.Combine("cp"));
            var mhaKeys = reader.Entries.Keys.Where(k => k.Contains("_dense/", StringComparison.Ordinal) && !k.Contains("OPTIMIZER", StringComparison.Ordinal));
            Assert.Equal(["_key_dense", "_output_dense", "_query_dense", "_value_dense"], mhaKeys.Select(k => k.Split('/')[1]).Distinct().Order());
        }
        using var expected = model.Predict(x)[0];
        using var actual = loaded.Predict(x)[0];
        Assert.True(expected.equal(actual).all().item<bool>(), "predictions differ after the round trip");
    }

    [Fact]
    public void Training_reaches_every_attention_weight()
    {
        var model = NewModel(9);
        var before = TutorialModel.WeightValues(model);
        Tensor[] x = [randn(6, 4, 6, generator: new Generator(1)), randn(6, 5, 6, generator: new Generator(2))];
        model.Fit(x, [randn(6, 1, generator: new Generator(3))], batchSize: 6, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }

    [H5PyFact]
    public void Multi_head_attention_weights_carry_keras_names_in_h5_and_keras_archives()
    {
        using var dir = new TempDirectory();
        var model = NewModel(10);
        var h5 = dir.Combine("m.h5");
        model.Save(h5);
        var names = H5Py.Run("import h5py,sys\nf=h5py.File(sys.argv[1],'r')\nprint('\\n'.join(n.decode() if isinstance(n,bytes) else n for n in f['model_weights/mha'].attrs['weight_names']))", [h5]);
        Assert.Equal(["mha/query/kernel:0", "mha/query/bias:0", "mha/key/kernel:0", "mha/key/bias:0", "mha/value/kernel:0", "mha/value/bias:0",
                      "mha/attention_output/kernel:0", "mha/attention_output/bias:0"], names.Trim().Split('\n'));
        var keras = dir.Combine("m.keras");
        model.Save(keras);
        var paths = H5Py.Run("import h5py,sys,zipfile,io\nz=zipfile.ZipFile(sys.argv[1])\nf=h5py.File(io.BytesIO(z.read('model.weights.h5')),'r')\nf.visititems(lambda n,o: print(n+' '+str(o.shape)) if isinstance(o,h5py.Dataset) and 'multi_head_attention' in n else None)", [keras]);
        Assert.Equal(["layers/multi_head_attention/key_dense/vars/0 (6, 2, 3)", "layers/multi_head_attention/key_dense/vars/1 (2, 3)",
                      "layers/multi_head_attention/output_dense/vars/0 (2, 3, 6)", "layers/multi_head_attention/output_dense/vars/1 (6,)",
                      "layers/multi_head_attention/query_dense/vars/0 (6, 2, 3)", "layers/multi_head_attention/query_dense/vars/1 (2, 3)",
                      "layers/multi_head_attention/value_dense/vars/0 (6, 2, 3)", "layers/multi_head_attention/value_dense/vars/1 (2, 3)"],
                     paths.Trim().Split('\n'));
    }
}
