using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>affine_transform</c> + <c>map_coordinates</c> (keras/src/backend/torch/image.py) for a
/// batch of images: output pixel (x, y) of image i samples the input at (a0·x + a1·y + a2,
/// b0·x + b1·y + b2), each coefficient one value per image, bilinearly (order 1) or at the nearest
/// pixel (order 0). Taps outside the image follow Keras' fill modes: <c>reflect</c> (d c b a | a b c d
/// | d c b a), <c>wrap</c>, <c>nearest</c> (edge pixel) or <c>constant</c> (<c>fill_value</c>).
/// </summary>
internal static class AffineWarp
{
    public static Tensor Apply(Tensor images, bool channelsLast, (Tensor A0, Tensor A1, Tensor A2, Tensor B0, Tensor B1, Tensor B2) transform,
                               string fillMode, string interpolation, double fillValue)
    {
        using var scope = NewDisposeScope();
        var nchw = channelsLast ? images.permute(0, 3, 1, 2) : images;
        long n = nchw.shape[0], c = nchw.shape[1], h = nchw.shape[2], w = nchw.shape[3];
        var ys = arange(h, ScalarType.Float32, images.device).view(1, h, 1);
        var xs = arange(w, ScalarType.Float32, images.device).view(1, 1, w);
        Tensor PerImage(Tensor t) => t.to_type(ScalarType.Float32).view(n, 1, 1);
        var xIn = PerImage(transform.A0).mul(xs).add(PerImage(transform.A1).mul(ys)).add(PerImage(transform.A2));
        var yIn = PerImage(transform.B0).mul(xs).add(PerImage(transform.B1).mul(ys)).add(PerImage(transform.B2));
        var flat = nchw.reshape(n, c, h * w);
        var result = zeros([n, c, h, w], images.dtype, images.device);
        foreach (var (yIndex, yWeight) in Taps(yIn, interpolation))
        {
            foreach (var (xIndex, xWeight) in Taps(xIn, interpolation))
            {
                var index = Fix(yIndex, h, fillMode).mul(w).add(Fix(xIndex, w, fillMode)).view(n, 1, h * w).expand(n, c, h * w);
                var values = flat.gather(2, index).view(n, c, h, w);
                if (fillMode == "constant")
                {
                    var inside = yIndex.ge(0).logical_and(yIndex.lt(h)).logical_and(xIndex.ge(0)).logical_and(xIndex.lt(w)).unsqueeze(1);
                    values = where(inside, values, full_like(values, fillValue));
                }
                result = result.add(values.mul(yWeight.mul(xWeight).unsqueeze(1).to_type(images.dtype)));
            }
        }
        if (channelsLast) result = result.permute(0, 2, 3, 1);
        return scope.MoveToOuter(result.contiguous());
    }

    /// <summary>The pixels a coordinate reads and their weights: the two neighbours (bilinear) or the rounded one (nearest).</summary>
    static (Tensor Index, Tensor Weight)[] Taps(Tensor coordinate, string interpolation)
    {
        if (interpolation == "nearest") return [(coordinate.round().to_type(ScalarType.Int64), ones_like(coordinate))];
        var lower = coordinate.floor();
        var upperWeight = coordinate.sub(lower);
        var lowerIndex = lower.to_type(ScalarType.Int64);
        return [(lowerIndex, upperWeight.neg().add(1.0)), (lowerIndex.add(1), upperWeight)];
    }

    /// <summary>Keras' index fixers: where a tap outside [0, size) reads.</summary>
    static Tensor Fix(Tensor index, long size, string fillMode) => fillMode switch
    {
        "wrap" => index.remainder(size),
        "reflect" => Mirror(index.mul(2).add(1), 2 * size + 1).sub(1).floor_divide(2),
        _ => index.clamp(0, size - 1),
    };

    /// <summary>Keras' <c>_mirror_index_fixer</c>: the triangular wave |((i + s) mod 2s) - s| with s = size - 1.</summary>
    static Tensor Mirror(Tensor index, long size)
    {
        long s = size - 1;
        return index.add(s).remainder(2 * s).sub(s).abs();
    }
}
