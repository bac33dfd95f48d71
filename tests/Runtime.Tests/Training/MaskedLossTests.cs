using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// The model output's mask applied to losses and metrics in Fit and Evaluate, as tf.keras 2.11+ (<c>LossesContainer</c>
/// with <c>Loss.__call__</c>'s <c>apply_valid_mask</c>, <c>MetricsContainer</c> passing <c>sample_weight=mask</c>) and
/// Keras 3: loss = Σ loss·weight·mask / Σ mask per batch, metrics averaged over unmasked positions. Every expected
/// value is computed here from the model's own predictions (Predict) with plain torch ops in double precision.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class MaskedLossTests
{
    public MaskedLossTests() => torch.set_num_threads(1);

    // Row 0 unpadded, row 1 padded at the end, row 2 at the start (Keras' pad_sequences default); 0 is padding.
    static readonly float[] Padded = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 0, 0, 0, 0, 0, 7, 8, 2];

    // Targets per step; padded steps hold class 2 so that counting them would change every value.
    static readonly long[] Tags = [0, 1, 2, 1, 0, 1, 1, 0, 0, 2, 2, 2, 2, 2, 2, 0, 1, 1];

    static Tensor Tokens() => tensor(Padded, [3, 6]);

    static Tensor Targets() => tensor(Tags, [3, 6]);

    static Tensor StepMask() => Tokens().ne(0).to_type(ScalarType.Float64);

    /// <summary>Embedding(mask_zero) → LSTM(return_sequences) → Dense on 3-D: one logit vector per step, the mask [batch, steps] carried to the output.</summary>
    static Sequential Tagger(int seed, bool maskZero = true, IEnumerable<Metric>? metrics = null)
    {
        Backend.SetRandomSeed(seed);
        var dense = new Dense(3);
        var model = new Sequential(new Embedding(10, 4, maskZero: maskZero, inputShape: [6]), new LSTM(5, returnSequences: true), dense);
        model.Compile(new SGD(0.5), new SparseCategoricalCrossentropy(fromLogits: true), metrics ?? ["accuracy"]);
        // Class 0 favoured and class 2 (the padded steps' target) disfavoured: padded steps would move every number.
        dense.Bias!.Assign(tensor(new[] { 1.5f, 0f, -1.5f }));
        return model;
    }

    /// <summary>−log softmax(logits)[label] at every step, written out with exp and log: [batch, steps].</summary>
    static Tensor StepCrossentropy(Tensor logits, Tensor labels)
    {
        var l = logits.to_type(ScalarType.Float64);
        var logSoftmax = l.sub(l.exp().sum(-1, keepdim: true).log());
        return logSoftmax.gather(-1, labels.unsqueeze(-1)).squeeze(-1).neg();
    }

    static void AssertClose(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");

    static double MaskedMean(Tensor values, Tensor mask) => values.mul(mask).sum().item<double>() / mask.sum().item<double>();

    static Tensor StepCorrect(Tensor logits, Tensor labels) => logits.argmax(-1).eq(labels).to_type(ScalarType.Float64);

    [Fact]
    public void Evaluate_averages_the_loss_and_accuracy_of_a_padded_batch_over_unmasked_steps()
    {
        var model = Tagger(11);
        using var logits = model.Predict(Tokens());
        var mask = StepMask();
        double expectedLoss = MaskedMean(StepCrossentropy(logits, Targets()), mask);
        double expectedAccuracy = MaskedMean(StepCorrect(logits, Targets()), mask);

        var logs = model.Evaluate(Tokens(), Targets(), batchSize: 3, verbose: 0);

        AssertClose(expectedLoss, logs["loss"]);
        AssertClose(expectedAccuracy, logs["accuracy"], 1e-6);
        // The padded steps matter to the unmasked numbers, so counting them could not pass.
        Assert.NotEqual(StepCrossentropy(logits, Targets()).mean().item<double>(), logs["loss"], 3);
        Assert.NotEqual(StepCorrect(logits, Targets()).mean().item<double>(), logs["accuracy"], 3);
    }

    [Fact]
    public void Evaluate_over_several_batches_weights_batch_losses_by_sample_count_and_accuracy_by_unmasked_steps()
    {
        var model = Tagger(12);
        using var logits = model.Predict(Tokens());
        var mask = StepMask();
        var ce = StepCrossentropy(logits, Targets());
        // Batches of 2 and 1 samples: each batch's masked mean, tracked with its sample count (Keras' loss Mean);
        // accuracy is one Mean over every unmasked step of the epoch.
        double first = MaskedMean(ce.narrow(0, 0, 2), mask.narrow(0, 0, 2));
        double second = MaskedMean(ce.narrow(0, 2, 1), mask.narrow(0, 2, 1));
        double expectedAccuracy = MaskedMean(StepCorrect(logits, Targets()), mask);

        var logs = model.Evaluate(Tokens(), Targets(), batchSize: 2, verbose: 0);

        AssertClose((first * 2 + second) / 3, logs["loss"]);
        AssertClose(expectedAccuracy, logs["accuracy"], 1e-6);
    }

    [Fact]
    public void Fit_logs_the_masked_loss_of_the_first_batch_before_its_step()
    {
        var model = Tagger(13);
        using var logits = model.Predict(Tokens());
        double expected = MaskedMean(StepCrossentropy(logits, Targets()), StepMask());

        var history = model.Fit(Tokens(), Targets(), batchSize: 3, epochs: 1, verbose: 0, shuffle: false);

        AssertClose(expected, history["loss"][0]);
    }

    [Fact]
    public void Validation_during_Fit_uses_the_mask()
    {
        var model = Tagger(22);
        var history = model.Fit(Tokens(), Targets(), batchSize: 3, epochs: 1, verbose: 0, shuffle: false,
                                validationData: (Tokens(), Targets()));
        using var logits = model.Predict(Tokens());   // the weights validation ran with (after the epoch)
        var mask = StepMask();

        AssertClose(MaskedMean(StepCrossentropy(logits, Targets()), mask), history["val_loss"][0]);
        AssertClose(MaskedMean(StepCorrect(logits, Targets()), mask), history["val_accuracy"][0], 1e-6);
    }

    [Fact]
    public void Masked_targets_do_not_change_training()
    {
        // The same model trained on targets that differ only at padded steps ends with the same weights.
        var other = Targets().clone();
        other[1, 4] = tensor(0L);
        other[1, 5] = tensor(1L);
        other[2, 0] = tensor(1L);
        var a = Tagger(14);
        var b = Tagger(14);
        var before = Weights(a);
        var ha = a.Fit(Tokens(), Targets(), batchSize: 3, epochs: 3, verbose: 0, shuffle: false);
        var hb = b.Fit(Tokens(), other, batchSize: 3, epochs: 3, verbose: 0, shuffle: false);

        Assert.Equal(ha["loss"], hb["loss"]);
        Assert.Equal(Weights(a), Weights(b));
        Assert.NotEqual(before, Weights(a));
    }

    static float[] Weights(Model model) => [.. model.Weights.SelectMany(w => w.ToCpu().data<float>().ToArray())];

    [Fact]
    public void Mask_and_sample_weight_multiply_and_the_sum_is_divided_by_the_unmasked_steps()
    {
        var model = Tagger(15);
        using var logits = model.Predict(Tokens());
        var mask = StepMask();
        var w = tensor(new[] { 0.5, 2.0, 3.0 }).unsqueeze(1);
        double expected = StepCrossentropy(logits, Targets()).mul(mask).mul(w).sum().item<double>() / mask.sum().item<double>();
        double expectedAccuracy = MaskedMean(StepCorrect(logits, Targets()), mask);

        var logs = model.Evaluate(Tokens(), Targets(), batchSize: 3, verbose: 0, sampleWeight: tensor(new[] { 0.5f, 2f, 3f }));

        AssertClose(expected, logs["loss"]);
        AssertClose(expectedAccuracy, logs["accuracy"], 1e-6);   // metrics take the mask, not the sample weights (Keras 2)
    }

    [Fact]
    public void A_model_without_mask_still_counts_every_step()
    {
        var model = Tagger(16, maskZero: false);
        using var logits = model.Predict(Tokens());
        var ce = StepCrossentropy(logits, Targets());

        var logs = model.Evaluate(Tokens(), Targets(), batchSize: 3, verbose: 0);
        AssertClose(ce.mean().item<double>(), logs["loss"]);
        AssertClose(StepCorrect(logits, Targets()).mean().item<double>(), logs["accuracy"], 1e-6);

        // Sample weights on a sequence output: each sample's weight at every step, divided by batch × steps (Keras).
        var w = tensor(new[] { 0.5, 2.0, 3.0 }).unsqueeze(1);
        var weighted = model.Evaluate(Tokens(), Targets(), batchSize: 3, verbose: 0, sampleWeight: tensor(new[] { 0.5f, 2f, 3f }));
        AssertClose(ce.mul(w).sum().item<double>() / 18, weighted["loss"]);
    }

    [Fact]
    public void Masking_layer_masks_the_mse_loss_and_mae_metric()
    {
        Backend.SetRandomSeed(17);
        var model = new Sequential(new Masking(maskValue: 0.0, inputShape: [6, 2]), new LSTM(4, returnSequences: true), new Dense(2));
        model.Compile(new SGD(0.1), new MeanSquaredError(), ["mae"]);
        var x = randn(3, 6, 2);
        x[1, 4..] = zeros(2, 2);
        x[2, ..3] = zeros(3, 2);
        var y = randn(3, 6, 2);
        using var prediction = model.Predict(x);
        var difference = prediction.to_type(ScalarType.Float64).sub(y.to_type(ScalarType.Float64));
        var mask = x.ne(0).any(-1).to_type(ScalarType.Float64);

        var logs = model.Evaluate(x, y, batchSize: 3, verbose: 0);

        AssertClose(MaskedMean(difference.square().mean([-1L]), mask), logs["loss"]);
        AssertClose(MaskedMean(difference.abs().mean([-1L]), mask), logs["mae"]);
        Assert.NotEqual(difference.square().mean().item<double>(), logs["loss"], 3);
        Assert.NotEqual(difference.abs().mean().item<double>(), logs["mae"], 3);
    }

    [Fact]
    public void A_per_sample_mask_leaves_masked_samples_out_of_the_loss_and_R2Score()
    {
        // Masking on [batch, features] masks whole samples (mask [batch]); Dense passes it to the output.
        Backend.SetRandomSeed(21);
        var model = new Sequential(new Masking(maskValue: 0.0, inputShape: [3]), new Dense(2));
        model.Compile(new SGD(0.1), new MeanSquaredError(), [new R2Score()]);
        var x = randn(5, 3);
        x[1] = zeros(3);
        x[3] = zeros(3);
        var y = randn(5, 2);
        using var prediction = model.Predict(x);
        var keep = tensor(new long[] { 0, 2, 4 });
        var yKept = y.index_select(0, keep).to_type(ScalarType.Float64);
        var residual = prediction.index_select(0, keep).to_type(ScalarType.Float64).sub(yKept);
        var variation = yKept.sub(yKept.mean([0L], keepdim: true)).square().sum([0L]);
        double r2 = residual.square().sum([0L]).div(variation).neg().add(1).mean().item<double>();

        var logs = model.Evaluate(x, y, batchSize: 5, verbose: 0);

        AssertClose(residual.square().mean().item<double>(), logs["loss"]);
        AssertClose(r2, logs["r2_score"], 1e-5);
    }

    [Fact]
    public void Precision_counts_only_unmasked_decisions()
    {
        Backend.SetRandomSeed(18);
        var dense = new Dense(1, activation: "sigmoid");
        var model = new Sequential(new Embedding(10, 4, maskZero: true, inputShape: [6]), new LSTM(5, returnSequences: true), dense);
        model.Compile(new SGD(0.1), new BinaryCrossentropy(), [new Precision(threshold: 0.5)]);
        dense.Bias!.Assign(tensor(new[] { 1f }));   // most steps predicted positive, the padded ones too
        // Padded steps are labelled 1, so each of them predicted positive would count as a true positive.
        var labels = tensor(Tags.Select(t => t == 1 || t == 2 ? 1f : 0f).ToArray(), [3, 6, 1]);
        using var p = model.Predict(Tokens());
        var mask = StepMask().unsqueeze(-1);
        var positive = p.gt(0.5f).to_type(ScalarType.Float64).mul(mask);
        double truePositives = positive.mul(labels.to_type(ScalarType.Float64)).sum().item<double>();
        double predictedPositives = positive.sum().item<double>();
        var pd = p.to_type(ScalarType.Float64).clamp(1e-7, 1 - 1e-7);
        var yd = labels.to_type(ScalarType.Float64);
        var bce = yd.mul(pd.log()).add(yd.neg().add(1).mul(pd.neg().add(1).log())).neg().squeeze(-1);

        var logs = model.Evaluate(Tokens(), labels, batchSize: 3, verbose: 0);

        Assert.True(predictedPositives > 0, "the fixture should predict some unmasked step positive");
        AssertClose(truePositives / predictedPositives, logs["precision"], 1e-6);
        var allPositive = p.gt(0.5f).to_type(ScalarType.Float64);
        double unmaskedPrecision = allPositive.mul(labels.to_type(ScalarType.Float64)).sum().item<double>() / allPositive.sum().item<double>();
        Assert.NotEqual(unmaskedPrecision, logs["precision"], 3);
        AssertClose(MaskedMean(bce, StepMask()), logs["loss"], 1e-4);
    }

    [Fact]
    public void A_fully_padded_batch_has_loss_zero_and_adds_no_accuracy_count()
    {
        var model = Tagger(19);
        var tokens = Tokens().clone();
        tokens[2] = zeros(6);   // sample 2 is padding only
        using var logits = model.Predict(tokens);
        var mask = tokens.ne(0).to_type(ScalarType.Float64);
        var ce = StepCrossentropy(logits, Targets());
        double first = MaskedMean(ce.narrow(0, 0, 2), mask.narrow(0, 0, 2));

        var logs = model.Evaluate(tokens, Targets(), batchSize: 2, verbose: 0);

        // Keras 3 (divide_no_nan): the all-masked batch's loss is 0, counted with its one sample in the loss mean.
        AssertClose(first * 2 / 3, logs["loss"]);
        AssertClose(MaskedMean(StepCorrect(logits, Targets()), mask), logs["accuracy"], 1e-6);
    }

    [Fact]
    public void A_functional_model_masks_only_the_output_that_carries_a_mask()
    {
        Backend.SetRandomSeed(20);
        var inputs = Keras.Input(shape: [6]);
        var embedded = new Embedding(10, 4, maskZero: true).Call(inputs);
        var tags = new Dense(3, name: "tags").Call(new LSTM(5, returnSequences: true).Call(embedded));
        var score = new Dense(1, name: "score").Call(new LSTM(4).Call(embedded));   // a last output: no mask
        var model = new Functional([inputs], [tags, score]);
        model.Compile(new SGD(0.1), [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], ["accuracy"]);
        var scores = tensor(new[] { 0.5f, -1f, 2f }, [3, 1]);
        var outputs = model.Predict([Tokens()]);
        var mask = StepMask();
        double tagLoss = MaskedMean(StepCrossentropy(outputs[0], Targets()), mask);
        double scoreLoss = outputs[1].to_type(ScalarType.Float64).sub(scores.to_type(ScalarType.Float64)).square().mean().item<double>();

        var logs = model.Evaluate([Tokens()], [Targets(), scores], batchSize: 3, verbose: 0);

        AssertClose(tagLoss, logs["tags_loss"]);
        AssertClose(scoreLoss, logs["score_loss"]);
        AssertClose(tagLoss + scoreLoss, logs["loss"]);
        AssertClose(MaskedMean(StepCorrect(outputs[0], Targets()), mask), logs["tags_accuracy"], 1e-6);
    }

    [Fact]
    public void A_mask_that_does_not_cover_the_loss_values_is_refused_with_its_shape()
    {
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        var error = Assert.Throws<IncompatibleShapeException>(() => loss.Call(Targets(), randn(3, 6, 3), null, ones(3, 5, dtype: ScalarType.Bool)));
        Assert.Contains("(3, 5)", error.Message);
        Assert.Contains("(3, 6)", error.Message);
    }

    [Fact]
    public void Sparse_targets_of_a_sequence_output_must_match_its_steps()
    {
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        var error = Assert.Throws<IncompatibleShapeException>(() => loss.Call(zeros(3, 5, dtype: ScalarType.Int64), randn(3, 6, 3)));
        Assert.Contains("(3, 6)", error.Message);
    }
}
