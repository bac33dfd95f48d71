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

    public string Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer RecurrentInitializer { get; }
    public Initializer BiasInitializer { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable RecurrentKernel => recurrentKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    internal override int StateCount => 1;

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
        return [activationFunction(projected.add(h.matmul(RecurrentKernel.Value)))];
    }
}
