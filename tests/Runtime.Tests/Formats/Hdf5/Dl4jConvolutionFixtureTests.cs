using TorchSharp;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// Deeplearning4j's Keras end-to-end cases (files and outputs from real Keras 2.3.1; see
/// shared/fixtures/dl4j/README.md) for the ELU and LeakyReLU layers and every Conv1D case: the
/// folders <c>conv1d__*</c> (kernel 2-3, strides 1-3, dilation 1-2, valid/same, channels_last and
/// channels_first) and <c>causal_conv1d__*</c> (causal padding). Each is loaded both as a whole-model
/// .h5 and as the config.json + weights.h5 pair, and must give Keras' predictions.
/// </summary>
public class Dl4jConvolutionFixtureTests
{
    public Dl4jConvolutionFixtureTests() => torch.set_num_threads(1);

    /// <summary>The folder families enumerated from the fixtures, with the number of cases each has; none is left out.</summary>
    static readonly (string Prefix, int Count)[] Families = [("conv1d__", 32), ("causal_conv1d__", 8)];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>
        {
            { "activations__ELU_0", "ELU_0" },
            { "activations__LeakyReLU_0", "LeakyReLU_0" },
        };
        foreach (var (folder, stem) in Families.SelectMany(f => FamilyFolders(f.Prefix)))
            cases.Add(folder, stem);
        return cases;
    }

    /// <summary>(folder, file stem) of every case whose folder starts with <paramref name="prefix"/>; the stem is the name after "__".</summary>
    static IEnumerable<(string Folder, string Stem)> FamilyFolders(string prefix)
    {
        if (Fixtures.Find("dl4j") is not { } root) return [];
        return Directory.GetDirectories(root, prefix + "*")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(folder => (folder!, folder![prefix.Length..]));
    }

    [FixtureFact("dl4j")]
    public void Every_Conv1D_case_of_the_suite_is_enumerated()
    {
        foreach (var (prefix, count) in Families)
            Assert.True(FamilyFolders(prefix).Count() == count, $"expected {count} folders {prefix}*, found {FamilyFolders(prefix).Count()}");
    }

    [FixtureTheory("dl4j")]
    [MemberData(nameof(Cases))]
    public void Whole_model_h5_gives_Keras_predictions(string folder, string stem)
    {
        Dl4jCase.AssertPredictions(Dl4jCase.LoadWholeModel(folder, stem), folder, stem);
    }

    [FixtureTheory("dl4j")]
    [MemberData(nameof(Cases))]
    public void Config_json_and_weights_h5_give_Keras_predictions(string folder, string stem)
    {
        Dl4jCase.AssertPredictions(Dl4jCase.LoadConfigAndWeights(folder, stem), folder, stem);
    }
}
