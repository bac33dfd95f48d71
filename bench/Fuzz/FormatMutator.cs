using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Layerwise.Fuzz;

/// <summary>
/// Mutations that know a format's structure, so that they get past the first sanity check and lie
/// where readers trust the file: HDF5 superblock and object-header fields and the JSON attributes
/// (patched in place, same length), zip local/central header sizes and members (re-zipped with
/// valid CRCs so the member's own reader is reached), TensorFlow tensor-bundle index blocks
/// (varints changed, then the block CRC recomputed), the <c>checkpoint</c> text file and
/// BackupAndRestore's MessagePack state.
/// </summary>
internal sealed class FormatMutator(Random random)
{
    /// <summary>The format-blind mutations, sharing the same random source and log.</summary>
    public ByteMutator Bytes { get; } = new(random);

    JsonMutator Json => new(Bytes);

    static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
    static readonly string[] Hdf5Structures = ["OHDR", "OCHK", "TREE", "HEAP", "SNOD", "GCOL", "FRHP", "FHDB", "FHIB", "BTHD", "BTLF", "BTIN", "FSHD", "FSSE"];

    /// <summary>An HDF5 file (.h5, .weights.h5, model.weights.h5 inside an archive).</summary>
    public byte[] Hdf5(byte[] data)
    {
        switch (random.Next(6))
        {
            case 0:
                {
                    // Superblock fields: v0 (h5py) keeps addresses at 24..56; v2/v3 at 12..44.
                    int sb = IndexOf(data, Hdf5Signature, 0);
                    if (sb < 0) break;
                    int version = data.Length > sb + 8 ? data[sb + 8] : 0;
                    int[] fields = version >= 2 ? [sb + 9, sb + 10, sb + 12, sb + 20, sb + 28, sb + 36] : [sb + 13, sb + 14, sb + 24, sb + 32, sb + 40, sb + 56, sb + 64];
                    int f = fields[random.Next(fields.Length)];
                    Bytes.Log.Append("hdf5:superblock ");
                    return Bytes.WriteLie(data, f, f == sb + 9 || f == sb + 10 || f == sb + 13 || f == sb + 14 ? 1 : 8);
                }
            case 1 or 2:
                {
                    // A field shortly after a structure signature: versions, sizes, counts, addresses.
                    var hits = new List<int>();
                    foreach (var sig in Hdf5Structures)
                        for (int at = IndexOf(data, Encoding.ASCII.GetBytes(sig), 0); at >= 0 && hits.Count < 4096; at = IndexOf(data, Encoding.ASCII.GetBytes(sig), at + 1))
                            hits.Add(at);
                    if (hits.Count == 0) break;
                    int h = hits[random.Next(hits.Count)] + 4 + random.Next(28);
                    int width = random.Next(4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 };
                    Bytes.Log.Append("hdf5:structure ");
                    if (width == 1 && h < data.Length) { data[h] = (byte)random.Next(256); Bytes.Log.Append($"byte@{h}={data[h]:X2} "); return data; }
                    return Bytes.WriteLie(data, h, width);
                }
            case 3:
                {
                    // A JSON attribute (model_config, training_config, keras_version), patched in place.
                    if (PatchEmbeddedJson(data) is { } patched) return patched;
                    break;
                }
        }
        return Bytes.MutateAny(data);
    }

