using Layerwise.Layers;
using static TorchSharp.torch;
using A = Layerwise.Export.Onnx.OnnxMessages;

namespace Layerwise.Export.Onnx;

/// <summary>
/// One Keras layer as ONNX nodes (opset 17), computing what its <c>Call</c> computes at inference.
/// Layouts follow Keras (channels_last by default): ONNX's Conv and pooling read NCHW/NCL, so
/// channels_last inputs are transposed in and out, as the layers themselves do with torch.
/// </summary>
internal static class OnnxLayerConverter
{
    /// <summary>Why <paramref name="layer"/> cannot be exported, or null when it can.</summary>
    public static string? Refusal(Layer layer) => layer switch
    {
        Dense d => ActivationRefusal(d.Activation),
        Conv1D c => ActivationRefusal(c.Activation),
        Conv2D c => ActivationRefusal(c.Activation),
        Activation a => ActivationRefusal(a.ActivationName),
        BasePooling { Rank: 1 or 2 } or GlobalPooling or BatchNormalization or LayerNormalization or ReLU or LeakyReLU or ELU or Softmax
            or Dropout or Flatten or Reshape or Permute or ElementwiseMerge or Concatenate or Embedding or InputLayer => null,
        RecurrentLayer r => OnnxRecurrentConverter.Refusal(r),
        _ => $"{layer.ClassName} has no ONNX form in this exporter",
    };

    static string? ActivationRefusal(string activation) =>
        OnnxActivations.CanExport(activation) ? null : $"activation \"{activation}\" has no ONNX form";

