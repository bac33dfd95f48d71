using Layerwise.Training.Losses;
using static Layerwise.Tests.Training.SampleWeightFixture;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>Keras 2's class_weight: each sample weighted by its class's weight, multiplied into sample_weight when both are given.</summary>
public class ClassWeightTests
{
    static readonly Dictionary<int, double> Classes = new() { [0] = 2.0, [1] = 0.5, [2] = 1.5 };

    /// <summary>The class weights looked up by hand for the fixture's labels 0, 2, 1, 0, 1, 2.</summary>
    static Tensor AsSampleWeights() => tensor(new float[] { 2.0f, 1.5f, 0.5f, 2.0f, 0.5f, 1.5f });

    [Fact]
    public void Class_weight_trains_exactly_as_the_equivalent_sample_weight()
    {
        var byClass = Model();
        var bySample = Model();
        var h1 = byClass.Fit(X(), Labels(), batchSize: 4, epochs: 2, verbose: 0, shuffle: false, classWeight: Classes);
        var h2 = bySample.Fit(X(), Labels(), batchSize: 4, epochs: 2, verbose: 0, shuffle: false, sampleWeight: AsSampleWeights());
        Assert.Equal(h2["loss"], h1["loss"]);
        Assert.True(Parameters(byClass).AsSpan().SequenceEqual(Parameters(bySample)));
        Assert.False(Parameters(byClass).AsSpan().SequenceEqual(Parameters(Model())));
    }

    [Fact]
    public void One_hot_targets_take_the_class_of_their_argmax()
    {
        var oneHot = nn.functional.one_hot(Labels(), 3).to_type(ScalarType.Float32);
        var byClass = Model(new CategoricalCrossentropy(fromLogits: true));
        var bySample = Model(new CategoricalCrossentropy(fromLogits: true));
        byClass.Fit(X(), oneHot, batchSize: 6, verbose: 0, shuffle: false, classWeight: Classes);
        bySample.Fit(X(), oneHot, batchSize: 6, verbose: 0, shuffle: false, sampleWeight: AsSampleWeights());
        Assert.True(Parameters(byClass).AsSpan().SequenceEqual(Parameters(bySample)));
    }

    [Fact]
    public void Class_and_sample_weight_together_multiply()
    {
        var sw = tensor(new float[] { 1, 0, 2, 1, 0.5f, 3 });
        var both = Model();
        var product = Model();
        both.Fit(X(), Labels(), batchSize: 6, verbose: 0, shuffle: false, sampleWeight: sw, classWeight: Classes);
        product.Fit(X(), Labels(), batchSize: 6, verbose: 0, shuffle: false, sampleWeight: sw.mul(AsSampleWeights()));
        Assert.True(Parameters(both).AsSpan().SequenceEqual(Parameters(product)));
    }
}
