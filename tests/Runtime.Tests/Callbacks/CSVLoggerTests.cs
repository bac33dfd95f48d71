using System.Text;
using Layerwise.Callbacks;
using Layerwise.Training;

namespace Layerwise.Tests.Callbacks;

/// <summary>
/// CSVLogger writes what Keras' CSVLogger writes through Python's csv module (excel dialect: \r\n line ends,
/// minimal quoting, floats as <c>str(float)</c>), for a given sequence of epoch logs.
/// </summary>
public class CSVLoggerTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    static Logs Logs(params (string Key, double Value)[] entries) => new(entries.Select(e => new KeyValuePair<string, double>(e.Key, e.Value)));

    static void Run(CSVLogger logger, int firstEpoch, params Logs[] epochs)
    {
        logger.OnTrainBegin(new Logs());
        for (int i = 0; i < epochs.Length; i++) logger.OnEpochEnd(firstEpoch + i, epochs[i]);
        logger.OnTrainEnd(epochs.LastOrDefault() ?? new Logs());
    }

    [Fact]
    public void Writes_Keras_text_sorted_keys_with_val_columns_added_when_the_first_epoch_has_none()
    {
        var path = dir.Combine("log.csv");
        Run(new CSVLogger(path), 0,
            Logs(("loss", 0.5), ("accuracy", 0.25)),
            Logs(("loss", 0.1), ("accuracy", 1.0)),
            Logs(("loss", 1e-05), ("accuracy", double.NaN)));
        // Python: csv.DictWriter(fieldnames=['epoch'] + sorted(keys) + ['val_' + k ...]), missing keys "NA", repr floats.
        Assert.Equal("epoch,accuracy,loss,val_accuracy,val_loss\r\n" +
                     "0,0.25,0.5,NA,NA\r\n" +
                     "1,1.0,0.1,NA,NA\r\n" +
                     "2,nan,1e-05,NA,NA\r\n", File.ReadAllText(path));
    }

    [Fact]
    public void With_validation_keys_the_columns_are_the_sorted_keys_only()
    {
        var path = dir.Combine("val.csv");
        Run(new CSVLogger(path), 0,
            Logs(("loss", 0.6931471824645996), ("val_loss", 123456789.125), ("lr", 0.001)),
            Logs(("loss", 1e16), ("val_loss", 2.0)));
        Assert.Equal("epoch,loss,lr,val_loss\r\n" +
                     "0,0.6931471824645996,0.001,123456789.125\r\n" +
                     "1,1e+16,NA,2.0\r\n", File.ReadAllText(path));
    }

    [Fact]
    public void Separator_is_used_and_fields_holding_it_are_quoted_as_Python_csv_does()
    {
        var path = dir.Combine("semi.csv");
        Run(new CSVLogger(path, separator: ";"), 0, Logs(("a;b", 1.5), ("val_x", -0.25)));
        Assert.Equal("epoch;\"a;b\";val_x\r\n0;1.5;-0.25\r\n", File.ReadAllText(path));
        Assert.Throws<ArgumentException>(() => new CSVLogger(path, separator: ";;"));
    }

    [Fact]
    public void Without_append_an_existing_file_is_overwritten_and_with_append_it_continues_without_a_second_header()
    {
        var path = dir.Combine("resume.csv");
        File.WriteAllText(path, "old content\r\n");
        Run(new CSVLogger(path), 0, Logs(("loss", 4.0)), Logs(("loss", 3.0)));
        Run(new CSVLogger(path, append: true), 2, Logs(("loss", 2.0)));
        Assert.Equal("epoch,loss,val_loss\r\n0,4.0,NA\r\n1,3.0,NA\r\n2,2.0,NA\r\n", File.ReadAllText(path));

        var empty = dir.Combine("empty.csv");
        File.WriteAllBytes(empty, []);
        Run(new CSVLogger(empty, append: true), 0, Logs(("loss", 1.0)));
        Assert.Equal("epoch,loss,val_loss\r\n0,1.0,NA\r\n", File.ReadAllText(empty));
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        var path = dir.Combine("no/such/folder/log.csv");
        var e = Assert.Throws<DirectoryNotFoundException>(() => new CSVLogger(path).OnTrainBegin(new Logs()));
        Assert.Contains("no/such/folder", e.Message);
    }

    [Fact]
    public void Fit_writes_one_row_per_epoch_with_the_logs_History_records()
    {
        var path = dir.Combine("fit.csv");
        var model = ScriptedTraining.Model();
        var (history, _) = ScriptedTraining.Fit(model, 3, new CSVLogger(path));
        var expected = new StringBuilder("epoch,loss,val_loss\r\n");
        for (int e = 0; e < 3; e++) expected.Append($"{e},{PythonText.Repr(history["loss"][e])},NA\r\n");
        Assert.Equal(expected.ToString(), File.ReadAllText(path));
    }
}

/// <summary>CSVLogger with append continues the same file after BackupAndRestore resumes an interrupted run.</summary>
[Collection(GlobalRandomState.Name)]
public class CSVLoggerResumeTests : IDisposable
{
    readonly TempDirectory dir = new();

    public CSVLoggerResumeTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    sealed class SimulatedCrash : Exception;

    [Fact]
    public void A_run_killed_mid_epoch_and_resumed_writes_the_same_file_as_an_uninterrupted_run()
    {
        var (x, y) = TutorialModel.Data(96);
        var straightCsv = dir.Combine("straight.csv");
        Backend.SetRandomSeed(5);
        TutorialModel.Create(hidden: 32).Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0, callbacks: [new CSVLogger(straightCsv)]);

        var csv = dir.Combine("resumed.csv");
        var backup = dir.Combine("backup");
        int epochNow = 0;
        var crash = new LambdaCallback(onEpochBegin: (e, _) => epochNow = e,
                                       onBatchEnd: (b, _) => { if (epochNow == 3 && b == 1) throw new SimulatedCrash(); });
        Backend.SetRandomSeed(5);
        Assert.Throws<SimulatedCrash>(() => TutorialModel.Create(hidden: 32).Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0,
            callbacks: [new BackupAndRestore(backup), new CSVLogger(csv, append: true), crash]));
        Assert.Equal(4, File.ReadAllLines(csv).Length);   // header and epochs 0..2

        TutorialModel.Create(hidden: 32).Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0,
            callbacks: [new BackupAndRestore(backup), new CSVLogger(csv, append: true)]);

        var lines = File.ReadAllLines(csv);
        Assert.Single(lines, l => l.StartsWith("epoch,", StringComparison.Ordinal));
        Assert.Equal(["0", "1", "2", "3", "4", "5"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(File.ReadAllText(straightCsv), File.ReadAllText(csv));
    }
}
