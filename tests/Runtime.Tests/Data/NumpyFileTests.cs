using System.Globalization;
using System.Text;
using Layerwise.Data;
using static TorchSharp.torch;

namespace Layerwise.Tests.Data;

/// <summary>
/// .npy/.npz exchange with NumPy itself: files numpy writes load with numpy's values, files written
/// here load in numpy with ours, and malformed headers give a <see cref="NumpyFormatException"/>.
/// </summary>
public class NumpyFileTests
{
    // Values both sides compute from the same formula: element i of a 2x3 array is i * 1.5 - 2.
    static readonly double[] Expected = [.. Enumerable.Range(0, 6).Select(i => i * 1.5 - 2)];

    [NumpyFact]
    public void Files_numpy_writes_load_with_their_dtype_shape_and_values()
    {
        using var dir = new TempDirectory();
        NumpyPython.Run("""
            d = sys.argv[1]
            a = np.arange(6).reshape(2, 3) * 1.5 - 2
            np.save(d + '/f4.npy', a.astype('<f4'))
            np.save(d + '/f8.npy', a.astype('<f8'))
            np.save(d + '/i4.npy', np.arange(6, dtype='<i4').reshape(2, 3) - 2)
            np.save(d + '/i8.npy', np.arange(6, dtype='<i8').reshape(2, 3) * 1000000000000)
            np.save(d + '/scalar.npy', np.float32(3.25))
            with open(d + '/v2.npy', 'wb') as f:
                np.lib.format.write_array(f, a.astype('<f4'), version=(2, 0))
            np.savez(d + '/plain.npz', x=a.astype('<f4'), y=np.array([7, 8], dtype='<i8'))
            np.savez_compressed(d + '/packed.npz', x=a.astype('<f8'))
            """, dir.Path);

        using (var f4 = NumpyFile.Read(dir.Combine("f4.npy")))
        {
            Assert.Equal(ScalarType.Float32, f4.dtype);
            Assert.Equal([2L, 3], f4.shape);
            Assert.Equal(Expected.Select(v => (float)v), f4.data<float>().ToArray());
        }
        using (var f8 = NumpyFile.Read(dir.Combine("f8.npy")))
        {
            Assert.Equal(ScalarType.Float64, f8.dtype);
            Assert.Equal(Expected, f8.data<double>().ToArray());
        }
        using (var i4 = NumpyFile.Read(dir.Combine("i4.npy")))
        {
            Assert.Equal(ScalarType.Int32, i4.dtype);
            Assert.Equal([-2, -1, 0, 1, 2, 3], i4.data<int>().ToArray());
        }
        using (var i8 = NumpyFile.Read(dir.Combine("i8.npy")))
        {
            Assert.Equal(ScalarType.Int64, i8.dtype);
            Assert.Equal(Enumerable.Range(0, 6).Select(i => i * 1_000_000_000_000L), i8.data<long>().ToArray());
        }
        using (var scalar = NumpyFile.Read(dir.Combine("scalar.npy")))
        {
            Assert.Empty(scalar.shape);
            Assert.Equal(3.25f, scalar.item<float>());
        }
        using (var v2 = NumpyFile.Read(dir.Combine("v2.npy")))
            Assert.Equal(Expected.Select(v => (float)v), v2.data<float>().ToArray());

        var plain = NpzArchive.Read(dir.Combine("plain.npz"));
        Assert.Equal(["x", "y"], plain.Keys.Order());
        Assert.Equal(Expected.Select(v => (float)v), plain["x"].data<float>().ToArray());
        Assert.Equal([7L, 8], plain["y"].data<long>().ToArray());
        var packed = NpzArchive.Read(dir.Combine("packed.npz"));
        Assert.Equal(Expected, packed["x"].data<double>().ToArray());
    }