    /// <summary>Adds the nodes of one call of <paramref name="layer"/>; <paramref name="shapes"/> are the inputs' per-sample shapes.</summary>
    public static string Convert(OnnxGraphBuilder g, Layer layer, IReadOnlyList<string> inputs, IReadOnlyList<long[]> shapes)
    {
        string name = layer.Name, x = inputs[0];
        int rank = shapes[0].Length + 1;
        switch (layer)
        {
            case Dense dense:
            {
                var y = g.Node("MatMul", name, [x, g.Weight($"{name}/kernel", dense.Kernel.Value)]);
                if (dense.Bias is { } bias) y = g.Node("Add", name, [y, g.Weight($"{name}/bias", bias.Value)]);
                return OnnxActivations.Apply(g, dense.Activation, y, name);
            }
            case Conv1D conv:
            {
                bool last = conv.DataFormat == "channels_last";
                var ncl = last ? Transpose(g, name, x, 0, 2, 1) : x;
                var (before, after) = conv.Padding switch
                {
                    "causal" => ((long)(conv.KernelSize[0] - 1) * conv.DilationRate[0], 0L),
                    // With stride 1 the "same" padding does not depend on the length: written out, it stays exact for any length.
                    "same" when conv.Strides[0] == 1 => SplitTotal((long)(conv.KernelSize[0] - 1) * conv.DilationRate[0]),
                    _ => (0L, 0L),
                };
                var y = Convolution(g, name, ncl, conv.Kernel.Value.permute(2, 1, 0), conv.Bias?.Value, conv.KernelSize, conv.Strides, conv.DilationRate,
                                    conv.Groups, conv.Padding == "same" && conv.Strides[0] != 1, [before, after]);
                if (last) y = Transpose(g, name, y, 0, 2, 1);
                return OnnxActivations.Apply(g, conv.Activation, y, name);
            }
            case Conv2D conv:
            {
                bool last = conv.DataFormat == "channels_last";
                var nchw = last ? Transpose(g, name, x, 0, 3, 1, 2) : x;
                long[] pads = [0, 0, 0, 0];
                bool sameUpper = false;
                if (conv.Padding == "same")
                {
                    if (conv.Strides.All(s => s == 1))
                    {
                        // With stride 1 the "same" padding does not depend on the input size: written out, it stays exact for any size.
                        var (top, bottom) = SplitTotal((long)(conv.KernelSize[0] - 1) * conv.DilationRate[0]);
                        var (left, right) = SplitTotal((long)(conv.KernelSize[1] - 1) * conv.DilationRate[1]);
                        pads = [top, left, bottom, right];
                    }
                    else sameUpper = true;   // Keras forbids dilation with strides, so SAME_UPPER's undilated arithmetic is TensorFlow's.
                }
                var y = Convolution(g, name, nchw, conv.Kernel.Value.permute(3, 2, 0, 1), conv.Bias?.Value, conv.KernelSize, conv.Strides, conv.DilationRate,
                                    conv.Groups, sameUpper, pads);
                if (last) y = Transpose(g, name, y, 0, 2, 3, 1);
                return OnnxActivations.Apply(g, conv.Activation, y, name);
            }
            case BasePooling { Rank: 1 } pool:
            {
                bool last = pool.DataFormat == "channels_last";
                var ncl = last ? Transpose(g, name, x, 0, 2, 1) : x;
                var y = Pool(g, name, ncl, pool is MaxPooling1D, pool.PoolSize, pool.Strides, pool.Padding == "same");
                return last ? Transpose(g, name, y, 0, 2, 1) : y;
            }
            case BasePooling { Rank: 2 } pool:
            {
                bool last = pool.DataFormat == "channels_last";
                var nchw = last ? Transpose(g, name, x, 0, 3, 1, 2) : x;
                var y = Pool(g, name, nchw, pool is MaxPooling2D, pool.PoolSize, pool.Strides, pool.Padding == "same");
                return last ? Transpose(g, name, y, 0, 2, 3, 1) : y;
            }
            case GlobalPooling pool:
            {
                int spatial = rank - 2;
                long first = pool.DataFormat == "channels_last" ? 1 : 2;
                long[] axes = [.. Enumerable.Range(0, spatial).Select(i => first + i)];
                bool max = pool is GlobalMaxPooling1D or GlobalMaxPooling2D or GlobalMaxPooling3D;
                return g.Node(max ? "ReduceMax" : "ReduceMean", name, [x], A.Attribute("axes", axes), A.Attribute("keepdims", pool.Keepdims ? 1L : 0L));
            }
            case BatchNormalization norm:
            {
                // The layer's inference form, folded: x · inv + (beta - mean · inv), inv = gamma / sqrt(variance + epsilon).
                using var scope = NewDisposeScope();
                int axis = norm.Axis < 0 ? norm.Axis + rank : norm.Axis;
                long[] broadcast = [.. Enumerable.Range(0, rank).Select(d => d == axis ? -1L : 1L)];
                var inv = norm.MovingVariance.Value.add(norm.Epsilon).rsqrt();
                if (norm.Gamma is { } gamma) inv = inv.mul(gamma.Value);
                var shift = norm.MovingMean.Value.mul(inv).neg();
                if (norm.Beta is { } beta) shift = shift.add(beta.Value);
                var scaled = g.Node("Mul", name, [x, g.Weight($"{name}/scale", inv.reshape(broadcast))]);
                return g.Node("Add", name, [scaled, g.Weight($"{name}/shift", shift.reshape(broadcast))]);
            }
            case LayerNormalization norm:
            {
                long[] axes = [.. norm.Axis.Select(a => (long)(a < 0 ? a + rank : a))];
                var mean = g.Node("ReduceMean", name, [x], A.Attribute("axes", axes), A.Attribute("keepdims", 1L));
                var centered = g.Node("Sub", name, [x, mean]);
                var squares = g.Node("Mul", name, [centered, centered]);
                var variance = g.Node("ReduceMean", name, [squares], A.Attribute("axes", axes), A.Attribute("keepdims", 1L));
                var std = g.Node("Sqrt", name, [g.Node("Add", name, [variance, g.Floats($"{name}/epsilon", [(float)norm.Epsilon], [])])]);
                var y = g.Node("Div", name, [centered, std]);
                if (norm.Gamma is { } gamma) y = g.Node("Mul", name, [y, g.Weight($"{name}/gamma", LayerNormWeight(gamma.Value, axes, rank))]);
                if (norm.Beta is { } beta) y = g.Node("Add", name, [y, g.Weight($"{name}/beta", LayerNormWeight(beta.Value, axes, rank))]);
                return y;
            }
            case Activation activation: return OnnxActivations.Apply(g, activation.ActivationName, x, name);
            case ReLU relu: return Relu(g, name, x, relu);
            case LeakyReLU leaky: return g.Node("LeakyRelu", name, [x], A.Attribute("alpha", (float)leaky.Alpha));
            case ELU elu: return g.Node("Elu", name, [x], A.Attribute("alpha", (float)elu.Alpha));
            case Softmax softmax: return g.Node("Softmax", name, [x], A.Attribute("axis", (long)softmax.Axis));
            case Dropout: return g.Node("Identity", name, [x]);
            case Flatten: return g.Node("Flatten", name, [x], A.Attribute("axis", 1L));
            // 0 copies the batch size from the input (allowzero = 0); the target's -1 is inferred as Keras infers it.
            case Reshape reshape: return g.Node("Reshape", name, [x, g.Int64s($"{name}/shape", [0, .. reshape.TargetShape.Select(d => (long)d)])]);
            case Permute permute: return Transpose(g, name, x, [0, .. permute.Dims.Select(d => (long)d)]);
            case Embedding embedding:
            {
                // Predict feeds float32 indices; Cast truncates them to integers as the layer does.
                var indices = g.Node("Cast", name, [x], A.Attribute("to", (long)A.Int64Type));
                return g.Node("Gather", name, [g.Weight($"{name}/embeddings", embedding.Embeddings.Value), indices], A.Attribute("axis", 0L));
            }
            case Concatenate concatenate: return g.Node("Concat", name, inputs, A.Attribute("axis", (long)concatenate.Axis));
            case Add: return g.Node("Sum", name, inputs);
            case Average: return g.Node("Mean", name, inputs);
            case Maximum: return g.Node("Max", name, inputs);
            case Minimum: return g.Node("Min", name, inputs);
            case Subtract: return g.Node("Sub", name, inputs);
            case Multiply: return inputs.Skip(1).Aggregate(x, (product, next) => g.Node("Mul", name, [product, next]));
            case RecurrentLayer recurrent: return OnnxRecurrentConverter.Convert(g, recurrent, x);
            default: throw new OnnxExportException($"Layer \"{name}\" ({layer.ClassName}) has no ONNX form in this exporter.", [name]);
        }
    }

