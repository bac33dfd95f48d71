using System.IO.Compression;
using System.Text;
using Layerwise.Models;

namespace Layerwise.Formats.KerasArchive;

/// <summary>
/// Keras 3's <c>.keras</c> file: a zip archive of <c>metadata.json</c>, <c>config.json</c> and
/// <c>model.weights.h5</c>, each stored, not compressed, as Keras writes them. Reading treats the archive as
/// untrusted: member names are checked (no absolute paths, no <c>..</c>, no backslashes), declared
/// sizes are checked against limits and against the archive's length before anything is allocated,
/// and no member is read past its declared size.
/// </summary>
internal static class KerasArchiveFile
{
    /// <summary>Most members an archive may list.</summary>
    const int MaxEntries = 10_000;

    /// <summary>
    /// Most a member may inflate. Deflate can expand data about 1032 times, but Keras stores members
    /// uncompressed and weights hardly compress (trained float32 values, 1.1x): a member declaring more
    /// than 100 times its compressed size is refused (a 3 MB archive inflated a 3 GiB temporary file).
    /// </summary>
    const long MaxCompressionRatio = 100;

    /// <summary>Members smaller than this may inflate further (a config of repeated text compresses well).</summary>
    const long SmallMemberBytes = 1 << 20;

    public static void Save(Model model, string path)
    {
        AtomicFile.Write(path, temporary =>
        {
            // Named like every temporary file, so that a sweep removes it when the process is killed here.
            var weights = TempFiles.Beside(temporary);
            try
            {
                var config = KerasSavedModel.ConfigJson(model);
                KerasSavedModel.WriteWeights(model, weights, config);
                using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
                using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
                WriteText(zip, KerasSavedModel.MetadataEntry, KerasSavedModel.MetadataJson());
                WriteText(zip, KerasSavedModel.ConfigEntry, config);
                zip.CreateEntryFromFile(weights, KerasSavedModel.WeightsEntry, CompressionLevel.NoCompression);
            }
            finally
            {
                try { File.Delete(weights); }
                catch (IOException) { }
            }
        });
    }

    static void WriteText(ZipArchive zip, string name, string text)
    {
        // Keras 3 writes every member ZIP_STORED (saving_lib: zipfile.ZipFile(fileobj, "w"), whose default is no compression).
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    public static Model Load(string path, bool compile)
    {
        var stream = RegularFile.OpenRead(path, path);
        long archiveLength = stream.Length;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new ModelFileException(path, "", $"expected a .keras zip archive; the file is not a valid zip (it is truncated or corrupt: {e.Message}).", e);
        }
        using (zip)
        {
            var entries = CheckedEntries(zip, path, archiveLength);
            var config = ReadText(entries, KerasSavedModel.ConfigEntry, path);
            var weights = Require(entries, KerasSavedModel.WeightsEntry, path);
            var extracted = Path.Combine(Path.GetTempPath(), $"layerwise-{Guid.NewGuid():N}.weights.h5");
            try
            {
                Extract(weights, extracted, path);
                return KerasSavedModel.Load(config, extracted, path, $"{path}!{KerasSavedModel.WeightsEntry}", compile);
            }
            finally
            {
                try { File.Delete(extracted); } catch (IOException) { }
            }
        }
    }

