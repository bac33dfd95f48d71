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
    readonly Func<Tensor, Tensor>? activationInPlace;
    Variable? kernel, bias;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Dense</c>).</summary>
    /// <param name="units">Dimensionality of the output space (Keras' <c>units</c>).</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Dense(int units, string? activation = null, bool useBias = true,
                 Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                 long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "Dense needs a positive number of units.");
        Units = units;
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        activationInPlace = Activations.Activations.InPlace(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>Dimensionality of the output space (Keras' <c>units</c>).</summary>
    public int Units { get; }
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>
    /// The <c>kernel</c> weight: the input weights, in Keras' layout (so files map one to one). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
    public Variable? Bias => bias;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length < 1)
            throw new IncompatibleShapeException(Name, "an input of rank >= 2 (batch, features)", [-1, .. inputShape]);
        long inputDim = Dimensions.RequireKnown(inputShape, -1, Name, ClassName, "last");
        kernel = AddWeight("kernel", [inputDim, Units], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [Units], BiasInitializer);
    }

    /// <inheritdoc/>
    protected override void CheckInputShape(long[] batchShape)
    {
        long inputDim = BuildInputShape![^1];
        if (batchShape.Length < 2 || !Dimensions.Compatible(batchShape[^1], inputDim))
            throw new IncompatibleShapeException(Name, $"axis -1 of input shape to have value {inputDim}", batchShape);
    }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        // Bias and activation in place where they can be: the product is this call's own tensor, and matmul's
        // backward does not need it (the activations with an in-place form keep what their backward needs).
        var product = inputs.matmul(Kernel.Value);
        if (bias is not null) product.add_(bias.Value);
        if (activationInPlace is not null) return activationInPlace(product);
        using (product) return activationFunction(product);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];
}
