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

    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        if (inputShapes.Count is not (2 or 3))
            throw new ArgumentException($"{ClassName} layer \"{Name}\" must be called on [query, value] or [query, value, key]; received {inputShapes.Count} inputs.");
        if (inputShapes.Any(s => s.Length != 2))
            throw new IncompatibleShapeException(Name, "query, value and key of rank 3 (batch, steps, features)", [-1, .. inputShapes.First(s => s.Length != 2)]);
        var (query, value) = (inputShapes[0], inputShapes[1]);
        var key = inputShapes.Count > 2 ? inputShapes[2] : value;
        if (!SameOrUnknown(key[0], value[0]))
            throw new IncompatibleShapeException(Name, $"a key with as many steps as the value ({ShapeText.WithBatch(value)})", [-1, .. key]);
        if (!SameOrUnknown(query[1], key[1]))
            throw new IncompatibleShapeException(Name, $"a key with as many features as the query ({ShapeText.WithBatch(query)})", [-1, .. key]);
        return [query[0], value[1]];
    }

    static bool SameOrUnknown(long a, long b) => a == b || a < 0 || b < 0;

    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ComputeOutputShape([.. inputs.Select(t => t.shape.Skip(1).ToArray())]);
        var (query, value) = (inputs[0], inputs[1]);
        var key = inputs.Count > 2 ? inputs[2] : value;
        if (!Built) EnsureBuilt(query.shape.Skip(1).ToArray());
        using var scope = NewDisposeScope();
        var scores = CalculateScores(query, key);
        if (UseCausalMask)
        {
            long tq = scores.shape[1], tv = scores.shape[2];
            // Keras: row_index >= col_index is kept; the rest get -1e9 before the softmax.
            using var causal = ones(tq, tv, dtype: ScalarType.Bool, device: scores.device).tril();
            scores = scores.sub(causal.logical_not().to_type(scores.dtype).mul(1e9));
        }
        var distribution = F.softmax(scores, -1);
        if (training && Dropout > 0) distribution = F.dropout(distribution, Dropout, training: true);
        return scope.MoveToOuter(distribution.bmm(value));
    }
}
