using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Core;

/// <summary>Shape prints as Keras/NumPy print shape tuples and converts to and from TorchSharp's long[].</summary>
public class ShapeTests
{
    [Fact]
    public void Prints_as_a_Python_tuple_with_None_for_unknown_sizes()
    {
        Assert.Equal("(1000, 10)", new Shape(1000, 10).ToString());
        Assert.Equal("(None, 28, 28, 1)", new Shape(-1, 28, 28, 1).ToString());
        Assert.Equal("(5,)", new Shape(5).ToString());
        Assert.Equal("()", new Shape().ToString());
    }

    [Fact]
    public void Predict_output_prints_its_shape_as_Keras()
    {
        var model = new Sequential(new Dense(10, inputShape: [4]));
        using var x = rand([1000, 4]);
        using var y = model.Predict(x);
        Assert.Equal("(1000, 10)", y.KerasShape().ToString());
        Assert.Equal("System.Int64[]", y.shape.ToString());   // what it replaces
    }

    [Fact]
    public void Compares_by_value_and_converts_to_and_from_long_arrays()
    {
        Shape shape = new long[] { 32, 28, 28, 3 };
        Assert.Equal(new Shape(32, 28, 28, 3), shape);
        Assert.True(shape == new Shape(32, 28, 28, 3));
        Assert.True(shape != new Shape(32, 28, 28));
        Assert.Equal(new Shape(32, 28, 28, 3).GetHashCode(), shape.GetHashCode());
        long[] array = shape;
        Assert.Equal([32L, 28, 28, 3], array);
        array[0] = 1;
        Assert.Equal(32, shape[0]);   // immutable: conversions copy
        using var zeros = TorchSharp.torch.zeros(shape);
        Assert.Equal(shape, zeros.KerasShape());
    }

    [Fact]
    public void Indexes_and_slices_like_a_tuple()
    {
        var shape = new Shape(-1, 28, 28, 1);
        Assert.Equal(4, shape.Rank);
        Assert.Equal(1, shape[^1]);
        Assert.Equal(new Shape(28, 28, 1), shape[1..]);
        Assert.False(shape.IsFullyDefined);
        Assert.True(shape[1..].IsFullyDefined);
        Assert.Throws<ArgumentOutOfRangeException>(() => shape[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(2, -3));
    }
}

/// <summary>Python's float repr, which Keras' CSV rows and messages use.</summary>
public class PythonTextTests
{
    [Theory]
    // repr() in CPython 3 for each value.
    [InlineData(0.5, "0.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]   // (subnormals read as 0 here: the runtime flushes denormals)
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Repr_matches_CPython(double value, string expected) => Assert.Equal(expected, PythonText.Repr(value));
}
