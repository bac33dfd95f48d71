using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Analyzers.Tests;

/// <summary>
/// A stand-in for the Layerwise runtime, compiled once into an assembly named "Layerwise": the
/// attributes and the base types the analyzers look for, with the members the shared reader reads
/// (Name, Trainable, DType, DeclaredInputShape, AddWeight, Build). Keeps these tests free of
/// TorchSharp and libtorch. The real runtime is checked by the sample build test.
/// </summary>
internal static class RuntimeStub
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        namespace Layerwise
        {
            [AttributeUsage(AttributeTargets.Class, Inherited = false)]
            public sealed class LayerAttribute : Attribute { public string? Package { get; set; } public string? Name { get; set; } public string? Module { get; set; } }
            [AttributeUsage(AttributeTargets.Class, Inherited = false)]
            public sealed class ModelConfigAttribute : Attribute { public string? Package { get; set; } public string? Name { get; set; } public string? Module { get; set; } }
            [AttributeUsage(AttributeTargets.Parameter)] public sealed class ConfigKeyAttribute(string key) : Attribute { public string Key { get; } = key; }
            [AttributeUsage(AttributeTargets.Parameter)] public sealed class ConfigSourceAttribute(string member) : Attribute { public string Member { get; } = member; }
            [AttributeUsage(AttributeTargets.Parameter)] public sealed class ConfigIgnoreAttribute : Attribute;
            [AttributeUsage(AttributeTargets.Constructor)] public sealed class ConfigConstructorAttribute : Attribute;
            [AttributeUsage(AttributeTargets.Field)] public sealed class NotTrackedAttribute : Attribute;
            [AttributeUsage(AttributeTargets.Class, Inherited = true)] public sealed class ConfigConverterAttribute(Type converterType) : Attribute { public Type ConverterType { get; } = converterType; }
            public static class Keras { public static Layerwise.Layers.KerasTensor Input(long[] shape, string? name = null) => new Layerwise.Layers.KerasTensor(); }
        }
        namespace Layerwise.Layers
        {
            public sealed class Variable { internal Variable() { } public string Name => ""; }
            public sealed class KerasTensor { internal KerasTensor() { } }
            public abstract class Layer
            {
                protected Layer(string? name = null, bool trainable = true, long[]? inputShape = null) { Name = name ?? ""; Trainable = trainable; DeclaredInputShape = inputShape; }
                public string Name { get; }
                public bool Trainable { get; set; }
                public string DType => "float32";
                public long[]? DeclaredInputShape { get; }
                protected virtual void Build(long[] inputShape) { }
                public virtual object Call(object inputs, bool training = false) => inputs;
                public KerasTensor Call(KerasTensor input) => input;
                public KerasTensor Call(params KerasTensor[] inputs) => inputs[0];
                protected Variable AddWeight(string name, long[] shape, bool trainable = true) => new Variable();
                protected internal T TrackLayer<T>(T layer) where T : Layer => layer;
            }
            [Layer(Module = "keras.layers")]
            public partial class Dense : Layer
            {
                public Dense(int units, string? activation = null, long[]? inputShape = null, string? name = null) : base(name, true, inputShape) { Units = units; Activation = activation; }
                public int Units { get; }
                public string? Activation { get; }
            }
        }
        namespace Layerwise.Models
        {
            using Layerwise.Layers;
            public abstract class Model : Layer
            {
                protected Model(string? name = null) : base(name) { }
                public void Save(string path) { }
                public void SaveWeights(string path) { }
            }
            public sealed class Functional : Model
            {
                public Functional(KerasTensor input, KerasTensor output, string? name = null) : base(name) { }
                public Functional(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, string? name = null) : base(name) { }
            }
            [ModelConfig(Module = "keras")]
            public partial class Sequential : Model
            {
                readonly List<Layer> layers = new();
                public Sequential(params Layer[] layers) : this((IEnumerable<Layer>)layers) { }
                public Sequential(IEnumerable<Layer> layers, string? name = null) : base(name) { this.layers.AddRange(layers); }
                public IReadOnlyList<Layer> Layers => layers;
                public void Add(Layer layer) => layers.Add(layer);
            }
        }
        """;

    static readonly Lazy<MetadataReference> reference = new(() =>
    {
        var compilation = CSharpCompilation.Create("Layerwise",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("The runtime stub does not compile:\n" + string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(ImmutableArray.Create(stream.ToArray()));
    });

    public static MetadataReference Reference => reference.Value;
}