    /// <summary>TensorFlow's split of a total padding: the odd cell after.</summary>
    static (long Before, long After) SplitTotal(long total) => (total / 2, total - total / 2);

    static string Transpose(OnnxGraphBuilder g, string name, string x, params long[] perm) =>
        g.Node("Transpose", name, [x], A.Attribute("perm", perm));

    /// <summary>ONNX Conv on NCL/NCHW with explicit pads (all befores, then all afters) or TensorFlow's SAME_UPPER.</summary>
    static string Convolution(OnnxGraphBuilder g, string name, string x, Tensor weight, Tensor? bias, int[] kernel, int[] strides, int[] dilation,
                              int groups, bool sameUpper, long[] pads)
    {
        var inputs = new List<string> { x, g.Weight($"{name}/kernel", weight.contiguous()) };
        if (bias is not null) inputs.Add(g.Weight($"{name}/bias", bias));
        var attributes = new List<ProtoMessage>
        {
            A.Attribute("kernel_shape", kernel.Select(k => (long)k)),
            A.Attribute("strides", strides.Select(s => (long)s)),
            A.Attribute("dilations", dilation.Select(d => (long)d)),
            A.Attribute("group", (long)groups),
            sameUpper ? A.Attribute("auto_pad", "SAME_UPPER") : A.Attribute("pads", pads),
        };
        return g.Node("Conv", name, inputs, [.. attributes]);
    }

    /// <summary>
    /// MaxPool/AveragePool; "same" is SAME_UPPER (TensorFlow's split), padded cells never win a max and
    /// are not counted in an average (count_include_pad = 0), as TensorFlow pools.
    /// </summary>
    static string Pool(OnnxGraphBuilder g, string name, string x, bool max, int[] pool, int[] strides, bool same)
    {
        var attributes = new List<ProtoMessage>
        {
            A.Attribute("kernel_shape", pool.Select(k => (long)k)),
            A.Attribute("strides", strides.Select(s => (long)s)),
            A.Attribute("auto_pad", same ? "SAME_UPPER" : "VALID"),
        };
        if (!max) attributes.Add(A.Attribute("count_include_pad", 0L));
        return g.Node(max ? "MaxPool" : "AveragePool", name, [x], [.. attributes]);
    }

    /// <summary>Keras' ReLU layer: Relu when plain, else where(x &lt; threshold, slope · (x − threshold), x), then min with max_value.</summary>
    static string Relu(OnnxGraphBuilder g, string name, string x, ReLU relu)
    {
        string y;
        if (relu.Threshold == 0 && relu.NegativeSlope == 0) y = g.Node("Relu", name, [x]);
        else
        {
            var threshold = g.Floats($"{name}/threshold", [(float)relu.Threshold], []);
            var below = g.Node("Less", name, [x, threshold]);
            var negative = g.Node("Mul", name, [g.Node("Sub", name, [x, threshold]), g.Floats($"{name}/negative_slope", [(float)relu.NegativeSlope], [])]);
            y = g.Node("Where", name, [below, negative, x]);
        }
        return relu.MaxValue is { } maxValue ? g.Node("Min", name, [y, g.Floats($"{name}/max_value", [(float)maxValue], [])]) : y;
    }

    /// <summary>A LayerNormalization weight (axes in Keras' order) laid out to broadcast against a batch of <paramref name="rank"/>.</summary>
    static Tensor LayerNormWeight(Tensor weight, long[] axes, int rank)
    {
        long[] ascending = [.. Enumerable.Range(0, axes.Length).OrderBy(i => axes[i]).Select(i => (long)i)];
        var shape = Enumerable.Repeat(1L, rank).ToArray();
        for (int i = 0; i < axes.Length; i++) shape[axes[i]] = weight.shape[i];
        return weight.permute(ascending).reshape(shape);
    }
}
