// A consumer of the Layerwise packages from a local feed (.ci/run): MNIST from Layerwise.Datasets,
// a model with a custom [Layer], training, saving and loading. Prints "Consumer OK" at the end.
using Consumer;
using Layerwise;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using TorchSharp;

Backend.SetRandomSeed(7);
torch.set_num_threads(1);

var ((trainImages, trainLabels), (testImages, testLabels)) = Mnist.Load();
var (xTrain, yTrain) = Mnist.Preprocess(trainImages, trainLabels, 1000);
var (xTest, yTest) = Mnist.Preprocess(testImages, testLabels, 500);

var model = new Sequential(
    new Dense(64, activation: "relu", inputShape: [784]),
    new Scale(0.5),
    new Dense(10));
model.Compile(optimizer: "adam", loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
model.Fit(xTrain, yTrain, epochs: 3, verbose: 0);
var (_, accuracy) = model.Evaluate(xTest, yTest, verbose: 0);
Console.WriteLine($"Trained accuracy: {accuracy:P1}");

var path = Path.Combine(Path.GetTempPath(), $"layerwise-consumer-{Environment.ProcessId}.keras");
model.Save(path);
var loaded = Model.Load(path);
File.Delete(path);
using var expected = model.Predict(xTest);
using var actual = loaded.Predict(xTest);
var maxDifference = (expected - actual).abs().max().item<float>();
Console.WriteLine($"Loaded {loaded.Layers.Count} layers ({string.Join(", ", loaded.Layers.Select(l => l.ClassName))}); max |difference| {maxDifference}");
if (accuracy < 0.6 || maxDifference > 1e-6 || loaded.Layers[1] is not Scale { InitialValue: 0.5 })
{
    Console.WriteLine("Consumer FAILED");
    return 1;
}
Console.WriteLine("Consumer OK");
return 0;
