using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>SimpleRNNCell</c>: <c>h = activation(x · kernel + bias + h_prev · recurrent_kernel)</c>,
/// kernel [features, units], recurrent_kernel [units, units], bias [units].
/// </summary>
[Layer(Module = "keras.layers")]
public partial class SimpleRNNCell : RecurrentCell
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, recurrentKernel, bias;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.SimpleRNNCell</c>).</summary>
    /// <param name="units">Dimensionality of the output space (Keras' <c>units</c>).</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
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
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public SimpleRNNCell(int units, string? activation = "tanh", bool useBias = true,
                         Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                         double dropout = 0.0, double recurrentDropout = 0.0, string? name = null, bool trainable = true)
        : base(units, dropout, recurrentDropout, name, trainable)
    {
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).</summary>
    public Initializer RecurrentInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

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
        kernel = AddWeight("kernel", [features, Units], KernelInitializer);
        recurrentKernel = AddWeight("recurrent_kernel", [Units, Units], RecurrentInitializer);
        if (UseBias) bias = AddWeight("bias", [Units], BiasInitializer);
    }

    internal override Tensor ProjectInputs(Tensor inputs)
    {
        var product = inputs.matmul(Kernel.Value);
        return bias is null ? product : product.add_(bias.Value);
    }

    internal override Tensor[] Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var h = recurrentMask is null ? states[0] : states[0].mul(recurrentMask);
        return [activationFunction(addmm(projected, h, RecurrentKernel.Value, 1, 1))];
    }
}
