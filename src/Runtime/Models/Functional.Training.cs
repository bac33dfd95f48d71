using Layerwise.Callbacks;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Models;

/// <summary>
/// Keras' name-keyed data (<c>fit({"a": xa, "b": xb}, {"cls": y1, "reg": y2})</c>): inputs keyed by the
/// <see cref="Keras.Input"/> names, targets by <see cref="OutputNames"/>; each is put in the model's order and
/// passed to the list overloads.
/// </summary>
public partial class Functional
{
    public History Fit(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int batchSize = 32, int epochs = 1,
                       int verbose = 1, IEnumerable<Callback>? callbacks = null, double validationSplit = 0,
                       (IReadOnlyDictionary<string, Tensor> X, IReadOnlyDictionary<string, Tensor> Y)? validationData = null,
                       bool shuffle = true, int initialEpoch = 0)
    {
        (IReadOnlyList<Tensor>, IReadOnlyList<Tensor>)? validation = validationData is { } v
            ? (InOrder(v.X, InputNames, "inputs", nameof(validationData)), InOrder(v.Y, OutputNames, "outputs", nameof(validationData)))
            : null;
        return Fit(InOrder(x, InputNames, "inputs", nameof(x)), InOrder(y, OutputNames, "outputs", nameof(y)), batchSize, epochs, verbose,
                   callbacks, validationSplit, validation, shuffle, initialEpoch);
    }

    public Logs Evaluate(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int batchSize = 32, int verbose = 1,
                         IEnumerable<Callback>? callbacks = null) =>
        Evaluate(InOrder(x, InputNames, "inputs", nameof(x)), InOrder(y, OutputNames, "outputs", nameof(y)), batchSize, verbose, callbacks);

    public Tensor[] Predict(IReadOnlyDictionary<string, Tensor> x, int batchSize = 32) =>
        Predict(InOrder(x, InputNames, "inputs", nameof(x)), batchSize);

    Tensor[] InOrder(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<string> names, string what, string argument)
    {
        ArgumentNullException.ThrowIfNull(tensors, argument);
        var unknown = tensors.Keys.FirstOrDefault(k => !names.Contains(k));
        if (unknown is not null)
            throw new ArgumentException($"{argument} names \"{unknown}\", which is not one of the {what} of model \"{Name}\": {CompileMapping.List(names)}.", argument);
        var missing = names.FirstOrDefault(n => !tensors.ContainsKey(n));
        if (missing is not null)
            throw new ArgumentException($"{argument} has no tensor for \"{missing}\"; model \"{Name}\" needs one for each of its {what}: {CompileMapping.List(names)}.", argument);
        return [.. names.Select(n => tensors[n])];
    }
}
