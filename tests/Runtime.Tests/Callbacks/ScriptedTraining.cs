using Layerwise.Callbacks;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Tests.Callbacks;

/// <summary>
/// A tiny model trained one batch per epoch, whose epoch logs are then overwritten with scripted values,
/// so a callback placed after <see cref="Script"/> sees exactly the sequence Keras' documentation talks about.
/// </summary>
static class ScriptedTraining
{
    public static Sequential Model(double learningRate = 0.01)
    {
        var model = new Sequential(new Dense(3, inputShape: [4]), new Dense(1));
        model.Compile(new SGD(learningRate), new MeanSquaredError());
        return model;
    }

    public static (Tensor X, Tensor Y) Data(int samples = 8) => (rand([samples, 4]), rand([samples, 1]));

    /// <summary>Sets <paramref name="key"/> to <c>values[epoch]</c> at each epoch end.</summary>
    public static LambdaCallback Script(string key, params double[] values) =>
        new(onEpochEnd: (epoch, logs) => logs.Set(key, values[epoch]));

    /// <summary>Fits for <paramref name="epochs"/> one-batch epochs with the callbacks, capturing what they print.</summary>
    public static (History History, string Output) Fit(Model model, int epochs, params Callback[] callbacks)
    {
        var (x, y) = Data();
        var writer = new StringWriter { NewLine = "\n" };
        var previous = Output.Writer;
        Output.Writer = writer;
        try
        {
            var history = model.Fit(x, y, batchSize: 8, epochs: epochs, verbose: 0, callbacks: callbacks);
            return (history, writer.ToString());
        }
        finally
        {
            Output.Writer = previous;
        }
    }
}
