using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Activation</c> layer: applies a named activation function.</summary>
[Layer(Module = "keras.layers")]
public partial class Activation : Layer
{
    readonly Func<Tensor, Tensor> function;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Activation</c>).</summary>
    /// <param name="activation">The activation, by Keras name (<c>relu</c>, <c>softmax</c>, <c>gelu</c>...).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Activation([ConfigSource(nameof(ActivationName))] string activation, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        ActivationName = Activations.Activations.Normalize(activation);
        function = Activations.Activations.Get(ActivationName);
    }

    /// <summary>The activation's Keras name (<c>relu</c>, <c>softmax</c>, ...).</summary>
    public string ActivationName { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => function(inputs);
}