    /// <summary>
    /// Finds JSON text embedded in a binary file (an HDF5 attribute, a protobuf string) and replaces
    /// it with a structurally mutated JSON of at most the same length, padded with spaces, so that
    /// the container's own length fields stay true. Null when none is found or no mutant fits.
    /// </summary>
    public byte[]? PatchEmbeddedJson(byte[] data)
    {
        var starts = new List<int>();
        foreach (var marker in new[] { "{\"class_name\"", "{\"loss\"", "{\"optimizer_config\"", "{\"module\"" })
        {
            var m = Encoding.ASCII.GetBytes(marker);
            for (int at = IndexOf(data, m, 0); at >= 0; at = IndexOf(data, m, at + 1)) starts.Add(at);
        }
        if (starts.Count == 0) return null;
        int start = starts[random.Next(starts.Count)];
        int length = JsonLength(data, start);
        if (length <= 0) return null;
        var original = Encoding.UTF8.GetString(data, start, length);
        for (int tries = 0; tries < 8; tries++)
        {
            int mark = Bytes.Log.Length;
            var mutated = Encoding.UTF8.GetBytes(Json.Mutate(original));
            if (mutated.Length > length) { Bytes.Log.Length = mark; continue; }
            Bytes.Log.Insert(mark, $"embedded-json@{start}+{length}: ");
            mutated.CopyTo(data, start);
            data.AsSpan(start + mutated.Length, length - mutated.Length).Fill((byte)' ');
            return data;
        }
        return null;
    }

    /// <summary>A zip archive (.keras): header lies (raw) or a mutated member, re-zipped.</summary>
    public byte[] Zip(byte[] data)
    {
        int choice = random.Next(5);
        if (choice <= 1)
        {
            // Local (PK\3\4) and central (PK\1\2) headers, end of central directory (PK\5\6).
            var fields = new List<(int Pos, int Width)>();
            for (int at = IndexOf(data, "PK\u0003\u0004"u8.ToArray(), 0); at >= 0; at = IndexOf(data, "PK\u0003\u0004"u8.ToArray(), at + 1))
                fields.AddRange([(at + 14, 4), (at + 18, 4), (at + 22, 4), (at + 26, 2), (at + 28, 2), (at + 8, 2)]);
            for (int at = IndexOf(data, "PK\u0001\u0002"u8.ToArray(), 0); at >= 0; at = IndexOf(data, "PK\u0001\u0002"u8.ToArray(), at + 1))
                fields.AddRange([(at + 16, 4), (at + 20, 4), (at + 24, 4), (at + 28, 2), (at + 30, 2), (at + 42, 4), (at + 10, 2)]);
            int eocd = LastIndexOf(data, "PK\u0005\u0006"u8.ToArray());
            if (eocd >= 0) fields.AddRange([(eocd + 8, 2), (eocd + 10, 2), (eocd + 12, 4), (eocd + 16, 4), (eocd + 20, 2)]);
            if (fields.Count > 0)
            {
                var (pos, width) = fields[random.Next(fields.Count)];
                Bytes.Log.Append("zip:header ");
                return Bytes.WriteLie(data, pos, width);
            }
            return Bytes.MutateAny(data);
        }
        if (choice == 2) return Bytes.MutateAny(data);
        try { return MutateZipMember(data); }
        catch (InvalidDataException) { return Bytes.MutateAny(data); }
    }

