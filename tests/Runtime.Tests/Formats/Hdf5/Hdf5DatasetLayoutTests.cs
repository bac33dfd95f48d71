using System.Buffers.Binary;
using System.Globalization;
using Layerwise.Formats;
using Layerwise.Models;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// Where a dataset's values are, as the metadata walk reads each dataset's data layout message (versions 1 to 4,
/// compact, contiguous, chunked) before PureHDF parses the file: weights rewritten by h5py in each layout load into
/// an existing model with the values the model saved, the contiguous ones read straight into the weights (no
/// staging copy), and a layout message that points past the file or disagrees with the dataset's extent is refused.
/// </summary>
public class Hdf5DatasetLayoutTests : IDisposable
{
    readonly TempDirectory dir = new();

    public Hdf5DatasetLayoutTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    /// <summary>
    /// Copies a weights file into argv[2] with libver argv[3] and a user block of argv[5] bytes; argv[4] 'mixed' stores
    /// the 784 x 64 kernel and the 10 biases contiguously, the 64 biases compact and the 64 x 10 kernel chunked with
    /// gzip (by shape: hidden = 64), 'contiguous' stores every dataset contiguously. argv[6] datasets named extra0, ...
    /// are added to every group (no model reads them). Prints each weight's path, layout as libhdf5 reports it, filter
    /// count, and the absolute offset and size of contiguous values.
    /// </summary>
    const string Rewrite = """
        import h5py, sys, numpy as np
        src = h5py.File(sys.argv[1], 'r')
        dst = h5py.File(sys.argv[2], 'w', libver=sys.argv[3], userblock_size=int(sys.argv[5]))
        def layout_for(shape):
            if sys.argv[4] == 'contiguous' or (len(shape) == 2 and shape[0] == 784) or shape == (10,): return 'contiguous'
            return 'chunked' if len(shape) == 2 else 'compact'
        def copy(s, d):
            for k, v in s.attrs.items(): d.attrs[k] = v
            for i in range(int(sys.argv[6])): d.create_dataset('extra%d' % i, data=np.zeros(3, 'f4'))
            for name, obj in s.items():
                if isinstance(obj, h5py.Group):
                    copy(obj, d.create_group(name))
                    continue
                data = obj[()]
                kind = layout_for(data.shape)
                if kind == 'chunked':
                    out = d.create_dataset(name, data=data, chunks=(16,) + data.shape[1:], compression='gzip')
                elif kind == 'compact':
                    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                    dcpl.set_layout(h5py.h5d.COMPACT)
                    out = d.create_dataset(name, data=data, dcpl=dcpl)
                else:
                    out = d.create_dataset(name, data=data)
                for k, v in obj.attrs.items(): out.attrs[k] = v
                plist = out.id.get_create_plist()
                layout = {0: 'compact', 1: 'contiguous', 2: 'chunked'}[plist.get_layout()]
                offset = out.id.get_offset() if layout == 'contiguous' else -1
                print(out.name, layout, plist.get_nfilters(), offset, data.nbytes)
        copy(src, dst)
        dst.close()
        """;

    sealed record Written(string Path, string Layout, int Filters, long Offset, long Bytes);

