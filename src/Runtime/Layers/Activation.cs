using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Activation</c> layer: applies a named activation function.</summary>
[Layer(Module = "keras.layers")]
public partial class Activation : Layer
{
    readonly Func<Tensor, Tensor> function;

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

    public override Tensor Call(Tensor inputs, bool training = false) => function(inputs);
}
