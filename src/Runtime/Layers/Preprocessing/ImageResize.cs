using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// TensorFlow 2's <c>tf.image.resize</c> (no antialias) on channels_last or channels_first image
/// batches, as Keras' Resizing and CenterCrop use it. Bilinear is torch's <c>align_corners=False</c>
/// interpolation, which is TF's half-pixel-centre one (source <c>(x + 0.5)·in/out - 0.5</c>, clamped at the
/// edges); nearest is torch's <c>nearest-exact</c>, TF's <c>floor((x + 0.5)·in/out)</c>.
/// </summary>
internal static class ImageResize
{
    public static readonly string[] Interpolations = ["bilinear", "nearest"];

    public static Tensor Resize(Tensor images, long height, long width, string interpolation, ImageAxes axes, bool cropToAspectRatio)
    {
        using var scope = NewDisposeScope();
        var x = images;
        if (cropToAspectRatio) x = CropToAspectRatio(x, height, width, axes);
        bool channelsLast = axes.Channels == 3;
        if (channelsLast) x = x.permute(0, 3, 1, 2);
        if (x.shape[2] != height || x.shape[3] != width)
        {
            var mode = interpolation == "nearest" ? InterpolationMode.NearestExact : InterpolationMode.Bilinear;
            x = F.interpolate(x, size: [height, width], mode: mode, align_corners: mode == InterpolationMode.Bilinear ? false : null);
        }
        else x = x.alias();
        if (channelsLast) x = x.permute(0, 2, 3, 1).contiguous();
        return scope.MoveToOuter(x);
    }

    /// <summary>
    /// The largest centred window of the target's aspect ratio (Keras' <c>smart_resize</c>):
    /// <c>crop_height = min(h, int(w·target_h/target_w))</c>, start <c>int((h - crop_height)/2)</c>; the same for width.
    /// </summary>
    public static Tensor CropToAspectRatio(Tensor images, long targetHeight, long targetWidth, ImageAxes axes)
    {
        long h = images.shape[axes.Height], w = images.shape[axes.Width];
        long cropHeight = Math.Min(h, (long)((float)(w * targetHeight) / targetWidth));
        long cropWidth = Math.Min(w, (long)((float)(h * targetWidth) / targetHeight));
        long top = (long)((float)(h - cropHeight) / 2), left = (long)((float)(w - cropWidth) / 2);
        return images.narrow(axes.Height, top, cropHeight).narrow(axes.Width, left, cropWidth);
    }
}