    /// <summary>Saves a 784-64-10 model's weights and has h5py rewrite them (<see cref="Rewrite"/>).</summary>
    List<Written> Rewritten(Sequential saved, string path, string libver, string layouts, int userBlock = 0, int extraLinks = 0)
    {
        var original = dir.Combine("saved.h5");
        saved.SaveWeights(original);
        var output = H5Py.Run(Rewrite, [original, path, libver, layouts, userBlock.ToString(CultureInfo.InvariantCulture), extraLinks.ToString(CultureInfo.InvariantCulture)]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Select(f =>
            new Written(f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Loads <paramref name="path"/> into a fresh 784-64-10 model; returns its weights and the bytes staged on the way.</summary>
    static (float[][] Values, long Staged) LoadWeights(string path)
    {
        var model = TutorialModel.Create(hidden: 64, compile: false);
        long before = StagedWeights.StagedBytesOnThisThread;
        model.LoadWeights(path);
        return (TutorialModel.WeightValues(model), StagedWeights.StagedBytesOnThisThread - before);
    }

    [H5PyTheory]
    [InlineData("earliest")]   // layout message version 3 in version 1 object headers
    [InlineData("latest")]     // layout message version 4 in version 2 (checksummed) object headers
    public void Contiguous_compact_and_chunked_datasets_load_and_only_the_contiguous_ones_in_place(string libver)
    {
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("mixed.h5");
        var written = Rewritten(saved, path, libver, "mixed");
        Assert.Equal(["chunked", "compact", "contiguous", "contiguous"], written.Select(w => w.Layout).Order());
        Assert.Equal(1, written.Single(w => w.Layout == "chunked").Filters);

        var (values, staged) = LoadWeights(path);

        Assert.Equal(TutorialModel.WeightValues(saved), values);
        // The compact 64 biases and the gzip-chunked 64 x 10 kernel go through PureHDF into staging copies; the
        // contiguous 784 x 64 kernel and 10 biases are read into the weights' own memory.
        Assert.Equal(written.Where(w => w.Layout != "contiguous").Sum(w => w.Bytes), staged);
    }

    [H5PyFact]
    public void Contiguous_values_after_a_user_block_are_read_in_place()
    {
        // A 512-byte user block before the superblock: file addresses count from the superblock's base address.
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("userblock.h5");
        var written = Rewritten(saved, path, "earliest", "contiguous", userBlock: 512);
        Assert.All(written, w => Assert.Equal("contiguous", w.Layout));

        var (values, staged) = LoadWeights(path);

        Assert.Equal(TutorialModel.WeightValues(saved), values);
        Assert.Equal(0L, staged);
    }

    [H5PyTheory]
    [InlineData(20)]    // each group's links in the fractal heap's root direct block, indexed by one B-tree leaf
    [InlineData(300)]   // the heap grows an indirect block, the B-tree an internal node over several leaves
    public void Datasets_of_groups_in_dense_storage_are_found_and_read_in_place(int extraLinks)
    {
        // With libver='latest', a group of more than 8 links keeps them in a fractal heap indexed by a version 2
        // B-tree: every group here has more datasets, so the weights are reached through dense groups only.
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("dense.h5");
        var written = Rewritten(saved, path, "latest", "contiguous", extraLinks: extraLinks);
        Assert.Equal(4, written.Count);
        var bytes = File.ReadAllBytes(path);
        Security.HostileHdf5Tests.IndexOf(bytes, "FRHP"u8.ToArray());   // a fractal heap header: dense storage is in use
        Security.HostileHdf5Tests.IndexOf(bytes, "BTHD"u8.ToArray());   // and its version 2 B-tree name index
        if (extraLinks > 100)
        {
            Security.HostileHdf5Tests.IndexOf(bytes, "FHIB"u8.ToArray());
            Security.HostileHdf5Tests.IndexOf(bytes, "BTIN"u8.ToArray());
        }

        var (values, staged) = LoadWeights(path);

        Assert.Equal(TutorialModel.WeightValues(saved), values);
        Assert.Equal(0L, staged);
    }

    /// <summary>
    /// Where the version 3 contiguous layout message of <paramref name="w"/> is in <paramref name="bytes"/>: its body
    /// (version 3, class 1, the address, the size) found by value, in a version 1 object header (no checksum).
    /// </summary>
    static int LayoutMessageBody(byte[] bytes, Written w)
    {
        var body = new byte[18];
        body[0] = 3;
        body[1] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(2), w.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(10), w.Bytes);
        int at = Security.HostileHdf5Tests.IndexOf(bytes, body);
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at - 8)));   // the message's type: data layout
        return at;
    }

