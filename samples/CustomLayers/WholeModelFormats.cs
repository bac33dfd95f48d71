using Layerwise.Models;
using TorchSharp;

namespace CustomLayers;

/// <summary>
/// The same model saved whole in each of Layerwise's formats (Keras 2 .h5, Keras 3 .keras, and a
/// Keras 3 directory): architecture, weights, compile arguments and optimizer state. The loading
/// process creates the model from its registered name and must predict the same bits, already compiled.
/// </summary>
static class WholeModelFormats
{
    static readonly string[] Names = ["model.h5", "model.keras", "model_dir"];

    public static void Save(Model model, string directory)
    {
        foreach (var name in Names) model.Save(Path.Combine(directory, name));
    }

    /// <summary>Loads each format and compares its predictions with <paramref name="expected"/>; 0 when all match.</summary>
    public static int Check(string directory, torch.Tensor inputs, byte[] expected, Func<torch.Tensor, byte[]> bytes)
    {
        int failures = 0;
        foreach (var name in Names)
        {
            var model = Model.Load(Path.Combine(directory, name));
            using var predictions = model.Predict(inputs);
            bool same = expected.AsSpan().SequenceEqual(bytes(predictions));
            Console.WriteLine($"[load] {name}: {model.ClassName} \"{model.Name}\", compiled: {model.IsCompiled} " +
                              $"({model.Optimizer?.ClassName}, {model.Optimizer?.Iterations} steps), predictions {(same ? "identical" : "DIFFER")}");
            if (!same || !model.IsCompiled) failures++;
        }
        return failures;
    }
}
