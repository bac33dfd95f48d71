using Layerwise.Analyzers.CodeFixes;
using Verifier = Layerwise.Analyzers.Tests.Verify<Layerwise.Analyzers.DeclarationAnalyzer>;

namespace Layerwise.Analyzers.Tests;

public class DeclarationAnalyzerTests
{
    [Fact]
    public Task LW0003_fires_on_a_Layer_type_that_is_not_partial() => Verifier.AnalyzerAsync("""
        [Layer] public class {|LW0003:Antirectifier|} : Layer { }
        """);

    [Fact]
    public Task LW0003_fires_on_a_containing_type_that_is_not_partial() => Verifier.AnalyzerAsync("""
        public class {|LW0003:Outer|}
        {
            [Layer] public partial class Inner : Layer { }
        }
        """);

    [Fact]
    public Task LW0003_to_LW0006_do_not_fire_on_well_formed_types() => Verifier.AnalyzerAsync("""
        [Layer] public partial class A : Layer { }
        [ModelConfig] internal partial class B : Model { }
        public partial class Outer { [Layer] internal partial class Inner : Layer { } protected internal partial class Deep { [Layer] public partial class C : Layer { } } }
        [Layer] public abstract partial class AbstractBase : Layer { }
        public class Plain : Layer { }
        """);

    [Fact]
    public Task LW0004_fires_on_a_generic_type_and_a_type_nested_in_one() => Verifier.AnalyzerAsync("""
        [Layer] public partial class {|LW0004:Wrapper|}<T> : Layer { }
        public partial class Outer<T> { [Layer] public partial class {|LW0004:Inner|} : Layer { } }
        """);

    [Fact]
    public Task LW0005_fires_on_private_protected_and_file_local_types() => Verifier.AnalyzerAsync("""
        public partial class Outer
        {
            [Layer] private partial class {|LW0005:Hidden|} : Layer { }
            [Layer] protected partial class {|LW0005:Guarded|} : Layer { }
            private partial class Secret { [Layer] public partial class {|LW0005:Visible|} : Layer { } }
        }
        [Layer] file partial class {|LW0005:Local|} : Layer { }
        """);

    [Fact]
    public Task LW0006_fires_on_attributes_on_types_that_are_not_layers() => Verifier.AnalyzerAsync("""
        [Layer] public partial class {|LW0006:Settings|} { }
        [ModelConfig] public partial record {|LW0006:Point|}(int X);
        """);

    [Fact]
    public Task LW0003_fix_adds_partial_after_the_other_modifiers() => Verify<DeclarationAnalyzer>.CodeFixAsync<MakePartialCodeFix>("""
        [Layer]
        public sealed class {|LW0003:Antirectifier|} : Layer
        {
        }
        """, """
        [Layer]
        public sealed partial class Antirectifier : Layer
        {
        }
        """);

    [Fact]
    public Task LW0003_fix_makes_the_containing_type_partial() => Verify<DeclarationAnalyzer>.CodeFixAsync<MakePartialCodeFix>("""
        class {|LW0003:Outer|}
        {
            [Layer] public partial class Inner : Layer { }
        }
        """, """
        partial class Outer
        {
            [Layer] public partial class Inner : Layer { }
        }
        """);
}
