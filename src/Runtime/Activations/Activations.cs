using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Activations;

/// <summary>Keras' built-in activation functions, looked up by the names configs use.</summary>
public static class Activations
{
    static readonly Dictionary<string, Func<Tensor, Tensor>> byName = new(StringComparer.Ordinal)
    {
        ["linear"] = x => x.alias(),
        ["relu"] = x => F.relu(x),
        ["sigmoid"] = x => F.sigmoid(x),
        // Keras 1/2 and tf.keras 2 (LSTM's old default): clip(0.2x + 0.5, 0, 1). Keras 3 redefined it as relu6(x + 3) / 6.
        ["hard_sigmoid"] = x => x.mul(0.2).add(0.5).clamp(0.0, 1.0),
        ["tanh"] = x => x.tanh(),
        ["softmax"] = x => F.softmax(x, -1),
        ["elu"] = x => F.elu(x, 1.0),
        ["selu"] = x => F.selu(x),
        ["softplus"] = x => F.softplus(x),
        ["gelu"] = x => F.gelu(x),
        ["swish"] = x => F.silu(x),
        ["silu"] = x => F.silu(x),
        // The rest of Keras 3's keras.activations (shape-preserving ones; Keras' default arguments).
        ["relu6"] = x => x.clamp(0.0, 6.0),
        ["leaky_relu"] = x => F.leaky_relu(x, 0.2),
        ["softsign"] = x => F.softsign(x),
        ["exponential"] = x => x.exp(),
        ["hard_silu"] = HardSilu,
        ["hard_swish"] = HardSilu,
        ["mish"] = x => F.mish(x),
        ["log_softmax"] = x => F.log_softmax(x, -1),
        ["log_sigmoid"] = x => F.logsigmoid(x),
        ["celu"] = x => F.celu(x, 1.0),
        ["hard_tanh"] = x => x.clamp(-1.0, 1.0),
        ["hard_shrink"] = x => F.hardshrink(x, 0.5),
        ["soft_shrink"] = x => F.softshrink(x, 0.5),
        ["tanh_shrink"] = x => F.tanhshrink(x),
        ["squareplus"] = Squareplus,
        ["sparse_plus"] = SparsePlus,
        ["sparse_sigmoid"] = x => x.add(1.0).mul(0.5).clamp(0.0, 1.0),
        ["sparsemax"] = Sparsemax,
    };

    /// <summary>Keras names that are activations but change the shape or need arguments, so a layer's activation cannot be one.</summary>
    static readonly Dictionary<string, string> unsupported = new(StringComparer.Ordinal)
    {
        ["glu"] = "it halves the last axis",
        ["crelu"] = "it doubles the last axis",
        ["threshold"] = "it needs threshold and default_value arguments",
    };

    /// <summary>Keras 3's hard_silu: x * relu6(x + 3) / 6.</summary>
    static Tensor HardSilu(Tensor x)
    {
        using var gate = x.add(3.0).clamp(0.0, 6.0);
        return x.mul(gate).div(6.0);
    }

    /// <summary>Keras' squareplus with b = 4: (x + sqrt(x² + 4)) / 2.</summary>
    static Tensor Squareplus(Tensor x)
    {
        using var root = x.square().add(4.0).sqrt();
        return x.add(root).div(2.0);
    }

    /// <summary>Keras' sparse_plus: 0 for x ≤ -1, (x + 1)² / 4 between, x for x ≥ 1.</summary>
    static Tensor SparsePlus(Tensor x)
    {
        using var scope = NewDisposeScope();
        var middle = x.add(1.0).square().div(4.0);
        var result = where(x.le(-1.0), zeros_like(x), where(x.ge(1.0), x, middle));
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// Sparsemax over the last axis (Martins and Astudillo, 2016): the Euclidean projection onto the
    /// simplex, max(x - τ, 0) with τ chosen so that the outputs sum to 1.
    /// </summary>
    static Tensor Sparsemax(Tensor x)
    {
        using var scope = NewDisposeScope();
        var sorted = x.sort(-1, descending: true).Values;
        var cumulative = sorted.cumsum(-1);
        var k = arange(1, x.shape[^1] + 1, x.dtype, x.device);
        var inSupport = k.mul(sorted).add(1.0).gt(cumulative);
        var supportSize = inSupport.sum(-1, keepdim: true, type: x.dtype);
        var supportSum = sorted.mul(inSupport).sum(-1, keepdim: true);
        var tau = supportSum.sub(1.0).div(supportSize);
        return scope.MoveToOuter(x.sub(tau).clamp_min(0.0));
    }

    /// <summary>The names accepted by <see cref="Get"/>.</summary>
    public static IReadOnlyCollection<string> Names => byName.Keys;

    /// <summary>
    /// The in-place form of the activation named <paramref name="name"/> (same kernel, same values), for a
    /// layer applying it to a tensor the layer itself just created: one tensor less per call. Linear gives
    /// the tensor back. Null for activations without one here (use <see cref="Get"/>).
    /// </summary>
    internal static Func<Tensor, Tensor>? InPlace(string name) => name switch
    {
        "linear" => x => x,
        "relu" => x => x.relu_(),
        "sigmoid" => x => x.sigmoid_(),
        "tanh" => x => x.tanh_(),
        _ => null,
    };

    /// <summary>
    /// The function named <paramref name="name"/>; <c>null</c> or empty means linear, as in Keras.
    /// </summary>
    public static Func<Tensor, Tensor> Get(string? name)
    {
        var key = Normalize(name);
        if (byName.TryGetValue(key, out var f)) return f;
        if (unsupported.TryGetValue(key, out var why))
            throw new ArgumentException($"The Keras activation \"{name}\" cannot be a layer's activation in Layerwise: {why}.", nameof(name));
        throw new ArgumentException($"Unknown activation \"{name}\". Expected one of: {string.Join(", ", byName.Keys)}.", nameof(name));
    }

    /// <summary>The canonical name: <c>null</c> becomes <c>linear</c>, case is ignored.</summary>
    public static string Normalize(string? name) => string.IsNullOrEmpty(name) ? "linear" : name.ToLowerInvariant();
}
