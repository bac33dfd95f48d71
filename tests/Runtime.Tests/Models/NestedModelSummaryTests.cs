using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Tests.Models;

/// <summary>
/// Keras prints a nested model as one row: its name, its class (Sequential, Functional), its output shape
/// and all of its parameters; a frozen nested model's parameters count as non-trainable. Tables written
/// by hand from Keras 2.8's layout (line length 65, columns at 29 and 55).
/// </summary>
public class NestedModelSummaryTests
{
    const string FrozenSequentialInSequential = """
        Model: "sum_nest_outer"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         sum_nest_base (Sequential)  (None, 16)                144

         sum_nest_head (Dense)       (None, 3)                 51

        =================================================================
        Total params: 195
        Trainable params: 51
        Non-trainable params: 144
        _________________________________________________________________
        """;

    const string FunctionalInFunctional = """
        Model: "sum_fn_outer"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         sum_fn_in (InputLayer)      [(None, 8)]               0

         sum_fn_base (Functional)    (None, 4)                 36

         sum_fn_head (Dense)         (None, 2)                 10

        =================================================================
        Total params: 46
        Trainable params: 46
        Non-trainable params: 0
        _________________________________________________________________
        """;

    [Fact]
    public void Frozen_nested_Sequential_is_one_row_with_non_trainable_params()
    {
        var inner = new Sequential([new Dense(16, inputShape: [8], name: "sum_nest_dense")], name: "sum_nest_base");
        inner.Trainable = false;
        var outer = new Sequential([inner, new Dense(3, name: "sum_nest_head")], name: "sum_nest_outer");

        Assert.Equal(FrozenSequentialInSequential.ReplaceLineEndings("\n"), outer.SummaryText());
    }

    [Fact]
    public void Functional_called_in_a_Functional_is_one_row()
    {
        var baseIn = Keras.Input([8], name: "sum_fn_base_in");
        var inner = new Functional(baseIn, new Dense(4, name: "sum_fn_dense").Call(baseIn), name: "sum_fn_base");
        var inputs = Keras.Input([8], name: "sum_fn_in");
        var outer = new Functional(inputs, new Dense(2, name: "sum_fn_head").Call(inner.Call(inputs)), name: "sum_fn_outer");

        Assert.Equal(FunctionalInFunctional.ReplaceLineEndings("\n"), outer.SummaryText());
    }
}
