using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models;

/// <summary>
/// A single-batch <c>Predict</c> returns a tensor of the caller's own: the output the call created is handed
/// over as it is (into the caller's dispose scope, if one is open), and an output the call did not create
/// (a model returning its input, a tensor a layer keeps) is aliased, so disposing the prediction never frees
/// the input or the layer's tensor.
/// </summary>
public class PredictOutputOwnershipTests
{
    /// <summary>Returns its input itself.</summary>
    sealed class PassThrough() : Layer(inputShape: [3])
    {
        public override Tensor Call(Tensor inputs, bool training = false) => inputs;
    }

    /// <summary>Returns a tensor it keeps between calls (outside every dispose scope).</summary>
    sealed class Constant : Layer
    {
        public Constant() : base(inputShape: [3]) => Kept = tensor(new[] { 1f, 2f }).reshape(1, 2).DetachFromDisposeScope();
        public Tensor Kept { get; }
        public override Tensor Call(Tensor inputs, bool training = false) => Kept;
        public override long[] ComputeOutputShape(long[] inputShape) => [2];
    }

    [Fact]
    public void Disposing_the_prediction_of_a_model_returning_its_input_keeps_the_input()
    {
        var model = new Sequential(new PassThrough());
        using var x = tensor(new[] { 1f, -2f, 3f }).reshape(1, 3);
        var y = model.Predict(x);
        Assert.NotSame(x, y);
        y.Dispose();
        Assert.False(x.IsInvalid);
        Assert.Equal(new[] { 1f, -2f, 3f }, x.data<float>().ToArray());
    }

    [Fact]
    public void Disposing_the_prediction_keeps_a_tensor_the_layer_returns_from_its_state()
    {
        var constant = new Constant();
        var model = new Sequential(constant);
        model.Predict(zeros(1, 3)).Dispose();
        Assert.False(constant.Kept.IsInvalid);
        using var again = model.Predict(zeros(1, 3));
        Assert.Equal(new[] { 1f, 2f }, again.data<float>().ToArray());
    }

    [Fact]
    public void The_prediction_a_call_creates_is_handed_to_the_callers_dispose_scope()
    {
        Backend.SetRandomSeed(3);
        var dense = new Dense(2, inputShape: [3]);
        var model = new Sequential(dense);
        using var x = rand(1, 3);
        using var expected = x.matmul(dense.Kernel.Value.detach()).add(dense.Bias!.Value.detach());
        Tensor y;
        using (var outer = NewDisposeScope())
        {
            y = model.Predict(x);
            Assert.True(outer.Contains(y), "the prediction belongs to the caller's scope");
            Assert.True(y.allclose(expected), "Predict is x · kernel + bias");
        }
        Assert.True(y.IsInvalid, "the caller's scope freed it");
    }
}
