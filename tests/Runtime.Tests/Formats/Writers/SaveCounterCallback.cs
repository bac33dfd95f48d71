using Layerwise.Callbacks;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>
/// For the kill harness' training children: at each epoch end either fills every weight with the next
/// value of a counter (placed before the saving callback, so that a file mixing two saves shows two
/// values) or prints <c>saved N</c> (placed after it: that save is complete).
/// </summary>
public sealed class SaveCounterCallback(SaveCounterCallback.Role role, long[] counter) : Callback
{
    public enum Role { Fill, Report }

    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (role == Role.Fill)
        {
            counter[0]++;
            using (no_grad())
                foreach (var w in Model!.Weights) w.Value.fill_((float)counter[0]);
            return;
        }
        Console.Out.WriteLine($"saved {counter[0]}");
        Console.Out.Flush();
    }
}
