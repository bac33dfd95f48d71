namespace Layerwise;

/// <summary>
/// Keeps libtorch's oneDNN float32 convolution away from the convolutions it computes wrongly here
/// (libtorch 2.10, AMD EPYC family 26, AVX-512; measured with <c>bench/Conformance --onednn-characterize</c>,
/// docs/runtime.md) while leaving it on for the rest, where it makes CNN training ~2x faster.
/// <para>
/// libtorch reads one process-wide switch (<c>at::Context::userEnabledMkldnn</c>) each time it picks a
/// convolution kernel, forward and backward. The guard counts suspensions: oneDNN is on only while the
/// user allows it and no guarded convolution is running on any thread, so a convolution run under a
/// suspension never sees it on, whatever other threads do (they may see it off and run libtorch's own,
/// slower but correct, kernels meanwhile).
/// </para>
/// </summary>
internal static class OneDnnGuard
{
    static readonly Lock gate = new();
    static bool userEnabled;
    static int suspensions;

    [ThreadStatic] static bool unsafeBackwardRecorded;

    /// <summary>Whether the user allows oneDNN (<see cref="Backend.OneDnnEnabled"/>); applied at once.</summary>
    public static bool UserEnabled
    {
        get { lock (gate) return userEnabled; }
        set { lock (gate) { userEnabled = value; Apply(); } }
    }

    /// <summary>Turns oneDNN off until the returned value is disposed (nestable, any thread).</summary>
    public static Suspension Suspend()
    {
        lock (gate) { if (suspensions++ == 0) Apply(); }
        return new Suspension(true);
    }

    /// <summary><see cref="Suspend"/> when <paramref name="needed"/>, otherwise nothing.</summary>
    public static Suspension SuspendIf(bool needed) => needed ? Suspend() : default;

    static void Resume()
    {
        lock (gate) { if (--suspensions == 0) Apply(); }
    }

    static void Apply() => LibtorchContext.OneDnn = userEnabled && suspensions == 0;

    /// <summary>
    /// Whether oneDNN computes this float32 convolution's output and its kernel and bias gradients
    /// right: one or two spatial axes, no groups, and at most 16 or a multiple of 16 input channels.
    /// Every other case (3-D, grouped and depthwise, 17-31, 33-47, ... input channels) came out wrong in
    /// some configuration, by up to the values' own size, sometimes NaN.
    /// </summary>
    public static bool ForwardSafe(int rank, long inChannels, long groups) =>
        rank <= 2 && groups == 1 && (inChannels <= 16 || inChannels % 16 == 0);

    /// <summary>
    /// Whether oneDNN also computes the gradient with respect to the input right: additionally a multiple
    /// of 16 filters and stride 1 (other filter counts and strided convolutions gave wrong input gradients).
    /// </summary>
    public static bool InputGradientSafe(int rank, long inChannels, long filters, long groups, int[] strides) =>
        ForwardSafe(rank, inChannels, groups) && filters % 16 == 0 && strides.All(s => s == 1);

    /// <summary>
    /// Notes, for the calling thread, that the graph being recorded holds a convolution whose backward
    /// oneDNN would get wrong; <see cref="TakeUnsafeBackward"/> reads it before <c>backward()</c>.
    /// </summary>
    public static void RecordUnsafeBackward() => unsafeBackwardRecorded = true;

    /// <summary>Whether a convolution recorded since the last call needs its backward run without oneDNN; clears the mark.</summary>
    public static bool TakeUnsafeBackward()
    {
        bool recorded = unsafeBackwardRecorded;
        unsafeBackwardRecorded = false;
        return recorded;
    }

    /// <summary>An active suspension, ended by <see cref="Dispose"/> (once); the default value suspends nothing.</summary>
    public struct Suspension(bool active) : IDisposable
    {
        bool active = active;

        /// <summary>Ends the suspension: oneDNN is back on when no other suspension is active and the user allows it.</summary>
        public void Dispose()
        {
            if (!active) return;
            active = false;
            Resume();
        }
    }
}
