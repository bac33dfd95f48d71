using Layerwise.Plotting;
using Layerwise.Tests.Cli;

namespace Layerwise.Tests.Plotting;

/// <summary>history.Plot and <c>layerwise plot</c>: a valid PNG of the expected size, one drawn chart per metric.</summary>
public class HistoryPlotTests
{
    [Fact]
    public void Plot_of_a_real_history_draws_one_chart_per_metric_with_validation_curves()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(96);
        var (vx, vy) = TutorialModel.Data(32, seed: 8);
        var history = model.Fit(x, y, epochs: 3, verbose: 0, validationData: (vx, vy));
        var path = dir.Combine("history.png");

        history.Plot(path);

        // loss and sparse_categorical_accuracy, each with its val_ twin: 2 charts side by side
        Assert.Equal(4, history.Values.Count);
        PngCheck.ChartsDrawn(path, charts: 2, columns: 2, rows: 1, HistoryPlot.ChartWidth, HistoryPlot.ChartHeight);
    }

    [Fact]
    public void Plot_command_reads_a_CSVLogger_file()
    {
        using var dir = new TempDirectory();
        // As Keras' CSVLogger writes it: epoch first, keys sorted, Python's float repr, NA for a missing value.
        File.WriteAllText(dir.Combine("log.csv"), """
            epoch,accuracy,learning_rate,loss,val_accuracy,val_loss
            0,0.8123000264167786,0.0010000000474974513,0.6451234817504883,0.8499000072479248,0.5012345314025879
            1,0.9012000560760498,0.0010000000474974513,0.3123456835746765,0.8834000229835510,0.4023456871509552
            2,0.9301000237464905,0.0005000000237487257,0.2012345790863037,NA,0.3801234662532806

            """.Replace("\r", ""));

        var output = CliRunner.Ok("plot", dir.Combine("log.csv"), dir.Combine("out.png"));

        Assert.Contains("3 epochs", output);
        var history = HistoryCsv.Read(dir.Combine("log.csv"));
        Assert.Equal([0, 1, 2], history.Epochs);
        Assert.Equal(0.2012345790863037, history["loss"][2]);
        Assert.True(double.IsNaN(history["val_accuracy"][2]));
        // accuracy, learning_rate, loss: 3 charts, two per row
        PngCheck.ChartsDrawn(dir.Combine("out.png"), charts: 3, columns: 2, rows: 2, HistoryPlot.ChartWidth, HistoryPlot.ChartHeight);
    }

    [Fact]
    public void Plot_command_refuses_a_file_without_an_epoch_column()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("bad.csv"), "loss,acc\n0.5,0.9\n");
        var (code, _, error) = CliRunner.Run("plot", dir.Combine("bad.csv"), dir.Combine("out.png"));
        Assert.Equal(4, code);
        Assert.Contains("no \"epoch\" column", CliRunner.AssertOneLineError(error));
        Assert.False(File.Exists(dir.Combine("out.png")));
    }
}
