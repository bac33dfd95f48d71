using Layerwise.Formats.Checkpoint;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// The values of a contiguous little-endian float32 dataset, at a checked place of the file: read straight
/// from the file into a weight's memory, piece by piece, each piece hashed while it is still in the cache
/// (<see cref="ContentHash"/>), so memory is touched once and no copy of the weight is made.
/// </summary>
internal sealed class Hdf5ContiguousValues(SafeFileHandle file, string filePath, string objectPath, long offset, long length, ContentHash.Recorded? recorded)
{
    /// <summary>Bytes read and hashed at a time: small enough to stay in a core's L2 cache between the two.</summary>
    public const int PieceBytes = 512 << 10;

    /// <summary>The file, as the reader names it.</summary>
    public string FilePath => filePath;

    /// <summary>The dataset's path in the file.</summary>
    public string ObjectPath { get; } = objectPath;

    /// <summary>The number of bytes of values.</summary>
    public long Length { get; } = length;

    /// <summary>
    /// Reads the values into <paramref name="destination"/> (a float32 tensor of the dataset's element count, any
    /// device) and checks the recorded hash. Returns the hash of what was read (for <see cref="Hash"/> to compare).
    /// </summary>
    public string ReadInto(Tensor destination)
    {
        var hasher = recorded?.NewHasher() ?? new ContentHash.Hasher();
        long at = offset;
        TensorBytes.Fill(destination, PieceBytes, piece =>
        {
            ReadExactly(piece, at);
            hasher.Append(piece);
            at += piece.Length;
        });
        var hex = hasher.Hex();
        recorded?.Check(hex, filePath, ObjectPath);
        return hex;
    }

    /// <summary>Reads the values through <paramref name="buffer"/> without keeping them, checks the recorded hash, and returns the hash.</summary>
    public string Hash(byte[] buffer)
    {
        var hasher = recorded?.NewHasher() ?? new ContentHash.Hasher();
        for (long done = 0; done < Length;)
        {
            var piece = buffer.AsSpan(0, (int)Math.Min(buffer.Length, Length - done));
            ReadExactly(piece, offset + done);
            hasher.Append(piece);
            done += piece.Length;
        }
        var hex = hasher.Hex();
        recorded?.Check(hex, filePath, ObjectPath);
        return hex;
    }

    void ReadExactly(Span<byte> destination, long position)
    {
        for (int done = 0; done < destination.Length;)
        {
            int n = RandomAccess.Read(file, destination[done..], position + done);
            if (n == 0)
                throw new ModelFileException(filePath, ObjectPath,
                    $"the file ended at byte {position + done} while reading this dataset's values (bytes {offset} to {offset + Length}): it was truncated after it was opened.");
            done += n;
        }
    }
}
