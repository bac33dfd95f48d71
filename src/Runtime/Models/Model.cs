using Layerwise.Layers;
using Layerwise.Training;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Models;

/// <summary>
/// A layer that can be trained: <see cref="O:Layerwise.Models.Model.Compile"/>, then <see cref="O:Layerwise.Models.Model.Fit"/>,
/// <see cref="O:Layerwise.Models.Model.Evaluate"/> and <see cref="Predict"/>, as Keras' <c>keras.Model</c>.
/// A model lives on one device (<see cref="Backend.DefaultDevice"/> unless moved with
/// <see cref="To(TorchSharp.torch.Device)"/>); its weights, optimizer state and every tensor it creates go there.
/// </summary>
public abstract partial class Model : Layer
{
    /// <summary>
    /// Initializes a model (for subclasses: <c>[ModelConfig]</c> models, <see cref="Sequential"/>,
    /// <see cref="Functional"/>).
    /// </summary>
    /// <param name="name">The model's name (Keras' <c>name</c>). Null: the snake_case class name plus a
    /// counter.</param>
    /// <param name="trainable">False freezes every layer of the model (Keras' <c>trainable</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out), so the model can be built before the first
    /// call.</param>
    protected Model(string? name = null, bool trainable = true, long[]? inputShape = null)
        : base(name, trainable, inputShape) { }

    /// <summary>
    /// The layers that make up the model, in order. For a subclassed (<c>[ModelConfig]</c>) model:
    /// its sub-layer fields, in declaration order, then any layer passed to <see cref="Layer.TrackLayer"/>.
    /// </summary>
    public virtual IReadOnlyList<Layer> Layers => SubLayers;

    /// <summary>The optimizer given to <c>Compile</c> (Keras' <c>model.optimizer</c>); null before compiling.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to <see cref="Compile(Optimizer, Loss, IEnumerable{Metric})"/>; null when each output was given its own (see <see cref="Losses"/>).</summary>
    public Loss? Loss { get; private set; }

    /// <summary>Every compiled metric, output by output (for several outputs named <c>&lt;output&gt;_&lt;metric&gt;</c>).</summary>
    public IReadOnlyList<Metric> Metrics { get; private set; } = [];

    /// <summary>Whether <c>Compile</c> has been called, so that <c>Fit</c> and <c>Evaluate</c> can run.</summary>
    public bool IsCompiled => Optimizer is not null && Objective is not null;

    /// <summary>
    /// Set by a callback to end <see cref="O:Layerwise.Models.Model.Fit"/> (Keras' <c>stop_training</c>): read after every
    /// training batch and every epoch. Set during a batch, the rest of the epoch's batches are skipped, but the epoch
    /// still ends (validation, <c>OnEpochEnd</c>, History) before training ends. Fit clears it when it starts.
    /// </summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Creates the weights of a subclassed model: runs <see cref="Layer.Call(Tensor, bool)"/> once on a zero batch of
    /// one sample, so every sub-layer builds for the shape it actually receives (Keras builds
    /// subclassed models by calling them, too).
    /// </summary>
    protected override void Build(long[] inputShape)
    {
        if (!Dimensions.AllKnown(inputShape))
            throw new LayerwiseException(
                $"Model \"{Name}\" ({ClassName}) cannot be built for input shape {ShapeText.WithBatch(inputShape)}: a subclassed model is built by " +
                "calling it on a batch, which needs every size. Give a shape without unknown (-1) sizes, or let the first Fit/Evaluate/Predict build it.");
        using var _ = no_grad();
        using var probe = zeros([1, .. inputShape], ScalarType.Float32, Device);
        using var output = Call(probe, training: false);
    }

    /// <summary>Moves the model's weights and optimizer state to <paramref name="device"/>; new tensors go there too.</summary>
    public Model To(Device device)
    {
        SetDevice(device);
        foreach (var layer in Layers) layer.SetDevice(device);
        Optimizer?.MoveSlotsTo(device);
        return this;
    }

    /// <summary>Moves the model to a device by name (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>).</summary>
    public Model To(string device) => To(Backend.ParseDevice(device));

    Optimizer RequireOptimizer() => Optimizer ?? throw NotCompiled();
    TrainingObjective RequireObjective() => Objective ?? throw NotCompiled();

    InvalidOperationException NotCompiled() =>
        new($"Model \"{Name}\" must be compiled before training or evaluation: call Compile(optimizer, loss, metrics) first.");

