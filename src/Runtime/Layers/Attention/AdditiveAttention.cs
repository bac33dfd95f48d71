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

    public AdditiveAttention(bool useScale = true, double dropout = 0.0, string? name = null, bool trainable = true)
        : base(dropout, name, trainable)
    {
        UseScale = useScale;
    }

    public bool UseScale { get; }

    public Variable? Scale => scale;

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
