using Layerwise.Layers;
using static TorchSharp.torch;

namespace Consumer;

// Left without [Layer] on purpose: the package's analyzers report LW0001 on it in this build, and
// .ci/run checks the build log for that warning (diagnostics reach users through the package).
public class Unregistered : Layer
{
    public override Tensor Call(Tensor inputs, bool training = false) => inputs;
}
