using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>LSTMCell</c>. Weights in Keras 2/3's fused layout, gates in the order i, f, c, o:
/// kernel [features, 4·units], recurrent_kernel [units, 4·units], bias [4·units]. A step computes
/// <c>z = x · kernel + h · recurrent_kernel + bias</c>, <c>i, f, o = recurrent_activation(z_i, z_f, z_o)</c>,
/// <c>c = f·c + i·activation(z_c)</c>, <c>h = o·activation(c)</c>. With <see cref="UnitForgetBias"/>
/// the forget gate's bias starts at 1 (Jozefowicz et al.), as in Keras.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class LSTMCell : RecurrentCell
{
    readonly Func<Tensor, Tensor> activationFunction, recurrentActivationFunction;
    Variable? kernel, recurrentKernel, bias;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.LSTMCell</c>).</summary>
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
    /// <param name="unitForgetBias">Whether to add 1 to the forget-gate bias at initialization (Keras'
    /// <c>unit_forget_bias</c>).</param>
    /// <param name="dropout">Fraction of the inputs dropped during training (Keras' <c>dropout</c>).</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped during training (Keras'
    /// <c>recurrent_dropout</c>).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public LSTMCell(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                    Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                    bool unitForgetBias = true, double dropout = 0.0, double recurrentDropout = 0.0, string? name = null, bool trainable = true)
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
        UnitForgetBias = unitForgetBias;
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
    /// <summary>Whether to add 1 to the forget-gate bias at initialization (Keras' <c>unit_forget_bias</c>).</summary>
    public bool UnitForgetBias { get; }

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

    internal override int StateCount => 2;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        long features = InputFeatures(inputShape);
        kernel = AddWeight("kernel", [features, 4L * Units], KernelInitializer);
        recurrentKernel = AddWeight("recurrent_kernel", [Units, 4L * Units], RecurrentInitializer);
        if (UseBias)
            bias = AddWeight("bias", [4L * Units], UnitForgetBias ? new ForgetGateOnes(BiasInitializer, Units) : BiasInitializer);
    }

    internal override Tensor ProjectInputs(Tensor inputs)
    {
        var product = inputs.matmul(Kernel.Value);
        return bias is null ? product : product.add_(bias.Value);
    }

    internal override Tensor[] Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var (h, c) = (states[0], states[1]);
        if (recurrentMask is not null) h = h.mul(recurrentMask);
        // One fused op (C + h·R), not a product and then a sum: a step is a dozen small ops, so each one counts.
        var gates = addmm(projected, h, RecurrentKernel.Value, 1, 1).chunk(4, 1);
        var i = recurrentActivationFunction(gates[0]);
        var f = recurrentActivationFunction(gates[1]);
        var candidate = activationFunction(gates[2]);
        var o = recurrentActivationFunction(gates[3]);
        if (!is_grad_enabled())
        {
            // Predicting: the gate tensors belong to this step alone, so they take the products in place
            // (three fewer tensors per step); autograd would still need them, so training keeps the copies.
            var updatedC = f.mul_(c).add_(i.mul_(candidate));
            return [o.mul_(activationFunction(updatedC)), updatedC];
        }
        var nextC = f.mul(c).add_(i.mul(candidate));
        return [o.mul(activationFunction(nextC)), nextC];
    }

    /// <summary>Keras' unit_forget_bias: the bias initializer for i, c, o, and ones for the forget gate.</summary>
    internal sealed class ForgetGateOnes(Initializer inner, int units) : Initializer
    {
        public override string Name => "unit_forget_bias";

        public override Tensor Generate(long[] shape, Device device)
        {
            using var scope = NewDisposeScope();
            var value = cat([inner.Generate([units], device), ones([units], ScalarType.Float32, device), inner.Generate([2L * units], device)], 0);
            return scope.MoveToOuter(value);
        }
    }
}
