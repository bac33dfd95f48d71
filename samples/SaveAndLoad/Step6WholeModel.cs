// Step 6 of the tutorial: saving the entire model (architecture, weights, compile arguments and
// optimizer state) and loading it back without the code that built it.
using Layerwise.Models;
using static TorchSharp.torch;

static class Step6WholeModel
{
    public static void Run(Func<Sequential> createModel, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest)
    {
        // A new model, trained for 5 epochs, saved as a directory (the three entries of a Keras 3
        // model: config.json, metadata.json, model.weights.h5; TensorFlow 2 wrote a SavedModel here).
        var model = createModel();
        model.Fit(xTrain, yTrain, epochs: 5);
        Directory.CreateDirectory("saved_model");
        model.Save("saved_model/my_model");
        Console.WriteLine("saved_model/my_model: " + string.Join(", ", Directory.GetFiles("saved_model/my_model").Select(Path.GetFileName).Order(StringComparer.Ordinal)));

        // Reload it: same architecture, already compiled with the same arguments.
        var newModel = Model.Load("saved_model/my_model");
        newModel.Summary();
        var (_, accuracy) = newModel.Evaluate(xTest, yTest, verbose: 2);
        Console.WriteLine($"Restored model, accuracy: {100 * accuracy,5:F2}%");
        using var predictions = newModel.Predict(xTest);
        Console.WriteLine($"({string.Join(", ", predictions.shape)})");

        // The same as HDF5 (Keras 2's .h5, which tf.keras' load_model reads too).
        model.Save("my_model.h5");
        var h5Model = Model.Load("my_model.h5");
        h5Model.Summary();
        var (h5Loss, h5Accuracy) = h5Model.Evaluate(xTest, yTest, verbose: 2);
        Console.WriteLine($"Restored model, accuracy: {100 * h5Accuracy,5:F2}%");
        using var h5Predictions = h5Model.Predict(xTest);
        Console.WriteLine($"({string.Join(", ", h5Predictions.shape)})");
        if (!predictions.shape.SequenceEqual([xTest.shape[0], 10L]) || !h5Predictions.shape.SequenceEqual([xTest.shape[0], 10L]))
            throw new InvalidOperationException("Predict should give one row of 10 logits per test image.");
    }
}
