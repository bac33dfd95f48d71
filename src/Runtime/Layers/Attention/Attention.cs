using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Attention</c> (Luong-style): scores <c>query · keyᵀ</c> (<see cref="ScoreMode"/> <c>dot</c>),
/// times a trainable scalar <c>scale</c> with <see cref="UseScale"/>; or with <c>concat</c>,
/// <c>concat_score_weight · Σ tanh(scale · (query + key))</c> over features. Weights in Keras' order:
/// <c>scale</c> (with use_scale), <c>concat_score_weight</c> (with concat), both scalars initialised to 1.
/// See <see cref="BaseDenseAttention"/> for inputs, masking and dropout.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Attention : BaseDenseAttention
{
    Variable? scale, concatScoreWeight;

    public Attention(bool useScale = false, string scoreMode = "dot", double dropout = 0.0, string? name = null, bool trainable = true)
        : base(dropout, name, trainable)
    {
        if (scoreMode is not ("dot" or "concat"))
            throw new ArgumentException($"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. Received: score_mode={scoreMode}", nameof(scoreMode));
        UseScale = useScale;
        ScoreMode = scoreMode;
    }

    public bool UseScale { get; }
    public string ScoreMode { get; }

    public Variable? Scale => scale;
    public Variable? ConcatScoreWeight => concatScoreWeight;

    protected override void Build(long[] inputShape)
    {
        if (UseScale) scale = AddWeight("scale", [], new Ones());
        if (ScoreMode == "concat") concatScoreWeight = AddWeight("concat_score_weight", [], new Ones());
    }

    private protected override Tensor CalculateScores(Tensor query, Tensor key)
    {
        if (ScoreMode == "dot")
        {
            var scores = query.bmm(key.transpose(1, 2));
            return scale is null ? scores : scores.mul(scale.Value);
        }
        var sum = query.unsqueeze(2).add(key.unsqueeze(1));         // [batch, Tq, Tv, dim]
        if (scale is not null) sum = sum.mul(scale.Value);
        return sum.tanh().sum(-1).mul(concatScoreWeight!.Value);
    }
}
