using System.Diagnostics;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Bench;

/// <summary>
/// Latency of one <c>Predict</c> call at batch 1 and batch 256 against the same forward written in raw
/// TorchSharp with the same weights (under <c>inference_mode</c>, weights laid out once as torch wants
/// them), for an MLP (784-512-10), a CNN (Conv2D 32 3x3 on 28x28x1, max-pool, Dense 10) and an LSTM(64)
/// over 20 steps of 8 features. Rounds alternate Layerwise and raw; each round times a short run of calls
/// (200 at batch 1, 4 at batch 256) in wall-clock time and in the thread's CPU time (which leaves out the
/// time spent waiting for a core on a shared machine); medians of the rounds' per-call means.
/// </summary>
static class PredictLatency
{
    public static void Run(int rounds)
    {
        Backend.SetRandomSeed(0);
        var mlp = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dense(10));
        var cnn = new Sequential(new Conv2D(32, [3, 3], activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D([2, 2]),
                                 new Flatten(), new Dense(10));
        var lstm = new Sequential(new LSTM(64, inputShape: [20, 8]), new Dense(10));
        mlp.Predict(rand(1, 784)); cnn.Predict(rand(1, 28, 28, 1)); lstm.Predict(rand(1, 20, 8));   // builds them

        var d1 = (Dense)mlp.Layers[0]; var d2 = (Dense)mlp.Layers[1];
        var (w1, b1, w2, b2) = (d1.Kernel.Value.detach(), d1.Bias!.Value.detach(), d2.Kernel.Value.detach(), d2.Bias!.Value.detach());
        Tensor RawMlp(Tensor x) => addmm(b2, F.relu(addmm(b1, x, w1, 1, 1)), w2, 1, 1);

        var conv = (Conv2D)cnn.Layers[0]; var cd = (Dense)cnn.Layers[3];
        var convWeight = conv.Kernel.Value.detach().permute(3, 2, 0, 1).contiguous();
        var (convBias, cw, cb) = (conv.Bias!.Value.detach(), cd.Kernel.Value.detach(), cd.Bias!.Value.detach());
        Tensor RawCnn(Tensor x)
        {
            var y = F.relu(F.conv2d(x.permute(0, 3, 1, 2), convWeight, convBias));
            y = F.max_pool2d(y, [2, 2]).permute(0, 2, 3, 1).reshape(x.shape[0], -1);
            return addmm(cb, y, cw, 1, 1);
        }

        var cell = ((LSTM)lstm.Layers[0]).CellLayer;
        var ld = (Dense)lstm.Layers[1];
        var (lk, lr, lb, dw, db) = (cell.Kernel.Value.detach(), cell.RecurrentKernel.Value.detach(), cell.Bias!.Value.detach(),
                                    ld.Kernel.Value.detach(), ld.Bias!.Value.detach());
        Tensor RawLstm(Tensor x)
        {
            long n = x.shape[0];
            var h = zeros(n, 64); var c = zeros(n, 64);
            var projected = x.matmul(lk).add_(lb);
            for (int t = 0; t < 20; t++)
            {
                var z = addmm(projected[.., t], h, lr, 1, 1).chunk(4, 1);
                c = sigmoid(z[1]).mul_(c).add_(sigmoid(z[0]).mul_(tanh(z[2])));
                h = sigmoid(z[3]).mul_(tanh(c));
            }
            return addmm(db, h, dw, 1, 1);
        }

        var cases = new (string Name, Model Model, Func<Tensor, Tensor> Raw, long[] Sample)[]
        {
            ("MLP", mlp, RawMlp, [784]), ("CNN", cnn, RawCnn, [28, 28, 1]), ("LSTM", lstm, RawLstm, [20, 8]),
        };
        foreach (var (name, model, raw, sample) in cases)
        foreach (int batch in new[] { 1, 256 })
        {
            var x = rand([batch, .. sample]);
            using (inference_mode())
            {
                var difference = (model.Predict(x, batchSize: 256) - raw(x)).abs().max().item<float>();
                if (difference > 1e-4) throw new InvalidOperationException($"{name}: raw forward differs from Predict by {difference}");
            }
            int calls = batch == 1 ? 200 : 4;
            (double Wall, double Cpu) Time(Action call)
            {
                var sw = Stopwatch.StartNew();
                double cpuStart = ThreadCpuTime.Microseconds();
                for (int i = 0; i < calls; i++) call();
                return (sw.Elapsed.TotalMicroseconds / calls, (ThreadCpuTime.Microseconds() - cpuStart) / calls);
            }
            void CallLayerwise() => model.Predict(x, batchSize: 256).Dispose();
            void CallRaw()
            {
                using (inference_mode())
                using (NewDisposeScope()) raw(x);
            }
            Time(CallLayerwise); Time(CallRaw);   // warm-up
            var ours = new List<(double Wall, double Cpu)>(); var theirs = new List<(double Wall, double Cpu)>();
            for (int r = 0; r < rounds; r++)
            {
                if (r % 2 == 0) { ours.Add(Time(CallLayerwise)); theirs.Add(Time(CallRaw)); }
                else { theirs.Add(Time(CallRaw)); ours.Add(Time(CallLayerwise)); }
            }
            double Median(IEnumerable<double> v) { var sorted = v.Order().ToList(); return sorted[sorted.Count / 2]; }
            double oursWall = Median(ours.Select(t => t.Wall)), theirsWall = Median(theirs.Select(t => t.Wall));
            double oursCpu = Median(ours.Select(t => t.Cpu)), theirsCpu = Median(theirs.Select(t => t.Cpu));
            Console.WriteLine($"{name,-5} batch {batch,3}: wall Predict {oursWall,9:F1} us, raw {theirsWall,9:F1} us, ratio {oursWall / theirsWall:F2} | " +
                              $"thread CPU Predict {oursCpu,9:F1} us, raw {theirsCpu,9:F1} us, ratio {oursCpu / theirsCpu:F2} ({rounds} rounds x {calls} calls)");
        }
    }
}
