using Verifier = Layerwise.Analyzers.Tests.Verify<Layerwise.Analyzers.DuplicateRegistrationAnalyzer>;

namespace Layerwise.Analyzers.Tests;

public class DuplicateRegistrationAnalyzerTests
{
    [Fact]
    public Task LW1003_fires_on_both_types_with_one_registered_name() => Verifier.AnalyzerAsync("""
        namespace A { [Layer] public partial class {|LW1003:Block|} : Layer { } }
        namespace B { [Layer] public partial class {|LW1003:Block|} : Layer { } }
        """);

    [Fact]
    public Task LW1003_fires_when_an_explicit_name_collides() => Verifier.AnalyzerAsync("""
        [Layer(Package = "Shared", Name = "Block")] public partial class {|LW1003:First|} : Layer { }
        [ModelConfig(Package = "Shared", Name = "Block")] public partial class {|LW1003:Second|} : Model { }
        """);

    [Fact]
    public Task LW1003_does_not_fire_on_distinct_names_or_abstract_types() => Verifier.AnalyzerAsync("""
        namespace A { [Layer] public partial class Block : Layer { } }
        namespace B { [Layer(Name = "OtherBlock")] public partial class Block : Layer { } }
        namespace C { [Layer] public abstract partial class Block : Layer { } }
        namespace D { [Layer(Package = "Mine")] public partial class Block : Layer { } }
        """);
}
