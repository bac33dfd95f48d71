using Layerwise.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Dense and the convolutions apply relu, sigmoid and tanh in place on their own output (one tensor less per
/// call). Training must see the same values and gradients as the out-of-place formula written by hand.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class InPlaceActivationGradientTests
{
    public InPlaceActivationGradientTests() => TutorialModel.SingleThread();

    static Tensor Activate(string name, Tensor x) => name switch
    {
        "relu" => F.relu(x),
        "sigmoid" => F.sigmoid(x),
        "tanh" => x.tanh(),
        _ => x,
    };

    static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"{what}: max |diff| {(actual - expected).abs().max().item<float>()}");

    [Theory]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("linear")]
    public void Dense_gives_the_values_and_gradients_of_the_out_of_place_formula(string activation)
    {
        Backend.SetRandomSeed(21);
        var dense = new Dense(5, activation: activation);
        dense.EnsureBuilt([4]);
        var x = randn(3, 4).requires_grad_(true);
        var output = dense.Invoke(x);
        output.pow(2).sum().backward();

        var kernel = dense.Kernel.Value.detach().clone().requires_grad_(true);
        var bias = dense.Bias!.Value.detach().clone().requires_grad_(true);
        var xHand = x.detach().clone().requires_grad_(true);
        var expected = Activate(activation, xHand.matmul(kernel) + bias);
        expected.pow(2).sum().backward();

        AssertClose(expected, output, "output");
        AssertClose(kernel.grad!, dense.Kernel.Value.grad!, "kernel gradient");
        AssertClose(bias.grad!, dense.Bias.Value.grad!, "bias gradient");
        AssertClose(xHand.grad!, x.grad!, "input gradient");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    public void Conv2D_gives_the_values_and_gradients_of_the_out_of_place_formula(string activation)
    {
        Backend.SetRandomSeed(22);
        var conv = new Conv2D(4, [3, 3], activation: activation);
        conv.EnsureBuilt([6, 6, 2]);
        var x = randn(2, 6, 6, 2).requires_grad_(true);
        var output = conv.Invoke(x);
        output.pow(2).sum().backward();

        var kernel = conv.Kernel.Value.detach().clone().requires_grad_(true);
        var bias = conv.Bias!.Value.detach().clone().requires_grad_(true);
        var xHand = x.detach().clone().requires_grad_(true);
        var expected = Activate(activation, F.conv2d(xHand.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1), bias)).permute(0, 2, 3, 1);
        expected.pow(2).sum().backward();

        AssertClose(expected, output, "output");
        AssertClose(kernel.grad!, conv.Kernel.Value.grad!, "kernel gradient");
        AssertClose(bias.grad!, conv.Bias.Value.grad!, "bias gradient");
        AssertClose(xHand.grad!, x.grad!, "input gradient");
    }
}
