using System.Diagnostics;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Bench;

/// <summary>
/// Where a batch-1 <c>Predict</c> of PredictLatency's MLP and CNN spends its time beyond the raw forward:
/// the whole call, the model's <c>Call</c> (no input checks or conversion), its layers' <c>Call</c>s chained
/// by hand (no per-layer shape checks), each layer against the same raw ops, and single TorchSharp
/// operations. Cases alternate within each round (200 calls); medians and minima of the rounds, in
/// wall-clock and thread CPU time.
/// </summary>
static class PredictProfile
{
    public static void Run(int rounds)
    {
        var models = new PredictModels();
        var (mlp, cnn) = (models.Mlp, models.Cnn);
        var x = rand([1, .. PredictModels.MlpSample]);
        var xc = rand([1, .. PredictModels.CnnSample]);
        var d1 = (Dense)mlp.Layers[0]; var d2 = (Dense)mlp.Layers[1];
        var (conv, pool, flatten, cd) = (models.Conv, models.Pool, models.Flatten, models.CnnDense);
        var (kcont, cb) = (models.ConvKernel, models.ConvBias);
        using (no_grad())
        {
            // Whether the layers' permute back to channels_last (then contiguous) is free: torch kept the conv output channels_last in memory.
            var torchConv = F.conv2d(xc.permute(0, 3, 1, 2), kcont, cb);
            Console.WriteLine($"conv output (NCHW) stored channels_last: {torchConv.permute(0, 2, 3, 1).is_contiguous()}; " +
                              $"max-pool output stored channels_last: {F.max_pool2d(torchConv, [2, 2]).permute(0, 2, 3, 1).is_contiguous()}");
        }
        Tensor convOut, poolOut;
        using (no_grad()) { convOut = conv.Call(xc); poolOut = pool.Call(convOut); }
        var cases = new (string, Action)[]
        {
            ("raw MLP", () => { using (inference_mode()) using (NewDisposeScope()) models.RawMlp(x); }),
            ("mlp.Predict", () => mlp.Predict(x).Dispose()),
            ("mlp.Call", () => { using (no_grad()) using (NewDisposeScope()) mlp.Call(x); }),
            ("Dense Calls (no checks)", () => { using (no_grad()) using (NewDisposeScope()) d2.Call(d1.Call(x)); }),
            ("raw CNN", () => { using (inference_mode()) using (NewDisposeScope()) models.RawCnn(xc); }),
            ("cnn.Predict", () => cnn.Predict(xc).Dispose()),
            ("cnn.Call", () => { using (no_grad()) using (NewDisposeScope()) cnn.Call(xc); }),
            ("chain of layer Calls (no checks)", () => { using (no_grad()) using (NewDisposeScope()) cd.Call(flatten.Call(pool.Call(conv.Call(xc)))); }),
            ("conv.Call", () => { using (no_grad()) using (NewDisposeScope()) conv.Call(xc); }),
            ("raw permute+conv2d+relu", () => { using (no_grad()) using (NewDisposeScope()) F.relu(F.conv2d(xc.permute(0, 3, 1, 2), kcont, cb)); }),
            ("pool.Call", () => { using (no_grad()) using (NewDisposeScope()) pool.Call(convOut); }),
            ("raw max_pool2d", () => { using (no_grad()) using (NewDisposeScope()) F.max_pool2d(convOut.permute(0, 3, 1, 2), [2, 2]); }),
            ("flatten+dense Call", () => { using (no_grad()) using (NewDisposeScope()) cd.Call(flatten.Call(poolOut)); }),
            ("raw reshape+addmm", () => { using (no_grad()) using (NewDisposeScope()) addmm(models.CnnDenseBias, poolOut.reshape(1, -1), models.CnnDenseKernel, 1, 1); }),
            ("read a 4-D shape", () => _ = xc.shape),
            ("read a 4-D shape by dim, size(i)", () => { var s = new long[xc.dim()]; for (int i = 0; i < s.Length; i++) s[i] = xc.size(i); }),
            ("no_grad + dispose scope", () => { using (no_grad()) using (NewDisposeScope()) { } }),
            ("permute (a view)", () => xc.permute(0, 3, 1, 2).Dispose()),
            ("contiguous of a contiguous tensor", () => xc.contiguous().Dispose()),
        };
        const int calls = 200;
        foreach (var (_, action) in cases) for (int i = 0; i < 300; i++) action();
        var times = cases.Select(_ => new List<double>()).ToArray();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < cases.Length; c++)
            {
                var action = cases[c].Item2;
                var sw = Stopwatch.StartNew();
                double cpuStart = ThreadCpuTime.Microseconds();
                for (int i = 0; i < calls; i++) action();
                cpu[c].Add((ThreadCpuTime.Microseconds() - cpuStart) / calls);
                times[c].Add(sw.Elapsed.TotalMicroseconds / calls);
            }
        double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        for (int c = 0; c < cases.Length; c++)
            Console.WriteLine($"{cases[c].Item1,-32} wall median {Median(times[c]),8:F2} min {times[c].Min(),8:F2}   thread CPU median {Median(cpu[c]),8:F2} min {cpu[c].Min(),8:F2} us");
    }
}
