using System.Diagnostics;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
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
        Backend.SetRandomSeed(0);
        var mlp = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dense(10));
        var cnn = new Sequential(new Conv2D(32, [3, 3], activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D([2, 2]),
                                 new Flatten(), new Dense(10));
        var x = rand(1, 784);
        var xc = rand(1, 28, 28, 1);
        mlp.Predict(x); cnn.Predict(xc);
        var d1 = (Dense)mlp.Layers[0]; var d2 = (Dense)mlp.Layers[1];
        var (w1, b1, w2, b2) = (d1.Kernel.Value.detach(), d1.Bias!.Value.detach(), d2.Kernel.Value.detach(), d2.Bias!.Value.detach());
        var conv = (Conv2D)cnn.Layers[0];
        var kcont = conv.Kernel.Value.detach().permute(3, 2, 0, 1).contiguous();
        var cb = conv.Bias!.Value.detach();
        var pool = cnn.Layers[1]; var flatten = cnn.Layers[2]; var cd = (Dense)cnn.Layers[3];
        Tensor convOut, poolOut;
        using (no_grad()) { convOut = conv.Call(xc); poolOut = pool.Call(convOut); }
        var cases = new (string, Action)[]
        {
            ("raw MLP", () => { using (inference_mode()) using (NewDisposeScope()) addmm(b2, F.relu(addmm(b1, x, w1, 1, 1)), w2, 1, 1); }),
            ("mlp.Predict", () => mlp.Predict(x).Dispose()),
            ("mlp.Call", () => { using (no_grad()) using (NewDisposeScope()) mlp.Call(x); }),
            ("Dense Calls (no checks)", () => { using (no_grad()) using (NewDisposeScope()) d2.Call(d1.Call(x)); }),
            ("raw CNN", () => { using (inference_mode()) using (NewDisposeScope()) { var y = F.relu(F.conv2d(xc.permute(0, 3, 1, 2), kcont, cb)); y = F.max_pool2d(y, [2, 2]).permute(0, 2, 3, 1).reshape(1, -1); addmm(cd.Bias!.Value, y, cd.Kernel.Value, 1, 1); } }),
            ("cnn.Predict", () => cnn.Predict(xc).Dispose()),
            ("cnn.Call", () => { using (no_grad()) using (NewDisposeScope()) cnn.Call(xc); }),
            ("chain of layer Calls (no checks)", () => { using (no_grad()) using (NewDisposeScope()) cd.Call(flatten.Call(pool.Call(conv.Call(xc)))); }),
            ("conv.Call", () => { using (no_grad()) using (NewDisposeScope()) conv.Call(xc); }),
            ("raw permute+conv2d+relu", () => { using (no_grad()) using (NewDisposeScope()) F.relu(F.conv2d(xc.permute(0, 3, 1, 2), kcont, cb)); }),
            ("pool.Call", () => { using (no_grad()) using (NewDisposeScope()) pool.Call(convOut); }),
            ("raw max_pool2d", () => { using (no_grad()) using (NewDisposeScope()) F.max_pool2d(convOut.permute(0, 3, 1, 2), [2, 2]); }),
            ("flatten+dense Call", () => { using (no_grad()) using (NewDisposeScope()) cd.Call(flatten.Call(poolOut)); }),
            ("raw reshape+addmm", () => { using (no_grad()) using (NewDisposeScope()) addmm(cd.Bias!.Value, poolOut.reshape(1, -1), cd.Kernel.Value, 1, 1); }),
            ("read a 4-D shape", () => _ = xc.shape),
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
