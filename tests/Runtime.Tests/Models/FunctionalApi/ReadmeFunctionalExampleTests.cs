using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>The README's functional example, as written there, on a little random data.</summary>
public class ReadmeFunctionalExampleTests
{
    [Fact]
    public void Readme_example_builds_trains_saves_and_loads()
    {
        TutorialModel.SingleThread();
        using var dir = new TempDirectory();
        var xTrain = rand([64, 784], generator: new Generator(1));
        var yTrain = randint(0, 10, [64], dtype: ScalarType.Int64, generator: new Generator(2));

        var inputs = Keras.Input(shape: [784], name: "img");
        var wide = new Dense(64, activation: "relu").Call(inputs);
        var deep = new Dense(64, activation: "relu").Call(new Dense(128, activation: "relu").Call(inputs));
        var merged = new Concatenate().Call(new Add().Call(wide, deep), inputs);
        var outputs = new Dense(10).Call(merged);
        var model = new Functional(inputs, outputs, name: "wide_and_deep");

        var summary = model.SummaryText();
        model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
        var history = model.Fit(xTrain, yTrain, epochs: 5, verbose: 0);
        model.Save(dir.Combine("wide_and_deep.keras"));
        var restored = (Functional)Model.Load(dir.Combine("wide_and_deep.keras"));

        Assert.Contains("Connected to", summary);
        Assert.Contains("Total params: 167,466", summary);   // 784*64+64 + 784*128+128 + 128*64+64 + (64+784)*10+10
        Assert.True(history["loss"][^1] < history["loss"][0], "the loss did not go down");
        using var expected = model.Predict(xTrain);
        using var actual = restored.Predict(xTrain);
        Assert.True(expected.eq(actual).all().item<bool>());
    }
}
