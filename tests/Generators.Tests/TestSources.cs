namespace Layerwise.Generators.Tests;

/// <summary>Representative user code for the generator: one entry per baseline folder.</summary>
internal static class TestSources
{
    public const string Usings = """
        using System.Collections.Generic;
        using Layerwise;
        using Layerwise.Initializers;
        using Layerwise.Layers;
        using Layerwise.Models;
        using static TorchSharp.torch;

        """;

    /// <summary>A layer with weights created by AddWeight, and scalar config values.</summary>
    public const string CustomDense = Usings + """
        namespace Sample.Layers;

        [Layer]
        public partial class CustomDense : Layer
        {
            Variable? w;
            Variable? b;
            readonly int notTracked;

            public CustomDense(int units = 32, string activation = "relu", bool useBias = true, double scale = 0.5,
                               float floatScale = 1.25f, long seed = -3, string? name = null, bool trainable = true)
                : base(name, trainable)
            {
                Units = units; Activation = activation; UseBias = useBias; Scale = scale; FloatScale = floatScale; Seed = seed;
                notTracked = units;
            }

            public int Units { get; }
            public string Activation { get; }
            public bool UseBias { get; }
            public double Scale { get; }
            public float FloatScale { get; }
            public long Seed { get; }

            protected override void Build(long[] inputShape)
            {
                w = AddWeight("kernel", [inputShape[^1], Units], new GlorotUniform());
                if (UseBias) this.b = AddWeight(name: "bias", shape: [Units], initializer: new Zeros());
            }

            public override Tensor Call(Tensor inputs, bool training = false) => inputs.matmul(w!.Value);
        }
        """;

    /// <summary>Enums, arrays, lists, nullable values, tuples, nested layers, converters, renamed and ignored arguments.</summary>
    public const string EveryKind = Usings + """
        namespace Sample.Layers;

        public enum DataFormat { ChannelsLast, ChannelsFirst }

        [Layer(Package = "Sample", Name = "Everything", Module = "sample.layers")]
        public partial class EveryKind : Layer
        {
            public EveryKind(DataFormat format, int[] sizes, List<string> tags, IReadOnlyList<double> rates, (int, int) kernelSize,
                             int? maybe = null, DataFormat? maybeFormat = DataFormat.ChannelsFirst, long[]? shape = null,
                             Dense? inner = null, IReadOnlyList<Layer>? children = null, Initializer? init = null,
                             [ConfigKey("custom_key")] int renamed = 1, [ConfigIgnore] int ignored = 2,
                             [ConfigSource(nameof(OtherName))] string source = "x", long[]? inputShape = null, string? name = null)
                : base(name, true, inputShape)
            {
                Format = format; Sizes = sizes; Tags = tags; Rates = rates; KernelSize = kernelSize; Maybe = maybe; MaybeFormat = maybeFormat;
                Shape = shape; Inner = inner; Children = children; Init = init; Renamed = renamed; OtherName = source;
            }

            public DataFormat Format { get; }
            public int[] Sizes { get; }
            public List<string> Tags { get; }
            public IReadOnlyList<double> Rates { get; }
            public (int, int) KernelSize { get; }
            public int? Maybe { get; }
            public DataFormat? MaybeFormat { get; }
            public long[]? Shape { get; }
            public Dense? Inner { get; }
            public IReadOnlyList<Layer>? Children { get; }
            public Initializer? Init { get; }
            public int Renamed { get; }
            public string OtherName { get; }

            public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
        }
        """;

    /// <summary>A subclassed model: sub-layers in fields (one list), arguments as config.</summary>
    public const string SubclassedModel = Usings + """
        namespace Sample.Models;

        [ModelConfig]
        public partial class Classifier : Model
        {
            readonly Dense hidden;
            readonly List<Dense> extra = [];
            [NotTracked] readonly Layer alias;
            readonly Dense head;

            public Classifier(int hiddenUnits, int classes = 10, string? name = null) : base(name)
            {
                HiddenUnits = hiddenUnits; Classes = classes;
                hidden = new Dense(hiddenUnits, activation: "relu");
                alias = hidden;
                head = new Dense(classes);
            }

            public int HiddenUnits { get; }
            public int Classes { get; }

            public override Tensor Call(Tensor inputs, bool training = false) => head.Invoke(hidden.Invoke(inputs, training), training);
        }
        """;

    /// <summary>Global namespace, nested type, a derived [Layer], an abstract base, a hand-written GetConfig, an unsupported argument.</summary>
    public const string EdgeCases = Usings + """
        [Layer]
        public partial class GlobalLayer : Layer
        {
            public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
        }

        namespace Sample.Edge
        {
            public partial class Outer
            {
                public const int Answer = 42;

                [Layer]
                private partial class Hidden : Layer
                {
                    public Hidden(int size = 1) { Size = size; }
                    public int Size { get; }
                    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
                }

                [Layer]
                public partial class Inner : Layer
                {
                    public Inner(int @fixed = Answer, float ratio = -2.5f, string label = @"a\b") { Fixed = @fixed; Ratio = ratio; Label = label; }
                    public float Ratio { get; }
                    public string Label { get; }
                    public int Fixed { get; }
                    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
                }
            }

            [Layer]
            public abstract partial class BaseBlock : Layer
            {
                protected BaseBlock(int size, string? name = null) : base(name) { Size = size; }
                public int Size { get; }
            }

            [Layer]
            public partial class DerivedBlock : BaseBlock
            {
                Variable? gamma;
                public DerivedBlock(int size, double epsilon = 1e-3, string? name = null) : base(size, name) { Epsilon = epsilon; }
                public double Epsilon { get; }
                protected override void Build(long[] inputShape) => gamma = AddWeight("gamma", [Size], new Ones());
                public override Tensor Call(Tensor inputs, bool training = false) => inputs * gamma!.Value;
            }

            [Layer]
            public partial class WiderBlock : DerivedBlock
            {
                public WiderBlock(int size, int factor = 2, string? name = null) : base(size * factor, name: name) { Factor = factor; }
                public int Factor { get; }
            }

            [Layer]
            public partial class HandWritten : Layer
            {
                public HandWritten(int size) { Size = size; }
                public int Size { get; }
                public override System.Text.Json.Nodes.JsonObject GetConfig() => new() { ["size"] = Size };
                public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
            }

            [Layer]
            public partial class Unsupported : Layer
            {
                public Unsupported(System.IO.Stream stream, int lost, System.Uri? optional = null) { Stream = stream; }
                public System.IO.Stream Stream { get; }
                public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
            }

            [Layer]
            public class NotPartial : Layer
            {
                public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
            }
        }
        """;

    public static IEnumerable<(string Name, string Source)> All =>
    [
        (nameof(CustomDense), CustomDense),
        (nameof(EveryKind), EveryKind),
        (nameof(SubclassedModel), SubclassedModel),
        (nameof(EdgeCases), EdgeCases),
    ];
}
