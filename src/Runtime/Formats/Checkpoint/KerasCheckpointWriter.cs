using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Formats.Checkpoint;

/// <summary>Writes a model's weights (and, when compiled and trained, its optimizer state) as a TF2 bundle.</summary>
internal static class KerasCheckpointWriter
{
    public static void Write(Model model, string prefix)
    {
        var layout = KerasCheckpointLayout.For(model, includeOptimizerState: true);
        using var writer = new BundleWriter(prefix);
        try
        {
            foreach (var weight in layout.Weights)
                writer.Add(weight.Key, weight.Variable.Value);
            foreach (var slot in layout.Slots.Where(s => s.Exists))
                writer.Add(slot.Key, model.Optimizer!.GetSlot(slot.Weight.Variable, slot.SlotName));
            foreach (var hyper in layout.Hypers)
            {
                using var value = hyper.IsIteration
                    ? tensor((long)hyper.Value, ScalarType.Int64)
                    : tensor((float)hyper.Value, ScalarType.Float32);
                writer.Add(hyper.Key, value);
            }
            writer.AddString(KerasCheckpointLayout.ObjectGraphKey, layout.Graph.ToBytes());
        }
        catch (Exception e) when (SaveFailure.For(prefix, e) is { } failure)
        {
            throw failure;   // a full disk while writing the data; disposing the writer deletes its temporary file
        }
        writer.Commit();
    }
}
