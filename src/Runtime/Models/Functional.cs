using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Models;

/// <summary>
/// Keras' functional model (<c>keras.Model(inputs=..., outputs=...)</c>, class <c>Functional</c>):
/// the graph of layer calls between symbolic inputs (<see cref="Keras.Input"/>) and outputs.
/// <code>
/// var inputs = Keras.Input(shape: [784], name: "img");
/// var x = new Dense(64, activation: "relu").Call(inputs);
/// var outputs = new Dense(10).Call(x);
/// var model = new Functional(inputs, outputs, name: "mnist_model");
/// </code>
/// Its layers (<see cref="Layers"/>, input layers included) are built while the graph is made, so the
/// model is built from the start. A model with one input and one output trains and predicts like a
/// <see cref="Sequential"/>; one with several predicts with <see cref="Predict(IReadOnlyList{Tensor}, int)"/>.
/// </summary>
[ModelConfig(Module = FunctionalModule)]
public partial class Functional : Model
{
    readonly List<Layer> layers = [];
    readonly KerasTensor[] inputs;
    readonly KerasTensor[] outputs;
    readonly FunctionalGraph graph;

    /// <summary>A model from one symbolic input to one symbolic output.</summary>
    public Functional(KerasTensor input, KerasTensor output, string? name = null, bool trainable = true)
        : this([input], [output], name, trainable) { }

