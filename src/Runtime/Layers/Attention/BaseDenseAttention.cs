using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' <c>Attention</c> and <c>AdditiveAttention</c> (tf.keras 2's <c>BaseDenseAttention</c>):
/// called on <c>[query, value]</c> or <c>[query, value, key]</c> (key defaults to value), each
/// [batch, steps, features]; scores [batch, Tq, Tv] from the subclass, a softmax over Tv (Keras'
/// causal mask subtracts 1e9 from the scores of later steps), dropout on the distribution in
/// training, then the weighted sum of the values: [batch, Tq, value features].
/// </summary>
public abstract class BaseDenseAttention : Merge
{
    private protected BaseDenseAttention(double dropout, string? name, bool trainable) : base(name, trainable)
    {
        if (dropout is < 0 or >= 1 || double.IsNaN(dropout))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        Dropout = dropout;
    }

    /// <summary>The fraction of the attention distribution dropped in training.</summary>
    public double Dropout { get; }

    /// <summary>
    /// Keras' call argument <c>use_causal_mask</c>: each query step attends only to value steps at or
    /// before it (decoder self-attention). A call argument in Keras, not part of the config: set it on
    /// the layer; it applies to every call.
    /// </summary>
    public bool UseCausalMask { get; set; }

    /// <summary>The scores [batch, Tq, Tv] of <paramref name="query"/> [batch, Tq, dim] against <paramref name="key"/> [batch, Tv, dim].</summary>
    private protected abstract Tensor CalculateScores(Tensor query, Tensor key);

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        var (query, value, key) = AttentionInputs.Check(this, inputShapes);
        if (!AttentionInputs.SameOrUnknown(query[1], key[1]))
            throw new IncompatibleShapeException(Name, $"a key with as many features as the query ({ShapeText.WithBatch(query)})", [-1, .. key]);
        return [query[0], value[1]];
    }

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ComputeOutputShape([.. inputs.Select(t => t.shape.Skip(1).ToArray())]);
        var (query, value) = (inputs[0], inputs[1]);
        var key = inputs.Count > 2 ? inputs[2] : value;
        if (!Built) EnsureBuilt(query.shape.Skip(1).ToArray());
        using var scope = NewDisposeScope();
        var scores = CalculateScores(query, key);
        if (UseCausalMask) scores = AttentionInputs.MaskCausally(scores);
        var distribution = F.softmax(scores, -1);
        if (training && Dropout > 0) distribution = F.dropout(distribution, Dropout, training: true);
        return scope.MoveToOuter(distribution.bmm(value));
    }
}
