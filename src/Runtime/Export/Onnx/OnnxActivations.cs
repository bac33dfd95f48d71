using A = Layerwise.Export.Onnx.OnnxMessages;

namespace Layerwise.Export.Onnx;

/// <summary>Keras' named activations as ONNX nodes (opset 17), and the names ONNX's recurrent ops accept.</summary>
internal static class OnnxActivations
{
    /// <summary>Every name of <see cref="Activations.Activations"/> has an ONNX form.</summary>
    public static bool CanExport(string activation) => Activations.Activations.Names.Contains(activation);

    /// <summary>The nodes computing <paramref name="activation"/> of <paramref name="input"/>; returns the result's name.</summary>
    public static string Apply(OnnxGraphBuilder graph, string activation, string input, string stem)
    {
        switch (activation)
        {
            case "linear": return input;
            case "relu": return graph.Node("Relu", stem, [input]);
            case "sigmoid": return graph.Node("Sigmoid", stem, [input]);
            case "tanh": return graph.Node("Tanh", stem, [input]);
            // Keras 1/2's clip(0.2x + 0.5, 0, 1) is ONNX's HardSigmoid with its default alpha and beta.
            case "hard_sigmoid": return graph.Node("HardSigmoid", stem, [input], A.Attribute("alpha", 0.2f), A.Attribute("beta", 0.5f));
            case "softmax": return graph.Node("Softmax", stem, [input], A.Attribute("axis", -1L));
            case "elu": return graph.Node("Elu", stem, [input], A.Attribute("alpha", 1.0f));
            case "selu": return graph.Node("Selu", stem, [input]);
            case "softplus": return graph.Node("Softplus", stem, [input]);
            case "gelu":
            {
                // The exact gelu (erf form, Keras' and torch's default): 0.5 · x · (1 + erf(x / √2)). Opset 17 has no Gelu op.
                var scaled = graph.Node("Mul", stem, [input, graph.Floats($"{stem}/inv_sqrt2", [(float)(1 / Math.Sqrt(2))], [])]);
                var erf = graph.Node("Erf", stem, [scaled]);
                var onePlus = graph.Node("Add", stem, [erf, graph.Floats($"{stem}/one", [1f], [])]);
                var half = graph.Node("Mul", stem, [input, graph.Floats($"{stem}/half", [0.5f], [])]);
                return graph.Node("Mul", stem, [half, onePlus]);
            }
            case "swish" or "silu":
                return graph.Node("Mul", stem, [input, graph.Node("Sigmoid", stem, [input])]);
            default:
                throw new OnnxExportException($"Activation \"{activation}\" has no ONNX form (layer output \"{stem}\").", []);
        }
    }

    /// <summary>The name ONNX's LSTM/GRU/RNN take for an activation (with its alpha and beta), or null when they have none.</summary>
    public static (string Name, float? Alpha, float? Beta)? Recurrent(string activation) => activation switch
    {
        "sigmoid" => ("Sigmoid", null, null),
        "tanh" => ("Tanh", null, null),
        "relu" => ("Relu", null, null),
        "hard_sigmoid" => ("HardSigmoid", 0.2f, 0.5f),
        _ => null,
    };
}
