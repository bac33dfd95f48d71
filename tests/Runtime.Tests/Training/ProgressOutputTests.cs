using System.Text.RegularExpressions;

namespace Layerwise.Tests.Training;

/// <summary>What Fit and Evaluate print when output is not a terminal (one final line per epoch).</summary>
public class ProgressOutputTests
{
    static string Capture(Action run)
    {
        var writer = new StringWriter();
        var previous = Output.Writer;
        Output.Writer = writer;
        try { run(); }
        finally { Output.Writer = previous; }
        return writer.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Fit_verbose_1_prints_epoch_headers_and_one_keras_progress_line_per_epoch()
    {
        var (x, y) = TutorialModel.MnistTrain(64);
        var (xv, yv) = TutorialModel.MnistTest(32);
        var model = TutorialModel.Create();

        var text = Capture(() => model.Fit(x, y, epochs: 2, validationData: (xv, yv)));

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Equal("Epoch 2/2", lines[2]);
        // A value at or below 1e-3 (an accuracy of 0 on these few samples) prints as Keras prints it: 0.0000e+00.
        const string value = @"\d\.\d{4}(e[+-]\d\d)?";
        var bar = new Regex(@"^2/2 \[==============================\] - \d+s \d+(us|ms|s)/step - loss: " + value + " - " +
                            "sparse_categorical_accuracy: " + value + " - val_loss: " + value + " - val_sparse_categorical_accuracy: " + value + "$");
        Assert.Matches(bar, lines[1]);
        Assert.Matches(bar, lines[3]);
    }

    [Fact]
    public void Fit_of_one_epoch_prints_no_epoch_header_as_keras()
    {
        var (x, y) = TutorialModel.MnistTrain(32);
        var model = TutorialModel.Create();
        var text = Capture(() => model.Fit(x, y, epochs: 1));
        Assert.StartsWith("1/1 [", text);
    }

    [Fact]
    public void Evaluate_verbose_2_prints_the_one_line_form()
    {
        var (x, y) = TutorialModel.MnistTest(1000);
        var model = TutorialModel.Create();
        var text = Capture(() => model.Evaluate(x, y, verbose: 2));
        Assert.Matches(new Regex(@"^32/32 - \d+s - loss: \d\.\d{4} - sparse_categorical_accuracy: \d\.\d{4} - \d+(us|ms|s)/epoch - \d+(us|ms|s)/step\n$"), text);
    }

    [Fact]
    public void Verbose_0_prints_nothing()
    {
        var (x, y) = TutorialModel.MnistTrain(32);
        var model = TutorialModel.Create();
        Assert.Equal("", Capture(() => { model.Fit(x, y, epochs: 2, verbose: 0); model.Evaluate(x, y, verbose: 0); }));
    }

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_in_place_and_ends_with_a_newline()
    {
        var writer = new StringWriter();
        var bar = new Layerwise.Training.ProgressBar(target: 4, verbose: 1, writer, interactive: true);
        var logs = new Layerwise.Training.Logs();
        logs.Set("loss", 0.5);

        bar.Update(1, logs);
        bar.Update(4, logs);

        var text = writer.ToString();
        Assert.StartsWith("\r1/4 [" + new string('=', 6) + ">" + new string('.', 23) + "] - ETA: ", text);
        Assert.Contains("\r4/4 [==============================] - 0s ", text);
        Assert.EndsWith(" - loss: 0.5000" + Environment.NewLine, text);
    }

    [Fact]
    public void Small_values_use_scientific_notation_as_keras()
    {
        Assert.Equal("0.1234", Layerwise.Training.ProgressBar.FormatValue(0.12341));
        Assert.Equal("5.0000e-04", Layerwise.Training.ProgressBar.FormatValue(0.0005));
    }
}
