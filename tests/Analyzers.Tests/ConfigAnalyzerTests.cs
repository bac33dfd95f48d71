using Layerwise.Analyzers.CodeFixes;
using Verifier = Layerwise.Analyzers.Tests.Verify<Layerwise.Analyzers.ConfigAnalyzer>;

namespace Layerwise.Analyzers.Tests;

public class ConfigAnalyzerTests
{
    [Fact]
    public Task LW1001_fires_on_a_constructor_argument_with_no_member() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Antirectifier : Layer
        {
            public Antirectifier(int units, double {|LW1001:alpha|}, string? name = null) : base(name) { Units = units; }
            public int Units { get; }
        }
        """);

    [Fact]
    public Task LW1001_fires_when_the_member_has_an_incompatible_type_or_ConfigSource_names_nothing() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Scaled : Layer
        {
            public Scaled(double {|LW1001:factor|}, [ConfigSource("Missing")] int {|LW1001:size|}) { Factor = factor.ToString(); }
            public string Factor { get; }
        }
        """);

    [Fact]
    public Task LW1001_does_not_fire_on_base_config_members_fields_ConfigSource_or_ignored_parameters() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Fine : Layer
        {
            readonly float rate;
            public Fine(int units, float rate, [ConfigSource(nameof(Count))] int size, [ConfigIgnore] bool verbose = false,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
                : base(name, trainable, inputShape) { Units = units; this.rate = rate; Count = size; }
            public int Units { get; }
            public int Count { get; }
        }
        public class Unregistered : Layer { public Unregistered(int lost) { } }
        """);

    [Fact]
    public Task LW1002_fires_on_parameter_types_a_config_cannot_hold() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Odd : Layer
        {
            public Odd(Func<int, int> {|LW1002:transform|}, Dictionary<string, int>? {|LW1002:table|} = null) { Transform = transform; Table = table; }
            public Func<int, int> Transform { get; }
            public Dictionary<string, int>? Table { get; }
        }
        """);

    [Fact]
    public Task LW1002_does_not_fire_on_supported_value_types() => Verifier.AnalyzerAsync("""
        public enum Mode { Fast, Exact }
        [Layer]
        public partial class Many : Layer
        {
            public Many(bool b, int i, long l, float f, double d, string s, Mode mode, int? n, long[] shape,
                        List<int> list, IReadOnlyList<string> names, (int, int) pair, Layer inner, Dense[] blocks)
            { B = b; I = i; L = l; F = f; D = d; S = s; Mode = mode; N = n; Shape = shape; List = list; Names = names; Pair = pair; this.inner = inner; this.blocks = blocks; }
            public bool B { get; } public int I { get; } public long L { get; } public float F { get; } public double D { get; }
            public string S { get; } public Mode Mode { get; } public int? N { get; } public long[] Shape { get; }
            public List<int> List { get; } public IReadOnlyList<string> Names { get; } public (int, int) Pair { get; }
            readonly Layer inner; readonly Dense[] blocks;
        }
        """);

    [Fact]
    public Task LW1004_fires_when_there_is_no_public_constructor() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class {|LW1004:Hidden|} : Layer
        {
            internal Hidden(int units) { Units = units; }
            public int Units { get; }
        }
        """);

    [Fact]
    public Task LW1004_fires_on_ConfigIgnore_without_default_and_on_ref_parameters() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Strict : Layer
        {
            public Strict(int units, [ConfigIgnore] bool {|LW1004:verbose|}, in int {|LW1004:seed|}) { Units = units; Seed = seed; }
            public int Units { get; }
            public int Seed { get; }
        }
        """);

    [Fact]
    public Task LW1004_does_not_fire_on_ConfigConstructor_abstract_or_handwritten_FromConfig() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Chosen : Layer
        {
            [ConfigConstructor] internal Chosen(int units) { Units = units; }
            public int Units { get; }
        }
        [Layer]
        public abstract partial class Base : Layer { protected Base() { } }
        [Layer]
        public partial class Manual : Layer
        {
            Manual() { }
            public static Manual FromConfig(System.Text.Json.Nodes.JsonObject config) => new();
        }
        """);

    [Fact]
    public Task LW1001_fix_adds_a_property_and_assigns_it() => Verify<ConfigAnalyzer>.CodeFixAsync<AddConfigPropertyCodeFix>("""
        [Layer]
        public partial class Antirectifier : Layer
        {
            public Antirectifier(int units, double {|LW1001:alpha|} = 0.5)
            {
                Units = units;
            }

            public int Units { get; }
        }
        """, """
        [Layer]
        public partial class Antirectifier : Layer
        {
            public Antirectifier(int units, double alpha = 0.5)
            {
                Alpha = alpha;
                Units = units;
            }

            public double Alpha { get; }
            public int Units { get; }
        }
        """);

    [Fact]
    public Task LW1001_fix_turns_an_expression_bodied_constructor_into_a_block() => Verify<ConfigAnalyzer>.CodeFixAsync<AddConfigPropertyCodeFix>("""
        [Layer]
        public partial class Gate : Layer
        {
            public Gate(string {|LW1001:mode|}) => Console.WriteLine(mode);
        }
        """, """
        [Layer]
        public partial class Gate : Layer
        {
            public Gate(string mode)
            {
                Mode = mode;
                Console.WriteLine(mode);
            }

            public string Mode { get; }
        }
        """);
}
