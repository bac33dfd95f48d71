using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise;

/// <summary>Whether a tensor already lives on a device, so that it is not moved (TorchSharp's <c>Device</c> compares by reference).</summary>
internal static class TensorDeviceExtensions
{
    /// <summary>
    /// True when <paramref name="tensor"/> is on <paramref name="device"/>: the CPU, or the same accelerator
    /// by index. A device without an index (<c>cuda</c>: the current one) never matches, so the tensor
    /// goes through <c>to(device)</c> as before.
    /// </summary>
    public static bool IsOn(this Tensor tensor, Device device) =>
        tensor.device_type == device.type && (device.type == DeviceType.CPU || device.index >= 0 && tensor.device_index == device.index);
}
