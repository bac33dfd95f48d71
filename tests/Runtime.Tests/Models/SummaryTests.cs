using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Support;

namespace Layerwise.Tests.Models;

public class SummaryTests
{
    // What TensorFlow 2.8's model.summary() prints for the tutorial model (trailing spaces trimmed).
    const string KerasSummary = """
        Model: "sequential"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         dense (Dense)               (None, 512)               401920

         dropout (Dropout)           (None, 512)               0

         dense_1 (Dense)             (None, 10)                5130

        =================================================================
        Total params: 407,050
        Trainable params: 407,050
        Non-trainable params: 0
        _________________________________________________________________
        """;

    [Fact]
    public void Tutorial_model_summary_matches_the_keras_table()
    {
        Backend.ClearSession();
        var model = Tutorial.CreateModel();
        var lines = new List<string>();

        model.Summary(lines.Add);

        Assert.Equal(KerasSummary.ReplaceLineEndings("\n"), string.Join("\n", lines));
    }

    [Fact]
    public void Non_trainable_layers_are_counted_separately()
    {
        var frozen = new Dense(4, inputShape: [3]) { Trainable = false };
        var model = new Sequential(frozen, new Dense(2));
        var text = model.SummaryText();

        Assert.Contains("Total params: 26", text);          // 3*4+4 + 4*2+2
        Assert.Contains("Trainable params: 10", text);
        Assert.Contains("Non-trainable params: 16", text);
    }

    [Fact]
    public void Summary_of_a_model_without_input_shape_says_how_to_build_it()
    {
        var model = new Sequential(new Dense(3));
        var e = Assert.Throws<InvalidOperationException>(() => model.Summary(_ => { }));
        Assert.Contains("not yet been built", e.Message);
    }

    [Fact]
    public void Long_layer_names_are_cut_to_the_column()
    {
        var model = new Sequential(new Dense(3, inputShape: [2], name: "a_very_long_layer_name_that_overflows"));
        var row = model.SummaryText().Split('\n').Single(l => l.StartsWith(" a_very"));
        Assert.Equal(" a_very_long_layer_name_that", row[..28]);
        Assert.Equal(' ', row[28]);
    }
}
