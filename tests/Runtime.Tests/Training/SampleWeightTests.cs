using static Layerwise.Tests.Training.SampleWeightFixture;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>Keras 2's sample_weight: loss = Σ wᵢ·lossᵢ / batch size; metrics unweighted. Expectations are written out with torch ops.</summary>
public class SampleWeightTests
{
    static readonly float[] W = [0.5f, 2, 0, 1, 3, 0.25f];

    [Fact]
    public void Weighted_loss_of_a_batch_is_the_weighted_sum_over_the_batch_size()
    {
        var model = Model();
        var logs = model.Evaluate(X(), Labels(), batchSize: 6, verbose: 0, sampleWeight: tensor(W));

        var perSample = PerSampleLoss(tensor(Kernel, [2, 3]).to_type(ScalarType.Float64), tensor(Bias).to_type(ScalarType.Float64), X(), Labels());
        double expected = perSample.mul(tensor(W).to_type(ScalarType.Float64)).sum().item<double>() / 6;
        Assert.Equal(expected, logs["loss"], 5);
        double unweighted = perSample.mean().item<double>();
        Assert.NotEqual(unweighted, logs["loss"], 3);
    }

    [Fact]
    public void Evaluate_over_several_batches_averages_the_batch_losses_by_sample_count()
    {
        var model = Model();
        var logs = model.Evaluate(X(), Labels(), batchSize: 4, verbose: 0, sampleWeight: tensor(W));
        var perSample = PerSampleLoss(tensor(Kernel, [2, 3]).to_type(ScalarType.Float64), tensor(Bias).to_type(ScalarType.Float64), X(), Labels());
        var weighted = perSample.mul(tensor(W).to_type(ScalarType.Float64));
        // Batch losses (Σ over 4)/4 and (Σ over 2)/2, tracked with the batch sizes as weights (Keras' loss Mean).
        double first = weighted.narrow(0, 0, 4).sum().item<double>() / 4, second = weighted.narrow(0, 4, 2).sum().item<double>() / 2;
        Assert.Equal((first * 4 + second * 2) / 6, logs["loss"], 5);
    }

    [Fact]
    public void Weights_of_all_ones_train_bit_identically_to_no_weights()
    {
        var plain = Model();
        var ones = Model();
        var h1 = plain.Fit(X(), Labels(), batchSize: 4, epochs: 3, verbose: 0, shuffle: false);
        var h2 = ones.Fit(X(), Labels(), batchSize: 4, epochs: 3, verbose: 0, shuffle: false, sampleWeight: ones_like(tensor(W)));
        Assert.Equal(h1["loss"], h2["loss"]);
        Assert.True(Parameters(plain).AsSpan().SequenceEqual(Parameters(ones)), "all-ones weights changed training");
    }

    [Fact]
    public void Zero_weights_give_the_step_of_the_other_samples_loss_over_the_whole_batch_size()
    {
        var model = Model(learningRate: 0.1);
        var w = tensor(new float[] { 1, 0, 1, 0, 2, 0 });
        model.Fit(X(), Labels(), batchSize: 6, epochs: 1, verbose: 0, shuffle: false, sampleWeight: w);

        // By hand: only samples 0, 2, 4 contribute (sample 4 twice), divided by all 6; one SGD step.
        var kernel = tensor(Kernel, [2, 3]).to_type(ScalarType.Float64).requires_grad_();
        var bias = tensor(Bias).to_type(ScalarType.Float64).requires_grad_();
        var keep = tensor(new long[] { 0, 2, 4 });
        var perSample = PerSampleLoss(kernel, bias, X().index_select(0, keep), Labels().index_select(0, keep));
        var loss = perSample.mul(tensor(new double[] { 1, 1, 2 })).sum().div(6);
        loss.backward();
        var expected = cat([kernel.detach().sub(kernel.grad!.mul(0.1)).reshape(-1), bias.detach().sub(bias.grad!.mul(0.1))]);
        var actual = Parameters(model);
        var e = expected.data<double>().ToArray();
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], actual[i], 5);
        Assert.NotEqual(Parameters(Model())[0], actual[0]);
    }

    [Fact]
    public void Metrics_stay_unweighted()
    {
        var model = Model();
        var logits = X().matmul(tensor(Kernel, [2, 3])).add(tensor(Bias));
        var correct = logits.argmax(1).eq(Labels());
        double unweightedAccuracy = correct.to_type(ScalarType.Float64).mean().item<double>();
        // Zero weight on every correctly classified sample: a weighted accuracy would be 0.
        var w = correct.logical_not().to_type(ScalarType.Float32);
        var logs = model.Evaluate(X(), Labels(), batchSize: 6, verbose: 0, sampleWeight: w);
        Assert.True(unweightedAccuracy > 0, "the fixture should classify some samples right");
        Assert.Equal(unweightedAccuracy, logs["accuracy"], 6);
    }

    [Fact]
    public void Validation_sample_weights_weight_val_loss_as_evaluate_does()
    {
        var model = Model();   // val_loss is measured after the epoch, with the weights Evaluate sees next
        var xv = X().narrow(0, 0, 4);
        var yv = Labels().narrow(0, 0, 4);
        var wv = tensor(W).narrow(0, 0, 4);
        var history = model.Fit(X(), Labels(), batchSize: 6, verbose: 0, validationData: (xv, yv), validationSampleWeight: wv);
        var expected = model.Evaluate(xv, yv, verbose: 0, sampleWeight: wv);
        Assert.Equal(expected["loss"], history["val_loss"][0], 6);
        Assert.NotEqual(model.Evaluate(xv, yv, verbose: 0)["loss"], history["val_loss"][0], 3);
    }

    [Fact]
    public void Validation_split_splits_the_sample_weights_with_the_data()
    {
        var model = Model();
        var history = model.Fit(X(), Labels(), batchSize: 6, verbose: 0, validationSplit: 0.5, sampleWeight: tensor(W));
        var expected = model.Evaluate(X().narrow(0, 3, 3), Labels().narrow(0, 3, 3), verbose: 0, sampleWeight: tensor(W).narrow(0, 3, 3));
        Assert.Equal(expected["loss"], history["val_loss"][0], 6);
    }
}