    [NumpyFact]
    public void Files_written_here_load_in_numpy_with_our_values()
    {
        using var dir = new TempDirectory();
        using var f4 = tensor(Expected.Select(v => (float)v).ToArray(), [2, 3]);
        using var f8 = tensor(Expected, [3, 2]);
        using var i4 = tensor(new[] { -2, -1, 0, 1, 2, 3 }, [6]);
        using var i8 = tensor(new[] { long.MaxValue, long.MinValue }, [2, 1]);
        using var scalar = tensor(3.25f);
        using var transposed = f4.t();   // not contiguous: must be written in its logical (row-major) order
        NumpyFile.Write(dir.Combine("f4.npy"), f4);
        NumpyFile.Write(dir.Combine("f8.npy"), f8);
        NumpyFile.Write(dir.Combine("i4.npy"), i4);
        NumpyFile.Write(dir.Combine("i8.npy"), i8);
        NumpyFile.Write(dir.Combine("scalar.npy"), scalar);
        NumpyFile.Write(dir.Combine("t.npy"), transposed);
        NpzArchive.Write(dir.Combine("plain.npz"), [new("x", f4), new("y", i8)]);
        NpzArchive.Write(dir.Combine("packed.npz"), [new("x", f8)], compressed: true);

        var output = NumpyPython.Run("""
            d = sys.argv[1]
            def show(name, a): print(name, a.dtype.str, a.shape, ' '.join(repr(v) for v in a.reshape(-1).tolist()))
            for n in ['f4', 'f8', 'i4', 'i8', 'scalar', 't']: show(n, np.load(d + '/' + n + '.npy'))
            with np.load(d + '/plain.npz') as z:
                for k in sorted(z.files): show('plain.' + k, z[k])
            with np.load(d + '/packed.npz') as z: show('packed.x', z['x'])
            """, dir.Path);

        string Values(IEnumerable<double> v) => string.Join(' ', v.Select(x => x.ToString("0.0##", CultureInfo.InvariantCulture)));
        var lines = output.Trim().Split('\n');
        Assert.Equal($"f4 <f4 (2, 3) {Values(Expected)}", lines[0]);
        Assert.Equal($"f8 <f8 (3, 2) {Values(Expected)}", lines[1]);
        Assert.Equal("i4 <i4 (6,) -2 -1 0 1 2 3", lines[2]);
        Assert.Equal($"i8 <i8 (2, 1) {long.MaxValue} {long.MinValue}", lines[3]);
        Assert.Equal("scalar <f4 () 3.25", lines[4]);
        // transposed [[-2, -0.5, 1], [2.5, 4, 5.5]] is [[-2, 2.5], [-0.5, 4], [1, 5.5]]
        Assert.Equal("t <f4 (3, 2) -2.0 2.5 -0.5 4.0 1.0 5.5", lines[5]);
        Assert.Equal($"plain.x <f4 (2, 3) {Values(Expected)}", lines[6]);
        Assert.Equal($"plain.y <i8 (2, 1) {long.MaxValue} {long.MinValue}", lines[7]);
        Assert.Equal($"packed.x <f8 (3, 2) {Values(Expected)}", lines[8]);
    }

    [NumpyFact]
    public void A_Fortran_ordered_file_is_refused_with_a_message_that_says_how_to_fix_it()
    {
        using var dir = new TempDirectory();
        NumpyPython.Run("np.save(sys.argv[1], np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))", dir.Combine("f.npy"));

        var error = Assert.Throws<NumpyFormatException>(() => NumpyFile.Read(dir.Combine("f.npy")));
        Assert.Contains("Fortran", error.Message);
        Assert.Contains("ascontiguousarray", error.Message);
    }

    [Theory]
    [InlineData("NUMPY", "not a .npy file")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "'<c8' is not supported")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "big-endian")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,), }", "only 8 bytes follow")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "no valid 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "shape dimension 1")]
    [InlineData("version 9", "version 9.0 is not supported")]
    public void Bad_headers_throw_NumpyFormatException(string header, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.npy");
        var bytes = new List<byte>();
        if (header == "NUMPY") bytes.AddRange("NUMPY\u0001\u0000"u8.ToArray());
        else
        {
            bytes.AddRange([0x93, .. "NUMPY"u8.ToArray(), header == "version 9" ? (byte)9 : (byte)1, 0]);
            var text = Encoding.ASCII.GetBytes((header == "version 9" ? "{}" : header) + "\n");
            bytes.AddRange([(byte)text.Length, 0, .. text]);
        }
        bytes.AddRange(new byte[8]);   // 8 bytes of "data"
        File.WriteAllBytes(path, [.. bytes]);

        var error = Assert.Throws<NumpyFormatException>(() => NumpyFile.Read(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_npz_that_is_not_a_zip_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("x.npz"), "not a zip");
        var error = Assert.Throws<NumpyFormatException>(() => NpzArchive.Read(dir.Combine("x.npz")));
        Assert.Contains("not an .npz file", error.Message);
    }

    [Fact]
    public void Writing_an_unsupported_dtype_is_refused_before_a_file_is_created()
    {
        using var dir = new TempDirectory();
        using var bytes = zeros([2], ScalarType.Byte);
        Assert.Throws<NotSupportedException>(() => NumpyFile.Write(dir.Combine("u8.npy"), bytes));
        Assert.False(File.Exists(dir.Combine("u8.npy")));
    }
}
