using Layerwise.Analyzers.CodeFixes;
using Verifier = Layerwise.Analyzers.Tests.Verify<Layerwise.Analyzers.TrackingAnalyzer>;

namespace Layerwise.Analyzers.Tests;

public class TrackingAnalyzerTests
{
    [Fact]
    public Task LW2001_fires_on_sub_layers_and_weights_in_auto_properties() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Block : Layer
        {
            public Block() { Hidden = new Dense(4); Blocks = new List<Dense>(); }
            public Dense {|LW2001:Hidden|} { get; }
            public List<Dense> {|LW2001:Blocks|} { get; set; }
            Variable? {|LW2001:Scale|} { get; set; }
        }
        """);

    [Fact]
    public Task LW2001_does_not_fire_on_fields_computed_properties_or_unregistered_types() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Block : Layer
        {
            readonly Dense hidden = new(4);
            Variable? kernel;
            public Dense Hidden => hidden;
            public Variable Kernel => kernel!;
            [field: NotTracked] public Dense Borrowed { get; set; } = new(1);
            public int Units { get; } = 3;
        }
        public class Plain : Layer { public Dense Hidden { get; } = new(4); }
        """);

    [Fact]
    public Task LW2002_fires_on_collections_the_tracker_cannot_see() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Router : Layer
        {
            readonly Dictionary<string, Dense> {|LW2002:experts|} = new();
            readonly (Dense, Dense) {|LW2002:pair|} = (new Dense(1), new Dense(2));
            readonly List<Variable> {|LW2002:scales|} = new();
            public Dictionary<string, Layer> {|LW2002:Named|} { get; } = new();
        }
        """);

    [Fact]
    public Task LW2002_fires_on_a_local_collection_captured_by_a_lambda() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Tower : Layer
        {
            readonly Func<object, object> forward;
            public Tower(int depth)
            {
                var {|LW2002:blocks|} = new List<Dense>();
                for (int i = 0; i < depth; i++) blocks.Add(new Dense(8));
                forward = x => { foreach (var b in blocks) x = b.Call(x); return x; };
            }
            public override object Call(object inputs, bool training = false) => forward(inputs);
        }
        """);

    [Fact]
    public Task LW2002_does_not_fire_on_tracked_shapes_or_NotTracked() => Verifier.AnalyzerAsync("""
        [Layer]
        public partial class Fine : Layer
        {
            readonly Dense[] blocks = [new Dense(1)];
            readonly List<Layer> layers = new();
            readonly IReadOnlyList<Dense> view;
            [NotTracked] readonly Dictionary<string, Dense> index = new();
            readonly Func<Dense> factory = () => new Dense(1);
            public Fine() { view = blocks; var local = new List<Dense>(); layers.AddRange(local); Func<int> f = () => 1; }
        }
        [Layer]
        public partial class Stored : Layer
        {
            readonly List<Dense> blocks;
            readonly Dense head;
            readonly Func<object, object> forward;
            public Stored()
            {
                var list = new List<Dense> { new Dense(1) };
                var last = new Dense(2);
                blocks = list;
                TrackLayer(last);
                head = last;
                forward = x => last.Call(list[0].Call(x));
            }
        }
        """);

    [Fact]
    public Task LW2003_fires_on_layers_and_weights_created_in_Call_or_other_methods() => Verifier.AnalyzerAsync("""
        public class Custom : Layer
        {
            public override object Call(object inputs, bool training = false)
            {
                var dense = {|LW2003:new Dense(4)|};
                var w = {|LW2003:AddWeight("scale", [1])|};
                return dense.Call(inputs);
            }
            public Dense Fresh => {|LW2003:new Dense(2)|};
        }
        """);

    [Fact]
    public Task LW2003_does_not_fire_in_constructors_Build_initializers_helpers_or_outside_layers() => Verifier.AnalyzerAsync("""
        public class Custom : Layer
        {
            readonly Dense first = new(1);
            readonly Dense second;
            readonly Dense third;
            Variable? kernel;
            public Custom() { second = new Dense(2); third = MakeBlock(3); }
            Dense MakeBlock(int units) => new Dense(units);
            protected override void Build(long[] inputShape) { kernel = AddWeight("kernel", [inputShape[0], 1]); }
            public static Custom Create() => new Custom();
        }
        public static class Factory { public static Layer Make() => new Dense(3); }
        public class Growing : Model
        {
            public Sequential Widened(int units) => new Sequential(new Dense(units));
            public void AddScale() => AddWeight("scale", [1]);
            protected override void Build(long[] inputShape) => AddScale();
        }
        """);

    [Fact]
    public Task LW2001_fix_moves_a_get_only_sub_layer_to_a_readonly_field() => Verify<TrackingAnalyzer>.CodeFixAsync<MoveToFieldCodeFix>("""
        [Layer]
        public partial class Block : Layer
        {
            public Block(int units)
            {
                Hidden = new Dense(units);
            }

            public Dense {|LW2001:Hidden|} { get; }
        }
        """, """
        [Layer]
        public partial class Block : Layer
        {
            public Block(int units)
            {
                hidden = new Dense(units);
            }

            readonly Dense hidden;

            public Dense Hidden => hidden;
        }
        """);

    [Fact]
    public Task LW2001_fix_all_moves_every_property_of_a_type() => Verify<TrackingAnalyzer>.CodeFixAsync<MoveToFieldCodeFix>("""
        [Layer]
        public partial class Block : Layer
        {
            public Dense {|LW2001:First|} { get; } = new Dense(1);
            public Dense {|LW2001:Second|} { get; } = new Dense(2);
        }
        """, """
        [Layer]
        public partial class Block : Layer
        {
            readonly Dense first = new Dense(1);

            public Dense First => first;
            readonly Dense second = new Dense(2);

            public Dense Second => second;
        }
        """);

    [Fact]
    public Task LW2001_fix_keeps_setters_and_initializers() => Verify<TrackingAnalyzer>.CodeFixAsync<MoveToFieldCodeFix>("""
        [Layer]
        public partial class Block : Layer
        {
            public Dense {|LW2001:Head|} { get; private set; } = new Dense(2);
        }
        """, """
        [Layer]
        public partial class Block : Layer
        {
            Dense head = new Dense(2);

            public Dense Head { get => head; private set => head = value; }
        }
        """);
}
