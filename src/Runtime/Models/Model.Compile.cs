using Layerwise.Training;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;

namespace Layerwise.Models;

/// <summary>
/// What <see cref="Model.Compile(Optimizer, Loss, IEnumerable{Metric})"/> and its overloads received, in the
/// form the user gave it (one loss, a list or a dictionary; weights as a list or dictionary; metrics as a list
/// for every output or a dictionary): Keras writes these forms unchanged into <c>training_config</c> /
/// <c>compile_config</c>, so a file records exactly what was compiled.
/// </summary>
internal sealed record CompileArguments(object Loss, object? LossWeights, object? Metrics);

public abstract partial class Model
{
    internal TrainingObjective? Objective { get; private set; }

    internal CompileArguments? CompiledWith { get; private set; }

    /// <summary>The loss of each output, in the order of <see cref="OutputNames"/> (null: that output is not trained against).</summary>
    public IReadOnlyList<Loss?> Losses => Objective?.Outputs.Select(o => o.Loss).ToList() ?? [];

    /// <summary>Each output's loss weight (null: none given, the loss counts once).</summary>
    public IReadOnlyList<double?> LossWeights => Objective?.Outputs.Select(o => o.Weight).ToList() ?? [];

    /// <summary>
    /// Configures training (Keras' <c>model.compile</c>): <paramref name="optimizer"/>, <paramref name="loss"/> and
    /// <paramref name="metrics"/> accept objects or Keras names (<c>"adam"</c>,
    /// <c>"sparse_categorical_crossentropy"</c>, <c>"accuracy"</c>). A model with several outputs applies
    /// the loss and a copy of each metric to every output, as Keras does.
    /// </summary>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        CompileCore(optimizer, new CompileArguments(loss, null, metrics?.ToList()));
    }

    /// <summary>
    /// Keras' <c>compile(loss=[...], loss_weights=[...])</c>: one loss per output in the order of
    /// <see cref="OutputNames"/>; the total loss is the sum of each loss times its weight. <paramref name="metrics"/>
    /// apply to every output; <paramref name="metricsByOutput"/> instead names the metrics of each output.
    /// </summary>
    public void Compile(Optimizer optimizer, IReadOnlyList<Loss?> loss, IEnumerable<Metric>? metrics = null,
                        IReadOnlyList<double>? lossWeights = null,
                        IReadOnlyDictionary<string, IEnumerable<Metric>>? metricsByOutput = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        CompileCore(optimizer, new CompileArguments(loss.ToList(), lossWeights?.ToList(), MetricsArgument(metrics, metricsByOutput)));
    }

    /// <summary>
    /// Keras' <c>compile(loss={"out_a": ..., "out_b": ...}, loss_weights={...})</c>: losses and weights keyed by
    /// output layer name (<see cref="OutputNames"/>); an output left out has no loss. Unknown names are refused.
    /// </summary>
    public void Compile(Optimizer optimizer, IReadOnlyDictionary<string, Loss> loss, IEnumerable<Metric>? metrics = null,
                        IReadOnlyDictionary<string, double>? lossWeights = null,
                        IReadOnlyDictionary<string, IEnumerable<Metric>>? metricsByOutput = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        CompileCore(optimizer, new CompileArguments(new Dictionary<string, Loss>(loss), lossWeights is null ? null : new Dictionary<string, double>(lossWeights),
                                                    MetricsArgument(metrics, metricsByOutput)));
    }

    static object? MetricsArgument(IEnumerable<Metric>? metrics, IReadOnlyDictionary<string, IEnumerable<Metric>>? byOutput)
    {
        if (metrics is not null && byOutput is not null)
            throw new ArgumentException("Pass either metrics (applied to every output) or metricsByOutput, not both.", nameof(byOutput));
        return byOutput is null
            ? metrics?.ToList()
            : byOutput.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Metric>)(kv.Value ?? []).ToList());
    }

    /// <summary>Maps the arguments onto the outputs (Keras' <c>map_to_output_names</c> and broadcasting) and installs them.</summary>
    internal void CompileCore(Optimizer optimizer, CompileArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var names = OutputNames;
        var losses = CompileMapping.PerOutput<Loss?>(arguments.Loss, names, Name, "loss", l => l);
        if (losses.All(l => l is null))
            throw new ArgumentException($"Model \"{Name}\": no output has a loss; give at least one of {CompileMapping.List(names)} a loss.", "loss");
        var weights = arguments.LossWeights is null
            ? new double?[names.Count]
            : CompileMapping.PerOutput<double?>(arguments.LossWeights, names, Name, "lossWeights", w => w);
        var metrics = CompileMapping.Metrics(arguments.Metrics, names, Name);
        var outputs = new List<OutputObjective>(names.Count);
        for (int i = 0; i < names.Count; i++)
        {
            // "accuracy" is resolved against the output's own loss; with several outputs each gets its own
            // copy named "<output>_<metric>" (a metric holds state), as Keras' _set_metric_names does.
            var resolved = metrics[i].Select(m => m is ResolvedByLoss r ? r.Resolve(losses[i]) : names.Count > 1 ? m.FreshCopy() : m).ToList();
            if (names.Count > 1) foreach (var m in resolved) m.Name = names[i] + "_" + m.Name;
            outputs.Add(new OutputObjective(names[i], losses[i], weights[i], resolved));
        }
        var objective = new TrainingObjective(outputs);
        var taken = new List<string> { "loss" };
        if (objective.LogsPerOutputLoss) taken.AddRange(outputs.Where(o => o.Loss is not null).Select(o => o.OutputName + "_loss"));
        var duplicate = objective.AllMetrics.Select(m => m.Name).Concat(taken).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Metric name \"{duplicate.Key}\" is used twice (or clashes with \"loss\"); give the metrics distinct names.", "metrics");
        Optimizer = optimizer;
        Loss = arguments.Loss as Loss;
        Metrics = [.. objective.AllMetrics];
        Objective = objective;
        CompiledWith = arguments;
    }
}
