using Layerwise.Training.Metrics;

namespace Layerwise.Models;

/// <summary>
/// Spreads a compile argument over a model's outputs as tf.keras 2's compile_utils does: a single value
/// applies to every output, a list gives one value per output in order, a dictionary is keyed by output
/// name (missing names get nothing, unknown names are an error).
/// </summary>
internal static class CompileMapping
{
    public static string List(IReadOnlyList<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    public static T[] PerOutput<T>(object argument, IReadOnlyList<string> names, string model, string parameter, Func<T, T> map)
    {
        var result = new T[names.Count];
        switch (argument)
        {
            case T single when argument is not System.Collections.IEnumerable:
                Array.Fill(result, map(single));
                return result;
            case System.Collections.IDictionary dictionary:
                foreach (var key in dictionary.Keys.Cast<string>())
                {
                    int index = IndexOf(names, key, model, parameter);
                    result[index] = map((T)dictionary[key]!);
                }
                return result;
            case System.Collections.IList list:
                if (list.Count != names.Count)
                    throw new ArgumentException(
                        $"Model \"{model}\" has {names.Count} output(s) ({List(names)}) but {parameter} lists {list.Count} value(s); " +
                        "give one per output, in the order of the model's outputs, or a dictionary keyed by output name.", parameter);
                for (int i = 0; i < list.Count; i++) result[i] = map((T)list[i]!);
                return result;
            default:
                throw new ArgumentException($"{parameter}: expected one value, a list or a dictionary keyed by output name; received {argument.GetType().Name}.", parameter);
        }
    }

    /// <summary>The metrics of each output: a list applies to every output, a dictionary names each output's.</summary>
    public static IReadOnlyList<Metric>[] Metrics(object? argument, IReadOnlyList<string> names, string model)
    {
        var result = new IReadOnlyList<Metric>[names.Count];
        Array.Fill(result, []);
        switch (argument)
        {
            case null:
                return result;
            case IReadOnlyDictionary<string, IReadOnlyList<Metric>> byOutput:
                foreach (var (key, metrics) in byOutput) result[IndexOf(names, key, model, "metricsByOutput")] = metrics;
                return result;
            case IReadOnlyList<Metric> all:
                if (all.Any(m => m is null)) throw new ArgumentException("metrics may not contain null.", "metrics");
                Array.Fill(result, all);
                return result;
            default:
                throw new ArgumentException($"metrics: expected a list or a dictionary keyed by output name; received {argument.GetType().Name}.", "metrics");
        }
    }

    static int IndexOf(IReadOnlyList<string> names, string key, string model, string parameter)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == key) return i;
        throw new ArgumentException(
            $"{parameter} names \"{key}\", which is not an output of model \"{model}\"; its outputs are {List(names)} (the names of the layers that produce them).", parameter);
    }
}
