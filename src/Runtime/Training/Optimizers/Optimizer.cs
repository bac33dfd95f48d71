using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Base of the optimizers. Updates follow Keras' formulas (not torch.optim's, whose epsilon and
/// bias correction differ), so a model trained here moves the way it would in Keras.
/// Slot variables (Adam's m and v, momentum, ...) are created per trainable variable on first use
/// and live on that variable's device.
/// </summary>
public abstract class Optimizer
{
    readonly Dictionary<Variable, Tensor[]> slots = new(ReferenceEqualityComparer.Instance);
    readonly List<Variable> slotOrder = [];

    /// <summary>Initializes an optimizer (for subclasses).</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    protected Optimizer(double learningRate, string? name)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Learning rate must be positive.");
        LearningRate = learningRate;
        Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);
    }

    /// <summary>The optimizer's name (Keras' <c>name</c>), e.g. <c>adam</c>.</summary>
    public string Name { get; }

    /// <summary>The step size (Keras' <c>learning_rate</c>); callbacks may change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>
    /// Keras 3's decoupled weight decay (<c>weight_decay</c>, any optimizer): before each update every
    /// trainable variable is scaled, θ ← θ − θ·wd·lr. Null: none (Keras' default, except AdamW's 0.004).
    /// </summary>
    public double? WeightDecay
    {
        get => weightDecay;
        init => weightDecay = CheckedWeightDecay(value);
    }

    double? weightDecay;

    static double? CheckedWeightDecay(double? value) =>
        value is < 0 or double.NaN ? throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "Weight decay must be zero or positive.") : value;

    /// <summary>Number of update steps applied so far (Keras' <c>iterations</c>).</summary>
    public long Iterations { get; set; }

    /// <summary>The Keras class name, e.g. <c>Adam</c>.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The names of the per-variable slots this optimizer keeps, in order (Adam: m, v).</summary>
    public abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>Variables that have slots, in the order they were first updated.</summary>
    public IReadOnlyList<Variable> SlotVariables => slotOrder;

    /// <summary>The slot tensor <paramref name="slotName"/> of <paramref name="variable"/>.</summary>
    public Tensor GetSlot(Variable variable, string slotName)
    {
        int index = SlotNames.ToList().IndexOf(slotName);
        if (index < 0) throw new ArgumentException($"{ClassName} has no slot \"{slotName}\"; it has: {string.Join(", ", SlotNames)}.", nameof(slotName));
        return SlotsOf(variable)[index];
    }

    /// <summary>Applies one update to every variable in <paramref name="variables"/> that has a gradient, then clears the gradients.</summary>
    public void ApplyGradients(IReadOnlyList<Variable> variables)
    {
        using var _ = no_grad();
        long step = Iterations + 1;
        var pending = new List<(Variable Variable, Tensor Gradient)>();
        try
        {
            foreach (var v in variables)
                if (v.Value.grad is { } grad) pending.Add((v, grad));
            ClipGradients(pending.Select(p => p.Gradient).ToList());
            BeginStep(step);
            foreach (var (v, grad) in pending)
            {
                if (WeightDecay is { } decay) v.Value.mul_(1 - decay * LearningRate);
                Update(v.Value, grad, SlotsOf(v), step);
                grad.zero_();
            }
        }
        finally
        {
            foreach (var (_, grad) in pending) grad.Dispose();
        }
        Iterations = step;
    }

    /// <summary>Keras' <c>clipnorm</c>: each gradient is rescaled so that its L2 norm is at most this.</summary>
    public double? ClipNorm { get => clipNorm; init => clipNorm = OnlyClipping(value, nameof(ClipNorm)); }

    /// <summary>Keras' <c>global_clipnorm</c>: all gradients are rescaled together so that their joint L2 norm is at most this.</summary>
    public double? GlobalClipNorm { get => globalClipNorm; init => globalClipNorm = OnlyClipping(value, nameof(GlobalClipNorm)); }

    /// <summary>Keras' <c>clipvalue</c>: each gradient element is clipped to [−v, v].</summary>
    public double? ClipValue { get => clipValue; init => clipValue = OnlyClipping(value, nameof(ClipValue)); }

    double? clipNorm, globalClipNorm, clipValue;

    /// <summary>Sets what a file's config gives for every optimizer (<c>weight_decay</c>, <c>clipnorm</c>, <c>global_clipnorm</c>, <c>clipvalue</c>), checked as the properties are.</summary>
    internal void ConfigureBase(double? weightDecayValue, double? clipNormValue, double? globalClipNormValue, double? clipValueValue)
    {
        if (weightDecayValue is not null) weightDecay = CheckedWeightDecay(weightDecayValue);
        clipNorm = OnlyClipping(clipNormValue, nameof(ClipNorm));
        globalClipNorm = OnlyClipping(globalClipNormValue, nameof(GlobalClipNorm));
        clipValue = OnlyClipping(clipValueValue, nameof(ClipValue));
    }

    /// <summary>Keras allows one of clipnorm, global_clipnorm and clipvalue.</summary>
    double? OnlyClipping(double? value, string name)
    {
        if (value is null) return null;
        if (!(value > 0)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        if ((clipNorm ?? globalClipNorm ?? clipValue) is not null)
            throw new ArgumentException("Only one of ClipNorm (clipnorm), GlobalClipNorm (global_clipnorm) and ClipValue (clipvalue) can be set.", name);
        return value;
    }

    /// <summary>Keras 3's <c>_clip_gradients</c>, in place, before weight decay and the update.</summary>
    void ClipGradients(IReadOnlyList<Tensor> gradients)
    {
        if (ClipNorm is { } limit)
        {
            foreach (var g in gradients)
            {
                using var normTensor = g.norm();
                double norm = normTensor.to_type(ScalarType.Float64).item<double>();
                if (norm > limit) g.mul_(limit / norm);
            }
        }
        else if (GlobalClipNorm is { } globalLimit && gradients.Count > 0)
        {
            double sumOfSquares = 0;
            foreach (var g in gradients)
            {
                using var squares = g.square().sum();
                sumOfSquares += squares.to_type(ScalarType.Float64).item<double>();
            }
            double norm = Math.Sqrt(sumOfSquares);
            if (norm > globalLimit) foreach (var g in gradients) g.mul_(globalLimit / norm);
        }
        else if (ClipValue is { } value)
        {
            foreach (var g in gradients) g.clamp_(-value, value);
        }
    }

    /// <summary>Called once per step before the variables are updated (Nadam advances its momentum schedule here).</summary>
    protected virtual void BeginStep(long step) { }

    /// <summary>The value a new slot starts at (Adagrad's and Ftrl's accumulators: <c>initial_accumulator_value</c>).</summary>
    protected virtual double InitialSlotValue(string slotName) => 0.0;

    /// <summary>One Keras update of <paramref name="variable"/> in place, at step <paramref name="step"/> (1-based).</summary>
    protected abstract void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step);

    /// <summary>The slots of <paramref name="v"/>, created as zeros if it has none yet (checkpoint loading fills them).</summary>
    internal Tensor[] EnsureSlots(Variable v) => SlotsOf(v);

    Tensor[] SlotsOf(Variable v)
    {
        if (slots.TryGetValue(v, out var existing)) return existing;
        var created = SlotNames.Select(name =>
        {
            var t = full_like(v.Value, InitialSlotValue(name), requires_grad: false);
            t.DetachFromDisposeScope();
            return t;
        }).ToArray();
        slots[v] = created;
        slotOrder.Add(v);
        return created;
    }

    /// <summary>Drops every slot, as if no update had run (a loader that filled some, then found the state unusable).</summary>
    internal void ClearSlots()
    {
        foreach (var v in slotOrder)
            foreach (var t in slots[v]) t.Dispose();
        slots.Clear();
        slotOrder.Clear();
    }

    /// <summary>Frees the slots of <paramref name="variables"/> (a model being disposed); other variables keep theirs.</summary>
    internal void ReleaseSlots(IEnumerable<Variable> variables)
    {
        foreach (var v in variables)
        {
            if (!slots.Remove(v, out var owned)) continue;
            foreach (var t in owned) t.Dispose();
            slotOrder.Remove(v);
        }
    }

    internal void MoveSlotsTo(Device device)
    {
        foreach (var v in slotOrder)
        {
            var current = slots[v];
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i].IsOn(device)) continue;   // Device compares by reference: `==` never matched
                var moved = current[i].to(device);
                moved.DetachFromDisposeScope();
                current[i].Dispose();
                current[i] = moved;
            }
        }
    }

    /// <summary>
    /// Lets a Keras name stand for an optimizer with its defaults, as in Keras: <c>optimizer: "adam"</c> (see
    /// <see cref="Get"/>).
    /// </summary>
    public static implicit operator Optimizer(string name) => Get(name);

    /// <summary>An optimizer with Keras' defaults from its Keras name (<c>adam</c>, <c>sgd</c>, <c>rmsprop</c>, <c>adamw</c>, ...; any case).</summary>
    public static Optimizer Get(string name) => name.ToLowerInvariant() switch
    {
        "adam" => new Adam(),
        "sgd" => new SGD(),
        "rmsprop" => new RMSprop(),
        "adamw" => new AdamW(),
        "adadelta" => new Adadelta(),
        "adagrad" => new Adagrad(),
        "adamax" => new Adamax(),
        "nadam" => new Nadam(),
        "ftrl" => new Ftrl(),
        _ => throw new ArgumentException($"Unknown optimizer \"{name}\". Expected one of: {string.Join(", ", KnownNames)}.", nameof(name)),
    };

    /// <summary>The Keras names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["adam", "sgd", "rmsprop", "adamw", "adadelta", "adagrad", "adamax", "nadam", "ftrl"];
}
