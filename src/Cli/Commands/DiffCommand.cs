using System.CommandLine;
using System.Globalization;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Cli.Commands;

/// <summary>
/// <c>layerwise diff A B</c>: loads both (any formats) and compares their weights by layer and weight name
/// (<c>dense/kernel</c>): per weight the largest absolute difference, weights only one side has, shapes that differ.
/// Exit 0 when every weight matches within <c>--tolerance</c>, 6 otherwise.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var a = new Argument<string>("a") { Description = "The first file." };
        var b = new Argument<string>("b") { Description = "The second file." };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest absolute difference still counted as equal.", DefaultValueFactory = _ => 0.0 };
        var model = CommonOptions.Architecture();
        var command = new Command("diff", "Per-weight max abs difference, missing and extra weights.") { a, b, tolerance, model };
        command.SetAction(parse => context.Guard(() =>
        {
            var architecture = parse.GetValue(model);
            var left = ModelOpener.Open(ModelFile.Resolve(parse.GetValue(a)!), architecture);
            var right = ModelOpener.Open(ModelFile.Resolve(parse.GetValue(b)!), architecture);
            return Compare(Weights(left), Weights(right), parse.GetValue(tolerance), context.Output);
        }));
        return command;
    }

    /// <summary>The model's weights by <c>layer/weight</c> (a repeated path gets <c>#2</c>, <c>#3</c>, ...).</summary>
    static List<(string Name, Tensor Value)> Weights(Model model)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new List<(string, Tensor)>();
        foreach (var weight in model.Weights)
        {
            int n = seen[weight.Path] = seen.GetValueOrDefault(weight.Path) + 1;
            list.Add((n == 1 ? weight.Path : $"{weight.Path}#{n}", weight.Value));
        }
        return list;
    }

    static int Compare(List<(string Name, Tensor Value)> left, List<(string Name, Tensor Value)> right, double tolerance, TextWriter output)
    {
        var rightByName = right.ToDictionary(w => w.Name, w => w.Value, StringComparer.Ordinal);
        var leftNames = left.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        int width = Math.Max(6, left.Concat(right).Max(w => (int?)w.Name.Length) ?? 0);
        bool different = false;
        output.WriteLine($"{"weight".PadRight(width)}  {"shape",-16}  max abs difference");
        foreach (var (name, value) in left)
        {
            if (!rightByName.TryGetValue(name, out var other))
            {
                output.WriteLine($"{name.PadRight(width)}  {Shape(value.shape),-16}  only in A");
                different = true;
                continue;
            }
            if (!value.shape.SequenceEqual(other.shape))
            {
                output.WriteLine($"{name.PadRight(width)}  {Shape(value.shape),-16}  shape differs: B has {Shape(other.shape)}");
                different = true;
                continue;
            }
            double max;
            using (no_grad())
            using (var d = (value.detach().cpu().to(ScalarType.Float64) - other.detach().cpu().to(ScalarType.Float64)).abs())
                max = d.numel() == 0 ? 0 : d.max().item<double>();
            different |= !(max <= tolerance);
            output.WriteLine($"{name.PadRight(width)}  {Shape(value.shape),-16}  {max.ToString("G6", CultureInfo.InvariantCulture)}");
        }
        foreach (var (name, value) in right.Where(w => !leftNames.Contains(w.Name)))
        {
            output.WriteLine($"{name.PadRight(width)}  {Shape(value.shape),-16}  only in B");
            different = true;
        }
        output.WriteLine(different ? "The weights differ." : "The weights are identical" + (tolerance > 0 ? $" within {tolerance.ToString(CultureInfo.InvariantCulture)}." : "."));
        return different ? ExitCodes.Different : ExitCodes.Ok;
    }

    static string Shape(long[] shape) => Inspection.InspectionWriter.Shape(shape);
}
