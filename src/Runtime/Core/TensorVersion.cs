using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Layerwise;

/// <summary>
/// libtorch's version counter of a tensor (<c>tensor._version</c> in PyTorch), which TorchSharp 0.107
/// does not expose: every in-place torch operation on the tensor or a view of it (<c>copy_</c>, an
/// optimizer's <c>add_</c>, ...) increases it, so a value derived from a weight stays valid while the
/// weight's version is unchanged. Writes into a tensor's memory that bypass torch (spans over
/// <c>Tensor.bytes</c>) do not count: such writers call <see cref="MarkWritten"/>. Called through the
/// exported C++ symbols, as <see cref="LibtorchContext"/> does; where they are missing (another
/// libtorch build) <see cref="Current"/> gives null and callers do without what they would cache.
/// </summary>
internal static class TensorVersion
{
    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at10TensorBase8_versionEv")]
    static extern long Version(IntPtr tensor);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN5torch8autograd4impl12bump_versionERKN2at6TensorE")]
    static extern void BumpVersion(IntPtr tensor);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at6native12is_inferenceERKNS_6TensorE")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool IsInference(IntPtr tensor);

    static bool available = true;

    /// <summary>
    /// The tensor's version; null for an inference tensor (created under <c>inference_mode</c>: it has no
    /// counter, and asking for it would throw in native code) or where the symbols are missing.
    /// </summary>
    public static long? Current(Tensor tensor)
    {
        if (!available) return null;
        try
        {
            // TorchSharp's handle is an at::Tensor*, the object these member functions take as `this`.
            return IsInference(tensor.Handle) ? null : Version(tensor.Handle);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            available = false;
            return null;
        }
    }

    /// <summary>Counts a write into <paramref name="tensor"/>'s memory made outside torch, so that values derived from it are recomputed.</summary>
    public static void MarkWritten(Tensor tensor)
    {
        if (!available) return;
        try
        {
            if (!IsInference(tensor.Handle)) BumpVersion(tensor.Handle);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            available = false;
        }
    }
}
