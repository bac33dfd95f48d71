using System.Buffers.Binary;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Models;
using Layerwise.Tests.Security;

namespace Layerwise.Tests.Formats;

/// <summary>
/// LoadWeights into an existing model: every name, shape, type and extent is checked first (a mismatch leaves
/// the model as it was), then the values are read straight into the weights' memory, without staging copies;
/// damaged values found during that read throw <see cref="WeightsPartlyLoadedException"/>, and
/// <c>verifyFirst: true</c> refuses them before any weight changes.
/// </summary>
public class InPlaceWeightLoadingTests : IDisposable
{
    readonly TempDirectory dir = new();

    public InPlaceWeightLoadingTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("w.h5")]
    [InlineData("w.weights.h5")]
    [InlineData("model.h5")]
    public void Hdf5_weights_load_bit_identical_without_staging_copies(string name)
    {
        var saved = TutorialModel.Create(hidden: 256);
        var path = dir.Combine(name);
        if (name == "model.h5") saved.Save(path);
        else saved.SaveWeights(path);
        var expected = TutorialModel.WeightValues(saved);
        long weightBytes = expected.Sum(w => 4L * w.Length);

        foreach (bool verifyFirst in new[] { false, true })
        {
            var model = TutorialModel.Create(hidden: 256);
            Assert.NotEqual(expected, TutorialModel.WeightValues(model));
            long before = StagedWeights.StagedBytesOnThisThread;
            model.LoadWeights(path, verifyFirst);
            long staged = StagedWeights.StagedBytesOnThisThread - before;

            Assert.Equal(expected, TutorialModel.WeightValues(model));
            // The 784 x 256 kernel (800 KB, and its optimizer slots in a .weights.h5) is read in place; only the
            // small datasets PureHDF keeps compact in their object header (under 64 KB each: here 11 KB per copy of
            // the weights) go through a staging copy.
            Assert.True(staged < weightBytes / 20, $"{staged} of {weightBytes} bytes were staged (verifyFirst: {verifyFirst})");
        }
    }

    [Fact]
    public void A_dataset_whose_values_run_past_the_end_of_the_file_is_refused_before_any_weight_changes()
    {
        var path = dir.Combine("w.weights.h5");
        TutorialModel.Create(hidden: 64).SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        // The values of the last layer's kernel (64 x 10 float32, 2,560 bytes) are the file's last bytes when
        // PureHDF writes it; cut part of them: the metadata stays intact, only the extent check can see it.
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var model = TutorialModel.Create(hidden: 64);
        var before = TutorialModel.WeightValues(model);
        var error = Assert.Throws<ModelFileException>(() => model.LoadWeights(path));
        Assert.Contains("past the end of the file", error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(model));
    }

    /// <summary>Saves weights and flips one bit inside the values of the first kernel (which HDF5 does not checksum).</summary>
    string SavedWithFlippedBit(string name, out Sequential saved)
    {
        saved = TutorialModel.Create(hidden: 64);
        var path = dir.Combine(name);
        saved.SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        var kernel = saved.Weights[0].ToCpu().data<float>().ToArray()[..4];
        var pattern = new byte[16];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(pattern.AsSpan(4 * i), kernel[i]);
        int at = HostileHdf5Tests.IndexOf(bytes, pattern);
        bytes[at + 1] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("w.h5")]
    [InlineData("w.weights.h5")]
    public void Damaged_values_are_declared_as_a_partial_load_by_default(string name)
    {
        var path = SavedWithFlippedBit(name, out _);
        var model = TutorialModel.Create(hidden: 64);
        var error = Assert.Throws<WeightsPartlyLoadedException>(() => model.LoadWeights(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("XXH128", error.Message);
        Assert.Contains("partly", error.Message);
        Assert.Contains(model.Weights[0].Path, error.Weight);
        Assert.IsType<ModelFileException>(error.InnerException);
    }

    [Theory]
    [InlineData("w.h5")]
    [InlineData("w.weights.h5")]
    public void Damaged_values_leave_the_model_untouched_with_verifyFirst(string name)
    {
        var path = SavedWithFlippedBit(name, out _);
        var model = TutorialModel.Create(hidden: 64);
        var before = TutorialModel.WeightValues(model);
        var error = Assert.Throws<ModelFileException>(() => model.LoadWeights(path, verifyFirst: true));
        Assert.Contains("XXH128", error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(model));
    }

    [H5PyFact]
    public void Files_with_the_former_SHA256_content_hash_still_verify()
    {
        var saved = TutorialModel.Create(hidden: 64);
        var path = dir.Combine("w.h5");
        saved.SaveWeights(path);
        // What earlier versions wrote: the SHA-256 of each dataset's float32 little-endian bytes, computed by Python here.
        H5Py.Run("import h5py, sys, hashlib, numpy as np\nwith h5py.File(sys.argv[1], 'r+') as f:\n" +
                 "    def fix(name, obj):\n" +
                 "        if isinstance(obj, h5py.Dataset) and 'layerwise_xxh128' in obj.attrs:\n" +
                 "            del obj.attrs['layerwise_xxh128']\n" +
                 "            obj.attrs['layerwise_sha256'] = hashlib.sha256(np.asarray(obj[()], dtype='<f4').tobytes()).hexdigest()\n" +
                 "    f.visititems(fix)", [path]);
        var model = TutorialModel.Create(hidden: 64);
        model.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(saved), TutorialModel.WeightValues(model));

        // A wrong SHA-256 is still found.
        H5Py.Run("import h5py, sys\nwith h5py.File(sys.argv[1], 'r+') as f:\n" +
                 "    def first(name, obj):\n" +
                 "        if isinstance(obj, h5py.Dataset) and obj.ndim == 2:\n" +
                 "            obj.attrs['layerwise_sha256'] = '0' * 64\n            return True\n" +
                 "    f.visititems(first)", [path]);
        var other = TutorialModel.Create(hidden: 64);
        var before = TutorialModel.WeightValues(other);
        var error = Assert.Throws<ModelFileException>(() => other.LoadWeights(path, verifyFirst: true));
        Assert.Contains("SHA-256", error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(other));
    }

    [Fact]
    public void A_flipped_checkpoint_byte_is_a_partial_load_by_default_and_refused_with_verifyFirst()
    {
        var prefix = dir.Combine("cp");
        TutorialModel.Create(hidden: 16).SaveWeights(prefix);
        const string kernel = "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE";
        long offset;
        using (var reader = BundleReader.Open(prefix)) offset = reader.Entry(kernel).Offset + 100;
        var dataPath = prefix + ".data-00000-of-00001";
        using (var stream = File.Open(dataPath, FileMode.Open))
        {
            stream.Position = offset;
            int b = stream.ReadByte();
            stream.Position = offset;
            stream.WriteByte((byte)(b ^ 1));
        }

        var model = TutorialModel.Create(hidden: 16);
        var partial = Assert.Throws<WeightsPartlyLoadedException>(() => model.LoadWeights(prefix));
        Assert.Equal(dataPath, partial.FilePath);
        Assert.Equal(kernel, partial.ObjectPath);
        Assert.Contains(model.Weights[0].Path, partial.Weight);
        Assert.IsType<CheckpointChecksumException>(partial.InnerException);

        var other = TutorialModel.Create(hidden: 16);
        var before = TutorialModel.WeightValues(other);
        var refused = Assert.Throws<CheckpointChecksumException>(() => other.LoadWeights(prefix, verifyFirst: true));
        Assert.Equal(kernel, refused.Key);
        Assert.Equal(before, TutorialModel.WeightValues(other));
    }
}
