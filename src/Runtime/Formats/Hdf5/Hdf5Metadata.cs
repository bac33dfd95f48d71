using System.Buffers.Binary;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Walks an HDF5 file's metadata before PureHDF parses it, for two things PureHDF does not do:
/// <list type="bullet">
/// <item>verify the Jenkins lookup3 checksums the format stores (superblock version 2 and 3, version 2
/// object headers and their continuation chunks): h5py refuses a file whose checksum fails, so a damaged
/// file must not load here with wrong weights either;</item>
/// <item>refuse soft, external and user-defined links: PureHDF follows a soft link by resolving its path
/// with no depth limit (one pointing at itself overflowed the stack and stopped the process), and an
/// external link makes it open another file. Keras, tf.keras and h5py's Keras writers never create them.</item>
/// </list>
/// It also records each dataset's storage (<see cref="Hdf5DatasetStorage"/>: its data layout, dataspace, datatype,
/// filter and external file messages) and the links that name it, so that <see cref="Dataset"/> tells the loader
/// where a contiguous dataset's bytes are without asking PureHDF for what it keeps internal.
/// It also checks that every global heap collection an attribute's variable-length values (h5py's strings)
/// point into lies inside the file and holds the objects it declares, before PureHDF allocates them.
/// The walk follows hard links from the root: link messages of compact groups, and symbol-table groups
/// (B-tree version 1 and symbol nodes, what h5py writes by default), and groups kept in dense storage (a
/// fractal heap indexed by a version 2 B-tree, Hdf5Metadata.DenseLinks.cs). The walk uses an explicit stack
/// and a visited set, never recursion, and reads only inside the file.
/// </summary>
internal sealed partial class Hdf5Metadata
{
    const ushort LinkInfoMessage = 0x02, LinkMessage = 0x06, AttributeMessage = 0x0C, ContinuationMessage = 0x10, SymbolTableMessage = 0x11;
    const int VariableLengthClass = 9;
    const int MaxObjectHeaders = 1_000_000;

    readonly Stream stream;
    readonly long length;
    readonly string path;
    readonly long signatureOffset;
    int offsetSize = 8, lengthSize = 8;
    long baseAddress;
    readonly HashSet<long> visited = [];
    readonly HashSet<long> globalHeaps = [];
    readonly Stack<long> pending = new();
    readonly Dictionary<long, Hdf5DatasetStorage> datasets = [];
    readonly Dictionary<(long Group, string Name), long> links = [];
    long rootHeader = -1;
    long currentHeader;
    Hdf5DatasetStorage.Builder? currentDataset;

    Hdf5Metadata(Stream stream, long length, string path, long signatureOffset)
    {
        this.stream = stream;
        this.length = length;
        this.path = path;
        this.signatureOffset = signatureOffset;
    }

    /// <summary>
    /// Checks the file whose HDF5 signature is at <paramref name="signatureOffset"/>; a bad file throws <see cref="ModelFileException"/>.
    /// Returns the walk, which knows every dataset's storage.
    /// </summary>
    public static Hdf5Metadata Verify(Stream stream, long length, string path, long signatureOffset)
    {
        var walk = new Hdf5Metadata(stream, length, path, signatureOffset);
        walk.ReadSuperblock();
        while (walk.pending.Count > 0) walk.VisitObjectHeader(walk.pending.Pop());
        return walk;
    }

    /// <summary>The superblock's base address: where file address 0 is (the file's first byte unless a user block precedes HDF5's data).</summary>
    public long BaseAddress => baseAddress;

