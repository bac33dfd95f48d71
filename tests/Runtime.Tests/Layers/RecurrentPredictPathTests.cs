using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Without autograd (Predict, or any no_grad call) an LSTM or GRU step works in place on its own gate tensors.
/// It must give the values of the textbook formula written by hand, with any activations (including linear,
/// where a gate is a view of the fused product), and under a mask it must leave the carried-over states untouched.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class RecurrentPredictPathTests
{
    public RecurrentPredictPathTests() => TutorialModel.SingleThread();

    static Tensor Activate(string name, Tensor x) => name switch
    {
        "tanh" => x.tanh(),
        "sigmoid" => F.sigmoid(x),
        "relu" => F.relu(x),
        "linear" => x,
        _ => throw new ArgumentException(name),
    };

    /// <summary>The LSTM by hand, out of place, in float64: every step's h ([batch, steps, units]).</summary>
    static Tensor ByHand(LSTM lstm, Tensor x, string activation, string recurrentActivation, bool[,]? keep = null)
    {
        var kernel = lstm.CellLayer.Kernel.Value.detach().to_type(ScalarType.Float64);
        var recurrent = lstm.CellLayer.RecurrentKernel.Value.detach().to_type(ScalarType.Float64);
        var bias = lstm.CellLayer.Bias!.Value.detach().to_type(ScalarType.Float64);
        var input = x.to_type(ScalarType.Float64);
        long batch = x.size(0), steps = x.size(1), units = recurrent.size(0);
        var h = zeros(batch, units, ScalarType.Float64);
        var c = zeros(batch, units, ScalarType.Float64);
        var outputs = new List<Tensor>();
        for (int t = 0; t < steps; t++)
        {
            var z = input[.., t].matmul(kernel) + bias + h.matmul(recurrent);
            var gates = z.chunk(4, 1);
            var nextC = Activate(recurrentActivation, gates[1]) * c + Activate(recurrentActivation, gates[0]) * Activate(activation, gates[2]);
            var nextH = Activate(recurrentActivation, gates[3]) * Activate(activation, nextC);
            if (keep is not null)
            {
                // Keras' masked step: a masked sample keeps its states and repeats its previous output.
                var use = tensor(Enumerable.Range(0, (int)batch).Select(b => keep[b, t]).ToArray()).reshape(batch, 1);
                nextC = where(use, nextC, c);
                nextH = where(use, nextH, h);
            }
            (h, c) = (nextH, nextC);
            outputs.Add(h);
        }
        return stack(outputs, 1);
    }

    /// <summary>Keras' GRU with reset_after by hand, out of place, in float64: every step's h.</summary>
    static Tensor GruByHand(GRU gru, Tensor x, string activation, string recurrentActivation, bool[,]? keep = null)
    {
        var kernel = gru.CellLayer.Kernel.Value.detach().to_type(ScalarType.Float64);
        var recurrent = gru.CellLayer.RecurrentKernel.Value.detach().to_type(ScalarType.Float64);
        var bias = gru.CellLayer.Bias!.Value.detach().to_type(ScalarType.Float64);   // [2, 3·units]: input, recurrent
        var input = x.to_type(ScalarType.Float64);
        long batch = x.size(0), steps = x.size(1), units = recurrent.size(0);
        var h = zeros(batch, units, ScalarType.Float64);
        var outputs = new List<Tensor>();
        for (int t = 0; t < steps; t++)
        {
            var xs = (input[.., t].matmul(kernel) + bias[0]).chunk(3, 1);
            var hs = (h.matmul(recurrent) + bias[1]).chunk(3, 1);
            var z = Activate(recurrentActivation, xs[0] + hs[0]);
            var r = Activate(recurrentActivation, xs[1] + hs[1]);
            var candidate = Activate(activation, xs[2] + r * hs[2]);
            var next = z * h + (1 - z) * candidate;
            if (keep is not null)
                next = where(tensor(Enumerable.Range(0, (int)batch).Select(b => keep[b, t]).ToArray()).reshape(batch, 1), next, h);
            h = next;
            outputs.Add(h);
        }
        return stack(outputs, 1);
    }

    static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Assert.True(actual.to_type(ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-6),
            $"{what}: max |diff| {(actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>()}");

    [Theory]
    [InlineData("tanh", "sigmoid")]
    [InlineData("linear", "linear")]
    [InlineData("relu", "tanh")]
    public void LSTM_Predict_gives_the_hand_formula_and_the_training_path_s_values(string activation, string recurrentActivation)
    {
        Backend.SetRandomSeed(31);
        var lstm = new LSTM(3, activation: activation, recurrentActivation: recurrentActivation, returnSequences: true);
        var model = new Sequential(lstm);
        var x = randn(2, 5, 4);
        var predicted = model.Predict(x);
        var expected = ByHand(lstm, x, activation, recurrentActivation);
        AssertClose(expected, predicted, "Predict");

        // The same weights through the path autograd uses (out of place): the same values.
        using var withGradients = lstm.Invoke(x.requires_grad_(true));
        Assert.True(is_grad_enabled());
        AssertClose(expected, withGradients.detach(), "call with autograd");
        Assert.Equal(predicted.data<float>().ToArray(), withGradients.detach().data<float>().ToArray());
    }

    [Theory]
    [InlineData("tanh", "sigmoid")]
    [InlineData("linear", "linear")]
    [InlineData("relu", "tanh")]
    public void GRU_Predict_gives_the_hand_formula_and_the_training_path_s_values(string activation, string recurrentActivation)
    {
        Backend.SetRandomSeed(33);
        var gru = new GRU(3, activation: activation, recurrentActivation: recurrentActivation, returnSequences: true,
                          biasInitializer: new Layerwise.Initializers.RandomNormal(stddev: 0.5));
        var model = new Sequential(gru);
        var x = randn(2, 5, 4);
        var predicted = model.Predict(x);
        var expected = GruByHand(gru, x, activation, recurrentActivation);
        AssertClose(expected, predicted, "Predict");

        using var withGradients = gru.Invoke(x.requires_grad_(true));
        AssertClose(expected, withGradients.detach(), "call with autograd");
        Assert.Equal(predicted.data<float>().ToArray(), withGradients.detach().data<float>().ToArray());
    }

    [Fact]
    public void GRU_under_a_mask_keeps_the_carried_over_state()
    {
        Backend.SetRandomSeed(34);
        var gru = new GRU(3, returnSequences: true, biasInitializer: new Layerwise.Initializers.RandomNormal(stddev: 0.5));
        gru.EnsureBuilt([5, 4]);
        var x = randn(2, 5, 4);
        bool[,] keep = { { true, true, false, true, false }, { false, true, true, false, true } };
        var mask = tensor(new[] { true, true, false, true, false, false, true, true, false, true }).reshape(2, 5);
        Tensor output;
        using (no_grad()) output = gru.Call(x, mask, training: false);
        AssertClose(GruByHand(gru, x, "tanh", "sigmoid", keep), output, "masked no_grad call");
    }

    [Fact]
    public void LSTM_under_a_mask_leaves_the_carried_over_states_as_they_were()
    {
        Backend.SetRandomSeed(32);
        var lstm = new LSTM(3, returnSequences: true);
        lstm.EnsureBuilt([5, 4]);
        var x = randn(2, 5, 4);
        bool[,] keep = { { true, true, false, true, false }, { false, true, true, false, true } };
        var mask = tensor(new[] { true, true, false, true, false, false, true, true, false, true }).reshape(2, 5);
        Tensor output;
        using (no_grad()) output = lstm.Call(x, mask, training: false);
        AssertClose(ByHand(lstm, x, "tanh", "sigmoid", keep), output, "masked no_grad call");
    }
}
