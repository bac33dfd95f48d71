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

    protected Optimizer(double learningRate, string? name)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Learning rate must be positive.");
        LearningRate = learningRate;
        Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);
    }

    public string Name { get; }

    public double LearningRate { get; set; }

    /// <summary>
    /// Keras 3's decoupled weight decay (<c>weight_decay</c>, any optimizer): before each update every
    /// trainable variable is scaled, θ ← θ − θ·wd·lr. Null: none (Keras' default, except AdamW's 0.004).
    /// </summary>
    public double? WeightDecay
    {
        get => weightDecay;
        init
        {
            if (value is < 0 or double.NaN) throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "Weight decay must be zero or positive.");
            weightDecay = value;
        }
    }

    readonly double? weightDecay;

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
        BeginStep(step);
        foreach (var v in variables)
        {
            using var grad = v.Value.grad;
            if (grad is null) continue;
            if (WeightDecay is { } decay) v.Value.mul_(1 - decay * LearningRate);
            Update(v.Value, grad, SlotsOf(v), step);
            grad.zero_();
        }
        Iterations = step;
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

    internal void MoveSlotsTo(Device device)
    {
        foreach (var v in slotOrder)
        {
            var current = slots[v];
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i].device == device) continue;
                var moved = current[i].to(device);
                moved.DetachFromDisposeScope();
                current[i].Dispose();
                current[i] = moved;
            }
        }
    }

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
