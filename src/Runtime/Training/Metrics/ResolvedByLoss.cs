using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// A metric string whose meaning depends on the output's loss ("accuracy", "crossentropy"): a placeholder that
/// <see cref="O:Layerwise.Models.Model.Compile"/> replaces with the concrete metric, logged under the name given.
/// </summary>
internal abstract class ResolvedByLoss(string requestedName) : Metric(requestedName)
{
    public abstract Metric Resolve(Loss? loss);

    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) =>
        throw new InvalidOperationException($"\"{Name}\" is resolved against the loss when the model is compiled.");
}

/// <summary>
/// The string metric "crossentropy" / "ce": binary, sparse categorical or categorical cross-entropy to match the
/// loss (tf.keras 2's compile_utils), on probabilities (<c>from_logits=False</c>, as Keras' metric functions).
/// </summary>
internal sealed class CrossentropyByLoss(string requestedName) : ResolvedByLoss(requestedName)
{
    public override Metric Resolve(Loss? loss) => loss switch
    {
        BinaryCrossentropy => MeanMetricWrapper.OfLoss(new BinaryCrossentropy(), "BinaryCrossentropy", Name),
        SparseCategoricalCrossentropy => MeanMetricWrapper.OfLoss(new SparseCategoricalCrossentropy(), "SparseCategoricalCrossentropy", Name),
        _ => MeanMetricWrapper.OfLoss(new CategoricalCrossentropy(), "CategoricalCrossentropy", Name),
    };
}
