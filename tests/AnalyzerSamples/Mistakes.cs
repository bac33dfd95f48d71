// One deliberate mistake per Layerwise diagnostic. A line ending in "// expect: LWnnnn" must get
// exactly that diagnostic from `dotnet build`; tests/Analyzers.Tests/SampleBuildTests.cs checks it.
using Layerwise;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace AnalyzerSamples;

// LW0001: a concrete layer with no [Layer]: saved models holding it cannot be loaded.
public class Unregistered : Layer // expect: LW0001
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

public static class Saving
{
    // LW0002: that layer goes into a model that is saved whole.
    public static void SaveModel()
    {
        var model = new Sequential(
            new Dense(4, inputShape: [8]),
            new Unregistered()); // expect: LW0002
        model.Save("model.keras");
    }

    /// <summary>Stands in for Model.Save until the formats land; the analyzer matches any Save on a model.</summary>
    public static void Save(this Model model, string path) => _ = (model, path);
}

// LW0003: [Layer] without partial: the generator cannot add its config.
[Layer]
public class NotPartial : Layer // expect: LW0003
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

// LW0004: a generic registered type.
[Layer]
public partial class Generic<T> : Layer // expect: LW0004
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

// LW0005: a private nested type cannot be registered by a module initializer. (Its container is
// not partial either, LW0003: today's generator writes an uncompilable registration for a private
// nested type in a partial container, CS8814, and the compiler runs no analyzer on code with errors.)
public class Container // expect: LW0003
{
    [Layer]
    private partial class Hidden : Layer // expect: LW0005
    {
        public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
    }
}

// LW0006: [Layer] on a class that is not a layer.
[Layer]
public partial class NotALayer // expect: LW0006
{
}

// LW1001: 'alpha' is never stored: GetConfig would lose it.
[Layer]
public partial class LosesAlpha : Layer
{
    public LosesAlpha(int units, double alpha = 0.1) // expect: LW1001
    {
        Units = units;
        _ = alpha;
    }

    public int Units { get; }

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

// LW1002: a delegate cannot be written to a config.
[Layer]
public partial class Mapped : Layer
{
    public Mapped(Func<Tensor, Tensor> transform) => Transform = transform; // expect: LW1002

    public Func<Tensor, Tensor> Transform { get; }

    public override Tensor Call(Tensor inputs, bool training = false) => Transform(inputs);
}

// LW1003: two types registered as "AnalyzerSamples>Twin".
[Layer(Name = "Twin")]
public partial class TwinA : Layer // expect: LW1003
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

[Layer(Name = "Twin")]
public partial class TwinB : Layer // expect: LW1003
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

// LW1004: no public constructor for FromConfig to call.
[Layer]
public partial class NoPublicConstructor : Layer // expect: LW1004
{
    internal NoPublicConstructor() { }

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}

// LW2001: a sub-layer in an auto-property is not tracked.
[Layer]
public partial class PropertyHeld : Layer
{
    public Dense Head { get; } = new(2); // expect: LW2001

    public override Tensor Call(Tensor inputs, bool training = false) => Head.Invoke(inputs, training);
}

// LW2002: a dictionary of layers is not tracked.
[Layer]
public partial class Router : Layer
{
    readonly Dictionary<string, Dense> experts = new() { ["a"] = new Dense(2) }; // expect: LW2002

    public override Tensor Call(Tensor inputs, bool training = false) => experts["a"].Invoke(inputs, training);
}

// LW2003: a layer created in Call is new (untrained, unsaved) on every call.
[Layer]
public partial class Forgetful : Layer
{
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        var dense = new Dense(2); // expect: LW2003
        return dense.Invoke(inputs, training);
    }
}
