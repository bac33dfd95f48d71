using System.Buffers.Binary;
using TorchSharp;

namespace Layerwise;

/// <summary>
/// The state of torch's default CPU generator, which draws initial weights, shuffling orders and
/// dropout masks: capture it with a checkpoint and restore it to continue a seeded run exactly
/// (same data order, same dropout masks) as if it had never stopped.
/// </summary>
public static class RandomState
{
    // libtorch's CPUGeneratorImplState (aten/src/ATen/CPUGeneratorImpl.cpp): the legacy POD
    // { u64 the_initial_seed; i32 left; i32 seeded; u64 next; u64 state[624]; f64 normal_x, normal_y,
    // normal_rho; i32 normal_is_valid; } followed by { f32 next_float_normal_sample; bool valid; },
    // 5056 bytes on 64-bit platforms. set_state copies it into an mt19937 and stops the process with a
    // c10::Error ("Invalid mt19937 state") when the engine check fails, so it is checked here first.
    const int MersenneStateWords = 624;
    const int LeftOffset = 8, SeededOffset = 12, NextOffset = 16, StateOffset = 24;
    const int NormalIsValidOffset = StateOffset + MersenneStateWords * 8 + 24;
    const int FloatSampleValidOffset = NormalIsValidOffset + 12;

    /// <summary>A copy of the generator's state (opaque bytes, valid for the same libtorch).</summary>
    public static byte[] Capture()
    {
        Backend.EnsureInitialized();
        using var state = torch.Generator.Default.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Puts back a state from <see cref="Capture"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not a generator state this libtorch accepts (wrong length,
    /// or fields an mt19937 generator can never hold); nothing changes then.</exception>
    public static void Restore(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Problem(state) is { } problem)
            throw new ArgumentException($"A random state of {state.Length} bytes cannot be restored: {problem}.", nameof(state));
        using var tensor = torch.tensor(state, torch.ScalarType.Byte);
        torch.Generator.Default.set_state(tensor);
    }

    /// <summary>
    /// Why <paramref name="state"/> cannot be given to libtorch, or null when it can. Checks what
    /// libtorch's <c>mt19937::is_valid</c> checks (seeded, <c>0 &lt; left ≤ 624</c>, <c>next ≤ 624</c>) and
    /// more that a generator it wrote always satisfies: <c>left + next = 625</c> (or the freshly seeded
    /// <c>left = 1, next = 0</c>), 32-bit state words that are not all zero (an all-zero Mersenne
    /// Twister only ever yields zeros), and booleans that are 0 or 1.
    /// </summary>
    internal static string? Problem(ReadOnlySpan<byte> state)
    {
        Backend.EnsureInitialized();
        long expected = ExpectedLength;
        if (state.Length != expected)
            return $"this libtorch's generator state is {expected} bytes";
        if (state.Length < FloatSampleValidOffset + 1)
            return "the generator state layout of this libtorch is unknown";
        int left = BinaryPrimitives.ReadInt32LittleEndian(state[LeftOffset..]);
        int seeded = BinaryPrimitives.ReadInt32LittleEndian(state[SeededOffset..]);
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(state[NextOffset..]);
        if (seeded != 1) return $"the generator is marked {(seeded == 0 ? "unseeded" : $"seeded={seeded}")} (expected 1)";
        if (left is <= 0 or > MersenneStateWords) return $"left = {left}, expected 1 to {MersenneStateWords}";
        if (next > MersenneStateWords) return $"next = {next}, expected 0 to {MersenneStateWords}";
        if (!(left == 1 && next == 0) && (ulong)left + next != MersenneStateWords + 1)
            return $"left = {left} and next = {next} do not add up to {MersenneStateWords + 1} as in every state mt19937 reaches";
        bool anyNonZero = false;
        for (int i = 0; i < MersenneStateWords; i++)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(state[(StateOffset + 8 * i)..]);
            if (word > uint.MaxValue) return $"state word {i} is {word:x}, more than 32 bits";
            anyNonZero |= word != 0;
        }
        if (!anyNonZero) return "all 624 state words are zero (such a generator only yields zeros)";
        int normalValid = BinaryPrimitives.ReadInt32LittleEndian(state[NormalIsValidOffset..]);
        if (normalValid is not (0 or 1)) return $"normal_is_valid = {normalValid}, expected 0 or 1";
        if (state[FloatSampleValidOffset] > 1) return $"is_next_float_normal_sample_valid = {state[FloatSampleValidOffset]}, expected 0 or 1";
        return null;
    }

    static long ExpectedLength => expectedLength ??= Measure();
    static long? expectedLength;

    static long Measure()
    {
        using var current = torch.Generator.Default.get_state();
        return current.numel();
    }
}
