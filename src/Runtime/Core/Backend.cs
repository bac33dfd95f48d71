using System.Runtime.InteropServices;
using TorchSharp;

namespace Layerwise;

/// <summary>
/// Process-wide settings of the runtime: the random seed, the default device, layer naming.
/// The counterpart of <c>keras.utils.set_random_seed</c> and <c>keras.backend.clear_session</c>.
/// </summary>
public static class Backend
{
    static int initialized;

    /// <summary>
    /// Seeds every source of randomness the runtime uses (weight initializers, shuffling,
    /// dropout masks; all draw from torch's generators), so the same seed gives the same
    /// weights and the same losses.
    /// </summary>
    public static void SetRandomSeed(long seed)
    {
        EnsureInitialized();
        torch.random.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>
    /// The device new models are placed on: <c>LAYERWISE_DEVICE</c> (<c>cpu</c>, <c>cuda</c>,
    /// <c>cuda:1</c>) when set, CPU otherwise. Setting it affects models created afterwards.
    /// </summary>
    public static torch.Device DefaultDevice
    {
        get => defaultDevice ??= DeviceFromEnvironment();
        set => defaultDevice = value;
    }
    static torch.Device? defaultDevice;

    /// <summary>Resets the per-process layer and model name counters (<c>dense</c>, <c>dense_1</c>, ...).</summary>
    public static void ClearSession() => UniqueNames.Reset();

    /// <summary>Parses a device name as <c>LAYERWISE_DEVICE</c> accepts it.</summary>
    public static torch.Device ParseDevice(string name)
    {
        EnsureInitialized();
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed is not ("cpu" or "cuda") && !trimmed.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device \"{name}\": expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(name));
        if (trimmed != "cpu" && !torch.cuda.is_available())
            throw new InvalidOperationException($"Device \"{name}\" was requested but CUDA is not available in this process " +
                "(TorchSharp found no CUDA-enabled libtorch). Use \"cpu\", or reference a CUDA build of libtorch.");
        return torch.device(trimmed);
    }

    static torch.Device DeviceFromEnvironment()
    {
        var requested = Environment.GetEnvironmentVariable("LAYERWISE_DEVICE");
        return string.IsNullOrWhiteSpace(requested) ? torch.CPU : ParseDevice(requested);
    }

    /// <summary>
    /// Loads libtorch and, on glibc, raises malloc's mmap and trim thresholds: torch allocates and
    /// frees large buffers every step, and glibc's defaults return them to the OS each time, which
    /// made the first epochs ~6x slower here. Skipped when GLIBC_TUNABLES is set (the user chose)
    /// or LAYERWISE_KEEP_MALLOC=1.
    /// </summary>
    internal static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1) return;
        if (OperatingSystem.IsLinux()
            && Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is null
            && Environment.GetEnvironmentVariable("LAYERWISE_KEEP_MALLOC") != "1")
        {
            try
            {
                Glibc.mallopt(Glibc.M_MMAP_THRESHOLD, 64 << 20);
                Glibc.mallopt(Glibc.M_TRIM_THRESHOLD, int.MaxValue);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // not glibc (musl): nothing to tune
            }
        }
        torch.InitializeDeviceType(DeviceType.CPU);
        OneDnnGuard.UserEnabled = Environment.GetEnvironmentVariable("LAYERWISE_ONEDNN") != "0";
        flushDenormals = Environment.GetEnvironmentVariable("LAYERWISE_KEEP_DENORMALS") != "1";
        ApplyToCurrentThread();
    }

    static bool flushDenormals;

    /// <summary>
    /// Whether CPU math flushes denormal floats to zero (flush-to-zero and denormals-are-zero), as
    /// TensorFlow does by default. On by default: without it, training here slowed down epoch after
    /// epoch as weights and gradients drifted into denormal range (MNIST 784 to 1,012 ms over 6 epochs,
    /// random labels 630 to 2,200 ms). The setting is per thread: it is applied where torch is first
    /// used (threads created later, torch's own pool included, inherit it) and again on the calling
    /// thread at the start of <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c>.
    /// <c>LAYERWISE_KEEP_DENORMALS=1</c> before start, or setting this to false, keeps IEEE denormals.
    /// </summary>
    public static bool FlushDenormals
    {
        get { EnsureInitialized(); return flushDenormals; }
        set { EnsureInitialized(); flushDenormals = value; LibtorchContext.FlushDenormalOnThisThread(value); }
    }

    /// <summary>Applies the per-thread settings (<see cref="FlushDenormals"/>) to the calling thread; cheap.</summary>
    internal static void ApplyToCurrentThread() => LibtorchContext.FlushDenormalOnThisThread(flushDenormals);

    /// <summary>
    /// Whether libtorch may use its oneDNN (MKLDNN) kernels on CPU. On by default (CNN training here is
    /// ~2x faster with it), except around the convolutions that libtorch 2.10's oneDNN float32 kernels
    /// computed wrongly on this project's reference machine (AMD EPYC, AVX-512): 3-D, grouped and
    /// depthwise convolutions and those with more than 16 input channels that are not a multiple of 16
    /// run with oneDNN suspended, and so does <c>Fit</c>'s backward pass when a batch went through such a
    /// convolution or through one whose input gradient oneDNN gets wrong (filters not a multiple of 16,
    /// strides). <c>LAYERWISE_ONEDNN=0</c> before start, or setting this to false, turns it off everywhere.
    /// False when the switch cannot be reached.
    /// </summary>
    public static bool OneDnnEnabled
    {
        get { EnsureInitialized(); return OneDnnGuard.UserEnabled && LibtorchContext.OneDnn is not null; }
        set { EnsureInitialized(); OneDnnGuard.UserEnabled = value; }
    }

    /// <summary>
    /// Turns oneDNN off, on every thread, until the returned value is disposed (nestable). <c>Fit</c> does
    /// this itself where needed; a training loop of your own that calls <c>backward()</c> through
    /// Layerwise convolutions should wrap its backward in it (see <see cref="OneDnnEnabled"/>).
    /// </summary>
    public static IDisposable WithoutOneDnn()
    {
        EnsureInitialized();
        return OneDnnGuard.Suspend();
    }

    static partial class Glibc
    {
        public const int M_TRIM_THRESHOLD = -1;
        public const int M_MMAP_THRESHOLD = -3;

        [DllImport("libc", EntryPoint = "mallopt")]
        public static extern int mallopt(int param, int value);
    }
}
