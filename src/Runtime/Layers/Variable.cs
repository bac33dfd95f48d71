using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// A named weight of a layer (Keras' <c>Variable</c>): a kernel, a bias, a running statistic.
/// Its <see cref="Path"/> is what file formats key it by (<c>dense/kernel</c>).
/// </summary>
public sealed class Variable
{
    internal Variable(Layer owner, string name, Tensor value, bool trainable)
    {
        Owner = owner;
        Name = name;
        Trainable = trainable;
        this.value = new Parameter(value, requires_grad: trainable);
        this.value.DetachFromDisposeScope();
    }

    /// <summary>The layer that created it.</summary>
    public Layer Owner { get; }

    /// <summary>The name given at creation, e.g. <c>kernel</c>.</summary>
    public string Name { get; }

    /// <summary><c>layer_name/name</c>, e.g. <c>dense/kernel</c> (Keras 2 appends <c>:0</c> in .h5 files).</summary>
    public string Path => $"{Owner.Name}/{Name}";

    /// <summary>
    /// Whether training updates this weight (false for running statistics such as <c>moving_mean</c>).
    /// </summary>
    public bool Trainable { get; }

    Parameter? value;

    /// <summary>The tensor itself; gradients accumulate on it during training. Owned by the variable: freed when its layer is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The layer that owns the variable has been disposed.</exception>
    public Parameter Value => value ?? throw new ObjectDisposedException(Path,
        $"Variable \"{Path}\" was freed when layer \"{Owner.Name}\" (or the model holding it) was disposed; create or load the layer again to use its weights.");

    /// <summary>Whether the tensor has been freed (its layer was disposed).</summary>
    public bool IsDisposed => value is null;

    /// <summary>Frees the tensor now, rather than when the garbage collector finalizes it.</summary>
    internal void Dispose()
    {
        value?.Dispose();
        value = null;
    }

    /// <summary>The weight's shape, in Keras' layout.</summary>
    public long[] Shape => Value.shape;

    /// <summary>The number of values in the weight (what <c>Summary</c> counts as parameters).</summary>
    public long NumElements => Value.numel();

    /// <summary>Copies <paramref name="source"/> into the variable, after checking its shape.</summary>
    public void Assign(Tensor source)
    {
        if (!source.shape.SequenceEqual(Value.shape))
            throw new IncompatibleShapeException(Owner.Name,
                $"variable \"{Path}\" to be assigned a value of shape {ShapeText.Format(Value.shape)}", source.shape);
        using var _ = no_grad();
        Value.copy_(source);
    }

    /// <summary>A CPU copy of the current value (for saving, comparing, printing).</summary>
    public Tensor ToCpu()
    {
        using var _ = no_grad();
        return Value.detach().cpu().clone();
    }

    internal void MoveTo(Device device)
    {
        // TorchSharp's Device compares by reference, so `==` never matched and every move copied (and freed
        // the tensors a caller may still hold), even to the device the weight was on.
        if (Value.IsOn(device)) return;
        using var _ = no_grad();
        var moved = new Parameter(Value.detach().to(device), requires_grad: Trainable);
        moved.DetachFromDisposeScope();
        var old = Value;
        value = moved;
        old.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => IsDisposed ? $"<Variable path={Path}, disposed>" : $"<Variable path={Path}, shape={ShapeText.Format(Shape)}>";
}
