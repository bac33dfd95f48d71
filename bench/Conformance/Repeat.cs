using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Conformance;

/// <summary>Loads one model many times in one process; the predictions must not change (a diagnostic for unset memory).</summary>
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
            if (Environment.GetEnvironmentVariable("LAYERS_FIRST") == "1")
            {
                var h = x;
                using (no_grad())
                    foreach (var layer in model.Layers) { h = layer.Call(h); if (!h.isfinite().all().item<bool>()) Console.WriteLine($"  first pass: NaN after {layer.Name} ({layer.ClassName}), input to it finite"); }
            }
            var y = model.Predict(x);
            // Allocate and free some memory between runs so that recycled buffers hold old values.
            using (var noise = randn(1 << 16).mul(1e30)) { }
            Console.WriteLine($"run {i}: finite {y.isfinite().all().item<bool>()} sum {y.nan_to_num().sum().item<float>()}");
            if (!y.isfinite().all().item<bool>())
            {
                foreach (var w in model.Weights) Console.WriteLine($"  weight {w.Path} finite {w.Value.isfinite().all().item<bool>()}");
                var h = x;
                foreach (var layer in model.Layers) { h = layer.Call(h); Console.WriteLine($"  after {layer.Name}: finite {h.isfinite().all().item<bool>()}"); }
                Console.WriteLine($"  input finite {x.isfinite().all().item<bool>()}; predict again finite {model.Predict(x).isfinite().all().item<bool>()}");
            }
            if (first is null) first = y;
            else if (!y.eq(first).all().item<bool>()) { differing++; Console.WriteLine($"run {i}: differs, max |diff| {(y - first).abs().max().item<float>()}, finite {y.isfinite().all().item<bool>()}"); }
        }
        Console.WriteLine($"{times} runs, {differing} differ from the first");
        return differing == 0 ? 0 : 1;
    }
}
