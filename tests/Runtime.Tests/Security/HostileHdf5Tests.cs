using System.Buffers.Binary;
using Layerwise.Formats;
using Layerwise.Models;
using Layerwise.Tests.Formats;

namespace Layerwise.Tests.Security;

/// <summary>
/// Hand-made hostile HDF5 files (built with h5py, or by patching bytes of a file Layerwise wrote) for each
/// defect the fuzzing of issue 15 found: link cycles that overflowed PureHDF's stack, damage that HDF5's own
/// checksums or Layerwise's content hash reveal, impossible lengths, and models larger than the file.
/// </summary>
public class HostileHdf5Tests : IDisposable
{
    readonly TempDirectory dir = new();

    public HostileHdf5Tests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    static void Refused(string path, Action load, string expected)
    {
        var error = Assert.Throws<ModelFileException>(load);
        Assert.Equal(path, error.FilePath);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"expected \"{expected}\" in: {error.Message}");
    }

    [H5PyTheory]
    [InlineData("earliest", "'/model_weights'")]   // a symbol-table group (what h5py writes by default)
    [InlineData("latest", "'model_weights'")]      // a compact group, relative target: PureHDF recursed without reading
    public void A_soft_link_to_itself_is_refused_not_a_stack_overflow(string libver, string target)
    {
        var path = dir.Combine("loop.h5");
        H5Py.Run($"import h5py, sys\nwith h5py.File(sys.argv[1], 'w', libver='{libver}') as f:\n    f['model_weights'] = h5py.SoftLink({target})", [path]);
        var model = TutorialModel.Create(hidden: 4);
        Refused(path, () => model.LoadWeights(path), "soft link");
    }

    [H5PyFact]
    public void A_soft_link_in_a_dense_group_is_refused()
    {
        // More than 8 links with libver='latest': the root keeps its links in a fractal heap, which the metadata
        // walk reads too (PureHDF's own resolution re-reads the file at every step, bounded by the stack guard).
        var path = dir.Combine("dense-loop.h5");
        H5Py.Run("import h5py, sys\nwith h5py.File(sys.argv[1], 'w', libver='latest') as f:\n" +
                 "    for i in range(20): f.create_group('g%d' % i)\n" +
                 "    f['model_weights'] = h5py.SoftLink('/model_weights')", [path]);
        var model = TutorialModel.Create(hidden: 4);
        Refused(path, () => model.LoadWeights(path), "soft link");
    }

    [H5PyFact]
    public void An_external_link_is_refused()
    {
        var path = dir.Combine("external.h5");
        H5Py.Run("import h5py, sys\nwith h5py.File(sys.argv[1], 'w') as f:\n    f['model_weights'] = h5py.ExternalLink('/etc/passwd', '/x')", [path]);
        Refused(path, () => TutorialModel.Create(hidden: 4).LoadWeights(path), "external link");
    }

    [H5PyFact]
    public void Checksums_written_by_the_hdf5_library_verify()
    {
        // The same weights rewritten by libhdf5 with libver='latest' (superblock 3, object header 2, every
        // one checksummed by the C library): they load, so the lookup3 here agrees with HDF5's.
        var model = TutorialModel.Create(hidden: 6);
        var original = dir.Combine("w.h5");
        model.SaveWeights(original);
        var copy = dir.Combine("copy.h5");
        H5Py.Run("import h5py, sys\nsrc = h5py.File(sys.argv[1], 'r')\ndst = h5py.File(sys.argv[2], 'w', libver='latest')\n" +
                 "for k, v in src.attrs.items(): dst.attrs[k] = v\nfor k in src: src.copy(src[k], dst, name=k)\ndst.close()\n" +
                 "assert open(sys.argv[2], 'rb').read(9)[8] >= 2", [original, copy]);
        var restored = TutorialModel.Create(hidden: 6);
        restored.LoadWeights(copy);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_damaged_object_header_fails_its_checksum()
    {
        var path = dir.Combine("model.h5");
        TutorialModel.Create(hidden: 4).Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes[8] >= 2, "Layerwise writes superblock version 2 or 3 (checksummed)");
        // The name of the root's "backend" attribute lives in the root object header; an optional
        // attribute, so the damaged file loaded silently before.
        int at = IndexOf(bytes, "backend\0"u8.ToArray());
        bytes[at + 6] = (byte)'e';
        File.WriteAllBytes(path, bytes);
        Refused(path, () => Model.Load(path), "checksum");
    }

    [H5PyFact]
    public void A_config_changed_after_writing_fails_the_config_hash()
    {
        var path = dir.Combine("model.h5");
        TutorialModel.Create(hidden: 4).Save(path);
        // The config texts live in HDF5's global heap, which has no checksum: a changed activation loaded silently.
        H5Py.Run("import h5py, sys\nwith h5py.File(sys.argv[1], 'r+') as f:\n" +
                 "    c = f.attrs['model_config']\n    c = c.decode() if isinstance(c, bytes) else c\n" +
                 "    d = c.replace('relu', 'tanh', 1)\n    assert d != c\n    f.attrs['model_config'] = d", [path]);
        Refused(path, () => Model.Load(path), "SHA-256");
    }

    [Fact]
    public void A_flipped_bit_inside_a_weight_fails_the_content_hash()
    {
        // 784 x 64 float32 = 200 KB: stored contiguously (small datasets go into the checksummed object header).
        var model = TutorialModel.Create(hidden: 64);
        var path = dir.Combine("w.h5");
        model.SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        // The first four kernel values, as float32 little-endian: HDF5 keeps no checksum of dataset values.
        var kernel = model.Weights[0].ToCpu().data<float>().ToArray()[..4];
        var pattern = new byte[16];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(pattern.AsSpan(4 * i), kernel[i]);
        int at = IndexOf(bytes, pattern);
        bytes[at + 1] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Refused(path, () => TutorialModel.Create(hidden: 64).LoadWeights(path, verifyFirst: true), "XXH128");
        // Without verifyFirst, the values are found damaged while they are read into the model: declared as a partial load.
        var partial = Assert.Throws<WeightsPartlyLoadedException>(() => TutorialModel.Create(hidden: 64).LoadWeights(path));
        Assert.Contains("XXH128", partial.Message);
    }

    [Fact]
    public void An_impossible_heap_length_is_a_typed_error_not_an_OutOfMemoryException()
    {
        var path = dir.Combine("model.h5");
        TutorialModel.Create(hidden: 4).Save(path);
        var bytes = File.ReadAllBytes(path);
        // The global heap holding the variable-length strings (model_config among them): the size of its first
        // object (GCOL, version, 3 reserved, collection size; then index, reference count, 4 reserved, size) set to
        // 2^40. The global heap has no checksum in any HDF5 version; PureHDF allocated the array and threw
        // OutOfMemoryException ("Array dimensions exceeded supported range").
        int at = IndexOf(bytes, "GCOL"u8.ToArray());
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 24), 1L << 40);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ModelFileException>(() => Model.Load(path));
        Assert.Equal(path, error.FilePath);
    }

    [FixtureFact("keras-h5/4bumuhammad_python-keras-mnist-classifier__mnist_model.h5")]
    public void A_global_heap_object_larger_than_its_collection_is_refused_before_PureHDF_allocates_it()
    {
        // The fuzz run's finding (load-h5 mutant 557, seed 1): in h5py's 4 KB global heap collection that holds
        // the config strings, the size of object 1 (5 bytes, "3.3.3") became 20,229 (second size byte 0x4F).
        // PureHDF decodes a collection object by object without stopping at its end, so it went on reading
        // weights as object headers and allocated ~1 GB before it reached the end of the file.
        var path = dir.Combine("model.h5");
        var bytes = File.ReadAllBytes(Fixtures.Get("keras-h5/4bumuhammad_python-keras-mnist-classifier__mnist_model.h5"));
        int collection = IndexOf(bytes, "GCOL"u8.ToArray());
        Assert.Equal(4096, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(collection + 8)));
        int firstObject = collection + 16;   // GCOL, version, 3 reserved, the collection's size
        Assert.Equal(5, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(firstObject + 8)));
        bytes[firstObject + 9] = 0x4F;
        File.WriteAllBytes(path, bytes);
        for (int attempt = 0; attempt < 2; attempt++)   // the second attempt in one process was the one that took 1 GB
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Refused(path, () => Model.Load(path), "object 1 of the global heap collection at 2048 declares 20229 bytes");
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 16 << 20, $"allocated {allocated >> 20} MB to refuse a {bytes.Length >> 10} KB file");
        }
    }

    [H5PyFact]
    public void A_model_larger_than_the_file_can_hold_is_refused_before_its_weights_are_allocated()
    {
        var path = dir.Combine("model.h5");
        TutorialModel.Create(hidden: 4).Save(path);
        // The config now asks for 784 x 100,000 kernel values (313 MB) in a file of a few KB.
        H5Py.Run("import h5py, sys, re\nwith h5py.File(sys.argv[1], 'r+') as f:\n" +
                 "    c = f.attrs['model_config']\n    c = c.decode() if isinstance(c, bytes) else c\n" +
                 "    d = re.sub(r'\"units\":\\s*4\\b', '\"units\": 100000', c, count=1)\n    assert d != c\n" +
                 "    f.attrs['model_config'] = d\n    del f.attrs['layerwise_config_sha256']", [path]);
        Refused(path, () => Model.Load(path), "too large");
    }

    [H5PyFact]
    public void A_layer_listed_twice_is_refused_at_once()
    {
        var model = TutorialModel.Create(hidden: 4);
        var path = dir.Combine("w.h5");
        model.SaveWeights(path);
        // Keras lists each layer once; a list repeating one layer 200,000 times took 49 s to refuse.
        H5Py.Run("import h5py, sys, numpy as np\nwith h5py.File(sys.argv[1], 'r+') as f:\n" +
                 "    names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs['layer_names']]\n" +
                 "    del f.attrs['layer_names']\n    f.attrs['layer_names'] = np.array([names[0].encode()] * 3000)", [path]);
        Refused(path, () => TutorialModel.Create(hidden: 4).LoadWeights(path), "listed twice");
    }

    [Fact]
    public async Task A_fifo_is_refused_without_being_opened()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var path = dir.Combine("model.h5");
        var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        var load = Task.Run(() => Model.Load(path));
        Assert.True(await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(30))) == load, "loading a FIFO blocked");
        var error = Assert.IsType<ModelFileException>(load.Exception!.InnerException);
        Assert.Contains("not a regular file", error.Message);
    }

    internal static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found in the file");
    }
}
