using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Bench;

/// <summary>
/// The models PredictLatency and PredictProfile time, seeded and built: an MLP (784-512-10), a CNN
/// (Conv2D 32 3x3 relu on 28x28x1, max-pool 2x2, Flatten, Dense 10) and an LSTM(64) over 20 steps of 8
/// features → Dense 10, a GRU(64) (Keras' default reset_after) on the same input → Dense 10, each with the same
/// forward written in raw TorchSharp over the same weights
/// (detached; the conv kernel laid out once as torch wants it, <c>addmm</c> for the dense layers).
/// </summary>
sealed class PredictModels
{
    /// <summary>Per-sample input shapes of the MLP, CNN and LSTM (the GRU takes the LSTM's).</summary>
    public static readonly long[] MlpSample = [784], CnnSample = [28, 28, 1], LstmSample = [20, 8];

    public PredictModels()
    {
        Backend.SetRandomSeed(0);
        Mlp = new Sequential(new Dense(512, activation: "relu", inputShape: MlpSample), new Dense(10));
        Cnn = new Sequential(new Conv2D(32, [3, 3], activation: "relu", inputShape: CnnSample), new MaxPooling2D([2, 2]),
                             new Flatten(), new Dense(10));
        Lstm = new Sequential(new LSTM(64, inputShape: LstmSample), new Dense(10));
        Gru = new Sequential(new GRU(64, inputShape: LstmSample), new Dense(10));
        Mlp.Predict(rand([1, .. MlpSample])); Cnn.Predict(rand([1, .. CnnSample])); Lstm.Predict(rand([1, .. LstmSample]));   // builds them
        Gru.Predict(rand([1, .. LstmSample]));

        var (d1, d2) = ((Dense)Mlp.Layers[0], (Dense)Mlp.Layers[1]);
        (MlpKernel1, MlpBias1, MlpKernel2, MlpBias2) = (d1.Kernel.Value.detach(), d1.Bias!.Value.detach(), d2.Kernel.Value.detach(), d2.Bias!.Value.detach());

        Conv = (Conv2D)Cnn.Layers[0]; Pool = Cnn.Layers[1]; Flatten = Cnn.Layers[2]; CnnDense = (Dense)Cnn.Layers[3];
        ConvKernel = Conv.Kernel.Value.detach().permute(3, 2, 0, 1).contiguous();
        (ConvBias, CnnDenseKernel, CnnDenseBias) = (Conv.Bias!.Value.detach(), CnnDense.Kernel.Value.detach(), CnnDense.Bias!.Value.detach());

        var cell = ((LSTM)Lstm.Layers[0]).CellLayer;
        var ld = (Dense)Lstm.Layers[1];
        (lstmKernel, lstmRecurrent, lstmBias, lstmDenseKernel, lstmDenseBias) = (cell.Kernel.Value.detach(), cell.RecurrentKernel.Value.detach(),
            cell.Bias!.Value.detach(), ld.Kernel.Value.detach(), ld.Bias!.Value.detach());

        var gruCell = ((GRU)Gru.Layers[0]).CellLayer;
        var gd = (Dense)Gru.Layers[1];
        (gruKernel, gruRecurrent, gruInputBias, gruRecurrentBias, gruDenseKernel, gruDenseBias) = (gruCell.Kernel.Value.detach(),
            gruCell.RecurrentKernel.Value.detach(), gruCell.Bias!.Value.detach()[0], gruCell.Bias!.Value.detach()[1], gd.Kernel.Value.detach(), gd.Bias!.Value.detach());
    }

    public Sequential Mlp { get; }
    public Sequential Cnn { get; }
    public Sequential Lstm { get; }
    public Sequential Gru { get; }

    public Tensor MlpKernel1 { get; }
    public Tensor MlpBias1 { get; }
    public Tensor MlpKernel2 { get; }
    public Tensor MlpBias2 { get; }

    public Conv2D Conv { get; }
    public Layer Pool { get; }
    public Layer Flatten { get; }
    public Dense CnnDense { get; }
    /// <summary>The conv kernel as torch's [out, in, kh, kw], contiguous.</summary>
    public Tensor ConvKernel { get; }
    public Tensor ConvBias { get; }
    public Tensor CnnDenseKernel { get; }
    public Tensor CnnDenseBias { get; }

    readonly Tensor lstmKernel, lstmRecurrent, lstmBias, lstmDenseKernel, lstmDenseBias;
    readonly Tensor gruKernel, gruRecurrent, gruInputBias, gruRecurrentBias, gruDenseKernel, gruDenseBias;

    public Tensor RawMlp(Tensor x) => addmm(MlpBias2, F.relu(addmm(MlpBias1, x, MlpKernel1, 1, 1)), MlpKernel2, 1, 1);

    public Tensor RawCnn(Tensor x)
    {
        var y = F.relu(F.conv2d(x.permute(0, 3, 1, 2), ConvKernel, ConvBias));
        y = F.max_pool2d(y, [2, 2]).permute(0, 2, 3, 1).reshape(x.size(0), -1);
        return addmm(CnnDenseBias, y, CnnDenseKernel, 1, 1);
    }

    public Tensor RawLstm(Tensor x)
    {
        long n = x.size(0);
        var h = zeros(n, 64); var c = zeros(n, 64);
        var projected = x.matmul(lstmKernel).add_(lstmBias);
        for (int t = 0; t < 20; t++)
        {
            var z = addmm(projected[.., t], h, lstmRecurrent, 1, 1).chunk(4, 1);
            c = sigmoid(z[1]).mul_(c).add_(sigmoid(z[0]).mul_(tanh(z[2])));
            h = sigmoid(z[3]).mul_(tanh(c));
        }
        return addmm(lstmDenseBias, h, lstmDenseKernel, 1, 1);
    }

    /// <summary>Keras' GRU with reset_after: z, r from x·W + b₀ + h·U + b₁, candidate tanh(x_h + r·(h·U_h + b₁_h)).</summary>
    public Tensor RawGru(Tensor x)
    {
        long n = x.size(0);
        var h = zeros(n, 64);
        var projected = x.matmul(gruKernel).add_(gruInputBias);
        for (int t = 0; t < 20; t++)
        {
            var xs = projected[.., t].chunk(3, 1);
            var hs = addmm(gruRecurrentBias, h, gruRecurrent, 1, 1).chunk(3, 1);
            var z = sigmoid(hs[0].add_(xs[0]));
            var candidate = tanh(sigmoid(hs[1].add_(xs[1])).mul_(hs[2]).add_(xs[2]));
            h = h.sub(candidate).mul_(z).add_(candidate);
        }
        return addmm(gruDenseBias, h, gruDenseKernel, 1, 1);
    }
}
