using TorchSharp;

namespace Layerwise;

/// <summary>
/// The state of torch's default CPU generator, which draws initial weights, shuffling orders and
/// dropout masks: capture it with a checkpoint and restore it to continue a seeded run exactly
/// (same data order, same dropout masks) as if it had never stopped.
/// </summary>
public static class RandomState
{
    /// <summary>A copy of the generator's state (opaque bytes, valid for the same libtorch).</summary>
    public static byte[] Capture()
    {
        Backend.EnsureInitialized();
        using var state = torch.Generator.Default.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Puts back a state from <see cref="Capture"/>.</summary>
    public static void Restore(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Backend.EnsureInitialized();
        using var current = torch.Generator.Default.get_state();
        if (current.numel() != state.Length)
            throw new ArgumentException($"A random state of {state.Length} bytes cannot be restored: this libtorch's generator state is {current.numel()} bytes.", nameof(state));
        using var tensor = torch.tensor(state, torch.ScalarType.Byte);
        torch.Generator.Default.set_state(tensor);
    }
}