    byte[] MutateZipMember(byte[] data)
    {
        var members = new List<(string Name, byte[] Content)>();
        using (var archive = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read))
            foreach (var e in archive.Entries)
            {
                using var s = e.Open();
                var ms = new MemoryStream();
                s.CopyTo(ms);
                members.Add((e.FullName, ms.ToArray()));
            }
        if (members.Count == 0) return Bytes.MutateAny(data);
        int which = random.Next(members.Count + 1);
        if (which == members.Count)
        {
            // Member names: a path that leaves the archive, a duplicate, a missing member.
            int victim = random.Next(members.Count);
            var name = random.Next(3) switch { 0 => "../" + members[victim].Name, 1 => "/tmp/" + members[victim].Name, _ => members[(victim + 1) % members.Count].Name };
            Bytes.Log.Append($"zip:rename {members[victim].Name}->{name} ");
            members[victim] = (name, members[victim].Content);
        }
        else
        {
            var (name, content) = members[which];
            Bytes.Log.Append($"zip:member {name}: ");
            content = name.EndsWith(".json", StringComparison.Ordinal)
                ? (random.Next(4) == 0 ? Bytes.MutateAny(content) : Encoding.UTF8.GetBytes(Json.Mutate(Encoding.UTF8.GetString(content))))
                : name.EndsWith(".h5", StringComparison.Ordinal) ? Hdf5(content) : Bytes.MutateAny(content);
            members[which] = (name, content);
        }
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in members)
            {
                var entry = archive.CreateEntry(name, random.Next(2) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                using var s = entry.Open();
                s.Write(content);
            }
        return output.ToArray();
    }

    /// <summary>
    /// A TensorFlow tensor-bundle index (LevelDB table): usually a varint or byte inside a data block
    /// is changed and the block's masked CRC32C recomputed, so the reader parses the lie; otherwise raw.
    /// </summary>
    public byte[] BundleIndex(byte[] data)
    {
        if (random.Next(4) == 0 || !TryFindBlocks(data, out var blocks) || blocks.Count == 0) return Bytes.MutateAny(data);
        var (offset, size) = blocks[random.Next(blocks.Count)];
        if (size == 0) return Bytes.MutateAny(data);
        byte[] block = data.AsSpan(offset, size).ToArray();
        int pos = random.Next(size);
        Bytes.Log.Append($"index-block@{offset}+{size}: ");
        block = random.Next(3) switch
        {
            0 => Bytes.VarintLie(block, pos),
            1 => Bytes.FlipBits(block),
            _ => Bytes.IntegerLie(block),
        };
        // Rebuild: the block, its trailer (type 0 = uncompressed, masked CRC32C of block + type), the rest.
        var trailer = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(1), MaskedCrc32C([.. block, 0]));
        var rest = data.AsSpan(offset + size + 5).ToArray();
        if (block.Length != size)
        {
            // The block moved the footer and later blocks: keep the file's own handles (a lie of their own).
            Bytes.Log.Append($"(block {size}->{block.Length}) ");
        }
        return [.. data.AsSpan(0, offset), .. block, .. trailer, .. rest];
    }

    /// <summary>The <c>checkpoint</c> state file (text proto).</summary>
    public byte[] CheckpointText(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        string[] hostile =
        [
            "../../../../etc", "/etc/passwd", "", "cp.ckpt\u0000evil", new string('a', 5000), "..", ".", "a\\\"b",
            "cp-0050.ckpt\nmodel_checkpoint_path: \"other\"", "/proc/self/fd/0", "con", "cp.ckpt.index",
        ];
        switch (random.Next(5))
        {
            case 0 or 1:
                {
                    var value = hostile[random.Next(hostile.Length)];
                    int q1 = text.IndexOf('"'), q2 = q1 >= 0 ? text.IndexOf('"', q1 + 1) : -1;
                    if (q2 < 0) break;
                    Bytes.Log.Append($"checkpoint-path=\"{(value.Length > 30 ? $"a*{value.Length}" : value.Replace("\n", "\\n").Replace("\0", "\\0"))}\" ");
                    return Encoding.UTF8.GetBytes(text[..(q1 + 1)] + value + text[q2..]);
                }
            case 2:
                {
                    int n = random.Next(2) == 0 ? random.Next(2, 50) : random.Next(10_000, 200_000);
                    Bytes.Log.Append($"checkpoint-lines x{n} ");
                    var line = text.Split('\n').Last(l => l.Length > 0) + "\n";
                    return Encoding.UTF8.GetBytes(text + string.Concat(Enumerable.Repeat(line, n)));
                }
            case 3:
                {
                    var stripped = random.Next(2) == 0 ? text.Replace("\"", "") : text.Replace(":", "");
                    Bytes.Log.Append("checkpoint-syntax ");
                    return Encoding.UTF8.GetBytes(stripped);
                }
        }
        return Bytes.MutateAny(data);
    }

    /// <summary>BackupAndRestore's MessagePack state: the random-generator bytes, the checkpoint name, counts.</summary>
    public byte[] TrainingState(byte[] data)
    {
        switch (random.Next(5))
        {
            case 0:
                {
                    // The generator state: a bin8/16/32 payload (torch's mt19937 state is ~5 KB).
                    for (int i = 0; i + 3 < data.Length; i++)
                        if (data[i] == 0xC5 && BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i + 1)) is var n && n > 1000 && i + 3 + n <= data.Length)
                        {
                            int kind = random.Next(3);
                            if (kind == 2)
                            {
                                int keep = random.Next(0, 64);
                                Bytes.Log.Append($"state:rng-length {n}->{keep} ");
                                var shorter = data.AsSpan(0, i + 3 + keep).ToArray().Concat(data.AsSpan(i + 3 + n).ToArray()).ToArray();
                                BinaryPrimitives.WriteUInt16BigEndian(shorter.AsSpan(i + 1), (ushort)keep);
                                return shorter;
                            }
                            Bytes.Log.Append($"state:rng-fill {(kind == 0 ? "00" : "FF")} ");
                            data.AsSpan(i + 3, n).Fill(kind == 0 ? (byte)0 : (byte)0xFF);
                            return data;
                        }
                    break;
                }
            case 1:
                {
                    // The checkpoint name: a msgpack fixstr "chkpt-N".
                    int at = IndexOf(data, "chkpt-"u8.ToArray(), 0);
                    if (at < 1) break;
                    int len = data[at - 1] & 0x1F;
                    string[] names = ["../outside/chkpt-1", "/etc/passwd", "", "chkpt-999", "chkpt-1/../../x", "."];
                    var name = names[random.Next(names.Length)];
                    var encoded = Encoding.UTF8.GetBytes(name);
                    Bytes.Log.Append($"state:checkpoint=\"{name}\" ");
                    return [.. data.AsSpan(0, at - 1), (byte)(0xA0 | encoded.Length), .. encoded, .. data.AsSpan(at + len)];
                }
        }
        return Bytes.MutateAny(data);
    }

    static int JsonLength(byte[] data, int start)
    {
        try
        {
            var reader = new Utf8JsonReader(data.AsSpan(start), new JsonReaderOptions { AllowTrailingCommas = false });
            if (!reader.Read()) return -1;
            reader.Skip();
            return (int)reader.BytesConsumed;
        }
        catch (JsonException) { return -1; }
    }

    /// <summary>The data and index blocks of a LevelDB table, from its footer and index block.</summary>
    static bool TryFindBlocks(byte[] data, out List<(int Offset, int Size)> blocks)
    {
        blocks = [];
        if (data.Length < 48) return false;
        int p = data.Length - 48;
        if (!TryVarint(data, ref p, out var metaOffset) || !TryVarint(data, ref p, out var metaSize)) return false;
        if (!TryVarint(data, ref p, out var indexOffset) || !TryVarint(data, ref p, out var indexSize)) return false;
        if (indexOffset + indexSize + 5 > (ulong)data.Length) return false;
        blocks.Add(((int)indexOffset, (int)indexSize));
        _ = metaOffset; _ = metaSize;
        // Index block entries: shared, non-shared, value length varints, key suffix, value = block handle.
        int end = (int)(indexOffset + indexSize);
        if (indexSize < 4) return true;
        int restarts = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(end - 4));
        int entriesEnd = end - 4 - 4 * restarts;
        int q = (int)indexOffset;
        while (q < entriesEnd && entriesEnd <= end)
        {
            if (!TryVarint(data, ref q, out _) || !TryVarint(data, ref q, out var nonShared) || !TryVarint(data, ref q, out var valueLength)) break;
            q += (int)nonShared;
            int v = q;
            if (!TryVarint(data, ref v, out var blockOffset) || !TryVarint(data, ref v, out var blockSize)) break;
            if (blockOffset + blockSize + 5 <= (ulong)data.Length) blocks.Add(((int)blockOffset, (int)blockSize));
            q += (int)valueLength;
        }
        return true;
    }

    static bool TryVarint(byte[] data, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && pos < data.Length; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    static uint MaskedCrc32C(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    static int IndexOf(byte[] data, byte[] pattern, int from) =>
        from >= data.Length ? -1 : data.AsSpan(from).IndexOf(pattern) is var i and >= 0 ? from + i : -1;

    static int LastIndexOf(byte[] data, byte[] pattern) => data.AsSpan().LastIndexOf(pattern);
}
