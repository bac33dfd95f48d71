using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Layerwise.Data;

/// <summary>
/// Reads the IDX format MNIST is distributed in (raw or gzip): a big-endian header (two zero bytes,
/// a type code, the number of dimensions, each dimension as uint32) followed by the items.
/// Only unsigned bytes (type 0x08), the type MNIST uses, are accepted.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByte = 0x08;

    /// <summary>Reads an IDX file (gzip recognised by its magic bytes) into a uint8 tensor of its shape.</summary>
    public static Tensor Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads IDX data from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string source)
    {
        using var data = OpenMaybeGzip(stream);
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(data, magic, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{source}: not an IDX file (expected the magic number to start with two zero bytes, found 0x{magic[0]:X2}{magic[1]:X2}).");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException($"{source}: IDX type 0x{magic[2]:X2} is not supported; expected 0x08 (unsigned byte), the type MNIST uses.");
        int rank = magic[3];
        if (rank is < 1 or > 4)
            throw new InvalidDataException($"{source}: IDX header declares {rank} dimensions; expected 1 to 4.");

        var shape = new long[rank];
        Span<byte> dim = stackalloc byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(data, dim, source, $"dimension {i} of the header");
            shape[i] = BinaryPrimitives.ReadUInt32BigEndian(dim);
            count *= shape[i];
            if (count > int.MaxValue)
                throw new InvalidDataException($"{source}: IDX header declares shape [{string.Join(", ", shape.Take(i + 1))}], over 2 GB of items; refusing to allocate.");
        }

        var items = new byte[count];
        ReadExactly(data, items, source, $"{count} items of shape [{string.Join(", ", shape)}]");
        return tensor(items, shape, ScalarType.Byte);
    }

    static Stream OpenMaybeGzip(Stream stream)
    {
        var buffered = new BufferedStream(stream);
        Span<byte> head = stackalloc byte[2];
        int got = buffered.Read(head);
        buffered.Seek(-got, SeekOrigin.Current);
        bool gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
        return gzip ? new GZipStream(buffered, CompressionMode.Decompress) : buffered;
    }

    static void ReadExactly(Stream s, Span<byte> buffer, string source, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0)
                throw new InvalidDataException($"{source}: file ends after {total} of the {buffer.Length} bytes of {what}; it is truncated.");
            total += n;
        }
    }
}
