using Layerwise.Generators.Incremental;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Generators.Tests;

/// <summary>
/// Which edits leave a file's declarations equivalent (other types' specs stay cached) and which do
/// not (every spec is read again). The rule follows what Roslyn calls a top-level change, with one
/// exception: a constructor parameter's default, which only its own type's spec reads.
/// </summary>
public class DeclarationEquivalenceTests
{
    const string Before = """
        using System;
        namespace Sample;

        public enum Mode { Fast = 1, Careful = 2 }

        public sealed class MarkAttribute : Attribute { public MarkAttribute(int level = 1) { } }

        public record Point(int X = 0);

        [Mark(3)]
        public partial class Thing
        {
            const int Limit = 4;
            int counter = 5;

            public Thing(int size = 2, string label = "a") { counter = size; }

            public int Size => counter * 2;

            public void Run(int times = 1)
            {
                for (int i = 0; i < times; i++) counter++;
            }
        }
        """;

    static bool Equivalent(string after, string beforePath = "Thing.cs", string afterPath = "Thing.cs") =>
        DeclarationEquivalence.AreEquivalent(
            CSharpSyntaxTree.ParseText(Before, path: beforePath),
            CSharpSyntaxTree.ParseText(after, path: afterPath),
            CancellationToken.None);

    static string Edit(string from, string to)
    {
        Assert.Contains(from, Before);
        return Before.Replace(from, to, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("counter++;", "counter += 2;")]                                   // a method body
    [InlineData("counter * 2;", "counter * 3;")]                                  // an expression body
    [InlineData("int counter = 5;", "int counter = 6;")]                          // a non-constant field's initializer
    [InlineData("int size = 2,", "int size = 7,")]                                // a constructor default
    [InlineData("string label = \"a\"", "string label = \"b\"")]                 // a constructor default (string)
    [InlineData("public int Size", "\n\n    public   int Size")]                  // whitespace
    [InlineData("// nothing", "// nothing")]                                      // no change at all
    [InlineData("public void Run", "#region running\n    #endregion\n    public void Run")] // a region
    public void Edits_that_no_other_type_can_see_are_equivalent(string from, string to)
    {
        var after = from == "// nothing" ? Before : Edit(from, to);
        Assert.True(Equivalent(after));
    }

    [Theory]
    [InlineData("const int Limit = 4;", "const int Limit = 5;")]                  // a constant, which defaults elsewhere may name
    [InlineData("Careful = 2", "Careful = 3")]                                    // an enum member's value
    [InlineData("Fast = 1, Careful = 2", "Fast = 1, Careful = 2, Exact = 3")]     // a new enum member
    [InlineData("int level = 1", "int level = 2")]                                // an attribute's constructor default: every use sees it
    [InlineData("int X = 0", "int X = 1")]                                        // a record's primary constructor (kept conservative)
    [InlineData("int times = 1", "int times = 2")]                                // a method's default (kept conservative)
    [InlineData("[Mark(3)]", "[Mark(4)]")]                                        // an attribute argument
    [InlineData("int size = 2,", "long size = 2,")]                               // a parameter's type
    [InlineData("public int Size", "public long Size")]                          // a member's type
    [InlineData("using System;", "using System;\nusing System.IO;")]              // a using
    [InlineData("namespace Sample;", "#nullable disable\nnamespace Sample;")]     // a directive that changes meaning
    [InlineData("public partial class Thing", "public partial class Thing2")]     // a rename
    public void Edits_another_type_may_see_are_not_equivalent(string from, string to) =>
        Assert.False(Equivalent(Edit(from, to)));

    [Fact]
    public void The_same_text_under_another_path_is_not_equivalent() =>
        Assert.False(Equivalent(Before, afterPath: "Other.cs"));
}
