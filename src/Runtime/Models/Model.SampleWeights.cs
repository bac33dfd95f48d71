using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>One checked float weight tensor [samples] (or null) per output, on the model's device; null when none was given.</summary>
    Tensor?[]? PrepareWeights(IReadOnlyList<Tensor?>? weights, long samples, string argument)
    {
        if (weights is null) return null;
        var outputs = OutputNames;
        if (weights.Count != outputs.Count)
            throw new ArgumentException(
                $"{argument}: model \"{Name}\" has {outputs.Count} output(s) ({CompileMapping.List(outputs)}) but received {weights.Count} sample-weight tensor(s); pass one per output (null for none), in that order.", argument);
        return [.. weights.Select((w, i) => w is null ? null
            : SampleWeights.Check(w, samples, outputs.Count == 1 ? argument : $"{argument}[{i}] (output \"{outputs[i]}\")", Device))];
    }

    /// <summary>Keras turns class_weight into sample weights, multiplied into any given (data_adapter's map function).</summary>
    Tensor?[] WithClassWeights(Tensor?[]? weights, IReadOnlyList<Tensor> targets, IReadOnlyDictionary<int, double> classWeight)
    {
        if (OutputNames.Count != 1)
            throw new ArgumentException(
                $"classWeight is only supported for models with a single output (as Keras); model \"{Name}\" has {OutputNames.Count}: {CompileMapping.List(OutputNames)}. Pass sampleWeight per output instead.", nameof(classWeight));
        var fromClasses = SampleWeights.FromClasses(targets[0], classWeight, nameof(classWeight)).to(Device);
        return [weights?[0] is { } given ? given.mul(fromClasses) : fromClasses];
    }
}
