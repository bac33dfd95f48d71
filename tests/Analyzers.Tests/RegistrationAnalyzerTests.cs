using Layerwise.Analyzers.CodeFixes;
using Verifier = Layerwise.Analyzers.Tests.Verify<Layerwise.Analyzers.RegistrationAnalyzer>;

namespace Layerwise.Analyzers.Tests;

public class RegistrationAnalyzerTests
{
    [Fact]
    public Task LW0001_fires_on_a_concrete_layer_without_Layer_attribute() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Antirectifier|} : Layer { }
        """);

    [Fact]
    public Task LW0001_fires_on_a_concrete_model_without_ModelConfig_and_asks_for_ModelConfig() => Verifier.AnalyzerAsync("""
        public class {|LW0001:MyModel|} : Model { }
        """);

    [Fact]
    public Task LW0001_fires_on_a_subclass_of_a_registered_layer() => Verifier.AnalyzerAsync("""
        public class {|LW0001:WideDense|} : Dense { public WideDense() : base(1024) { } }
        """);

    [Fact]
    public Task LW0001_does_not_fire_on_registered_abstract_generic_or_unrelated_types() => Verifier.AnalyzerAsync("""
        [Layer] public partial class Registered : Layer { }
        [ModelConfig] public partial class RegisteredModel : Model { }
        public abstract class BaseBlock : Layer { }
        public class Generic<T> : Layer { }
        public class NotALayer { }
        """);

    [Fact]
    public Task LW0002_fires_where_an_unregistered_layer_goes_into_a_saved_model() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public static class Program
        {
            public static void Main()
            {
                var model = new Sequential(new Dense(4), {|LW0002:new Custom()|});
                var extra = new Custom();
                model.Add({|LW0002:extra|});
                model.Save("m.keras");
            }
        }
        """);

    [Fact]
    public Task LW0002_fires_for_collection_expressions_and_array_arguments() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public static class Program
        {
            public static void Main()
            {
                Sequential model = new([{|LW0002:new Custom()|}, new Dense(1)]);
                model.Save("m.h5");
            }
        }
        """);

    [Fact]
    public Task LW0002_fires_for_a_model_field_saved_in_another_method() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public class Trainer
        {
            readonly Sequential model = new(new Dense(4), {|LW0002:new Custom()|});
            public Trainer() => model.Add({|LW0002:new Custom()|});
            public void Checkpoint() => model.Save("m.keras");
        }
        """);

    [Fact]
    public Task LW0002_fires_in_top_level_statements()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<RegistrationAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            TestCode = """
                using Layerwise.Layers;
                using Layerwise.Models;
                var model = new Sequential(new Dense(4), {|LW0002:new Custom()|});
                model.Save("m.keras");
                public class {|LW0001:Custom|} : Layer { }
                """,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        Verify<RegistrationAnalyzer>.Configure(test);
        return test.RunAsync();
    }

    [Fact]
    public Task LW0002_fires_for_a_layer_called_into_a_saved_functional_model() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public static class Program
        {
            public static void Main()
            {
                var inputs = Layerwise.Keras.Input(shape: new long[] { 4 });
                var hidden = {|LW0002:new Custom()|}.Call(inputs);
                var reused = new Custom();
                var outputs = new Dense(2).Call({|LW0002:reused|}.Call(hidden));
                var model = new Functional(inputs, outputs);
                model.Save("m.keras");
            }
        }
        """);

    [Fact]
    public Task LW0002_does_not_fire_for_a_functional_model_that_is_not_saved() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public static class Program
        {
            public static void Main()
            {
                var inputs = Layerwise.Keras.Input(shape: new long[] { 4 });
                var model = new Functional(inputs, new Custom().Call(inputs));
                model.SaveWeights("w.weights.h5");
            }
        }
        """);

    [Fact]
    public Task LW0002_does_not_fire_when_the_model_is_not_saved_or_only_its_weights_are() => Verifier.AnalyzerAsync("""
        public class {|LW0001:Custom|} : Layer { }
        public static class Program
        {
            public static void Main()
            {
                var trained = new Sequential(new Custom());
                trained.SaveWeights("w.weights.h5");
                var other = new Sequential(new Custom());
                var saved = new Sequential(new Dense(2));
                saved.Save("m.keras");
            }
        }
        """);

    [Fact]
    public Task LW0001_fix_adds_Layer_and_partial() => Verify<RegistrationAnalyzer>.CodeFixAsync<AddRegistrationAttributeCodeFix>("""
        namespace App
        {
            /// <summary>Doc.</summary>
            public class {|LW0001:Antirectifier|} : Layer
            {
            }
        }
        """, """
        namespace App
        {
            /// <summary>Doc.</summary>
            [Layer]
            public partial class Antirectifier : Layer
            {
            }
        }
        """);

    [Fact]
    public Task LW0001_fix_adds_ModelConfig_and_the_using_for_a_model() => Verify<RegistrationAnalyzer>.CodeFixAsync<AddRegistrationAttributeCodeFix>("""
        using Layerwise.Models;

        class {|LW0001:MyModel|} : Model
        {
        }
        """, """
        using Layerwise.Models;
        using Layerwise;

        [ModelConfig]
        partial class MyModel : Model
        {
        }
        """, withUsings: false);
}
