using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Conformance;

/// <summary>
/// Reproduces the libtorch oneDNN fault in plain TorchSharp (no Layerwise code): the Conv1D path
/// (permute, pad one step after, conv1d) at five sizes, compared with the same convolution in float64.
/// NO_MKLDNN=1 turns oneDNN off first (through the runtime's <c>LibtorchContext</c> switch alone). `--onednn-repro contiguous` or `--onednn-repro permuted`.
/// </summary>
static class OneDnnRepro
{
    public static int Run(bool contiguous)
    {
        _ = zeros(1);
        if (Environment.GetEnvironmentVariable("NO_MKLDNN") == "1") LibtorchContext.OneDnn = false;   // only the switch; no Layerwise start-up
        set_num_threads(1);
        int bad = 0;
        var lengths = new long[] { 6, 5, 4, 3, 2 };
        var channels = new long[] { 1, 6, 12, 24, 48 };
        for (int i = 0; i < lengths.Length; i++)
        {
            using var _ = no_grad();
            var nlc = rand(4, lengths[i], channels[i]);
            var ncl = nlc.permute(0, 2, 1);
            if (contiguous) ncl = ncl.contiguous();
            ncl = F.pad(ncl, [0, 1]);
            var w = randn(2, channels[i], 24).permute(2, 1, 0);
            var b = randn(24);
            var y = F.conv1d(ncl, w, b, stride: 1, padding: 0, dilation: 1, groups: 1);
            var reference = F.conv1d(ncl.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64)).to(ScalarType.Float32);
            var finite = y.isfinite();
            var worst = (y - reference).abs().masked_fill(~finite, 0).max().item<float>();
            if (worst > 1e-3) Console.WriteLine($"WRONG finite values at length {lengths[i]}: max |diff| {worst}");
            if (!y.isfinite().all().item<bool>())
            {
                bad++;
                var again = F.conv1d(ncl, w, b, stride: 1, padding: 0, dilation: 1, groups: 1);
                var viaMatmul = F.conv1d(ncl.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64));
                Console.WriteLine($"NaN at length {lengths[i]} channels {channels[i]}: {(~y.isfinite()).sum().item<long>()} of {y.numel()} values; again finite {again.isfinite().all().item<bool>()}; float64 finite {viaMatmul.isfinite().all().item<bool>()}");
            }
        }
        Console.WriteLine($"oneDNN repro: {bad} sizes with non-finite values");
        return bad;
    }

    /// <summary>
    /// conv1d/conv2d (16 filters, kernel 3, 6 steps / 6x6, batch 4) for many input channel counts with oneDNN on,
    /// each compared with the same convolution in float64; prints the channel counts that come out wrong.
    /// </summary>
    public static int Sweep()
    {
        set_num_threads(1);
        _ = zeros(1);
        int wrong = 0, total = 0;
        foreach (int channels in new[] { 1, 2, 3, 4, 8, 12, 15, 16, 17, 20, 24, 28, 30, 32, 40, 48, 56, 64, 72, 80, 96, 120, 128 })
        foreach (int dims in new[] { 1, 2 })
        {
            total++;
            using var _ = no_grad();
            var x = dims == 1 ? rand(4, channels, 6) : rand(4, channels, 6, 6);
            var w = dims == 1 ? randn(16, channels, 3) : randn(16, channels, 3, 3);
            var b = randn(16);
            var y = dims == 1 ? F.conv1d(x, w, b) : F.conv2d(x, w, b);
            var reference = dims == 1
                ? F.conv1d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64))
                : F.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64));
            var diff = (y.to(ScalarType.Float64) - reference).abs().nan_to_num(1e9).max().item<double>();
            if (diff > 1e-3) { wrong++; Console.WriteLine($"wrong: conv{dims}d with {channels} input channels, max |diff| {diff:0.###}"); }
        }
        Console.WriteLine($"oneDNN sweep: {wrong} of {total} convolutions wrong");
        return wrong;
    }
}
