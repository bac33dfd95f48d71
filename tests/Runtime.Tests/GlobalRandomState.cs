namespace Layerwise.Tests;

/// <summary>
/// Tests that seed torch's global generator and compare runs bit for bit: they run alone, after the
/// parallel ones, because any test creating a model meanwhile would draw from the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomState
{
    public const string Name = "Global random state (runs alone)";
}
