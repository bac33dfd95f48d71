using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Tests.Models;

public class NamingTests
{
    [Fact]
    public void Layer_and_model_names_are_unique_per_process_in_keras_style()
    {
        Backend.ClearSession();
        var first = new Sequential(new Dense(2, inputShape: [3]), new Dropout(0.1), new Dense(1));
        var second = new Sequential(new Dense(2, inputShape: [3]));

        Assert.Equal("sequential", first.Name);
        Assert.Equal(["dense", "dropout", "dense_1"], first.Layers.Select(l => l.Name));
        Assert.Equal("sequential_1", second.Name);
        Assert.Equal("dense_2", second.Layers[0].Name);
    }

    [Fact]
    public void Class_names_become_snake_case()
    {
        Backend.ClearSession();
        Assert.Equal("input_layer", UniqueNames.ToSnakeCase("InputLayer"));
        Assert.Equal("sparse_categorical_accuracy", UniqueNames.ToSnakeCase("SparseCategoricalAccuracy"));
        Assert.Equal("conv2d_transpose", UniqueNames.ToSnakeCase("Conv2DTranspose"));
        Assert.Equal("activation", new Activation("relu").Name);
        Assert.Equal("flatten", new Flatten().Name);
    }

    [Fact]
    public void Weights_are_named_after_their_layer()
    {
        Backend.ClearSession();
        var model = new Sequential(new Dense(2, inputShape: [3]), new Dense(1));
        model.EnsureBuilt([3]);
        Assert.Equal(["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"], model.Weights.Select(w => w.Path));
    }

    [Fact]
    public void Two_layers_with_the_same_name_cannot_join_one_model()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Sequential(new Dense(2, inputShape: [3], name: "same"), new Dense(1, name: "same")));
        Assert.Contains("same", e.Message);
    }
}
