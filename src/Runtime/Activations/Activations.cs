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
    };

    /// <summary>The names accepted by <see cref="Get"/>.</summary>
    public static IReadOnlyCollection<string> Names => byName.Keys;

    /// <summary>
    /// The function named <paramref name="name"/>; <c>null</c> or empty means linear, as in Keras.
    /// </summary>
    public static Func<Tensor, Tensor> Get(string? name)
    {
        var key = Normalize(name);
        return byName.TryGetValue(key, out var f)
            ? f
            : throw new ArgumentException($"Unknown activation \"{name}\". Expected one of: {string.Join(", ", byName.Keys)}.", nameof(name));
    }

    /// <summary>The canonical name: <c>null</c> becomes <c>linear</c>, case is ignored.</summary>
    public static string Normalize(string? name) => string.IsNullOrEmpty(name) ? "linear" : name.ToLowerInvariant();
}
