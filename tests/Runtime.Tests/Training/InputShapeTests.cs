using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Support;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>A native matmul shape error ends the process (DESIGN.md): every mismatch must be caught in managed code first.</summary>
public class InputShapeTests
{
    [Fact]
    public void Fit_with_wrong_feature_count_names_the_model_and_both_shapes()
    {
        Backend.ClearSession();
        var model = Tutorial.CreateModel();
        var e = Assert.Throws<IncompatibleShapeException>(() => model.Fit(zeros(32, 100), zeros(32), verbose: 0));

        Assert.Contains("\"sequential\"", e.Message);
        Assert.Contains("(None, 784)", e.Message);
        Assert.Contains("(32, 100)", e.Message);
    }

    [Fact]
    public void Predict_with_wrong_shape_after_training_is_a_managed_error()
    {
        var model = Tutorial.CreateModel();
        model.EnsureBuilt([784]);
        Assert.Throws<IncompatibleShapeException>(() => model.Predict(zeros(4, 28, 28)));
    }

    [Fact]
    public void Dense_called_directly_with_wrong_last_axis_names_the_layer_and_both_shapes()
    {
        Backend.ClearSession();
        var dense = new Dense(3);
        using var ok = dense.Invoke(zeros(2, 5));
        var e = Assert.Throws<IncompatibleShapeException>(() => dense.Invoke(zeros(2, 4)));

        Assert.Equal("dense", e.LayerName);
        Assert.Contains("value 5", e.Message);
        Assert.Contains("(2, 4)", e.Message);
    }

    [Fact]
    public void Labels_that_do_not_match_the_samples_are_rejected()
    {
        var model = Tutorial.CreateModel();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(zeros(32, 784), zeros(31), verbose: 0));
        Assert.Contains("32 samples", e.Message);
        Assert.Contains("(31,)", e.Message);
    }

    [Fact]
    public void Labels_of_wrong_rank_for_sparse_loss_name_the_loss_and_both_shapes()
    {
        var model = Tutorial.CreateModel();
        var e = Assert.Throws<IncompatibleShapeException>(() => model.Fit(zeros(32, 784), zeros(32, 10), verbose: 0));
        Assert.Contains("sparse_categorical_crossentropy", e.Message);
        Assert.Contains("(32, 10)", e.Message);
    }
}
