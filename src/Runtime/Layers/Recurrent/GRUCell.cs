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

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.GRUCell</c>).</summary>
    /// <param name="units">Dimensionality of the output space (Keras' <c>units</c>).</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="recurrentActivation">Activation of the gates (Keras' <c>recurrent_activation</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="recurrentInitializer">Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).
    /// Null: <c>orthogonal</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="dropout">Fraction of the inputs dropped during training (Keras' <c>dropout</c>).</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped during training (Keras'
    /// <c>recurrent_dropout</c>).</param>
    /// <param name="resetAfter">Keras' <c>reset_after</c>: apply the reset gate after the recurrent matrix
    /// multiplication (the cuDNN-compatible default, bias of shape [2, 3 * units]).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
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

    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Activation of the gates (Keras' <c>recurrent_activation</c>).</summary>
    public string RecurrentActivation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).</summary>
    public Initializer RecurrentInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Apply the reset gate after the recurrent matrix product (Keras' default, separate input and recurrent biases).</summary>
    public bool ResetAfter { get; }

    /// <summary>
    /// The <c>kernel</c> weight: the input weights, in Keras' layout (so files map one to one). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>recurrent_kernel</c> weight: the weights applied to the previous state. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable RecurrentKernel => recurrentKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
    public Variable? Bias => bias;

    internal override int StateCount => 1;

    /// <inheritdoc/>
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
            using var recurrentBias = bias?.Value[1];
            var inner = recurrentBias is null ? masked.matmul(u) : addmm(recurrentBias, masked, u, 1, 1);
            var hz = inner.chunk(3, 1);
            if (!is_grad_enabled())
            {
                // Predicting: h·U is this step's own tensor, so the sums and products go into it in place
                // (autograd would still need its values, so training keeps the copies below).
                z = recurrentActivationFunction(hz[0].add_(x[0]));
                var reset = recurrentActivationFunction(hz[1].add_(x[1]));
                candidate = activationFunction(reset.mul_(hz[2]).add_(x[2]));
                return [masked.sub(candidate).mul_(z).add_(candidate)];
            }
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