    /// <summary>
    /// A model from <paramref name="inputs"/> (each made by <see cref="Keras.Input"/>) to
    /// <paramref name="outputs"/>. The default name is Keras 2's (<c>model</c>, <c>model_1</c>, ...).
    /// </summary>
    /// <exception cref="ArgumentException">An input is not a <see cref="Keras.Input"/> tensor, an input is listed twice,
    /// an output depends on a tensor that is not among the inputs ("Graph disconnected"), or two layers share a name.</exception>
    [ConfigConstructor]
    public Functional([ConfigIgnore] IReadOnlyList<KerasTensor> inputs, [ConfigIgnore] IReadOnlyList<KerasTensor> outputs,
                      string? name = null, bool trainable = true)
        : base(name ?? UniqueNames.Next("model"), trainable)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0 || outputs.Count == 0)
            throw new ArgumentException($"Functional model \"{Name}\" needs at least one input and one output.");
        if (inputs.Concat(outputs).Any(t => t is null))
            throw new ArgumentException($"The inputs and outputs of functional model \"{Name}\" may not be null.");
        foreach (var input in inputs)
            if (!input.Node.IsInput)
                throw new ArgumentException($"Input tensors of functional model \"{Name}\" must come from Keras.Input; {input} is the output of layer \"{input.Layer.Name}\".", nameof(inputs));
        if (inputs.Distinct().Count() != inputs.Count)
            throw new ArgumentException($"The list of inputs passed to functional model \"{Name}\" is redundant: all inputs should only appear once.", nameof(inputs));
        this.inputs = [.. inputs];
        this.outputs = [.. outputs];
        graph = FunctionalGraph.Map(this.inputs, this.outputs, Name);
        foreach (var layer in graph.Layers) layers.Add(TrackLayer(layer));
        // A functional model creates no weights of its own and its layers are built: it is built (Keras).
        EnsureBuilt(this.inputs[0].Shape);
        // The base constructor stored the flag only; Keras' setter freezes the layers too.
        if (!trainable) Trainable = false;
    }

    /// <summary>Every layer of the graph in Keras' order (by depth from the inputs), input layers included, as Keras' <c>model.layers</c>.</summary>
    public override IReadOnlyList<Layer> Layers => layers;

    /// <summary>The model's symbolic inputs, in order.</summary>
    public IReadOnlyList<KerasTensor> Inputs => inputs;

    /// <summary>The model's symbolic outputs, in order.</summary>
    public IReadOnlyList<KerasTensor> Outputs => outputs;

    internal FunctionalGraph Graph => graph;

    /// <summary>The layers were built when the graph was made; nothing is left to create.</summary>
    protected override void Build(long[] inputShape) { }

    /// <summary>The output for one batch, for a model with one input and one output (what Fit, Evaluate and Predict call).</summary>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        RequireSingleInputAndOutput();
        return Run([inputs], [null], training).Outputs[0];
    }

    /// <summary>As a layer (a nested model): the input's mask goes in, the output's mask comes out.</summary>
    private protected override (Tensor Output, Tensor? Mask) CallWithMask(Tensor inputs, Tensor? mask, bool training)
    {
        RequireSingleInputAndOutput();
        var (outputs, masks) = Run([inputs], [mask], training);
        return (outputs[0], masks[0]);
    }

    /// <summary>Runs the graph on one batch per input (in the order of <see cref="Inputs"/>); one tensor per output.</summary>
    public Tensor[] Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(inputs, null, training).Outputs;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        RequireSingleInputAndOutput();
        if (!Dimensions.Compatible(inputs[0].Shape, inputShape))
            throw new IncompatibleShapeException(Name, $"shape {ShapeText.WithBatch(inputs[0].Shape)}", [-1, .. inputShape]);
        return outputs[0].Shape;
    }

    /// <summary>
    /// Evaluates the nodes in dependency order (Keras' <c>_run_internal_graph</c>): each input is checked
    /// against its <see cref="Keras.Input"/> shape, each layer checks its own inputs before any math.
    /// Masks travel beside the tensors (<see cref="Layer.InvokeWithMask"/>); merge layers drop them.
    /// </summary>
    (Tensor[] Outputs, Tensor?[] Masks) Run(IReadOnlyList<Tensor> values, IReadOnlyList<Tensor?>? inputMasks, bool training)
    {
        if (values.Count != inputs.Length)
            throw new ArgumentException($"Functional model \"{Name}\" has {inputs.Length} input(s) ({string.Join(", ", inputs.Select(i => i.Name))}) but received {values.Count} tensor(s).");
        var computed = new Dictionary<KerasTensor, Tensor>(ReferenceEqualityComparer.Instance);
        var masks = new Dictionary<KerasTensor, Tensor?>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(values[i]);
            var shape = values[i].shape;
            if (shape.Length != inputs[i].Shape.Length + 1 || !Dimensions.Compatible(inputs[i].Shape, shape[1..]))
                throw new IncompatibleShapeException(Name, $"shape {ShapeText.WithBatch(inputs[i].Shape)} for input \"{inputs[i].Name}\"", shape);
            computed[inputs[i]] = values[i];
            masks[inputs[i]] = inputMasks?[i];
        }
        foreach (var node in graph.ExecutionOrder)
        {
            if (node.IsInput) continue;
            var arguments = node.Inputs.Select(t => computed[t]).ToList();
            // A call's own training argument (layer(x, training=False)) wins over the model's mode.
            (computed[node.Output], masks[node.Output]) = node.Layer.InvokeGraphNode(arguments, [.. node.Inputs.Select(t => masks[t])], node.Training ?? training);
        }
        return ([.. outputs.Select(o => computed[o])], [.. outputs.Select(o => masks[o])]);
    }

    private protected override void CheckSingleInputAndOutput() => RequireSingleInputAndOutput();

    private protected override IReadOnlyList<string> InputNames => [.. inputs.Select(i => i.Layer.Name)];

    /// <summary>Keras' <c>output_names</c>: the name of the layer producing each output.</summary>
    public override IReadOnlyList<string> OutputNames => [.. outputs.Select(o => o.Layer.Name)];

    private protected override Tensor[] CallAll(IReadOnlyList<Tensor> inputs, bool training) => Run(inputs, null, training).Outputs;

    private protected override (Tensor[] Outputs, Tensor?[] Masks) CallAllWithMasks(IReadOnlyList<Tensor> inputs, bool training) =>
        Run(inputs, null, training);

    void RequireSingleInputAndOutput()
    {
        if (inputs.Length == 1 && outputs.Length == 1) return;
        throw new NotSupportedException(
            $"Functional model \"{Name}\" has {inputs.Length} input(s) and {outputs.Length} output(s): Fit(Tensor, Tensor), Evaluate(Tensor, Tensor), " +
            "Predict(Tensor) and Call(Tensor) take models with one input and one output. Pass one tensor per input and one target per output instead: " +
            "Fit(IReadOnlyList<Tensor>, IReadOnlyList<Tensor>), Evaluate(IReadOnlyList<Tensor>, IReadOnlyList<Tensor>), Predict(IReadOnlyList<Tensor>).");
    }

    /// <summary>
    /// Keras' <c>predict</c> for any number of inputs and outputs: one tensor per input (same number of
    /// samples, in the order of <see cref="Inputs"/>), in batches, in inference mode; one CPU tensor per
    /// output, in the order of <see cref="Outputs"/> (Keras returns a list of arrays).
    /// </summary>
    public Tensor[] Predict(IReadOnlyList<Tensor> x, int batchSize = 32)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(x);
        Backend.ApplyToCurrentThread();
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (x.Count != inputs.Length)
            throw new ArgumentException($"Functional model \"{Name}\" has {inputs.Length} input(s) but received {x.Count} tensor(s).", nameof(x));
        if (x.Any(t => t is null || t.dim() < 1 || t.shape[0] == 0))
            throw new ArgumentException("Every input must be a tensor holding at least one sample.", nameof(x));
        long samples = x[0].shape[0];
        if (x.Any(t => t.shape[0] != samples))
            throw new ArgumentException($"Every input needs the same number of samples; received {string.Join(", ", x.Select(t => ShapeText.Format(t.shape)))}.", nameof(x));
        var collected = outputs.Select(_ => new List<Tensor>()).ToArray();
        using (no_grad())
        {
            for (long start = 0; start < samples; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(batchSize, samples - start);
                var batch = x.Select(t => OnDevice(t.narrow(0, start, length))).ToList();
                var results = Run(batch, null, training: false).Outputs;
                for (int o = 0; o < results.Length; o++) collected[o].Add(scope.MoveToOuter(results[o].cpu()));
            }
        }
        var merged = new Tensor[collected.Length];
        for (int o = 0; o < collected.Length; o++)
        {
            merged[o] = cat(collected[o], 0);
            foreach (var part in collected[o]) part.Dispose();
        }
        return merged;
    }

    Tensor OnDevice(Tensor t)
    {
        var floats = t.is_floating_point() ? t : t.to_type(ScalarType.Float32);
        return floats.IsOn(Device) ? floats : floats.to(Device);
    }
}
