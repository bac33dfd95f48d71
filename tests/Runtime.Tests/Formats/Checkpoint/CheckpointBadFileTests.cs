using Layerwise.Formats.Checkpoint;
using Layerwise.Models;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>Damaged or mismatched checkpoints: each a typed exception saying what and where, the model unchanged.</summary>
public class CheckpointBadFileTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly string prefix;
    readonly string indexPath, dataPath;

    public CheckpointBadFileTests()
    {
        prefix = dir.Combine("cp");
        TutorialModel.Create(hidden: 16).SaveWeights(prefix);
        indexPath = prefix + ".index";
        dataPath = prefix + ".data-00000-of-00001";
    }

    public void Dispose() => dir.Dispose();

    const string Kernel0 = "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE";

    /// <summary>
    /// Loads into a new model and expects <typeparamref name="T"/>, the model unchanged. Damaged values are found
    /// before any weight changes only with <paramref name="verifyFirst"/> (else while reading in place, which
    /// InPlaceWeightLoadingTests covers); structural damage is found before either way.
    /// </summary>
    T LoadFails<T>(bool verifyFirst = false) where T : CheckpointException
    {
        var model = TutorialModel.Create(hidden: 16);
        var before = TutorialModel.WeightValues(model);
        var e = Assert.Throws<T>(() => model.LoadWeights(prefix, verifyFirst));
        Assert.Equal(before, TutorialModel.WeightValues(model));
        return e;
    }

    [Fact]
    public void Truncated_index_is_corrupt_and_names_the_index()
    {
        var bytes = File.ReadAllBytes(indexPath);
        File.WriteAllBytes(indexPath, bytes[..(bytes.Length - 7)]);
        var e = LoadFails<CorruptCheckpointException>();
        Assert.Equal(indexPath, e.FilePath);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_flipped_byte_in_the_index_fails_the_block_checksum()
    {
        var bytes = File.ReadAllBytes(indexPath);
        bytes[20] ^= 0x40;
        File.WriteAllBytes(indexPath, bytes);
        var e = LoadFails<CheckpointChecksumException>();
        Assert.Equal(indexPath, e.FilePath);
        Assert.Contains("CRC-32C", e.Message);
    }

    [Fact]
    public void A_flipped_byte_in_the_data_names_the_data_file_and_the_tensor()
    {
        long offset;
        using (var reader = BundleReader.Open(prefix)) offset = reader.Entry(Kernel0).Offset + 100;
        using (var stream = File.Open(dataPath, FileMode.Open))
        {
            stream.Position = offset;
            int b = stream.ReadByte();
            stream.Position = offset;
            stream.WriteByte((byte)(b ^ 1));
        }
        var e = LoadFails<CheckpointChecksumException>(verifyFirst: true);
        Assert.Equal(dataPath, e.FilePath);
        Assert.Equal(Kernel0, e.Key);
        Assert.Contains(Kernel0, e.Message);
    }

    [Fact]
    public void Truncated_data_file_is_found_before_anything_is_read()
    {
        var bytes = File.ReadAllBytes(dataPath);
        File.WriteAllBytes(dataPath, bytes[..(bytes.Length / 2)]);
        var e = LoadFails<CorruptCheckpointException>();
        Assert.Equal(dataPath, e.FilePath);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_wrong_crc_recorded_in_the_index_is_a_checksum_error()
    {
        // Rewrite the index with one entry's recorded CRC changed (the table itself stays valid).
        List<KeyValuePair<string, byte[]>> table = SortedTableReader.ReadAll(File.ReadAllBytes(indexPath), indexPath);
        using (var stream = File.Create(indexPath))
        {
            var writer = new SortedTableWriter(stream);
            foreach (var (key, value) in table)
            {
                var bytes = value;
                if (key == Kernel0)
                {
                    var entry = BundleEntry.Parse(value, out _);
                    bytes = (entry with { MaskedCrc32C = entry.MaskedCrc32C + 1 }).ToBytes();
                }
                writer.Add(System.Text.Encoding.UTF8.GetBytes(key), bytes);
            }
            writer.Finish();
        }
        var e = LoadFails<CheckpointChecksumException>(verifyFirst: true);
        Assert.Equal(Kernel0, e.Key);
    }

    [Fact]
    public void Shape_mismatch_names_layer_variable_and_both_shapes_and_changes_nothing()
    {
        var model = TutorialModel.Create(hidden: 32);
        var before = TutorialModel.WeightValues(model);
        var e = Assert.Throws<CheckpointMismatchException>(() => model.LoadWeights(prefix));
        Assert.Equal(before, TutorialModel.WeightValues(model));
        Assert.Equal(model.Layers[0].Name, e.LayerName);
        Assert.Equal("kernel", e.VariableName);
        Assert.Contains("(784, 32)", e.Message);
        Assert.Contains("(784, 16)", e.Message);
    }

    [Fact]
    public void A_model_with_fewer_layers_than_the_checkpoint_is_told_which_weights_are_extra()
    {
        var model = new Sequential(new Layerwise.Layers.Dense(16, inputShape: [784]));
        var e = Assert.Throws<CheckpointMismatchException>(() => model.LoadWeights(prefix));
        Assert.Contains("layer_with_weights-1", e.Message);
    }

    [Fact]
    public void A_missing_checkpoint_says_which_file_it_looked_for()
    {
        var model = TutorialModel.Create(hidden: 16);
        var e = Assert.Throws<CheckpointNotFoundException>(() => model.LoadWeights(dir.Combine("nothing-here")));
        Assert.EndsWith("nothing-here.index", e.FilePath);
        File.Delete(dataPath);
        var missingData = Assert.Throws<CheckpointNotFoundException>(() => model.LoadWeights(prefix));
        Assert.Equal(dataPath, missingData.FilePath);
    }

    [Fact]
    public void Garbage_in_place_of_an_index_is_corrupt()
    {
        var random = new Random(5);
        foreach (int length in new[] { 0, 10, 48, 100, 4000 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            File.WriteAllBytes(indexPath, bytes);
            LoadFails<CorruptCheckpointException>();
        }
    }

    [Fact]
    public void Every_single_byte_change_of_the_index_is_caught_or_harmless()
    {
        var original = File.ReadAllBytes(indexPath);
        var model = TutorialModel.Create(hidden: 16);
        var before = TutorialModel.WeightValues(model);
        int caught = 0;
        for (int i = 0; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0xA5;
            File.WriteAllBytes(indexPath, bytes);
            try
            {
                model.LoadWeights(prefix);
                // Only bytes nobody reads (footer padding) may change without an error; then the weights are the saved ones.
                before = TutorialModel.WeightValues(model);
            }
            catch (CheckpointException)
            {
                caught++;
                Assert.Equal(before, TutorialModel.WeightValues(model));
            }
        }
        Assert.True(caught > original.Length - 40, $"only {caught} of {original.Length} changes were caught");
    }
}
