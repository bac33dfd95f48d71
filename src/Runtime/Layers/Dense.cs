using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Dense</c>: <c>activation(inputs · kernel + bias)</c>, kernel of shape [in, units]
/// (Keras' layout, so files map one to one), glorot-uniform kernel and zero bias by default.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Dense : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, bias;

    public Dense(int units, string? activation = null, bool useBias = true,
                 Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                 long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "Dense needs a positive number of units.");
        Units = units;
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    public int Units { get; }
    public string Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length < 1)
            throw new IncompatibleShapeException(Name, "an input of rank >= 2 (batch, features)", [-1, .. inputShape]);
        long inputDim = Dimensions.RequireKnown(inputShape, -1, Name, ClassName, "last");
        kernel = AddWeight("kernel", [inputDim, Units], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [Units], BiasInitializer);
    }

    protected override void CheckInputShape(long[] batchShape)
    {
        long inputDim = Kernel.Shape[0];
        if (batchShape.Length < 2 || !Dimensions.Compatible(batchShape[^1], inputDim))
            throw new IncompatibleShapeException(Name, $"axis -1 of input shape to have value {inputDim}", batchShape);
    }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var product = inputs.matmul(Kernel.Value);
        if (bias is null) return activationFunction(product);
        using var withBias = product.add(bias.Value);
        return activationFunction(withBias);
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];
}
