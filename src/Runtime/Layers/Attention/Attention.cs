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

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Attention</c>).</summary>
    /// <param name="useScale">Whether to learn a scalar <c>scale</c> for the scores (Keras' <c>use_scale</c>).</param>
    /// <param name="scoreMode">Keras' <c>score_mode</c>: <c>dot</c> (query · keyᵀ) or <c>concat</c> (tanh of query +
    /// key).</param>
    /// <param name="dropout">Fraction of the attention weights dropped in training (Keras' <c>dropout</c>).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Attention(bool useScale = false, string scoreMode = "dot", double dropout = 0.0, string? name = null, bool trainable = true)
        : base(dropout, name, trainable)
    {
        if (scoreMode is not ("dot" or "concat"))
            throw new ArgumentException($"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. Received: score_mode={scoreMode}", nameof(scoreMode));
        UseScale = useScale;
        ScoreMode = scoreMode;
    }

    /// <summary>Whether a scalar <c>scale</c> multiplies the scores (Keras' <c>use_scale</c>).</summary>
    public bool UseScale { get; }
    /// <summary>Keras' <c>score_mode</c>: <c>dot</c> (query · keyᵀ) or <c>concat</c> (tanh of query + key).</summary>
    public string ScoreMode { get; }

    /// <summary>
    /// The <c>scale</c> weight: scalar multiplying the scores. Null before the layer is built or when <c>use_scale</c>
    /// is false.
    /// </summary>
    public Variable? Scale => scale;
    /// <summary>
    /// The <c>concat_score_weight</c> weight: scalar of the <c>concat</c> score. Null before the layer is built or
    /// unless <c>score_mode</c> is <c>concat</c>.
    /// </summary>
    public Variable? ConcatScoreWeight => concatScoreWeight;

    /// <inheritdoc/>
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
