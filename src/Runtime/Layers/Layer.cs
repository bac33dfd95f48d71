using Layerwise.Initializers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// A Keras layer: holds its weights, creates them in <see cref="Build"/> once the input shape is
/// known, and computes its output in <see cref="Call"/>. Shapes passed around here are per-sample
/// (the batch dimension left out), as Keras' <c>input_shape</c> argument is.
/// </summary>
public abstract class Layer
{
    readonly List<Variable> ownWeights = [];
    readonly List<Layer> subLayers = [];

    /// <param name="name">Unique name; by default the snake_case class name made unique per process.</param>
    /// <param name="trainable">Whether training updates its weights.</param>
    /// <param name="inputShape">Per-sample input shape, when this is the first layer of a model.</param>
    protected Layer(string? name = null, bool trainable = true, long[]? inputShape = null)
    {
        if (name is null) Name = UniqueNames.Next(UniqueNames.ToSnakeCase(GetType().Name));
        else { Name = name; UniqueNames.Reserve(name); }
        Trainable = trainable;
        DeclaredInputShape = inputShape?.ToArray();
        Backend.EnsureInitialized();
    }

    public string Name { get; }

    public bool Trainable { get; set; }

    /// <summary>Weights are float32, as Keras' default policy.</summary>
    public string DType => "float32";

    /// <summary>The Keras class name (<c>Dense</c>), as configs and summaries show it.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The per-sample input shape given at construction (<c>inputShape:</c>), if any.</summary>
    public long[]? DeclaredInputShape { get; }

    /// <summary>The per-sample input shape the layer was built for; null until built.</summary>
    public long[]? BuildInputShape { get; private set; }

    public bool Built { get; private set; }

    /// <summary>Where this layer's weights live; a model sets it for all of its layers.</summary>
    public Device Device { get; private set; } = Backend.DefaultDevice;

    /// <summary>Own weights first, then those of sub-layers, in creation order (Keras' order).</summary>
    public IReadOnlyList<Variable> Weights => [.. ownWeights, .. subLayers.SelectMany(l => l.Weights)];

    public IReadOnlyList<Variable> TrainableWeights =>
        Trainable ? [.. ownWeights.Where(w => w.Trainable), .. subLayers.SelectMany(l => l.TrainableWeights)] : [];

    public IReadOnlyList<Variable> NonTrainableWeights =>
        [.. Weights.Where(w => !TrainableWeights.Contains(w))];

    /// <summary>Layers this layer owns, in the order they were tracked.</summary>
    public IReadOnlyList<Layer> SubLayers => subLayers;

    /// <summary>Number of scalars in all weights.</summary>
    public long CountParams() => Weights.Sum(w => w.NumElements);

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (per sample). Override to add weights.</summary>
    protected virtual void Build(long[] inputShape) { }

    /// <summary>The layer's computation on a batch. <paramref name="training"/> turns on dropout and the like.</summary>
    public abstract Tensor Call(Tensor inputs, bool training = false);

    /// <summary>The per-sample output shape for a per-sample input shape.</summary>
    public virtual long[] ComputeOutputShape(long[] inputShape) => inputShape;

    /// <summary>Builds the layer for <paramref name="inputShape"/> (per sample) if it is not built yet.</summary>
    public void EnsureBuilt(long[] inputShape)
    {
        if (Built) return;
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
        var sample = inputs.shape.Skip(1).ToArray();
        if (Built) CheckInputShape(inputs.shape);
        else EnsureBuilt(sample);
        return Call(inputs, training);
    }

    /// <summary>
    /// Throws <see cref="IncompatibleShapeException"/> when a built layer cannot take a batch of
    /// <paramref name="batchShape"/>. Must run before tensor math: native shape errors end the process.
    /// </summary>
    protected virtual void CheckInputShape(long[] batchShape)
    {
        var expected = BuildInputShape!;
        if (batchShape.Length != expected.Length + 1 || !batchShape.Skip(1).SequenceEqual(expected))
            throw new IncompatibleShapeException(Name, $"shape {ShapeText.WithBatch(expected)}", batchShape);
    }

    /// <summary>Creates a weight on this layer's device (Keras' <c>add_weight</c>).</summary>
    protected Variable AddWeight(string name, long[] shape, Initializer initializer, bool trainable = true)
    {
        if (ownWeights.Any(w => w.Name == name))
            throw new InvalidOperationException($"Layer \"{Name}\" already has a weight named \"{name}\".");
        using var _ = no_grad();
        var variable = new Variable(this, name, initializer.Generate(shape, Device), trainable);
        ownWeights.Add(variable);
        return variable;
    }

    /// <summary>Tracks <paramref name="layer"/> as part of this one: its weights become this layer's weights.</summary>
    protected internal T TrackLayer<T>(T layer) where T : Layer
    {
        if (!subLayers.Contains(layer))
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
        foreach (var l in subLayers) l.SetDevice(device);
    }

    public override string ToString() => $"<{ClassName} name={Name}, built={Built}>";
}
