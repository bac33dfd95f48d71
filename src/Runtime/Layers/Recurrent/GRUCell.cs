using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GRUCell</c>. Weights in Keras 2/3's fused layout, gates in the order z (update), r (reset),
/// h (candidate): kernel [features, 3·units], recurrent_kernel [units, 3·units]. With
/// <see cref="ResetAfter"/> (the default since Keras 2.3, CuDNN-compatible) the bias is [2, 3·units]
/// (row 0 for the inputs, row 1 for the recurrent part) and the reset gate multiplies
/// <c>h · U_h + b_h</c>; without it the bias is [3·units] and the reset gate multiplies h before
/// <c>U_h</c>. Either way <c>h' = z·h + (1 − z)·candidate</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GRUCell : RecurrentCell
{
    readonly Func<Tensor, Tensor> activationFunction, recurrentActivationFunction;
    Variable? kernel, recurrentKernel, bias;

    public GRUCell(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                   Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                   double dropout = 0.0, double recurrentDropout = 0.0, bool resetAfter = true, string? name = null, bool trainable = true)
        : base(units, dropout, recurrentDropout, name, trainable)
    {
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        RecurrentActivation = Activations.Activations.Normalize(recurrentActivation);
        recurrentActivationFunction = Activations.Activations.Get(RecurrentActivation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
        ResetAfter = resetAfter;
    }

    public string Activation { get; }
    public string RecurrentActivation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer RecurrentInitializer { get; }
    public Initializer BiasInitializer { get; }
    /// <summary>Apply the reset gate after the recurrent matrix product (Keras' default, separate input and recurrent biases).</summary>
    public bool ResetAfter { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable RecurrentKernel => recurrentKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    internal override int StateCount => 1;

    protected override void Build(long[] inputShape)
    {
        long features = InputFeatures(inputShape);
        kernel = AddWeight("kernel", [features, 3L * Units], KernelInitializer);
        recurrentKernel = AddWeight("recurrent_kernel", [Units, 3L * Units], RecurrentInitializer);
        if (UseBias) bias = AddWeight("bias", ResetAfter ? [2, 3L * Units] : [3L * Units], BiasInitializer);
    }

    internal override Tensor ProjectInputs(Tensor inputs)
    {
        var product = inputs.matmul(Kernel.Value);
        if (bias is null) return product;
        return product.add_(ResetAfter ? bias.Value[0] : bias.Value);
    }

    internal override Tensor[] Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var masked = recurrentMask is null ? states[0] : states[0].mul(recurrentMask);
        var x = projected.chunk(3, 1);
        var u = RecurrentKernel.Value;
        Tensor z, candidate;
        if (ResetAfter)
        {
            var inner = masked.matmul(u);
            if (bias is not null) inner = inner.add_(bias.Value[1]);
            var hz = inner.chunk(3, 1);
            z = recurrentActivationFunction(x[0].add(hz[0]));
            var r = recurrentActivationFunction(x[1].add(hz[1]));
            candidate = activationFunction(x[2].add(r.mul(hz[2])));
        }
        else
        {
            // z and r from one product with U's first two thirds; the candidate reads the reset state r·h.
            long n = Units;
            var zr = masked.matmul(u.narrow(1, 0, 2 * n)).chunk(2, 1);
            z = recurrentActivationFunction(x[0].add(zr[0]));
            var r = recurrentActivationFunction(x[1].add(zr[1]));
            candidate = activationFunction(x[2].add(r.mul(masked).matmul(u.narrow(1, 2 * n, n))));
        }
        // h' = z·h + (1 − z)·candidate, written as candidate + z·(h − candidate). Keras (2.2+ and 3) applies
        // the recurrent dropout mask to h itself, so the blend uses the masked h too.
        return [candidate.add(z.mul(masked.sub(candidate)))];
    }
}
