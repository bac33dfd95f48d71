using System.Diagnostics;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Bench;

/// <summary>
/// Latency of one <c>Predict</c> call at batch 1 and batch 256 against the same forward written in raw
/// TorchSharp with the same weights (under <c>inference_mode</c>, weights laid out once as torch wants
/// them), for an MLP (784-512-10), a CNN (Conv2D 32 3x3 on 28x28x1, max-pool, Dense 10), an LSTM(64)
/// and a GRU(64) over 20 steps of 8 features. Rounds alternate Layerwise and raw; each round times a short run of calls
/// (200 at batch 1, 4 at batch 256) in wall-clock time and in the thread's CPU time (which leaves out the
/// time spent waiting for a core on a shared machine); medians of the rounds' per-call means.
/// </summary>
static class PredictLatency
{
    public static void Run(int rounds)
    {
        var models = new PredictModels();
        var cases = new (string Name, Model Model, Func<Tensor, Tensor> Raw, long[] Sample)[]
        {
            ("MLP", models.Mlp, models.RawMlp, PredictModels.MlpSample), ("CNN", models.Cnn, models.RawCnn, PredictModels.CnnSample),
            ("LSTM", models.Lstm, models.RawLstm, PredictModels.LstmSample), ("GRU", models.Gru, models.RawGru, PredictModels.LstmSample),
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
