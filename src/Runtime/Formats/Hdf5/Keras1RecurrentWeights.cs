using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Keras 1's per-gate recurrent weights, fused here into Keras 2's kernel, recurrent_kernel and bias
/// as Keras 2's legacy loader (<c>preprocess_weights_for_loading</c>) does. Each gate has three
/// arrays, W [features, units], U [units, units], b [units]:
/// LSTM: twelve, <c>W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o</c>, fused in the order i, f, c, o;
/// GRU: nine, <c>W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h</c>, fused in the same order z, r, h, into
/// the <c>reset_after=false</c> layout (Keras 1's GRU, and how its configs are read).
/// </summary>
internal static class Keras1RecurrentWeights
{
    const int ArraysPerGate = 3;
    // Keras 1 stores the LSTM gates i, c, f, o; Keras 2 fuses them i, f, c, o.
    static readonly int[] LstmGateOrder = [0, 2, 1, 3];
    static readonly int[] GruGateOrder = [0, 1, 2];

    static int[]? GateOrder(Layer layer) => layer switch
    {
        LSTM { UseBias: true } => LstmGateOrder,
        GRU { UseBias: true, ResetAfter: false } => GruGateOrder,
        _ => null,
    };

    public static bool Applies(Layer layer, string[] weightNames) =>
        GateOrder(layer) is { } order && weightNames.Length == order.Length * ArraysPerGate;

    /// <summary>The fused kernel, recurrent_kernel and bias read from the per-gate datasets (each shape checked).</summary>
    public static Tensor[] Read(Hdf5Input input, PureHDF.IH5Group layerGroup, string[] weightNames, Layer layer)
    {
        var order = GateOrder(layer) ?? throw new ArgumentException($"{layer.ClassName} has no Keras 1 per-gate layout.", nameof(layer));
        // kernel [features, gates·units], recurrent_kernel [units, gates·units], in the layer's weight order.
        long features = layer.Weights[0].Shape[0], units = layer.Weights[1].Shape[0];
        long[][] partShapes = [[features, units], [units, units], [units]];
        var fused = new Tensor[ArraysPerGate];
        for (int kind = 0; kind < ArraysPerGate; kind++)
        {
            var parts = order.Select(gate => ReadPart(input, layerGroup, weightNames[gate * ArraysPerGate + kind], partShapes[kind], layer, units)).ToList();
            fused[kind] = cat(parts, -1);
            foreach (var part in parts) part.Dispose();
        }
        return fused;
    }

    static Tensor ReadPart(Hdf5Input input, PureHDF.IH5Group layerGroup, string name, long[] want, Layer layer, long units)
    {
        var path = Hdf5Input.Join(layerGroup, name);
        var (dataset, shape) = input.FloatDataset(layerGroup, name);
        if (!shape.SequenceEqual(want))
            throw input.Error(path, $"Keras 1 {layer.ClassName} weight \"{name}\" of layer \"{layer.Name}\" ({units} units) should have shape " +
                                    $"{ShapeText.Format(want)}; this dataset has shape {ShapeText.Format(shape)}.");
        return input.ReadFloats(dataset, shape, path);
    }
}
