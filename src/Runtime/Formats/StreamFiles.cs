namespace Layerwise.Formats;

/// <summary>
/// Saving to and loading from a <see cref="Stream"/> through a file in a private temporary folder:
/// the HDF5 writer and reader need a file they can seek in, and a copy through the file serves every
/// stream alike, seekable or not (a network or a GZip stream), without holding the model in memory
/// twice. The folder is deleted when the call returns, also when it fails.
/// </summary>
internal static class StreamFiles
{
    /// <summary>What a stream's first bytes say it holds.</summary>
    public enum Signature { Unknown, Hdf5, Zip }

    const int BufferBytes = 1 << 20;

    static ReadOnlySpan<byte> Hdf5Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Saves through <paramref name="save"/> into a temporary <c>stream{extension}</c>, then copies it to <paramref name="destination"/> (from its current position; the stream stays open).</summary>
    public static void SaveTo(Stream destination, string extension, Action<string> save)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite) throw new ArgumentException("The stream cannot be written to (CanWrite is false).", nameof(destination));
        var folder = Directory.CreateTempSubdirectory("layerwise-stream-");
        try
        {
            var path = Path.Combine(folder.FullName, "stream" + extension);
            save(path);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes);
            file.CopyTo(destination, BufferBytes);
            destination.Flush();
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> (from its current position to its end) into a temporary file
    /// and hands its path and signature to <paramref name="load"/>. The file is named
    /// <c>stream.h5</c> or <c>stream.keras</c> after its signature, so errors name the kind of file.
    /// </summary>
    public static T LoadFrom<T>(Stream source, Func<string, Signature, T> load)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead) throw new ArgumentException("The stream cannot be read from (CanRead is false).", nameof(source));
        var folder = Directory.CreateTempSubdirectory("layerwise-stream-");
        try
        {
            var copy = Path.Combine(folder.FullName, "stream");
            using (var file = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
                source.CopyTo(file, BufferBytes);
            var signature = SignatureOf(copy);
            var path = copy + (signature == Signature.Zip ? ".keras" : ".h5");
            File.Move(copy, path);
            return load(path, signature);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>HDF5's 8-byte format signature at offset 0 (where h5py and PureHDF write it), or a zip's local file header.</summary>
    public static Signature SignatureOf(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        if (head.SequenceEqual(Hdf5Signature)) return Signature.Hdf5;
        if (head.StartsWith("PK\u0003\u0004"u8)) return Signature.Zip;
        return Signature.Unknown;
    }

    static void TryDelete(DirectoryInfo folder)
    {
        try { folder.Delete(recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
