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
    /// <summary>
    /// Keras' <c>model.fit</c> with inputs and targets keyed by name: <c>fit({"a": xa, "b": xb}, {"cls": y1})</c>.
    /// </summary>
    /// <param name="x">Inputs keyed by the <see cref="Keras.Input"/> names.</param>
    /// <param name="y">Targets keyed by <see cref="OutputNames"/>.</param>
    /// <param name="batchSize">Samples per gradient step (Keras' <c>batch_size</c>).</param>
    /// <param name="epochs">Passes over the data (Keras' <c>epochs</c>).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch (Keras' <c>verbose</c>).</param>
    /// <param name="callbacks">Callbacks to run (Keras' <c>callbacks</c>).</param>
    /// <param name="validationSplit">Fraction of the data, taken from the end, held out for validation (Keras'
    /// <c>validation_split</c>).</param>
    /// <param name="validationData">Validation inputs and targets, keyed alike (Keras' <c>validation_data</c>).</param>
    /// <param name="shuffle">Whether to shuffle the samples every epoch (Keras' <c>shuffle</c>).</param>
    /// <param name="initialEpoch">The epoch to start from, when resuming (Keras' <c>initial_epoch</c>).</param>
    /// <returns>The per-epoch logs (Keras' <c>History</c>).</returns>
    /// <exception cref="ArgumentException">A key is missing or names no input or output of the model.</exception>
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

    /// <summary>Keras' <c>model.evaluate</c> with inputs and targets keyed by name.</summary>
    /// <param name="x">Inputs keyed by the <see cref="Keras.Input"/> names.</param>
    /// <param name="y">Targets keyed by <see cref="OutputNames"/>.</param>
    /// <param name="batchSize">Samples per batch (Keras' <c>batch_size</c>).</param>
    /// <param name="verbose">0 silent, 1 progress bar (Keras' <c>verbose</c>).</param>
    /// <param name="callbacks">Callbacks to run (Keras' <c>callbacks</c>).</param>
    /// <returns>The loss and metrics over the data.</returns>
    /// <exception cref="ArgumentException">A key is missing or names no input or output of the model.</exception>
    public Logs Evaluate(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int batchSize = 32, int verbose = 1,
                         IEnumerable<Callback>? callbacks = null) =>
        Evaluate(InOrder(x, InputNames, "inputs", nameof(x)), InOrder(y, OutputNames, "outputs", nameof(y)), batchSize, verbose, callbacks);

    /// <summary>
    /// Keras' <c>model.predict</c> with inputs keyed by name; returns one tensor per output, in
    /// <see cref="OutputNames"/> order.
    /// </summary>
    /// <param name="x">Inputs keyed by the <see cref="Keras.Input"/> names.</param>
    /// <param name="batchSize">Samples per batch (Keras' <c>batch_size</c>).</param>
    /// <exception cref="ArgumentException">A key is missing or names no input of the model.</exception>
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