    /// <summary>Checks a data set before use: same number of samples in x and y, inputs the model accepts.</summary>
    Tensor PrepareInputs(Tensor x, Tensor? y, string argument, bool singleInput = true)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(x, argument);
        if (singleInput) CheckSingleInputAndOutput();
        var shape = x.Sizes();
        if (shape.Length < 1 || shape[0] == 0)
            throw new ArgumentException($"{argument} must hold at least one sample; received shape {ShapeText.Format(shape)}.", argument);
        if (y is not null && (y.dim() < 1 || y.shape[0] != shape[0]))
            throw new ArgumentException(
                $"{argument} has {shape[0]} samples but its targets have shape {ShapeText.Format(y.shape)}; both need the same first dimension.", argument);
        // Several inputs are checked against their Keras.Input shapes when the graph runs.
        if (singleInput)
        {
            if (!Built) EnsureBuilt(DeclaredInputShapeOrFirstLayer() ?? shape[1..]);
            CheckInputShape(shape);
        }
        var floats = x.is_floating_point() ? x : x.to_type(ScalarType.Float32);
        return floats.IsOn(Device) ? floats : floats.to(Device);
    }

    /// <summary>
    /// <see cref="PrepareInputs"/> for one tensor per input: checks the number of inputs and targets and that
    /// they all hold the same number of samples, then converts and moves the inputs to the model's device.
    /// </summary>
    Tensor[] PrepareAll(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, string argument)
    {
        CheckCounts(x, y, argument);
        if (InputNames.Count == 1 && OutputNames.Count == 1) return [PrepareInputs(x[0], y?[0], argument)];
        return [.. x.Select(t => PrepareInputs(t, null, argument, singleInput: false))];
    }

    /// <summary>One tensor per input, one target per output, every one with the same (non-zero) number of samples.</summary>
    void CheckCounts(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, string argument)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(x, argument);
        var inputs = InputNames;
        var outputs = OutputNames;
        if (x.Count != inputs.Count)
            throw new ArgumentException(
                $"{argument}: model \"{Name}\" has {inputs.Count} input(s) ({CompileMapping.List(inputs)}) but received {x.Count} input tensor(s); pass one per input, in that order.", argument);
        if (y is not null && y.Count != outputs.Count)
            throw new ArgumentException(
                $"{argument}: model \"{Name}\" has {outputs.Count} output(s) ({CompileMapping.List(outputs)}) but received {y.Count} target tensor(s); pass one per output, in that order.", argument);
        if (x.Any(t => t is null) || (y?.Any(t => t is null) ?? false))
            throw new ArgumentNullException(argument, $"{argument}: the input and target lists may not contain null.");
        if (x[0].dim() < 1 || x[0].shape[0] == 0)
            throw new ArgumentException($"{argument} must hold at least one sample; received shape {ShapeText.Format(x[0].shape)}.", argument);
        long samples = x[0].shape[0];
        void Check(Tensor t, string what)
        {
            if (t.dim() < 1 || t.shape[0] != samples)
                throw new ArgumentException(
                    $"{argument}: {what} has shape {ShapeText.Format(t.shape)} but input \"{inputs[0]}\" has {samples} samples; every input and target needs the same first dimension.", argument);
        }
        for (int i = 1; i < x.Count; i++) Check(x[i], $"input \"{inputs[i]}\"");
        if (y is not null && x.Count + y.Count > 2)
            for (int i = 0; i < y.Count; i++) Check(y[i], $"the target of output \"{outputs[i]}\"");
    }

    /// <summary>Fit, Evaluate and Predict take one input tensor and one target: a model with several inputs or outputs refuses them here.</summary>
    private protected virtual void CheckSingleInputAndOutput() { }

    /// <summary>
    /// A model used as a layer of another (called on a symbolic tensor, or added to a Sequential) takes one
    /// input and gives one output, as every other layer here does; a functional model with several refuses.
    /// </summary>
    internal void RequireOneInputAndOutputAsLayer()
    {
        try
        {
            CheckSingleInputAndOutput();
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException(
                $"Model \"{Name}\" cannot be used as a layer of another model: a nested model must have one input and one output. ({e.Message})", e);
        }
    }

    /// <summary>The per-sample input shape, once built or when declared: what an outer Sequential starts from when this model is its first layer.</summary>
    internal long[]? KnownInputShape => BuildInputShape ?? DeclaredInputShapeOrFirstLayer();

    /// <summary>The input shape the model was declared with, if any (Sequential reads its first layer).</summary>
    private protected virtual long[]? DeclaredInputShapeOrFirstLayer() => DeclaredInputShape;

    static Tensor? ToDevice(Tensor? t, Device device) => t is null || t.IsOn(device) ? t : t.to(device);

    /// <summary>The names of the model's inputs, in order (Fit/Evaluate/Predict take one tensor per input).</summary>
    private protected virtual IReadOnlyList<string> InputNames => ["input"];

    /// <summary>
    /// The names of the model's outputs, in order: Keras' <c>output_names</c>, the names of the layers
    /// producing them. They key loss/metric dictionaries and prefix per-output log entries.
    /// </summary>
    public virtual IReadOnlyList<string> OutputNames => [Layers.Count > 0 ? Layers[^1].Name : Name];

    /// <summary>The outputs of one batch given one tensor per input; a single-input single-output model calls <see cref="Layer.Call(Tensor, bool)"/>.</summary>
    private protected virtual Tensor[] CallAll(IReadOnlyList<Tensor> inputs, bool training) => [Call(inputs[0], training)];

    /// <summary>
    /// <see cref="CallAll"/> with each output's mask (Keras' <c>_keras_mask</c> on the model's outputs), which Fit and
    /// Evaluate apply to losses and metrics; models that carry masks (Sequential, Functional) override it, others have none.
    /// </summary>
    private protected virtual (Tensor[] Outputs, Tensor?[] Masks) CallAllWithMasks(IReadOnlyList<Tensor> inputs, bool training)
    {
        var outputs = CallAll(inputs, training);
        return (outputs, new Tensor?[outputs.Length]);
    }
}
