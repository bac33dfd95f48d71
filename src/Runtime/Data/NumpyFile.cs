using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using static TorchSharp.torch;

namespace Layerwise.Data;

/// <summary>
/// NumPy's <c>.npy</c> array file (<c>numpy.save</c> / <c>numpy.load</c>) to and from TorchSharp tensors, so
/// arrays travel between Python and .NET. Supported: float32, float64, int32 and int64, little-endian,
/// C (row-major) order; format versions 1.0, 2.0 and 3.0 are read, 1.0 is written (2.0 when the header
/// needs more than 64 KiB). Anything else (Fortran order, big-endian, other dtypes, object arrays) is
/// refused with a <see cref="NumpyFormatException"/> before any memory is allocated for the data.
/// </summary>
public static partial class NumpyFile
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Headers longer than this are refused (numpy's own reader allows 10,000 bytes by default).</summary>
    const int MaxHeaderLength = 1 << 20;

    /// <summary>numpy aligns the data to 64 bytes (<c>ARRAY_ALIGN</c>).</summary>
    const int Alignment = 64;

    const int ChunkBytes = 1 << 20;

    /// <summary>Reads the array in <paramref name="path"/> into a CPU tensor of its dtype and shape (<c>numpy.load</c>).</summary>
    /// <exception cref="NumpyFormatException">The file is not a supported .npy array.</exception>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path, FileLength.Of(path));
    }

    /// <summary>
    /// Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in errors and
    /// <paramref name="length"/> (the bytes available, when known) bounds what the header may declare.
    /// </summary>
    /// <exception cref="NumpyFormatException">The stream does not hold a supported .npy array.</exception>
    public static Tensor Read(Stream stream, string source, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        length ??= stream.CanSeek ? stream.Length - stream.Position : null;
        var header = ReadHeader(stream, source, out int headerBytes);
        long bytes = checked(header.ElementCount * header.ItemSize);
        if (length is { } available && available - headerBytes < bytes)
            throw new NumpyFormatException(source,
                $"the header declares shape {ShapeText(header.Shape)} of {header.Descr} ({bytes} bytes of data), but only {Math.Max(0, available - headerBytes)} bytes follow the header.");

        var tensor = empty(header.Shape, header.ScalarType, CPU);
        try
        {
            TensorBytes.Fill(tensor, ChunkBytes, chunk =>
            {
                if (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) != chunk.Length)
                    throw new NumpyFormatException(source, $"the data ends before the {bytes} bytes that shape {ShapeText(header.Shape)} of {header.Descr} needs.");
            });
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        return tensor;
    }

    /// <summary>Writes <paramref name="tensor"/> as a .npy file that <c>numpy.load</c> reads (atomically: written beside, then renamed).</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not float32, float64, int32 or int64.</exception>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensor);
        DescrOf(tensor.dtype);   // refuse before creating any file
        AtomicFile.Write(path, temporary =>
        {
            using var stream = File.Create(temporary);
            Write(stream, tensor);
        });
    }

    /// <summary>Writes <paramref name="tensor"/> in .npy format to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not float32, float64, int32 or int64.</exception>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.shape;
        var dict = $"{{'descr': '{DescrOf(tensor.dtype)}', 'fortran_order': False, 'shape': {PythonTuple(shape)}, }}";
        // Version 1.0 stores the header length in 2 bytes; longer headers (huge ranks) need 2.0's 4.
        bool version2 = Magic.Length + 2 + 2 + dict.Length + Alignment > ushort.MaxValue;
        int prefix = Magic.Length + 2 + (version2 ? 4 : 2);
        int padded = (prefix + dict.Length + 1 + Alignment - 1) / Alignment * Alignment;
        var headerText = dict.PadRight(padded - prefix - 1) + "\n";

        stream.Write(Magic);
        stream.WriteByte(version2 ? (byte)2 : (byte)1);
        stream.WriteByte(0);
        Span<byte> lengthBytes = stackalloc byte[4];
        if (version2) BinaryPrimitives.WriteUInt32LittleEndian(lengthBytes, (uint)headerText.Length);
        else BinaryPrimitives.WriteUInt16LittleEndian(lengthBytes, (ushort)headerText.Length);
        stream.Write(lengthBytes[..(version2 ? 4 : 2)]);
        stream.Write(Encoding.ASCII.GetBytes(headerText));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy files are written little-endian; this machine is big-endian.");
        TensorBytes.ForEachChunk(tensor, ChunkBytes, chunk => stream.Write(chunk));
    }

    /// <summary>What a .npy header declares.</summary>
    internal sealed record NpyHeader(string Descr, ScalarType ScalarType, int ItemSize, long[] Shape)
    {
        public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));
    }

    /// <summary>Reads and validates the magic string, version and header dictionary; <paramref name="headerBytes"/> counts everything before the data.</summary>
    internal static NpyHeader ReadHeader(Stream stream, string source, out int headerBytes)
    {
        Span<byte> start = stackalloc byte[8];
        if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) != 8 || !start[..6].SequenceEqual(Magic))
            throw new NumpyFormatException(source, "not a .npy file (expected the magic string \\x93NUMPY at its start).");
        byte major = start[6], minor = start[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw new NumpyFormatException(source, $".npy format version {major}.{minor} is not supported; expected 1.0, 2.0 or 3.0.");

        int lengthSize = major == 1 ? 2 : 4;
        Span<byte> lengthBytes = stackalloc byte[4];
        if (stream.ReadAtLeast(lengthBytes[..lengthSize], lengthSize, throwOnEndOfStream: false) != lengthSize)
            throw new NumpyFormatException(source, "the file ends inside the header length.");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
            throw new NumpyFormatException(source, $"the header declares {headerLength} bytes; at most {MaxHeaderLength} are accepted.");

        var text = new byte[headerLength];
        if (stream.ReadAtLeast(text, text.Length, throwOnEndOfStream: false) != text.Length)
            throw new NumpyFormatException(source, $"the file ends inside the {headerLength}-byte header.");
        headerBytes = 8 + lengthSize + (int)headerLength;
        var dict = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        return ParseHeader(dict, source);
    }

    static NpyHeader ParseHeader(string dict, string source)
    {
        var descr = HeaderString(dict, "descr", source);
        var fortran = HeaderBoolean(dict, "fortran_order", source);
        var shape = HeaderShape(dict, source);
        if (fortran)
            throw new NumpyFormatException(source,
                "the array is stored in Fortran (column-major) order; only C order is supported. Save it with numpy.save(path, numpy.ascontiguousarray(a)).");
        var (type, size) = descr switch
        {
            "<f4" => (ScalarType.Float32, 4),
            "<f8" => (ScalarType.Float64, 8),
            "<i4" => (ScalarType.Int32, 4),
            "<i8" => (ScalarType.Int64, 8),
            _ when descr.StartsWith('>') => throw new NumpyFormatException(source,
                $"dtype '{descr}' is big-endian; only little-endian arrays are supported (a.astype(a.dtype.newbyteorder('<')))."),
            _ => throw new NumpyFormatException(source,
                $"dtype '{descr}' is not supported; expected float32 ('<f4'), float64 ('<f8'), int32 ('<i4') or int64 ('<i8')."),
        };
        return new NpyHeader(descr, type, size, shape);
    }

    static string HeaderString(string dict, string key, string source)
    {
        var match = Regex.Match(dict, $"['\"]{key}['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
        return match.Success ? match.Groups[1].Value : throw MissingKey(source, key, dict);
    }

    static bool HeaderBoolean(string dict, string key, string source)
    {
        var match = Regex.Match(dict, $"['\"]{key}['\"]\\s*:\\s*(True|False)");
        return match.Success ? match.Groups[1].Value == "True" : throw MissingKey(source, key, dict);
    }

    static long[] HeaderShape(string dict, string source)
    {
        var match = ShapePattern().Match(dict);
        if (!match.Success) throw MissingKey(source, "shape", dict);
        var parts = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i].TrimEnd('L');   // Python 2 wrote longs as 3L
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new NumpyFormatException(source, $"shape dimension {i} is \"{parts[i]}\"; expected a non-negative integer.");
        }
        return shape;
    }

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    static NumpyFormatException MissingKey(string source, string key, string dict) =>
        new(source, $"the header has no valid '{key}' entry; expected a dict such as {{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, found: {Truncate(dict.Trim())}");

    static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    static string DescrOf(ScalarType type) => type switch
    {
        ScalarType.Float32 => "<f4",
        ScalarType.Float64 => "<f8",
        ScalarType.Int32 => "<i4",
        ScalarType.Int64 => "<i8",
        _ => throw new NotSupportedException($"Tensors of type {type} cannot be written as .npy; convert to float32, float64, int32 or int64 first."),
    };

    static string PythonTuple(long[] shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape) + ")",
    };

    static string ShapeText(long[] shape) => PythonTuple(shape);
}
