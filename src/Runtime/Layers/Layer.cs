using System.Text.Json.Nodes;
using Layerwise.Initializers;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// A Keras layer: holds its weights, creates them in <see cref="Build"/> once the input shape is
/// known, and computes its output in <see cref="Call(Tensor, bool)"/>. Shapes passed around here are per-sample
/// (the batch dimension left out), as Keras' <c>input_shape</c> argument is.
/// Mark subclasses <c>[Layer]</c> and <c>partial</c>: the generator then writes their config
/// (<see cref="GetConfig"/>, a static <c>FromConfig</c>), their tracked fields and their registration.
/// </summary>
public abstract partial class Layer
{
    readonly List<Variable> ownWeights = [];
    readonly List<Layer> subLayers = [];

    /// <param name="name">Unique name; by default the snake_case class name made unique per process.</param>
    /// <param name="trainable">Whether training updates its weights.</param>
    /// <param name="inputShape">Per-sample input shape, when this is the first layer of a model; -1 for a size known only from the data (Keras' <c>None</c>).</param>
    protected Layer(string? name = null, bool trainable = true, long[]? inputShape = null)
    {
        if (inputShape is not null && Dimensions.Problem(inputShape) is { } problem)
            throw new ArgumentException($"inputShape of layer \"{name ?? GetType().Name}\": {problem}.", nameof(inputShape));
        if (name is null) Name = UniqueNames.Next(UniqueNames.ToSnakeCase(GetType().Name));
        else { Name = name; UniqueNames.Reserve(name); }
        isTrainable = trainable;
        DeclaredInputShape = inputShape?.ToArray();
        Backend.EnsureInitialized();
    }

    /// <summary>
    /// Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start with it.
    /// </summary>
    public string Name { get; }

    bool isTrainable;

    /// <summary>
    /// Whether training updates its weights. Setting it sets it on every sub-layer too (Keras' setter
    /// walks <c>_flatten_layers</c>), so <c>baseModel.Trainable = false</c> freezes a nested model whole,
    /// and its BatchNormalization layers then run in inference mode, as in Keras.
    /// </summary>
    public bool Trainable
    {
        get => isTrainable;
        set
        {
            isTrainable = value;
            foreach (var layer in SubLayers) layer.Trainable = value;
        }
    }

    /// <summary>Weights are float32, as Keras' default policy.</summary>
    public string DType => "float32";

    /// <summary>The Keras class name (<c>Dense</c>), as configs and summaries show it.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The per-sample input shape given at construction (<c>inputShape:</c>), if any.</summary>
    public long[]? DeclaredInputShape { get; }

    /// <summary>The per-sample input shape the layer was built for (-1 where unknown: any size is accepted there); null until built.</summary>
    public long[]? BuildInputShape { get; private set; }

    /// <summary>
    /// Whether the layer has created its weights (Keras' <c>built</c>); happens on the first call or when a model is
    /// built with an input shape.
    /// </summary>
    public bool Built { get; private set; }

    /// <summary>Where this layer's weights live; a model sets it for all of its layers.</summary>
    public Device Device { get; private set; } = Backend.DefaultDevice;

    /// <summary>Own weights first, then those of sub-layers, in creation order (Keras' order).</summary>
    public IReadOnlyList<Variable> Weights => [.. ownWeights, .. SubLayers.SelectMany(l => l.Weights)];

    /// <summary>
    /// The weights that training updates (Keras' <c>trainable_weights</c>): none when <see cref="Trainable"/> is false.
    /// </summary>
    public IReadOnlyList<Variable> TrainableWeights =>
        Trainable ? [.. ownWeights.Where(w => w.Trainable), .. SubLayers.SelectMany(l => l.TrainableWeights)] : [];

    /// <summary>
    /// The weights training leaves alone (Keras' <c>non_trainable_weights</c>): running statistics, and every weight of
    /// a frozen layer.
    /// </summary>
    public IReadOnlyList<Variable> NonTrainableWeights =>
        [.. Weights.Where(w => !TrainableWeights.Contains(w))];

    /// <summary>
    /// Layers this layer owns, in the order they were tracked: those passed to <see cref="TrackLayer"/>,
    /// and those held in fields of a <c>[Layer]</c>/<c>[ModelConfig]</c> type (declaration order).
    /// </summary>
    public IReadOnlyList<Layer> SubLayers
    {
        get
        {
            TrackFieldLayers();
            return subLayers;
        }
    }

    /// <summary>
    /// The weight and sub-layer fields the generator found on this type and its bases (declaration
    /// order, base first), with their Keras names. Empty for types without <c>[Layer]</c>.
    /// </summary>
    public IReadOnlyList<TrackedField> TrackedFields
    {
        get
        {
            var fields = new List<TrackedField>();
            CollectTrackedFields(fields);
            return fields;
        }
    }

    /// <summary>Generated for <c>[Layer]</c> types: appends this type's tracked fields after the base type's.</summary>
    protected virtual void CollectTrackedFields(List<TrackedField> fields) { }

