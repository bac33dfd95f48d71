using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>EinsumDense</c>: <c>activation(einsum(equation, inputs, kernel) + bias)</c>, the projection
/// MultiHeadAttention is made of. <see cref="Equation"/> is <c>"&lt;input&gt;,&lt;kernel&gt;-&gt;&lt;output&gt;"</c>
/// over single letters, the first input letter the batch (<c>"abc,cde-&gt;abde"</c>); the kernel's shape
/// comes from the input's and <see cref="OutputShape"/>'s sizes of its letters (Keras' order), the bias
/// covers the output letters from the first of <see cref="BiasAxes"/> on, 1 where a letter is not in it.
/// <see cref="OutputShape"/> leaves out the batch; null entries (Keras' None) take the input's size.
/// Equations with an ellipsis (<c>...</c>) are not supported.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class EinsumDense : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    readonly string inputSpec, kernelSpec, outputSpec;
    Variable? kernel, bias;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.EinsumDense</c>).</summary>
    /// <param name="equation">The einsum of input and kernel, e.g. <c>"ab,bc-&gt;ac"</c> (Keras' <c>equation</c>; first
    /// letter the batch).</param>
    /// <param name="outputShape">Output shape without the batch; null entries take the input's size (Keras'
    /// <c>output_shape</c>, None there).</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="biasAxes">Output letters the bias covers, e.g. <c>"c"</c> (Keras' <c>bias_axes</c>). Null: no
    /// bias.</param>
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
    public EinsumDense(string equation, long?[] outputShape, string? activation = null, string? biasAxes = null,
                       Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                       long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(outputShape);
        var parts = equation.Replace(" ", "").Split(["->"], StringSplitOptions.None);
        var operands = parts[0].Split(',');
        if (parts.Length != 2 || operands.Length != 2 || equation.Contains("...") ||
            !operands[0].All(char.IsAsciiLetterLower) || !operands[1].All(char.IsAsciiLetterLower) || !parts[1].All(char.IsAsciiLetterLower))
            throw new ArgumentException($"EinsumDense equation must be \"<input>,<kernel>-><output>\" over lower-case letters, without an ellipsis; received \"{equation}\".", nameof(equation));
        (inputSpec, kernelSpec, outputSpec) = (operands[0], operands[1], parts[1]);
        if (outputShape.Length + 1 != outputSpec.Length)
            throw new ArgumentException($"EinsumDense output_shape must have {outputSpec.Length - 1} entries (the output letters after the batch) for equation \"{equation}\"; received {outputShape.Length}.", nameof(outputShape));
        foreach (var c in outputSpec)
            if (!inputSpec.Contains(c) && !kernelSpec.Contains(c))
                throw new ArgumentException($"EinsumDense output letter '{c}' of \"{equation}\" is in neither the input nor the kernel.", nameof(equation));
        foreach (var c in kernelSpec)
            if (!inputSpec.Contains(c) && !outputSpec.Contains(c))
                throw new ArgumentException($"EinsumDense kernel letter '{c}' of \"{equation}\" is in neither the input nor the output.", nameof(equation));
        if (biasAxes is not null && (biasAxes.Length == 0 || biasAxes.Any(c => !outputSpec.Contains(c))))
            throw new ArgumentException($"EinsumDense bias_axes \"{biasAxes}\" must be letters of the output \"{outputSpec}\".", nameof(biasAxes));
        Equation = equation;
        OutputShape = outputShape.ToArray();
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        BiasAxes = biasAxes;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>The einsum of input and kernel, e.g. <c>"ab,bc-&gt;ac"</c> (Keras' <c>equation</c>).</summary>
    public string Equation { get; }
    /// <summary>
    /// Output shape without the batch; null entries take the input's size (Keras' <c>output_shape</c>).
    /// </summary>
    public long?[] OutputShape { get; }
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Output letters the bias covers (Keras' <c>bias_axes</c>); null: no bias.</summary>
    public string? BiasAxes { get; }
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
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>bias_axes</c> is null.
    /// </summary>
    public Variable? Bias => bias;

    /// <summary>The size of output letter <paramref name="c"/>: the input's where the input has it, else <see cref="OutputShape"/>'s.</summary>
    long OutputSize(char c, long[] inputShape)
    {
        int i = inputSpec.IndexOf(c);
        if (i > 0) return inputShape[i - 1];
        var size = OutputShape[outputSpec.IndexOf(c) - 1];
        return size ?? throw new ArgumentException($"EinsumDense \"{Name}\": output_shape gives no size for letter '{c}', which is not in the input.");
    }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length + 1 != inputSpec.Length)
            throw new IncompatibleShapeException(Name, $"an input of rank {inputSpec.Length} for equation \"{Equation}\"", [-1, .. inputShape]);
        for (int o = 1; o < outputSpec.Length; o++)
        {
            int i = inputSpec.IndexOf(outputSpec[o]);
            if (i > 0 && OutputShape[o - 1] is { } given && inputShape[i - 1] >= 0 && given != inputShape[i - 1])
                throw new IncompatibleShapeException(Name, $"size {given} on the input axis of letter '{outputSpec[o]}' (output_shape)", [-1, .. inputShape]);
        }
        long[] kernelShape = [.. kernelSpec.Select(c => OutputSize(c, inputShape))];
        if (kernelShape.Any(d => d < 0))
            throw new IncompatibleShapeException(Name, $"known sizes on the axes the kernel of \"{Equation}\" spans", [-1, .. inputShape]);
        kernel = AddWeight("kernel", kernelShape, KernelInitializer);
        if (BiasAxes is not null) bias = AddWeight("bias", BiasShape(inputShape), BiasInitializer);
    }

    long[] BiasShape(long[] inputShape)
    {
        var biasAxes = BiasAxes!;
        int first = biasAxes.Min(c => outputSpec.IndexOf(c));
        return [.. outputSpec[first..].Select(c => biasAxes.Contains(c) ? OutputSize(c, inputShape) : 1L)];
    }

    /// <inheritdoc/>
    protected override void CheckInputShape(long[] batchShape)
    {
        var expected = BuildInputShape!;
        bool fits = batchShape.Length == expected.Length + 1 &&
                    kernelSpec.All(c => inputSpec.IndexOf(c) is var i && (i <= 0 || batchShape[i] == expected[i - 1]));
        if (!fits) throw new IncompatibleShapeException(Name, $"an input of shape {ShapeText.WithBatch(expected)} on the axes the kernel spans", batchShape);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var output = einsum($"{inputSpec},{kernelSpec}->{outputSpec}", inputs, Kernel.Value);
        if (bias is not null) output = output.add(bias.Value);
        return scope.MoveToOuter(activationFunction(output));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. outputSpec.Skip(1).Select(c => inputSpec.IndexOf(c) > 0 ? inputShape[inputSpec.IndexOf(c) - 1] : OutputSize(c, inputShape))];
}
