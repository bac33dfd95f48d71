using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// The summary of functional models, written by hand from tf.keras 2.8's <c>print_summary</c> rules:
/// line length 98 and columns at 33%, 55%, 67% with "Connected to" for a graph (a Python list of
/// <c>layer[node][tensor]</c>, broken after each <c>',</c> that ends an item); a plain stack prints as a
/// Sequential (65, 45%, 85%); an InputLayer's shape is a list; trailing spaces trimmed.
/// </summary>
public class FunctionalSummaryTests
{
    const string TwoBranchSummary = """
        Model: "two_branch"
        __________________________________________________________________________________________________
         Layer (type)                   Output Shape         Param #     Connected to
        ==================================================================================================
         img (InputLayer)               [(None, 784)]        0           []

         dense_a (Dense)                (None, 64)           50240       ['img[0][0]']

         dense_b (Dense)                (None, 64)           50240       ['img[0][0]']

         add (Add)                      (None, 64)           0           ['dense_a[0][0]',
                                                                          'dense_b[0][0]']

         logits (Dense)                 (None, 10)           650         ['add[0][0]']

        ==================================================================================================
        Total params: 101,130
        Trainable params: 101,130
        Non-trainable params: 0
        __________________________________________________________________________________________________
        """;

    const string StackSummary = """
        Model: "stack"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         pixels (InputLayer)         [(None, 3)]               0

         hidden (Dense)              (None, 4)                 16

         out (Dense)                 (None, 2)                 10

        =================================================================
        Total params: 26
        Trainable params: 26
        Non-trainable params: 0
        _________________________________________________________________
        """;

    [Fact]
    public void Graph_summary_has_the_connected_to_column_as_Keras_prints_it()
    {
        var img = Keras.Input([784], name: "img");
        var a = new Dense(64, activation: "relu", name: "dense_a").Call(img);
        var b = new Dense(64, name: "dense_b").Call(img);
        var sum = new Add(name: "add").Call(a, b);
        var model = new Functional(img, new Dense(10, name: "logits").Call(sum), name: "two_branch");

        Assert.Equal(TwoBranchSummary.ReplaceLineEndings("\n"), model.SummaryText());
    }

    [Fact]
    public void A_functional_stack_prints_like_a_Sequential_with_its_input_layer()
    {
        var pixels = Keras.Input([3], name: "pixels");
        var hidden = new Dense(4, name: "hidden").Call(pixels);
        var model = new Functional(pixels, new Dense(2, name: "out").Call(hidden), name: "stack");

        Assert.Equal(StackSummary.ReplaceLineEndings("\n"), model.SummaryText());
    }

    [Fact]
    public void A_shared_layer_lists_every_call_and_says_multiple_when_its_shapes_differ()
    {
        var a = Keras.Input([2, 3], name: "seq_a");
        var b = Keras.Input([5, 3], name: "seq_b");
        var shared = new Dense(4, name: "shared");
        var joined = new Concatenate(axis: 1, name: "join").Call(shared.Call(a), shared.Call(b));
        var model = new Functional([a, b], [joined], name: "siamese");

        var lines = model.SummaryText().Split('\n');

        // Same column positions as above: name at 1, shape at 32, params at 53, connections at 65.
        Assert.Contains(" shared (Dense)                 multiple             16          ['seq_a[0][0]',", lines);
        Assert.Contains(new string(' ', 66) + "'seq_b[0][0]']", lines);
        Assert.Contains(" join (Concatenate)             (None, 7, 4)         0           ['shared[0][0]',", lines);
        Assert.Contains(new string(' ', 66) + "'shared[1][0]']", lines);
        Assert.Contains("Total params: 16", lines);
    }
}
