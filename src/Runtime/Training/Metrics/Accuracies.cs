using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>How often the arg-max of the prediction equals the integer label.</summary>
public sealed class SparseCategoricalAccuracy(string? name = null) : Metric(name)
{
    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        using var labels = Labels.AsClassIndices(yTrue, yPred, Name);
        using var predicted = yPred.argmax(-1);
        using var equal = predicted.eq(labels);
        return equal.to_type(ScalarType.Float32);
    }
}

/// <summary>How often the arg-max of the prediction equals the arg-max of the one-hot target.</summary>
public sealed class CategoricalAccuracy(string? name = null) : Metric(name)
{
    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var predicted = yPred.argmax(-1);
        using var expected = yTrue.argmax(-1);
        using var equal = predicted.eq(expected);
        return equal.to_type(ScalarType.Float32);
    }
}

/// <summary>How often the prediction, thresholded at <see cref="Threshold"/>, equals the 0/1 target.</summary>
public sealed class BinaryAccuracy(string? name = null, double threshold = 0.5) : Metric(name)
{
    /// <summary>Predictions above it count as 1 (Keras' <c>threshold</c>).</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var predicted = yPred.gt(Threshold);
        using var expected = yTrue.gt(0.5);
        using var equal = predicted.eq(expected);
        using var asFloat = equal.to_type(ScalarType.Float32);
        return asFloat.dim() > 1 ? asFloat.mean([-1L]) : asFloat.alias();
    }
}

/// <summary>Keras' <c>Accuracy</c>: how often the prediction equals the target exactly.</summary>
public sealed class Accuracy(string? name = null) : Metric(name)
{
    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var equal = yPred.eq(yTrue.to_type(yPred.dtype));
        using var asFloat = equal.to_type(ScalarType.Float32);
        return asFloat.dim() > 1 ? asFloat.mean([-1L]) : asFloat.alias();
    }
}

/// <summary>Mean absolute difference over the last axis.</summary>
public sealed class MeanAbsoluteError(string? name = null) : Metric(name)
{
    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var difference = yPred.sub(yTrue.to_type(yPred.dtype));
        using var absolute = difference.abs();
        return absolute.dim() > 1 ? absolute.mean([-1L]) : absolute.alias();
    }
}

/// <summary>
/// The string metric "accuracy": Keras picks the accuracy that fits the loss and logs it under the
/// name the user wrote. Resolved by <see cref="O:Layerwise.Models.Model.Compile"/>.
/// </summary>
internal sealed class AccuracyByLoss(string requestedName) : ResolvedByLoss(requestedName)
{
    public override Metric Resolve(Loss? loss)
    {
        Metric chosen = loss switch
        {
            SparseCategoricalCrossentropy => new SparseCategoricalAccuracy(Name),
            CategoricalCrossentropy => new CategoricalAccuracy(Name),
            BinaryCrossentropy => new BinaryAccuracy(Name),
            _ => new Accuracy(Name),
        };
        return chosen;
    }
}
