using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Keras 1's LSTM weights: twelve per-gate arrays <c>W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o,
/// U_o, b_o</c> (W [features, units], U [units, units], b [units]), fused here into Keras 2's kernel,
/// recurrent_kernel and bias with the gates in the order i, f, c, o, as Keras 2's legacy loader
/// (<c>preprocess_weights_for_loading</c>) does.
/// </summary>
internal static class Keras1LstmWeights
{
    const int ArraysPerGate = 3;
    // Keras 1 stores the gates i, c, f, o; Keras 2 fuses them i, f, c, o.
    static readonly int[] FusedGateOrder = [0, 2, 1, 3];

    public static bool Applies(Layer layer, string[] weightNames) =>
        layer is LSTM { UseBias: true } && weightNames.Length == 4 * ArraysPerGate;

    /// <summary>The fused kernel, recurrent_kernel and bias read from the twelve datasets (each shape checked).</summary>
    public static Tensor[] Read(Hdf5Input input, PureHDF.IH5Group layerGroup, string[] weightNames, LSTM layer)
    {
        var cell = layer.CellLayer;
        long features = cell.Kernel.Shape[0], units = cell.Units;
        long[][] partShapes = [[features, units], [units, units], [units]];
        var fused = new Tensor[ArraysPerGate];
        for (int kind = 0; kind < ArraysPerGate; kind++)
        {
            var parts = FusedGateOrder.Select(gate => ReadPart(input, layerGroup, weightNames[gate * ArraysPerGate + kind], partShapes[kind], layer)).ToList();
            fused[kind] = cat(parts, -1);
            foreach (var part in parts) part.Dispose();
        }
        return fused;
    }

    static Tensor ReadPart(Hdf5Input input, PureHDF.IH5Group layerGroup, string name, long[] want, LSTM layer)
    {
        var path = Hdf5Input.Join(layerGroup, name);
        var (dataset, shape) = input.FloatDataset(layerGroup, name);
        if (!shape.SequenceEqual(want))
            throw input.Error(path, $"Keras 1 LSTM weight \"{name}\" of layer \"{layer.Name}\" ({layer.Units} units) should have shape " +
                                    $"{ShapeText.Format(want)}; this dataset has shape {ShapeText.Format(shape)}.");
        return input.ReadFloats(dataset, shape, path);
    }
}
