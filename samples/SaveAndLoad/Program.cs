// The Keras tutorial "Save and load models", step by step in C# (../../shared/TUTORIAL.md).
// Steps covered so far: 0 (data, model, summary, training), 2's untrained-model evaluation and 6 (whole-model files).
using Layerwise;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;

Backend.SetRandomSeed(args.Length > 0 && long.TryParse(args[0], out var seed) ? seed : 42);
torch.set_num_threads(1);

// 0. Data: the first 1000 training and test images, flattened to 784 floats in [0, 1].
var ((trainImages, trainLabels), (testImages, testLabels)) = Mnist.Load();
var (xTrain, yTrain) = Mnist.Preprocess(trainImages, trainLabels, 1000);
var (xTest, yTest) = Mnist.Preprocess(testImages, testLabels, 1000);

// A simple sequential model, as the tutorial's create_model().
Sequential CreateModel()
{
    var model = new Sequential(
        new Dense(512, activation: "relu", inputShape: [784]),
        new Dropout(0.2),
        new Dense(10));
    model.Compile(optimizer: "adam",
                  loss: new SparseCategoricalCrossentropy(fromLogits: true),
                  metrics: [new SparseCategoricalAccuracy()]);
    return model;
}

var model = CreateModel();
model.Summary();

// 1. Train (checkpoints come with the checkpoint issue).
model.Fit(xTrain, yTrain, epochs: 10, validationData: (xTest, yTest));
var (_, trainedAccuracy) = model.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Trained model, accuracy: {100 * trainedAccuracy,5:F2}%");

// 2. A fresh, untrained model of the same architecture evaluates at chance.
var untrained = CreateModel();
var (_, untrainedAccuracy) = untrained.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Untrained model, accuracy: {100 * untrainedAccuracy,5:F2}%");

// 6. Saving the entire model: a directory and an HDF5 file, loaded back with summary, evaluate, predict.
Step6WholeModel.Run(CreateModel, xTrain, yTrain, xTest, yTest);