    [H5PyTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Version_1_and_2_layout_messages_give_the_address_and_the_dataspace_the_size(int version)
    {
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("v12.h5");
        var written = Rewritten(saved, path, "earliest", "contiguous");
        var bytes = File.ReadAllBytes(path);
        // Each 1-D dataset's version 3 message (18 bytes, padded to 24 in a version 1 header) rewritten in the older form:
        // version, rank + 1, class 1, 5 reserved bytes, the address, then the dimensions (elements, element size) and no size.
        var biases = written.Where(w => w.Bytes is 64 * 4 or 10 * 4).ToList();
        Assert.Equal(2, biases.Count);
        foreach (var bias in biases)
        {
            int at = LayoutMessageBody(bytes, bias);
            Assert.Equal(24, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at - 6)));
            var old = new byte[24];
            old[0] = (byte)version;
            old[1] = 2;
            old[2] = 1;
            BinaryPrimitives.WriteInt64LittleEndian(old.AsSpan(8), bias.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(16), (int)(bias.Bytes / 4));
            BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(20), 4);
            old.CopyTo(bytes, at);
        }
        var patched = dir.Combine($"v{version}.h5");
        File.WriteAllBytes(patched, bytes);
        // libhdf5 reads the rewritten messages as the same values: the older form is written right.
        H5Py.Run("import h5py, sys, numpy as np\na = h5py.File(sys.argv[1], 'r')\nb = h5py.File(sys.argv[2], 'r')\n" +
                 "a.visititems(lambda n, o: None if isinstance(o, h5py.Group) else np.testing.assert_array_equal(o[()], b[n][()]))", [path, patched]);

        var (values, staged) = LoadWeights(patched);

        Assert.Equal(TutorialModel.WeightValues(saved), values);
        Assert.Equal(0L, staged);
    }

    [H5PyTheory]
    [InlineData("address", "past the end of the file")]
    [InlineData("size+4", "storage holds 2564 bytes but its shape and type need 2560")]
    [InlineData("size-4", "storage holds 2556 bytes but its shape and type need 2560")]
    public void A_contiguous_layout_outside_the_file_or_unlike_its_extent_is_refused_before_any_weight_changes(string change, string expected)
    {
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("hostile.h5");
        var written = Rewritten(saved, path, "earliest", "contiguous");
        var bytes = File.ReadAllBytes(path);
        // The 64 x 10 kernel (2,560 bytes): its address moved past the end of the file, or its stored size changed.
        var kernel = written.Single(w => w.Bytes == 64 * 10 * 4);
        int at = LayoutMessageBody(bytes, kernel);
        if (change == "address") BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 2), bytes.Length - 1000);
        else BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 10), kernel.Bytes + (change == "size+4" ? 4 : -4));
        File.WriteAllBytes(path, bytes);

        var model = TutorialModel.Create(hidden: 64, compile: false);
        var before = TutorialModel.WeightValues(model);
        var error = Assert.Throws<ModelFileException>(() => model.LoadWeights(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(kernel.Path, error.ObjectPath);
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(model));
    }

    [H5PyTheory]
    [InlineData("external", "external files")]   // an external file list: the values are in another file
    [InlineData("virtual", "virtual")]           // a virtual dataset: the values are mapped from other datasets
    public void Values_kept_outside_the_dataset_are_refused_before_any_weight_changes(string kind, string expected)
    {
        var saved = TutorialModel.Create(hidden: 64, compile: false);
        var path = dir.Combine("outside.h5");
        Rewritten(saved, path, "latest", "contiguous");
        // The 64 x 10 kernel replaced by one whose values are in argv[2] (external) or in the dataset /source (virtual).
        var name = H5Py.Run("""
            import h5py, sys, numpy as np
            with h5py.File(sys.argv[1], 'r+') as f:
                name = f.visititems(lambda n, o: n if isinstance(o, h5py.Dataset) and o.shape == (64, 10) else None)
                data, attrs = f[name][()], dict(f[name].attrs)
                del f[name]
                if sys.argv[3] == 'external':
                    out = f.create_dataset(name, shape=data.shape, dtype='<f4', external=[(sys.argv[2], 0, data.nbytes)])
                    out[...] = data
                else:
                    layout = h5py.VirtualLayout(shape=data.shape, dtype='<f4')
                    layout[...] = h5py.VirtualSource(f.create_dataset('source', data=data))
                    out = f.create_virtual_dataset(name, layout)
                for k, v in attrs.items(): out.attrs[k] = v
                print(name)
            """, [path, dir.Combine("values.bin"), kind]).Trim();

        var model = TutorialModel.Create(hidden: 64, compile: false);
        var before = TutorialModel.WeightValues(model);
        var error = Assert.Throws<ModelFileException>(() => model.LoadWeights(path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal("/" + name, error.ObjectPath);
        Assert.Contains(expected, error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(model));
    }
}
