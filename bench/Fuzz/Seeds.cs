using System.IO.Compression;
using Layerwise.Callbacks;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Fuzz;

/// <summary>
/// One unmutated input: <see cref="Root"/> is the file or folder that is copied and mutated,
/// <see cref="Entry"/> the name inside it that is handed to the reader (a checkpoint prefix), and
/// <see cref="Target"/> a whole-model file whose architecture weight readers load into.
/// </summary>
internal sealed record Seed(string Name, string Root, string? Entry, string? Target, bool WrittenByLayerwise);

/// <summary>
/// Writes the seeds Layerwise produces (four small model kinds, every format, a BackupAndRestore
/// backup) into a work folder, and finds the small files of ../shared/fixtures, which are read in
/// place (copied only into the work folder when mutated, never into the repository).
/// </summary>
internal static class Seeds
{
    /// <summary>The model kinds written at start, each trained one epoch so that optimizer state exists.</summary>
    public static readonly string[] Kinds = ["mlp", "cnn", "rnn", "functional"];

    /// <summary>Writes every Layerwise-made seed under <paramref name="dir"/>; returns the folder of each kind.</summary>
    public static void Write(string dir)
    {
        Backend.SetRandomSeed(1234);
        foreach (var kind in Kinds)
        {
            var (model, x, y) = Create(kind);
            model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
            var k = Path.Combine(dir, kind);
            Directory.CreateDirectory(k);
            model.Save(Path.Combine(k, "model.h5"));
            model.Save(Path.Combine(k, "model.keras"));
            model.Save(Path.Combine(k, "model_dir"));
            model.SaveWeights(Path.Combine(k, "weights.weights.h5"));
            model.SaveWeights(Path.Combine(k, "weights.h5"));
            Directory.CreateDirectory(Path.Combine(k, "ckpt"));
            model.SaveWeights(Path.Combine(k, "ckpt", "cp.ckpt"));
            Checkpoint.UpdateState(Path.Combine(k, "ckpt", "cp.ckpt"));
            if (kind == "mlp")
            {
                var backup = Path.Combine(k, "backup");
                model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false)]);
            }
        }
        // The tutorial's 784-512-10 architecture, as the target of the TensorFlow checkpoint fixture.
        var tutorial = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10));
        tutorial.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
        tutorial.Save(Path.Combine(dir, "tutorial.keras"));
    }

    /// <summary>A small compiled model of <paramref name="kind"/> and 16 samples of data for it.</summary>
    public static (Model Model, Tensor X, Tensor Y) Create(string kind)
    {
        Model model;
        Tensor x, y;
        switch (kind)
        {
            case "mlp":
                model = new Sequential(new Dense(32, activation: "relu", inputShape: [16]), new Dropout(0.1), new Dense(4));
                model.Compile(optimizer: "adam", loss: "mse");
                (x, y) = (rand(16, 16), rand(16, 4));
                break;
            case "cnn":
                model = new Sequential(new Conv2D(4, [3, 3], activation: "relu", inputShape: [8, 8, 1]), new BatchNormalization(), new Flatten(), new Dense(3));
                model.Compile(optimizer: "rmsprop", loss: "mse");
                (x, y) = (rand(16, 8, 8, 1), rand(16, 3));
                break;
            case "rnn":
                model = new Sequential(new Embedding(50, 8, inputShape: [6]), new LSTM(8), new Dense(2));
                model.Compile(optimizer: "sgd", loss: "mse");
                (x, y) = (randint(0, 50, [16, 6], dtype: ScalarType.Int64), rand(16, 2));
                break;
            default:
                var input = Keras.Input([10]);
                var a = new Dense(8, activation: "tanh").Call(input);
                var b = new Dense(8).Call(input);
                var output = new Dense(2).Call(new Add().Call(a, b));
                model = new Functional(input, output);
                model.Compile(optimizer: "adamw", loss: "mae");
                (x, y) = (rand(16, 10), rand(16, 2));
                break;
        }
        return (model, x, y);
    }

    /// <summary>The seeds of one reader: Layerwise's files under <paramref name="dir"/> and the fitting fixtures.</summary>
    public static List<Seed> For(string reader, string dir, string? fixtures)
    {
        var seeds = new List<Seed>();
        string K(string kind, string name) => Path.Combine(dir, kind, name);
        void Own(Func<string, Seed> make) { foreach (var kind in Kinds) seeds.Add(make(kind)); }
        switch (reader)
        {
            case "load-h5":
                Own(k => new Seed($"{k}/model.h5", K(k, "model.h5"), null, null, true));
                AddFixtures(seeds, fixtures, ["keras-h5/4bumuhammad_python-keras-mnist-classifier__mnist_model.h5", "dl4j/activations__ELU_0/ELU_0_model.h5",
                                              "dl4j/simple_lstm__simple_lstm_tf_keras_1", "dl4j/fullconfigs_cnn__cnn_batch_norm"], "_model.h5");
                break;
            case "load-keras":
                Own(k => new Seed($"{k}/model.keras", K(k, "model.keras"), null, null, true));
                AddFixtures(seeds, fixtures, ["keras3/iris_mlp/model.keras", "keras3/mpg_dense/model.keras", "keras3/btc_gru/model.keras"], null);
                break;
            case "load-dir":
                Own(k => new Seed($"{k}/model_dir", K(k, "model_dir"), null, null, true));
                if (fixtures is not null)
                    foreach (var name in new[] { "iris_mlp", "btc_gru" })
                        if (File.Exists(Path.Combine(fixtures, "keras3", name, "model.keras")))
                        {
                            var unzipped = Path.Combine(dir, "fixtures", name + "_dir");
                            if (!Directory.Exists(unzipped)) ZipFile.ExtractToDirectory(Path.Combine(fixtures, "keras3", name, "model.keras"), unzipped);
                            seeds.Add(new Seed($"fixtures/keras3/{name} (unzipped)", unzipped, null, null, false));
                        }
                break;
            case "load-savedmodel":
                if (fixtures is not null)
                    foreach (var name in new[] { "irises", "hkg_mlp", "coffee" })
                        if (Directory.Exists(Path.Combine(fixtures, "savedmodel", name)))
                            seeds.Add(new Seed($"fixtures/savedmodel/{name}", Path.Combine(fixtures, "savedmodel", name), null, null, false));
                break;
            case "weights-h5":
                Own(k => new Seed($"{k}/weights.h5", K(k, "weights.h5"), null, K(k, "model.keras"), true));
                Own(k => new Seed($"{k}/model.h5 (weights of)", K(k, "model.h5"), null, K(k, "model.keras"), true));
                if (fixtures is not null && File.Exists(Path.Combine(fixtures, "dl4j/activations__ELU_0/ELU_0_weights.h5")))
                    seeds.Add(new Seed("fixtures/dl4j/ELU_0_weights.h5", Path.Combine(fixtures, "dl4j/activations__ELU_0/ELU_0_weights.h5"), null,
                                       Path.Combine(fixtures, "dl4j/activations__ELU_0/ELU_0_model.h5"), false));
                break;
            case "weights-weights-h5":
                Own(k => new Seed($"{k}/weights.weights.h5", K(k, "weights.weights.h5"), null, K(k, "model.keras"), true));
                break;
            case "weights-ckpt":
            case "ckpt-list":
                Own(k => new Seed($"{k}/ckpt/cp.ckpt", K(k, "ckpt"), "cp.ckpt", K(k, "model.keras"), true));
                if (fixtures is not null && File.Exists(Path.Combine(fixtures, "tf-checkpoint/training_2/cp-0000.ckpt.index")))
                    seeds.Add(new Seed("fixtures/tf-checkpoint/training_2/cp-0000.ckpt", Path.Combine(fixtures, "tf-checkpoint/training_2"), "cp-0000.ckpt",
                                       Path.Combine(dir, "tutorial.keras"), false));
                break;
            case "ckpt-latest":
                Own(k => new Seed($"{k}/ckpt", K(k, "ckpt"), null, null, true));
                break;
            case "from-json":
                Own(k => new Seed($"{k}/config.json", Path.Combine(K(k, "model_dir"), "config.json"), null, null, true));
                AddFixtures(seeds, fixtures, ["dl4j/activations__ELU_0/ELU_0_config.json", "dl4j/simple_lstm__simple_lstm_tf_keras_1"], "_config.json");
                break;
            case "backup-state":
                seeds.Add(new Seed("mlp/backup", K("mlp", "backup"), null, K("mlp", "model.keras"), true));
                break;
        }
        return seeds;
    }

    static void AddFixtures(List<Seed> seeds, string? fixtures, string[] paths, string? suffixInFolder)
    {
        if (fixtures is null) return;
        foreach (var relative in paths)
        {
            var full = Path.Combine(fixtures, relative);
            if (Directory.Exists(full) && suffixInFolder is not null)
                full = Directory.EnumerateFiles(full, "*" + suffixInFolder).FirstOrDefault() ?? full;
            if (File.Exists(full)) seeds.Add(new Seed("fixtures/" + Path.GetRelativePath(fixtures, full), full, null, null, false));
        }
    }

    /// <summary>The folder of ../shared/fixtures, found by walking up from the working directory and the program; null when absent.</summary>
    public static string? FindFixtures()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "shared", "fixtures");
                if (Directory.Exists(candidate)) return candidate;
                candidate = Path.Combine(d.FullName, "..", "shared", "fixtures");
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }
}
