using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// Keras' <c>MeanMetricWrapper</c>: the running mean of a per-sample function. The metric forms of Keras' losses
/// (<c>"mse"</c>, <c>MeanSquaredLogarithmicError</c>, <c>KLDivergence</c>, <c>binary_crossentropy</c>, ...) are this
/// over the loss's per-sample values, and are written to files under the Keras metric class they are
/// (<see cref="ClassName"/>), so that Keras reads them back as its own.
/// </summary>
public sealed class MeanMetricWrapper : Metric
{
    readonly Func<Tensor, Tensor, Tensor> function;
    readonly string className;

    /// <summary>A metric that averages <paramref name="perSample"/>(y_true, y_pred), a tensor of shape [batch].</summary>
    public MeanMetricWrapper(Func<Tensor, Tensor, Tensor> perSample, string name, string className = "MeanMetricWrapper")
        : base(name)
    {
        function = perSample;
        this.className = className;
    }

    /// <summary>The Keras metric class this is (<c>MeanSquaredError</c>, ...), or <c>MeanMetricWrapper</c> for a user function.</summary>
    public override string ClassName => className;

    /// <summary>The loss whose per-sample values are averaged, when the metric is a loss's metric form.</summary>
    public Loss? Loss { get; private init; }

    /// <summary>The metric form of <paramref name="loss"/>, Keras class <paramref name="kerasClassName"/>; named as the loss when <paramref name="name"/> is null.</summary>
    public static MeanMetricWrapper OfLoss(Loss loss, string kerasClassName, string? name = null) =>
        new(loss.PerSample, name ?? loss.Name, kerasClassName) { Loss = loss };

    /// <summary>Keras' metric <c>CosineSimilarity</c>: Σ l2_normalize(y_true)·l2_normalize(y_pred) over the last axis (positive, 1 best; the loss is its negative).</summary>
    public static MeanMetricWrapper CosineSimilarity(string? name = null)
    {
        var loss = new Losses.CosineSimilarity();
        return new((yTrue, yPred) => loss.PerSample(yTrue, yPred).neg_(), name ?? "cosine_similarity", "CosineSimilarity") { Loss = loss };
    }

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => function(yTrue, yPred);
}
