using Layerwise.Layers;
using Layerwise.Training;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Models;

/// <summary>
/// A layer that can be trained: <see cref="Compile"/>, then <see cref="Fit"/>,
/// <see cref="Evaluate"/> and <see cref="Predict"/>, as Keras' <c>keras.Model</c>.
/// A model lives on one device (<see cref="Backend.DefaultDevice"/> unless moved with
/// <see cref="To(TorchSharp.torch.Device)"/>); its weights, optimizer state and every tensor it creates go there.
/// </summary>
public abstract partial class Model : Layer
{
    protected Model(string? name = null, bool trainable = true, long[]? inputShape = null)
        : base(name, trainable, inputShape) { }

    /// <summary>
    /// The layers that make up the model, in order. For a subclassed (<c>[ModelConfig]</c>) model:
    /// its sub-layer fields, in declaration order, then any layer passed to <see cref="Layer.TrackLayer"/>.
    /// </summary>
    public virtual IReadOnlyList<Layer> Layers => SubLayers;

    public Optimizer? Optimizer { get; private set; }
    public Loss? Loss { get; private set; }
    public IReadOnlyList<Metric> Metrics { get; private set; } = [];
    public bool IsCompiled => Optimizer is not null && Loss is not null;

    /// <summary>Set by a callback to end <see cref="Fit"/> after the current epoch (Keras' <c>stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Configures training: <paramref name="optimizer"/>, <paramref name="loss"/> and
    /// <paramref name="metrics"/> accept objects or Keras names (<c>"adam"</c>,
    /// <c>"sparse_categorical_crossentropy"</c>, <c>"accuracy"</c>).
    /// </summary>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        var resolved = (metrics ?? []).Select(m => m is AccuracyByLoss a ? a.Resolve(loss) : m).ToList();
        var duplicate = resolved.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1 || g.Key == "loss");
        if (duplicate is not null)
            throw new ArgumentException($"Metric name \"{duplicate.Key}\" is used twice (or clashes with \"loss\"); give the metrics distinct names.", nameof(metrics));
        Optimizer = optimizer;
        Loss = loss;
        Metrics = resolved;
    }

    /// <summary>
    /// Creates the weights of a subclassed model: runs <see cref="Layer.Call(Tensor, bool)"/> once on a zero batch of
    /// one sample, so every sub-layer builds for the shape it actually receives (Keras builds
    /// subclassed models by calling them, too).
    /// </summary>
    protected override void Build(long[] inputShape)
    {
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
    Loss RequireLoss() => Loss ?? throw NotCompiled();

    InvalidOperationException NotCompiled() =>
        new($"Model \"{Name}\" must be compiled before training or evaluation: call Compile(optimizer, loss, metrics) first.");

    /// <summary>Checks a data set before use: same number of samples in x and y, inputs the model accepts.</summary>
    Tensor PrepareInputs(Tensor x, Tensor? y, string argument)
    {
        ArgumentNullException.ThrowIfNull(x, argument);
        CheckSingleInputAndOutput();
        if (x.dim() < 1 || x.shape[0] == 0)
            throw new ArgumentException($"{argument} must hold at least one sample; received shape {ShapeText.Format(x.shape)}.", argument);
        if (y is not null && (y.dim() < 1 || y.shape[0] != x.shape[0]))
            throw new ArgumentException(
                $"{argument} has {x.shape[0]} samples but its targets have shape {ShapeText.Format(y.shape)}; both need the same first dimension.", argument);
        var sample = x.shape.Skip(1).ToArray();
        if (!Built) EnsureBuilt(DeclaredInputShapeOrFirstLayer() ?? sample);
        CheckInputShape(x.shape);
        var floats = x.is_floating_point() ? x : x.to_type(ScalarType.Float32);
        return floats.device == Device ? floats : floats.to(Device);
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

    static Tensor? ToDevice(Tensor? t, Device device) => t is null || t.device == device ? t : t.to(device);
}