    /// <summary>
    /// The layer's config (Keras' <c>get_config</c>): every constructor argument under its snake_case
    /// key plus <c>name</c>, <c>trainable</c> and <c>dtype</c>. Generated for <c>[Layer]</c> types.
    /// </summary>
    /// <exception cref="LayerwiseException">The type is not marked <c>[Layer]</c>/<c>[ModelConfig]</c>.</exception>
    public virtual JsonObject GetConfig() => throw new LayerwiseException(
        $"Layer \"{Name}\" of type {GetType().Name} has no config: mark the class [Layer] (or [ModelConfig] for a model) " +
        "and make it partial, so that GetConfig and FromConfig are generated.");

    /// <summary>
    /// How this type is registered: the registration naming exactly this type (generated for
    /// <c>[Layer]</c>/<c>[ModelConfig]</c> types); null when it is not, e.g. for an unmarked subclass of a
    /// registered layer, which would otherwise be saved under its base class's name and lose what it adds.
    /// </summary>
    public virtual LayerRegistration? Registration => LayerRegistry.ForType(GetType());

    /// <summary>Tracks the layers held in generated-tracked fields that are not tracked yet.</summary>
    void TrackFieldLayers()
    {
        foreach (var field in TrackedFields)
        {
            if (field.Layer is { } layer) TrackLayer(layer);
            else if (field.Layers is { } layers)
                foreach (var l in layers) TrackLayer(l);
        }
    }


    /// <summary>Number of scalars in all weights.</summary>
    public long CountParams() => Weights.Sum(w => w.NumElements);

    /// <summary>
    /// Creates the weights for inputs of <paramref name="inputShape"/> (per sample). Override to add weights;
    /// a dimension may be <see cref="Dimensions.Unknown"/> (-1), so create weights only from dimensions that
    /// must be known, and refuse with <see cref="Dimensions.RequireKnown"/> when one of those is unknown.
    /// </summary>
    protected virtual void Build(long[] inputShape) { }

    /// <summary>The layer's computation on a batch. <paramref name="training"/> turns on dropout and the like.</summary>
    public abstract Tensor Call(Tensor inputs, bool training = false);

    /// <summary>The per-sample output shape for a per-sample input shape; -1 where the output size depends on an unknown input size.</summary>
    public virtual long[] ComputeOutputShape(long[] inputShape) => inputShape;

    /// <summary>Builds the layer for <paramref name="inputShape"/> (per sample) if it is not built yet.</summary>
    public void EnsureBuilt(long[] inputShape)
    {
        if (Built) return;
        TrackFieldLayers();
        // Weights outlive any dispose scope the caller (e.g. a training step) has open.
        using (NewDisposeScope())
        {
            Build(inputShape);
        }
        BuildInputShape = inputShape.ToArray();
        Built = true;
        OnBuilt();
    }

    /// <summary>Runs once, right after the layer is built (a model restores deferred checkpoint values here).</summary>
    private protected virtual void OnBuilt() { }

    /// <summary>
    /// Keras' <c>layer(x)</c>: checks the input shape, builds on first use, then calls the layer.
    /// </summary>
    public Tensor Invoke(Tensor inputs, bool training = false)
    {
        ThrowIfDisposed();
        CheckOrBuildFor(inputs);
        return Call(inputs, training);
    }

    /// <summary>The checks of <see cref="Invoke"/>: a built layer checks the input's shape, an unbuilt one builds for it.</summary>
    void CheckOrBuildFor(Tensor inputs)
    {
        var shape = inputs.Sizes();
        if (Built) CheckInputShape(shape);
        else EnsureBuilt(shape[1..]);
    }

    /// <summary>
    /// Throws <see cref="IncompatibleShapeException"/> when a built layer cannot take a batch of
    /// <paramref name="batchShape"/>: another rank, or another size on an axis the layer was built with a
    /// known size for (an axis built unknown takes any size). Must run before tensor math: native shape
    /// errors end the process.
    /// </summary>
    protected virtual void CheckInputShape(long[] batchShape)
    {
        var expected = BuildInputShape!;
        if (batchShape.Length != expected.Length + 1 || !Dimensions.Compatible(expected, batchShape[1..]))
            throw new IncompatibleShapeException(Name, $"shape {ShapeText.WithBatch(expected)}", batchShape);
    }

    /// <summary>Creates a weight on this layer's device (Keras' <c>add_weight</c>).</summary>
    protected Variable AddWeight(string name, long[] shape, Initializer initializer, bool trainable = true)
    {
        if (ownWeights.Any(w => w.Name == name))
            throw new InvalidOperationException($"Layer \"{Name}\" already has a weight named \"{name}\".");
        ParameterBudget.Charge(Name, name, shape);
        using var _ = no_grad();
        var variable = new Variable(this, name, WeightInitialization.Create(initializer, shape, Device), trainable);
        ownWeights.Add(variable);
        return variable;
    }

    /// <summary>Tracks <paramref name="layer"/> as part of this one: its weights become this layer's weights.</summary>
    protected internal T TrackLayer<T>(T layer) where T : Layer
    {
        if (!ReferenceEquals(layer, this) && !subLayers.Contains(layer))
        {
            subLayers.Add(layer);
            layer.SetDevice(Device);
        }
        return layer;
    }

    internal void SetDevice(Device device)
    {
        Device = device;
        foreach (var w in ownWeights) w.MoveTo(device);
        foreach (var l in SubLayers) l.SetDevice(device);
    }

    /// <inheritdoc/>
    public override string ToString() => $"<{ClassName} name={Name}, built={Built}>";
}
