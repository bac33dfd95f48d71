using static TorchSharp.torch;

namespace Layerwise.Data;

/// <summary>Train and test images (uint8, [n, 28, 28]) and labels (uint8, [n]), as Keras' <c>mnist.load_data()</c>.</summary>
public sealed record MnistData(Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels)
{
    /// <summary><c>var ((xTrain, yTrain), (xTest, yTest)) = Mnist.Load();</c></summary>
    public void Deconstruct(out (Tensor Images, Tensor Labels) train, out (Tensor Images, Tensor Labels) test)
    {
        train = (TrainImages, TrainLabels);
        test = (TestImages, TestLabels);
    }
}

/// <summary>
/// MNIST, as Keras' <c>keras.datasets.mnist</c>. <see cref="Load()"/> returns the subset that the
/// <c>Layerwise.Datasets</c> package copies next to the app (the first 10,000 training images and
/// the full 10,000-image test set; provenance in its mnist/README.md), so the tutorial runs offline.
/// <see cref="Load(string)"/> reads the official files from a folder.
/// </summary>
public static class Mnist
{
    static readonly string[] FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// The subset shipped in the <c>Layerwise.Datasets</c> package: 10,000 training and 10,000 test
    /// examples, read from the <c>mnist</c> folder that package puts beside the app
    /// (<see cref="AppContext.BaseDirectory"/>). Keras: <c>keras.datasets.mnist.load_data()</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder is missing: the app does not reference Layerwise.Datasets.</exception>
    public static MnistData Load() => LoadShipped(AppContext.BaseDirectory);

    internal static MnistData LoadShipped(string appDirectory)
    {
        var directory = Path.Combine(appDirectory, "mnist");
        if (!File.Exists(Path.Combine(directory, FileNames[0] + ".gz")))
            throw new FileNotFoundException(
                $"Mnist.Load() reads the MNIST subset from \"{directory}\", which has no {FileNames[0]}.gz: " +
                "the subset comes with the Layerwise.Datasets package (dotnet add package Layerwise.Datasets), " +
                "which copies it there on build. Or call Mnist.Load(directory) with the four official MNIST files.",
                Path.Combine(directory, FileNames[0] + ".gz"));
        return Load(directory);
    }

    /// <summary>
    /// Reads the four official files (<c>train-images-idx3-ubyte</c> ... , each raw or with <c>.gz</c>)
    /// from <paramref name="directory"/>.
    /// </summary>
    public static MnistData Load(string directory)
    {
        Backend.EnsureInitialized();
        var parts = FileNames.Select(name =>
        {
            var candidates = new[] { name + ".gz", name, name.Replace("-idx", ".idx") + ".gz", name.Replace("-idx", ".idx") };
            var found = candidates.Select(c => Path.Combine(directory, c)).FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException(
                    $"MNIST file \"{name}\" (or \"{name}.gz\") not found in \"{directory}\"; expected the four official IDX files there.",
                    Path.Combine(directory, name));
            return IdxReader.Read(found);
        }).ToArray();
        return Validated(parts, directory);
    }

    static MnistData Validated(Tensor[] parts, string source)
    {
        void Check(int images, int labels, string split)
        {
            var (x, y) = (parts[images], parts[labels]);
            if (x.dim() != 3 || x.shape[1] != 28 || x.shape[2] != 28 || y.dim() != 1 || y.shape[0] != x.shape[0])
                throw new InvalidDataException(
                    $"{source}: {split} images have shape {ShapeText.Format(x.shape)} and labels {ShapeText.Format(y.shape)}; " +
                    "expected (n, 28, 28) and (n,).");
        }
        Check(0, 1, "training");
        Check(2, 3, "test");
        return new MnistData(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>
    /// The tutorial's preprocessing: the first <paramref name="count"/> images flattened to 784 floats
    /// scaled to [0, 1], and their labels as int64.
    /// </summary>
    public static (Tensor Images, Tensor Labels) Preprocess(Tensor images, Tensor labels, long count)
    {
        long n = Math.Min(count, images.shape[0]);
        var x = images.narrow(0, 0, n).reshape(n, 28 * 28).to_type(ScalarType.Float32).div_(255f);
        var y = labels.narrow(0, 0, n).to_type(ScalarType.Int64);
        return (x, y);
    }
}
