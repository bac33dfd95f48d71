using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>
/// Keras' LSTM step written out with plain torch ops (gates i, f, c, o; sigmoid and tanh), for
/// expectations that do not go through the runtime's recurrent code.
/// </summary>
internal static class HandLstm
{
    /// <summary>The outputs h_1..h_T of one sample <paramref name="x"/> [T, features] from zero states, as rows [T, units].</summary>
    public static Tensor Run(LSTMCell cell, Tensor x)
    {
        using var _ = no_grad();
        var k = cell.Kernel.ToCpu();
        var rk = cell.RecurrentKernel.ToCpu();
        var b = cell.Bias!.ToCpu();
        long u = cell.Units;
        var h = zeros(1, u);
        var c = zeros(1, u);
        var outputs = new List<Tensor>();
        for (long t = 0; t < x.shape[0]; t++)
        {
            var z = x[t].reshape(1, -1).matmul(k) + h.matmul(rk) + b;
            var i = sigmoid(z.narrow(1, 0, u));
            var f = sigmoid(z.narrow(1, u, u));
            var g = tanh(z.narrow(1, 2 * u, u));
            var o = sigmoid(z.narrow(1, 3 * u, u));
            c = f * c + i * g;
            h = o * tanh(c);
            outputs.Add(h);
        }
        return cat(outputs, 0);
    }

    /// <summary>The last output h_T of <see cref="Run"/>, [units].</summary>
    public static Tensor Last(LSTMCell cell, Tensor x) => Run(cell, x)[x.shape[0] - 1];
}
