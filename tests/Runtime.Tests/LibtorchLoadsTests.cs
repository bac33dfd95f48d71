using TorchSharp;

namespace Layerwise.Tests;

public class LibtorchLoadsTests
{
    [Fact]
    public void Libtorch_loads_and_computes_on_cpu()
    {
        Backend.SetRandomSeed(1);
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }
}
