// The Keras tutorial "Save and load models", step by step in C# (../../shared/TUTORIAL.md).
// All steps: 0 (data, model, summary), 1-5 (checkpoints: save during training, restore, checkpoint
// options, latest checkpoint, saving weights by hand) and 6 (whole-model files). It writes
// training_1/, training_2/, checkpoints/, saved_model/ and my_model.h5 in the current directory.
using Layerwise;
using Layerwise.Callbacks;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Plotting;
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

// Start from empty checkpoint folders, as the tutorial does on a fresh machine.
foreach (var folder in new[] { "training_1", "training_2", "checkpoints" })
    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);

// 1. Checkpoints during training: the callback saves the weights at the end of every epoch.
var checkpointPath = "training_1/cp.ckpt";
var cpCallback = new ModelCheckpoint(filepath: checkpointPath, saveWeightsOnly: true, verbose: 1);
var history = model.Fit(xTrain, yTrain, epochs: 10, validationData: (xTest, yTest), callbacks: [cpCallback]);
history.Plot("history.png");   // loss and accuracy per epoch, train and validation (Layerwise.Plotting)
Console.WriteLine(ListDir("training_1"));
var (_, trainedAccuracy) = model.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Trained model, accuracy: {100 * trainedAccuracy,5:F2}%");

// 2. A fresh, untrained model of the same architecture evaluates at chance.
var untrained = CreateModel();
var (_, untrainedAccuracy) = untrained.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Untrained model, accuracy: {100 * untrainedAccuracy,5:F2}%");

// ... then loads the weights from the checkpoint and evaluates again: the trained model's accuracy.
untrained.LoadWeights(checkpointPath);
var (_, restoredAccuracy) = untrained.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Restored model, accuracy: {100 * restoredAccuracy,5:F2}%");

// 3. Checkpoint options: a file per save, named by epoch, every 5 epochs' worth of batches.
var checkpointPath2 = "training_2/cp-{epoch:04d}.ckpt";
int batchSize = 32;
var cpCallback2 = new ModelCheckpoint(filepath: checkpointPath2, verbose: 1, saveWeightsOnly: true,
                                      saveFreq: 5 * batchSize);
var model2 = CreateModel();
model2.SaveWeights("training_2/cp-0000.ckpt");   // checkpoint_path.format(epoch=0)
model2.Fit(xTrain, yTrain, epochs: 50, batchSize: batchSize, callbacks: [cpCallback2],
           validationData: (xTest, yTest), verbose: 0);
Console.WriteLine(ListDir("training_2"));
var latest = Checkpoint.Latest("training_2");
Console.WriteLine($"Latest checkpoint: '{latest}'");

var model3 = CreateModel();
model3.LoadWeights(latest!);
var (_, latestAccuracy) = model3.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Restored model, accuracy: {100 * latestAccuracy,5:F2}%");

// 4. What the files are: an index naming each weight's shard and offset, and the shard(s) with the bytes.
foreach (var file in Checkpoint.Files(latest!)) Console.WriteLine($"  {file} ({new FileInfo(file).Length:N0} bytes)");

// 5. Saving weights by hand, and loading them into a new model.
model3.SaveWeights("./checkpoints/my_checkpoint");
var model4 = CreateModel();
model4.LoadWeights("./checkpoints/my_checkpoint");
var (_, manualAccuracy) = model4.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Restored model, accuracy: {100 * manualAccuracy,5:F2}%");

// 6. Saving the entire model: a directory and an HDF5 file, loaded back with summary, evaluate, predict.
Step6WholeModel.Run(CreateModel, xTrain, yTrain, xTest, yTest);

// Python's os.listdir output, sorted: ['checkpoint', 'cp.ckpt.data-00000-of-00001', 'cp.ckpt.index']
static string ListDir(string folder) =>
    "[" + string.Join(", ", Directory.GetFiles(folder).Select(f => $"'{Path.GetFileName(f)}'").Order(StringComparer.Ordinal)) + "]";
