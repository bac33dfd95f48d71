using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Conformance;

/// <summary>
/// Loads one Sequential many times in one process and predicts the same input each time; every run must
/// give the same bits (a diagnostic for unset memory or a nondeterministic kernel — it found the oneDNN fault).
/// </summary>
static class Repeat
{
    public static int Run(int times, string path)
    {
        Tensor? first = null;
        int differing = 0;
        for (int i = 0; i < times; i++)
        {
            var model = (Sequential)Model.Load(path, compile: false);
            var x = rand([4, .. model.InputShape!], generator: new Generator(7));
            var y = model.Predict(x);
            // Allocate and free some memory between runs, so that recycled buffers hold other values.
            using (var noise = randn(1 << 16).mul(1e30)) { }
            if (first is null) first = y;
            else if (!y.eq(first).all().item<bool>())
            {
                differing++;
                Console.WriteLine($"run {i}: differs from run 0 (finite: {y.isfinite().all().item<bool>()}, run 0 finite: {first.isfinite().all().item<bool>()})");
            }
        }
        Console.WriteLine($"{times} runs, {differing} differ from the first");
        return differing == 0 ? 0 : 1;
    }
}
