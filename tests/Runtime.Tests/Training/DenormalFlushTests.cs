using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// TensorFlow flushes denormal floats to zero on CPU; Layerwise does too, so training does not slow
/// down as values drift into denormal range. 1e-39 is a float32 denormal (the smallest normal is
/// about 1.18e-38): with denormals-are-zero, multiplying it by one gives zero.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class DenormalFlushTests
{
    const float Denormal = 1e-39f;

    [Fact]
    public void Denormals_are_flushed_by_default()
    {
        if (Environment.GetEnvironmentVariable("LAYERWISE_KEEP_DENORMALS") == "1") return; // the user opted out: nothing to check
        Assert.True(Backend.FlushDenormals);
        using var x = tensor(new[] { Denormal });
        Assert.Equal(0f, x.mul(1f).item<float>());
    }

    [Fact]
    public void Predict_applies_the_setting_on_a_thread_that_started_without_it()
    {
        float product = float.NaN;
        var model = new Sequential(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        using var started = new ManualResetEventSlim();
        using var settingRestored = new ManualResetEventSlim();
        Thread thread;
        try
        {
            Backend.FlushDenormals = false;
            // The thread is created while denormals are kept, so it inherits IEEE behaviour.
            thread = new Thread(() =>
            {
                started.Set();
                settingRestored.Wait();
                using var y = model.Predict(tensor(new[,] { { Denormal } }));
                product = y.item<float>();
            });
            thread.Start();
            started.Wait();
        }
        finally
        {
            Backend.FlushDenormals = true;   // on this thread only; Predict must apply it on the other
            settingRestored.Set();
        }
        thread.Join();
        Assert.Equal(0f, product);
    }

    [Fact]
    public void Opting_out_keeps_ieee_denormals()
    {
        try
        {
            Backend.FlushDenormals = false;
            using var x = tensor(new[] { Denormal });
            Assert.Equal(Denormal, x.mul(1f).item<float>());
        }
        finally
        {
            Backend.FlushDenormals = true;
        }
    }
}
