using Layerwise.Layers;
using static TorchSharp.torch;
using A = Layerwise.Export.Onnx.OnnxMessages;

namespace Layerwise.Export.Onnx;

/// <summary>
/// SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops (one direction, zero initial states),
/// which keep any sequence length dynamic. Keras' fused weights [features, gates·units] become
/// ONNX's [1, gates·units, features]; the gate blocks are reordered from Keras' LSTM order i, f, c, o
/// to ONNX's i, o, f, c (GRU's z, r, h is the same in both). GRU's reset_after is ONNX's
/// linear_before_reset = 1. ONNX wants [steps, batch, features], so the batch is transposed in and out.
/// </summary>
internal static class OnnxRecurrentConverter
{
    public static string? Refusal(RecurrentLayer layer)
    {
        var activations = layer switch
        {
            LSTM lstm => new[] { lstm.RecurrentActivation, lstm.Activation },
            GRU gru => [gru.RecurrentActivation, gru.Activation],
            SimpleRNN rnn => [rnn.Activation],
            _ => null,
        };
        if (activations is null) return $"{layer.ClassName} has no ONNX form in this exporter";
        var missing = activations.Where(a => OnnxActivations.Recurrent(a) is null).ToList();
        return missing.Count == 0 ? null
            : $"ONNX's {layer.ClassName} op takes sigmoid, tanh, relu or hard_sigmoid; this layer uses {string.Join(", ", missing.Select(m => $"\"{m}\""))}";
    }

    public static string Convert(OnnxGraphBuilder g, RecurrentLayer layer, string x)
    {
        string name = layer.Name;
        using var scope = NewDisposeScope();
        string op;
        int units;
        Tensor w, r, b;
        string[] activations;
        var attributes = new List<ProtoMessage>();
        switch (layer)
        {
            case LSTM lstm:
            {
                op = "LSTM";
                units = lstm.Units;
                var cell = lstm.CellLayer;
                // Keras' gate blocks i, f, c, o taken in ONNX's order i, o, f, c.
                long[] order = [0, 3, 1, 2];
                w = Gates(Cpu(cell.Kernel).t(), units, order);
                r = Gates(Cpu(cell.RecurrentKernel).t(), units, order);
                var bias = cell.Bias is { } lb ? Gates(Cpu(lb), units, order) : zeros(4L * units);
                b = cat([bias, zeros(4L * units)], 0);
                activations = [lstm.RecurrentActivation, lstm.Activation, lstm.Activation];
                break;
            }
            case GRU gru:
            {
                op = "GRU";
                units = gru.Units;
                var cell = gru.CellLayer;
                w = Cpu(cell.Kernel).t();
                r = Cpu(cell.RecurrentKernel).t();
                b = cell.Bias switch
                {
                    null => zeros(6L * units),
                    { } gb when gru.ResetAfter => Cpu(gb).reshape(-1),   // rows: input bias, recurrent bias
                    { } gb => cat([Cpu(gb), zeros(3L * units)], 0),
                };
                activations = [gru.RecurrentActivation, gru.Activation];
                attributes.Add(A.Attribute("linear_before_reset", gru.ResetAfter ? 1L : 0L));
                break;
            }
            case SimpleRNN rnn:
            {
                op = "RNN";
                units = rnn.Units;
                var cell = rnn.CellLayer;
                w = Cpu(cell.Kernel).t();
                r = Cpu(cell.RecurrentKernel).t();
                b = cat([(cell.Bias is { } rb ? Cpu(rb) : zeros(units)), zeros(units)], 0);
                activations = [rnn.Activation];
                break;
            }
            default: throw new OnnxExportException($"Layer \"{name}\" ({layer.ClassName}) has no ONNX form in this exporter.", [name]);
        }

        var forms = activations.Select(a => OnnxActivations.Recurrent(a)!.Value).ToList();
        attributes.Add(A.Attribute("hidden_size", (long)units));
        attributes.Add(A.Attribute("activations", forms.Select(f => f.Name)));
        // ONNX consumes alphas and betas in order, for the activations that take them.
        if (forms.Any(f => f.Alpha is not null))
        {
            attributes.Add(A.Attribute("activation_alpha", forms.Where(f => f.Alpha is not null).Select(f => f.Alpha!.Value)));
            attributes.Add(A.Attribute("activation_beta", forms.Where(f => f.Beta is not null).Select(f => f.Beta!.Value)));
        }
        // go_backwards: ONNX's reverse direction reads the last step first, as Keras does.
        attributes.Add(A.Attribute("direction", layer.GoBackwards ? "reverse" : "forward"));

        var timeMajor = g.Node("Transpose", name, [x], A.Attribute("perm", new long[] { 1, 0, 2 }));
        var inputs = new[]
        {
            timeMajor,
            g.Weight($"{name}/W", w.unsqueeze(0)),
            g.Weight($"{name}/R", r.unsqueeze(0)),
            g.Weight($"{name}/B", b.unsqueeze(0)),
        };
        var sequence = g.UniqueName($"{name}/Y");
        var last = g.UniqueName($"{name}/Y_h");
        g.NodeWithOutputs(op, name, inputs, layer.ReturnSequences ? [sequence, last] : ["", last], [.. attributes]);
        if (!layer.ReturnSequences)
            return g.Node("Squeeze", name, [last, g.Int64s($"{name}/direction_axis", 0)]);   // [1, batch, units] -> [batch, units]

        // Y is [steps, 1, batch, units], each step's output at its input position.
        var steps = g.Node("Squeeze", name, [sequence, g.Int64s($"{name}/direction_axis", 1)]);
        if (layer.GoBackwards)
        {
            // Keras returns the outputs in processing order (last input step first): reverse the step axis.
            steps = g.Node("Slice", name, [steps, g.Int64s($"{name}/starts", -1), g.Int64s($"{name}/ends", long.MinValue),
                                           g.Int64s($"{name}/axes", 0), g.Int64s($"{name}/steps", -1)]);
        }
        return g.Node("Transpose", name, [steps], A.Attribute("perm", new long[] { 1, 0, 2 }));
    }

    static Tensor Cpu(Variable variable) => variable.Value.detach().cpu();

    /// <summary>The rows of a [gates·units, ...] weight regrouped as gate blocks in <paramref name="order"/>.</summary>
    static Tensor Gates(Tensor weight, int units, long[] order) =>
        cat([.. order.Select(i => weight.narrow(0, i * units, units))], 0);
}
