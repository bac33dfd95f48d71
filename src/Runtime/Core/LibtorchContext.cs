using System.Runtime.InteropServices;

namespace Layerwise;

/// <summary>
/// Switches of libtorch's global context (<c>at::globalContext()</c>) that TorchSharp 0.107 does not
/// expose, called through their exported C++ symbols. A member function takes the context as its
/// first argument in the platform ABI. Where the symbols are missing (another libtorch build) the
/// switches report that they could not be set instead of failing.
/// </summary>
internal static class LibtorchContext
{
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool SetFlushDenormal(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);

    /// <summary>
    /// Sets flush-to-zero and denormals-are-zero on the calling thread's floating-point unit (libtorch's
    /// <c>torch.set_flush_denormal</c>); threads created afterwards inherit it. False where the CPU or
    /// the libtorch build does not support it.
    /// </summary>
    public static bool FlushDenormalOnThisThread(bool on) => Try(() => SetFlushDenormal(GlobalContext(), on)) ?? false;

    /// <summary>Whether libtorch may run oneDNN (MKLDNN) kernels; null when the switch cannot be reached.</summary>
    public static bool? OneDnn
    {
        get => Try(() => UserEnabledMkldnn(GlobalContext()));
        set { if (value is { } enabled) Try(() => { SetUserEnabledMkldnn(GlobalContext(), enabled); return true; }); }
    }

    static bool? Try(Func<bool> call)
    {
        try { return call(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }
}
