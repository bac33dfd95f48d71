using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Serialization;

/// <summary>Keras' Antirectifier example: a custom layer with a weight, made with AddWeight in Build.</summary>
[Layer]
public partial class Antirectifier : Layer
{
    Variable? kernel;

    public Antirectifier(int units, string activation = "relu", Initializer? initializer = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        Units = units;
        Activation = activation;
        Initializer = initializer ?? new HeNormal();
    }

    public int Units { get; }
    public string Activation { get; }
    public Initializer Initializer { get; }

    protected override void Build(long[] inputShape) =>
        kernel = AddWeight("kernel", [inputShape[^1] * 2, Units], Initializer);

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var centered = inputs - inputs.mean([-1], keepdim: true);
        using var positive = centered.relu();
        using var negative = (-centered).relu();
        using var both = cat([positive, negative], -1);
        using var product = both.matmul(kernel!.Value);
        return Activations.Activations.Get(Activation)(product);
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];
}

public enum Padding { Valid, Same, ChannelsLast }

/// <summary>Every kind of config value the generator supports, for the round trip.</summary>
[Layer(Package = "Tests", Name = "EveryKind")]
public partial class EveryKindLayer : Layer
{
    public EveryKindLayer(bool flag, int count, long big, float scale, double rate, string mode, Padding padding,
                          int[] sizes, List<string> tags, [ConfigSource(nameof(Weights_))] IReadOnlyList<double> weights, (int, int) kernelSize,
                          int? maybe = null, Padding? maybePadding = null, string? note = null, long[]? shape = null,
                          Dense? inner = null, IReadOnlyList<Layer>? children = null, Initializer? init = null,
                          [ConfigKey("alias_key")] int renamed = 3, [ConfigIgnore] int ignored = 7,
                          long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        Flag = flag; Count = count; Big = big; Scale = scale; Rate = rate; Mode = mode; Padding = padding;
        Sizes = sizes; Tags = tags; Weights_ = weights; KernelSize = kernelSize; Maybe = maybe; MaybePadding = maybePadding;
        Note = note; Shape = shape; Inner = inner; Children = children; Init = init; Renamed = renamed; Ignored = ignored;
    }

    public bool Flag { get; }
    public int Count { get; }
    public long Big { get; }
    public float Scale { get; }
    public double Rate { get; }
    public string Mode { get; }
    public Padding Padding { get; }
    public int[] Sizes { get; }
    public List<string> Tags { get; }
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707")]
    public IReadOnlyList<double> Weights_ { get; }
    public (int, int) KernelSize { get; }
    public int? Maybe { get; }
    public Padding? MaybePadding { get; }
    public string? Note { get; }
    public long[]? Shape { get; }
    public Dense? Inner { get; }
    public IReadOnlyList<Layer>? Children { get; }
    public Initializer? Init { get; }
    public int Renamed { get; }
    public int Ignored { get; }

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

/// <summary>A subclassed model: constructor arguments are its config, sub-layers are fields.</summary>
[ModelConfig]
public partial class TwoTower : Model
{
    readonly Dense hidden;
    readonly Antirectifier anti;
    readonly Dropout dropout;
    readonly Dense head;

    public TwoTower(int hiddenUnits, int classes, double dropoutRate = 0.1, string? name = null) : base(name)
    {
        HiddenUnits = hiddenUnits;
        Classes = classes;
        DropoutRate = dropoutRate;
        hidden = new Dense(hiddenUnits, activation: "relu");
        anti = new Antirectifier(hiddenUnits);
        dropout = new Dropout(dropoutRate);
        head = new Dense(classes);
    }

    public int HiddenUnits { get; }
    public int Classes { get; }
    public double DropoutRate { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var h = hidden.Invoke(inputs, training);
        using var a = anti.Invoke(h, training);
        using var d = dropout.Invoke(a, training);
        return head.Invoke(d, training);
    }
}
