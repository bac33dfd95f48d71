using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AdditiveAttention</c> (Bahdanau-style): scores <c>Σ scale · tanh(query + key)</c> over features,
/// with a trainable <c>scale</c> of the features' size (glorot-uniform, as Keras) when <see cref="UseScale"/>
/// (the default), else the plain sum. See <see cref="BaseDenseAttention"/> for inputs, masking and dropout.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AdditiveAttention : BaseDenseAttention
{
    Variable? scale;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.AdditiveAttention</c>).</summary>
    /// <param name="useScale">Whether to learn a per-feature <c>scale</c> inside the tanh (Keras'
    /// <c>use_scale</c>).</param>
    /// <param name="dropout">Fraction of the attention weights dropped in training (Keras' <c>dropout</c>).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public AdditiveAttention(bool useScale = true, double dropout = 0.0, string? name = null, bool trainable = true)
        : base(dropout, name, trainable)
    {
        UseScale = useScale;
    }

    /// <summary>Whether a per-feature <c>scale</c> is learned inside the tanh (Keras' <c>use_scale</c>).</summary>
    public bool UseScale { get; }

    /// <summary>
    /// The <c>scale</c> weight: per-feature scale inside the tanh. Null before the layer is built or when
    /// <c>use_scale</c> is false.
    /// </summary>
    public Variable? Scale => scale;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[^1] < 0)
            throw new IncompatibleShapeException(Name, "a query of rank 3 (batch, steps, features) with a known number of features", [-1, .. inputShape]);
        if (UseScale) scale = AddWeight("scale", [inputShape[^1]], new GlorotUniform());
    }

    private protected override Tensor CalculateScores(Tensor query, Tensor key)
    {
        var sum = query.unsqueeze(2).add(key.unsqueeze(1)).tanh();   // [batch, Tq, Tv, dim]
        if (scale is not null) sum = sum.mul(scale.Value);
        return sum.sum(-1);
    }
}