    /// <summary>The archive's members by name, after checking every name and declared size.</summary>
    static Dictionary<string, ZipArchiveEntry> CheckedEntries(ZipArchive zip, string path, long archiveLength)
    {
        IReadOnlyCollection<ZipArchiveEntry> all;
        try
        {
            all = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, "", $"the zip's central directory cannot be read ({e.Message}); the archive is truncated or corrupt.", e);
        }
        if (all.Count > MaxEntries) throw new ModelFileException(path, "", $"the archive lists {all.Count} members; a .keras archive has a handful (at most {MaxEntries} accepted).");
        var result = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            var name = entry.FullName;
            if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Contains(':') || name.Contains('\0')
                || name.Split('/').Any(part => part is ".." or "."))
                throw new ModelFileException(path, name, "unsafe member path: archive members must be relative paths without \"..\", \".\", " +
                                                         "backslashes, drive letters or a leading \"/\" (a path that could escape the archive is refused).");
            if (entry.CompressedLength > archiveLength)
                throw new ModelFileException(path, name, $"the member declares {entry.CompressedLength} compressed bytes but the archive is only {archiveLength} bytes long: it is truncated or corrupt.");
            if (entry.Length > SmallMemberBytes && entry.Length / MaxCompressionRatio > entry.CompressedLength)
                throw new ModelFileException(path, name, $"the member declares {entry.Length} bytes from {entry.CompressedLength} compressed bytes, more than {MaxCompressionRatio} times: " +
                                                         "Keras stores members uncompressed and weights hardly compress, so the archive is corrupt or hostile (a zip bomb).");
            if (!result.TryAdd(name, entry))
                throw new ModelFileException(path, name, "the archive lists this member twice.");
        }
        return result;
    }

    static ZipArchiveEntry Require(Dictionary<string, ZipArchiveEntry> entries, string name, string path) =>
        entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ModelFileException(path, name, $"expected a .keras archive with \"{KerasSavedModel.ConfigEntry}\" and \"{KerasSavedModel.WeightsEntry}\"; " +
                                                       $"this member is missing (members: {string.Join(", ", entries.Keys.Take(10))}).");

    /// <summary>The config member as text (<see cref="KerasSavedModel.ConfigText"/>).</summary>
    static string ReadText(Dictionary<string, ZipArchiveEntry> entries, string name, string path)
    {
        var entry = Require(entries, name, path);
        if (entry.Length > KerasSavedModel.MaxJsonBytes)
            throw new ModelFileException(path, name, $"the member declares {entry.Length} bytes; a config larger than {KerasSavedModel.MaxJsonBytes} bytes is refused.");
        var buffer = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(buffer);
            if (stream.ReadByte() != -1)
                throw new ModelFileException(path, name, $"the member holds more than the {entry.Length} bytes it declares: the archive is corrupt or hostile.");
            RequireCrc(entry, ZipCrc32.Extend(0, buffer), path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ModelFileException(path, name, $"the member cannot be read ({e.Message}); the archive is truncated or corrupt.", e);
        }
        return KerasSavedModel.ConfigText(buffer, path, name);
    }

    /// <summary>Refuses a member whose bytes do not give the CRC-32 the archive records for it (as Python's zipfile does).</summary>
    static void RequireCrc(ZipArchiveEntry entry, uint actual, string path)
    {
        if (actual != entry.Crc32)
            throw new ModelFileException(path, entry.FullName, $"the member's CRC-32 does not match (recorded {entry.Crc32:x8}, its bytes give {actual:x8}): the archive was damaged after it was written.");
    }

    /// <summary>Copies a member to <paramref name="target"/>, never more than the size it declares, checking its CRC-32.</summary>
    static void Extract(ZipArchiveEntry entry, string target, string path)
    {
        var available = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(target)) ?? "/").AvailableFreeSpace;
        if (entry.Length > available)
            throw new ModelFileException(path, entry.FullName, $"the member declares {entry.Length} bytes, more than the {available} bytes free for extracting it.");
        try
        {
            using var source = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            var buffer = new byte[1 << 20];
            long total = 0;
            uint crc = 0;
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                total += read;
                crc = ZipCrc32.Extend(crc, buffer.AsSpan(0, read));
                if (total > entry.Length)
                    throw new ModelFileException(path, entry.FullName, $"the member holds more than the {entry.Length} bytes it declares: the archive is corrupt or hostile.");
                output.Write(buffer, 0, read);
            }
            if (total != entry.Length)
                throw new ModelFileException(path, entry.FullName, $"the member holds {total} bytes but declares {entry.Length}: the archive is truncated or corrupt.");
            RequireCrc(entry, crc, path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ModelFileException(path, entry.FullName, $"the member cannot be read ({e.Message}); the archive is truncated or corrupt.", e);
        }
    }
}