    /// <summary>
    /// The storage of the dataset at <paramref name="objectPath"/> (<c>/group/name</c>), found by following the links
    /// the walk read from the root group. Throws <see cref="ModelFileException"/> when the walk did not reach it (a path
    /// PureHDF resolves but these links do not) or it is not a dataset: the loader relies on this record, so it
    /// refuses rather than read what was not checked.
    /// </summary>
    public Hdf5DatasetStorage Dataset(string objectPath)
    {
        long at = rootHeader;
        foreach (var name in objectPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!links.TryGetValue((at, name), out long next))
                throw Error(objectPath, $"PureHDF finds this dataset, but the links read from the root group have no \"{name}\" here: the file's groups disagree with themselves; it is corrupt.");
            at = next;
        }
        return datasets.TryGetValue(at, out var storage) ? storage
            : throw Error(objectPath, "PureHDF reads a dataset here, but its object header has no data layout message: the file is corrupt.");
    }

    ModelFileException Error(string where, string message) => new(path, where, message);

    void ReadSuperblock()
    {
        var head = Read(signatureOffset, 16, "the superblock");
        int version = head[8];
        if (version is 0 or 1)
        {
            offsetSize = head[13];
            lengthSize = head[14];
            RequireSizes();
            int fixedPart = version == 0 ? 24 : 28;
            long addresses = signatureOffset + fixedPart;
            baseAddress = (long)ReadOffset(Read(addresses, offsetSize, "the superblock"), 0);
            // base, free-space, end-of-file and driver-info addresses, then the root group's symbol table entry
            var rootEntry = Read(addresses + 4L * offsetSize, 2L * offsetSize + 24, "the superblock's root group entry");
            rootHeader = Schedule(ReadOffset(rootEntry, offsetSize), "the superblock's root group entry");
        }
        else if (version is 2 or 3)
        {
            offsetSize = head[9];
            lengthSize = head[10];
            RequireSizes();
            int size = 12 + 4 * offsetSize;
            var block = Read(signatureOffset, size + 4, "the superblock");
            VerifyChecksum(block, size, "the superblock");
            baseAddress = (long)ReadOffset(block, 12);
            ulong extension = ReadOffset(block, 12 + offsetSize);
            if (!IsUndefined(extension)) Schedule(extension, "the superblock extension");
            rootHeader = Schedule(ReadOffset(block, 12 + 3 * offsetSize), "the superblock's root group");
        }
        else
        {
            throw Error("superblock", $"expected superblock version 0 to 3; the file declares {version}.");
        }
    }

    void RequireSizes()
    {
        if (offsetSize is not (2 or 4 or 8) || lengthSize is not (2 or 4 or 8))
            throw Error("superblock", $"expected offsets and lengths of 2, 4 or 8 bytes; the file declares {offsetSize} and {lengthSize}.");
    }

    /// <summary>Queues the object header at <paramref name="address"/> for a visit (once); returns its file offset, or -1 for the undefined address.</summary>
    long Schedule(ulong address, string from)
    {
        if (IsUndefined(address)) return -1;
        long absolute = Absolute(address, from);
        if (!visited.Add(absolute)) return absolute;
        if (visited.Count > MaxObjectHeaders)
            throw Error(from, $"the file links more than {MaxObjectHeaders} objects.");
        pending.Push(absolute);
        return absolute;
    }

    /// <summary>Records that the group being visited links <paramref name="name"/> to <paramref name="address"/>, and queues it.</summary>
    void LinkTo(string name, ulong address, string from)
    {
        long target = Schedule(address, from);
        if (target >= 0) links[(currentHeader, name)] = target;
    }

    long Absolute(ulong address, string from)
    {
        if (address >= (ulong)length || (long)address + baseAddress >= length || (long)address + baseAddress < 0)
            throw Error(from, $"an address ({address}) points past the end of the file ({length} bytes): it is truncated or corrupt.");
        return (long)address + baseAddress;
    }

    void VisitObjectHeader(long address)
    {
        var where = $"object header at {address - baseAddress}";
        currentHeader = address;
        currentDataset = new Hdf5DatasetStorage.Builder(offsetSize, lengthSize, message => Error(where, message));
        var first = Read(address, 4, where);
        if (first.AsSpan().SequenceEqual("OHDR"u8)) VisitVersion2Header(address, where);
        else if (first[0] == 1) VisitVersion1Header(address, where);
        else throw Error(where, "expected an object header (version 1, or the signature OHDR); the bytes there are neither.");
        if (currentDataset.Build() is { } storage) datasets[address] = storage;
    }

    void VisitVersion1Header(long address, string where)
    {
        var prefix = Read(address, 16, where);
        int messages = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(2));
        long size = BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
        var blocks = new Queue<(long Start, long Size)>();
        blocks.Enqueue((address + 16, size));
        int seen = 0;
        while (blocks.Count > 0 && seen < messages)
        {
            var (start, blockSize) = blocks.Dequeue();
            var block = Read(start, blockSize, where);
            for (int at = 0; at + 8 <= block.Length && seen < messages; seen++)
            {
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(at));
                int dataSize = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(at + 2));
                byte flags = block[at + 4];
                if (at + 8 + dataSize > block.Length) throw Error(where, "a header message runs past its block: the file is corrupt.");
                var data = block.AsSpan(at + 8, dataSize);
                if (type == ContinuationMessage) blocks.Enqueue(Continuation(data, where));
                else Message(type, flags, data, where);
                at += 8 + dataSize;
            }
        }
    }

    void VisitVersion2Header(long address, string where)
    {
        var prefix = Read(address, 6, where);
        if (prefix[4] != 2) throw Error(where, $"expected object header version 2 after OHDR; found {prefix[4]}.");
        byte flags = prefix[5];
        int fixedPart = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeField = 1 << (flags & 0x03);
        var sizeBytes = Read(address + fixedPart, sizeField, where);
        ulong chunk0 = ReadUnsigned(sizeBytes, 0, sizeField);
        if (chunk0 > (ulong)length) throw Error(where, $"the header declares {chunk0} bytes, more than the file holds.");
        long messagesStart = fixedPart + sizeField;
        var block = Read(address, messagesStart + (long)chunk0 + 4, where);
        VerifyChecksum(block, block.Length - 4, where);
        bool creationOrder = (flags & 0x04) != 0;
        var chunks = new Queue<(long Start, long Size)>();
        Messages(block.AsSpan((int)messagesStart, (int)chunk0), creationOrder, chunks, where);
        while (chunks.Count > 0)
        {
            var (start, size) = chunks.Dequeue();
            var chunk = Read(start, size, where);
            if (size < 8 || !chunk.AsSpan(0, 4).SequenceEqual("OCHK"u8))
                throw Error(where, "expected a header continuation chunk (signature OCHK); the file is corrupt.");
            VerifyChecksum(chunk, chunk.Length - 4, where + " (continuation chunk)");
            Messages(chunk.AsSpan(4, chunk.Length - 8), creationOrder, chunks, where);
        }
    }

    void Messages(ReadOnlySpan<byte> block, bool creationOrder, Queue<(long, long)> continuations, string where)
    {
        int headerSize = creationOrder ? 6 : 4;
        for (int at = 0; at + headerSize <= block.Length;)
        {
            byte type = block[at];
            int dataSize = BinaryPrimitives.ReadUInt16LittleEndian(block[(at + 1)..]);
            byte flags = block[at + 3];
            if (at + headerSize + dataSize > block.Length) throw Error(where, "a header message runs past its chunk: the file is corrupt.");
            var data = block.Slice(at + headerSize, dataSize);
            if (type == ContinuationMessage) continuations.Enqueue(Continuation(data, where));
            else Message(type, flags, data, where);
            at += headerSize + dataSize;
        }
    }

    (long, long) Continuation(ReadOnlySpan<byte> data, string where)
    {
        if (data.Length < offsetSize + lengthSize) throw Error(where, "a continuation message is too short.");
        long start = Absolute(ReadOffset(data, 0), where);
        ulong size = ReadUnsigned(data, offsetSize, lengthSize);
        if (size > (ulong)(length - start)) throw Error(where, "a continuation block runs past the end of the file.");
        if (!visited.Add(-start - 1)) throw Error(where, "two continuation messages name the same block: the header loops.");
        return (start, (long)size);
    }

    void Message(int type, byte messageFlags, ReadOnlySpan<byte> data, string where)
    {
        if ((messageFlags & 0x02) != 0)   // shared: the data is a reference to a message elsewhere
        {
            currentDataset!.Shared(type);
            return;
        }
        currentDataset!.Message(type, data);
        switch (type)
        {
            case LinkMessage: Link(data, where); break;
            case SymbolTableMessage:
                if (data.Length < 2 * offsetSize) throw Error(where, "a symbol table message is too short.");
                SymbolTree(ReadOffset(data, 0), LocalHeap(ReadOffset(data, offsetSize), where), where);
                break;
            case AttributeMessage: Attribute(data, where); break;
            case LinkInfoMessage: LinkInfo(data, where); break;
        }
    }

    /// <summary>
    /// An attribute of variable-length values (h5py's <c>str</c> attributes: Keras' <c>model_config</c>,
    /// <c>training_config</c>, ...) keeps them in global heap collections; each one it names is checked
    /// (<see cref="GlobalHeapCollection"/>). An attribute whose datatype is shared, or that is kept in dense
    /// storage, is not looked into.
    /// </summary>
    void Attribute(ReadOnlySpan<byte> data, string where)
    {
        if (data.Length < 8) throw Error(where, "an attribute message is too short.");
        int version = data[0];
        byte flags = data[1];
        int nameSize = BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
        int datatypeSize = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        int dataspaceSize = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        static int Pad8(int n) => (n + 7) & ~7;
        int datatypeAt, valuesAt;
        switch (version)
        {
            case 1:
                datatypeAt = 8 + Pad8(nameSize);
                valuesAt = datatypeAt + Pad8(datatypeSize) + Pad8(dataspaceSize);
                break;
            case 2 or 3:
                if ((flags & 0x01) != 0) return;   // shared datatype: described elsewhere
                datatypeAt = (version == 3 ? 9 : 8) + nameSize;
                valuesAt = datatypeAt + datatypeSize + dataspaceSize;
                break;
            default:
                return;   // PureHDF reports an unknown version itself
        }
        if (datatypeAt >= data.Length || valuesAt > data.Length || (data[datatypeAt] & 0x0F) != VariableLengthClass) return;
        // Each value is a global heap ID: its length (4 bytes), the collection's address, the object's index (4 bytes).
        int idSize = 4 + offsetSize + 4;
        for (int at = valuesAt; at + idSize <= data.Length; at += idSize)
        {
            ulong collection = ReadOffset(data, at + 4);
            if (collection != 0 && !IsUndefined(collection)) GlobalHeapCollection(collection, where + " (attribute values)");
        }
    }

    /// <summary>
    /// A global heap collection (signature GCOL): its declared size must lie inside the file and every object in
    /// it inside the collection. PureHDF decodes a collection object by object, allocating each object's declared
    /// size, and does not stop at the collection's end: one changed size byte (object 1 of 20 KB in a 4 KB
    /// collection) had it read weights as object headers and allocate 1 GB before the end of the file.
    /// </summary>
    void GlobalHeapCollection(ulong address, string where)
    {
        long start = Absolute(address, where);
        if (!globalHeaps.Add(start)) return;
        int headerSize = 8 + lengthSize;
        var head = Read(start, headerSize, where + " (global heap)");
        if (!head.AsSpan(0, 4).SequenceEqual("GCOL"u8))
            throw Error(where, $"expected a global heap collection (signature GCOL) at {address}; the file is corrupt.");
        ulong size = ReadUnsigned(head, 8, lengthSize);
        if (size > (ulong)(length - start))
            throw Error(where, $"the global heap collection at {address} declares {size} bytes; the file holds {length - start} after it: it is truncated or corrupt.");
        var collection = Read(start, (long)size, where + " (global heap)");
        // Objects: index (2), reference count (2), reserved (4), size (a length), then the value padded to 8 bytes.
        for (long at = headerSize; at + headerSize <= collection.Length;)
        {
            int index = BinaryPrimitives.ReadUInt16LittleEndian(collection.AsSpan((int)at));
            ulong objectSize = ReadUnsigned(collection, (int)at + 8, lengthSize);
            ulong room = (ulong)(collection.Length - at - headerSize);
            if (index == 0) { if (objectSize > room + (ulong)headerSize) throw HeapObjectError(where, address, index, objectSize, room); break; }   // free space: the rest
            if (objectSize > room) throw HeapObjectError(where, address, index, objectSize, room);
            at += headerSize + (long)((objectSize + 7) & ~7UL);
        }
    }

    ModelFileException HeapObjectError(string where, ulong address, int index, ulong size, ulong room) =>
        Error(where, $"object {index} of the global heap collection at {address} declares {size} bytes; the collection holds {room} after its header: the file is corrupt.");

    void Link(ReadOnlySpan<byte> data, string where)
    {
        if (data.Length < 2) throw Error(where, "a link message is too short.");
        byte flags = data[1];
        int at = 2;
        int linkType = 0;
        if ((flags & 0x08) != 0) linkType = data[at++];
        if ((flags & 0x04) != 0) at += 8;
        if ((flags & 0x10) != 0) at += 1;
        int nameSizeField = 1 << (flags & 0x03);
        if (at + nameSizeField > data.Length) throw Error(where, "a link message is too short.");
        ulong nameLength = ReadUnsigned(data, at, nameSizeField);
        at += nameSizeField;
        if (nameLength > (ulong)(data.Length - at)) throw Error(where, "a link name runs past its message.");
        var name = System.Text.Encoding.UTF8.GetString(data.Slice(at, (int)nameLength));
        at += (int)nameLength;
        if (linkType != 0) throw RefusedLink(where, name, linkType);
        if (at + offsetSize > data.Length) throw Error(where, $"link \"{name}\" is too short for its address.");
        LinkTo(name, ReadOffset(data, at), where + $" (link \"{name}\")");
    }

    ModelFileException RefusedLink(string where, string name, int linkType) =>
        Error(where, $"link \"{name}\" is a{(linkType switch { 1 => " soft", 64 => "n external", _ => $" user-defined (type {linkType})" })} link. " +
                     "Keras model files hold only hard links; soft and external links are refused (a soft link can loop, an external one names another file).");

    /// <summary>
    /// A link info message: version, flags, the maximum creation index (8 bytes, when flag bit 0 is set), then the
    /// addresses of the fractal heap holding the group's links and of their name index, undefined while the links are
    /// link messages in the group's header.
    /// </summary>
    void LinkInfo(ReadOnlySpan<byte> data, string where)
    {
        int heapAt = 2 + ((data.Length > 1 && (data[1] & 0x01) != 0) ? 8 : 0);
        if (data.Length < heapAt + 2 * offsetSize) throw Error(where, "a link info message is too short.");
        ulong heap = ReadOffset(data, heapAt);
        if (!IsUndefined(heap)) DenseLinks(heap, ReadOffset(data, heapAt + offsetSize), where);
    }

    /// <summary>
    /// The data segment of a symbol table group's local heap (signature HEAP, version, 3 reserved bytes, the segment's
    /// size and free-list offset, both lengths, then its address), where the group's link names are.
    /// </summary>
    byte[] LocalHeap(ulong address, string where)
    {
        long start = Absolute(address, where + " (local heap)");
        var head = Read(start, 8 + 2L * lengthSize + offsetSize, where + " (local heap)");
        if (!head.AsSpan(0, 4).SequenceEqual("HEAP"u8)) throw Error(where, "expected the group's local heap (signature HEAP); the file is corrupt.");
        ulong size = ReadUnsigned(head, 8, lengthSize);
        long segment = Absolute(ReadOffset(head, 8 + 2 * lengthSize), where + " (local heap)");
        if (size > (ulong)(length - segment)) throw Error(where, $"the group's local heap declares {size} bytes; the file holds {length - segment} after it: it is truncated or corrupt.");
        return Read(segment, (long)size, where + " (local heap)");
    }

    void SymbolTree(ulong treeAddress, byte[] names, string where)
    {
        var nodes = new Stack<long>();
        nodes.Push(Absolute(treeAddress, where));
        int keySize = lengthSize;
        while (nodes.Count > 0)
        {
            long node = nodes.Pop();
            if (!visited.Add(-node - 1)) throw Error(where, "the group's B-tree loops.");
            var head = Read(node, 8 + 2L * offsetSize, where + " (B-tree)");
            if (!head.AsSpan(0, 4).SequenceEqual("TREE"u8)) throw Error(where, "expected a group B-tree node (signature TREE); the file is corrupt.");
            if (head[4] != 0) throw Error(where, $"expected a group B-tree node (type 0); found type {head[4]}.");
            int level = head[5];
            int entries = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
            var body = Read(node + head.Length, (long)entries * (keySize + offsetSize) + keySize, where + " (B-tree)");
            for (int i = 0; i < entries; i++)
            {
                long child = Absolute(ReadOffset(body, keySize + i * (keySize + offsetSize)), where + " (B-tree)");
                if (level > 0) nodes.Push(child);
                else SymbolNode(child, names, where);
            }
        }
    }

    void SymbolNode(long address, byte[] names, string where)
    {
        if (!visited.Add(-address - 1)) throw Error(where, "two B-tree entries name the same symbol node: the group loops.");
        var head = Read(address, 8, where + " (symbol node)");
        if (!head.AsSpan(0, 4).SequenceEqual("SNOD"u8)) throw Error(where, "expected a symbol table node (signature SNOD); the file is corrupt.");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
        int entrySize = 2 * offsetSize + 24;
        var entries = Read(address + 8, (long)count * entrySize, where + " (symbol node)");
        for (int i = 0; i < count; i++)
        {
            int at = i * entrySize;
            int cacheType = BinaryPrimitives.ReadInt32LittleEndian(entries.AsSpan(at + 2 * offsetSize));
            var name = NameInHeap(names, ReadOffset(entries, at), where + " (symbol node)");
            if (cacheType == 2) throw RefusedLink(where + " (symbol node)", name, 1);
            LinkTo(name, ReadOffset(entries, at + offsetSize), where + $" (symbol node, link \"{name}\")");
        }
    }

    /// <summary>The NUL-terminated link name at <paramref name="offset"/> of a local heap's data segment.</summary>
    string NameInHeap(byte[] names, ulong offset, string where)
    {
        int end = offset < (ulong)names.Length ? Array.IndexOf(names, (byte)0, (int)offset) : -1;
        if (end < 0) throw Error(where, $"a link name at offset {offset} of the group's local heap ({names.Length} bytes) does not end inside it: the file is corrupt.");
        return System.Text.Encoding.UTF8.GetString(names, (int)offset, end - (int)offset);
    }

    void VerifyChecksum(byte[] block, int covered, string where)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(covered));
        uint actual = JenkinsLookup3.Hash(block.AsSpan(0, covered));
        if (stored != actual)
            throw Error(where, $"the metadata checksum does not match (stored {stored:x8}, computed {actual:x8}): the file was damaged after it was written.");
    }

    byte[] Read(long offset, long count, string where)
    {
        if (offset < 0 || count < 0 || offset > length || count > length - offset)
            throw Error(where, $"{count} bytes at offset {offset} lie past the end of the file ({length} bytes): it is truncated or corrupt.");
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    ulong ReadOffset(ReadOnlySpan<byte> data, int at) => ReadUnsigned(data, at, offsetSize);

    /// <summary>A little-endian unsigned integer of <paramref name="size"/> bytes (HDF5's offsets and lengths are 2, 4 or 8).</summary>
    internal static ulong ReadUnsigned(ReadOnlySpan<byte> data, int at, int size) => size switch
    {
        1 => data[at],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]),
    };

    bool IsUndefined(ulong address) => IsUndefined(address, offsetSize);

    /// <summary>Whether <paramref name="address"/> is HDF5's undefined address (all bits set) for offsets of <paramref name="offsetSize"/> bytes.</summary>
    internal static bool IsUndefined(ulong address, int offsetSize) => offsetSize == 8 ? address == ulong.MaxValue : address == (1UL << (8 * offsetSize)) - 1;
}
