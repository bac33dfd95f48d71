using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Bench;

/// <summary>
/// The baseline: the tutorial's model and one epoch of training written directly against TorchSharp,
/// doing the work Fit does (shuffle, forward, loss, backward, Adam step, running loss and accuracy
/// kept on the device and read once at the end of the epoch).
/// </summary>
internal sealed class HandWrittenLoop
{
    readonly nn.Module<Tensor, Tensor> model;
    readonly optim.Optimizer optimizer;
    readonly Tensor x, y;

    public HandWrittenLoop(Tensor x, Tensor y)
    {
        this.x = x;
        this.y = y;
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10));
        optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-7);
    }

    public (double Loss, double Accuracy) RunEpoch(int batchSize = 32)
    {
        model.train();
        long n = x.shape[0];
        using var order = randperm(n);
        var lossSum = zeros(1, ScalarType.Float64);
        var correct = zeros(1, ScalarType.Float64);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, n - start);
            var indices = order.narrow(0, start, count);
            var xb = x.index_select(0, indices);
            var yb = y.index_select(0, indices);
            var logits = model.call(xb);
            var loss = nn.functional.cross_entropy(logits, yb);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            using (no_grad())
            {
                lossSum.add_(loss.detach().to_type(ScalarType.Float64) * count);
                correct.add_(logits.argmax(-1).eq(yb).sum().to_type(ScalarType.Float64));
            }
        }
        return (lossSum.item<double>() / n, correct.item<double>() / n);
    }
}
