using System.Buffers.Binary;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// The links of a group kept in dense storage (libhdf5 moves a new-style group's links there past 8, with
/// libver='latest' or track_order): each link message is an object of a fractal heap, found through the
/// version 2 B-tree that indexes the links by name. Read here so that the walk visits, checks and records
/// every object such a group links, as it does for compact and symbol-table groups.
/// </summary>
internal sealed partial class Hdf5Metadata
{
    const int BTreePrefix = 10;   // signature, version, type, checksum

    /// <summary>A fractal heap's facts needed to find a managed object by its heap ID.</summary>
    sealed record FractalHeap(long Header, int Width, ulong StartBlockSize, ulong MaxDirectBlockSize, int OffsetBytes, ulong Root, int RootRows, bool Filtered);

    /// <summary>Reads the link messages of the dense group whose fractal heap and name index are at these addresses.</summary>
    void DenseLinks(ulong heapAddress, ulong nameIndexAddress, string where)
    {
        var heap = ReadFractalHeap(heapAddress, where + " (fractal heap)");
        if (IsUndefined(nameIndexAddress)) return;
        long header = Absolute(nameIndexAddress, where + " (link name index)");
        var head = Read(header, 16 + offsetSize + 2 + lengthSize + 4, where + " (link name index)");
        if (!head.AsSpan(0, 4).SequenceEqual("BTHD"u8)) throw Error(where, "expected the group's link name index (signature BTHD); the file is corrupt.");
        VerifyChecksum(head, head.Length - 4, where + " (link name index)");
        uint nodeSize = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(6));
        int recordSize = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(12));
        long root = (long)ReadOffset(head, 16);
        int rootRecords = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(16 + offsetSize));
        if (recordSize < 5 || nodeSize <= BTreePrefix || nodeSize > 1 << 20 || depth > 16)
            throw Error(where, $"the group's link name index declares {nodeSize}-byte nodes of {recordSize}-byte records, {depth} deep; the file is corrupt.");
        if (IsUndefined((ulong)root)) return;

        // Per level: the most records a node holds, and the bytes that count them (and their subtree) in a parent's pointer.
        var maxRecords = new long[depth + 1];
        var countBytes = new int[depth + 1];
        var totalBytes = new int[depth + 1];
        var cumulative = new long[depth + 1];
        maxRecords[0] = (nodeSize - BTreePrefix) / recordSize;
        cumulative[0] = maxRecords[0];
        countBytes[0] = BytesFor(maxRecords[0]);
        for (int level = 1; level <= depth; level++)
        {
            int pointer = offsetSize + countBytes[level - 1] + totalBytes[level - 1];
            maxRecords[level] = (nodeSize - BTreePrefix - pointer) / (recordSize + pointer);
            cumulative[level] = (maxRecords[level] + 1) * cumulative[level - 1] + maxRecords[level];
            countBytes[level] = BytesFor(maxRecords[level]);
            totalBytes[level] = BytesFor(cumulative[level]);
        }

        var nodes = new Stack<(long Address, int Records, int Level)>();
        nodes.Push((Absolute((ulong)root, where), rootRecords, depth));
        while (nodes.Count > 0)
        {
            var (address, records, level) = nodes.Pop();
            if (!visited.Add(-address - 1)) throw Error(where, "the group's link name index loops.");
            if (records > maxRecords[level]) throw Error(where, $"a node of the group's link name index declares {records} records; it holds at most {maxRecords[level]}.");
            var node = Read(address, nodeSize, where + " (link name index)");
            if (!node.AsSpan(0, 4).SequenceEqual(level == 0 ? "BTLF"u8 : "BTIN"u8))
                throw Error(where, $"expected a link name index node (signature {(level == 0 ? "BTLF" : "BTIN")}); the file is corrupt.");
            int end = 6 + records * recordSize;
            VerifyChecksum(node, level == 0 ? end : end + (records + 1) * (offsetSize + countBytes[level - 1] + (level > 1 ? totalBytes[level - 1] : 0)), where + " (link name index)");
            for (int i = 0; i < records; i++)
            {
                // Record type 5: the name's hash (4 bytes), then the link message's heap ID.
                var id = node.AsSpan(6 + i * recordSize + 4, recordSize - 4);
                var message = ManagedObject(heap, id, where);
                Link(message, where);
            }
            if (level == 0) continue;
            int pointerSize = offsetSize + countBytes[level - 1] + (level > 1 ? totalBytes[level - 1] : 0);
            for (int i = 0; i <= records; i++)
            {
                int at = end + i * pointerSize;
                ulong child = ReadOffset(node, at);
                int childRecords = (int)ReadUnsigned(node, at + offsetSize, countBytes[level - 1]);
                nodes.Push((Absolute(child, where + " (link name index)"), childRecords, level - 1));
            }
        }
    }

    /// <summary>Bytes that hold any count up to <paramref name="max"/> (libhdf5's encoded size of a B-tree node's record counts).</summary>
    static int BytesFor(long max) => max <= 0 ? 1 : (63 - (int)long.LeadingZeroCount(max)) / 8 + 1;

    /// <summary>
    /// A fractal heap header (signature FRHP): version, heap ID length, filter info length, flags, the largest managed
    /// object, huge object facts, free space facts, 8 statistics (lengths), then the doubling table: width, starting and
    /// largest direct block sizes, the heap's maximum size in bits, starting rows, the root block's address and its rows.
    /// </summary>
    FractalHeap ReadFractalHeap(ulong address, string where)
    {
        long start = Absolute(address, where);
        int tableAt = 4 + 1 + 2 + 2 + 1 + 4 + lengthSize + offsetSize + lengthSize + offsetSize + 8 * lengthSize;
        int size = tableAt + 2 + 2 * lengthSize + 2 + 2 + offsetSize + 2;
        var head = Read(start, size, where);
        if (!head.AsSpan(0, 4).SequenceEqual("FRHP"u8)) throw Error(where, "expected the group's fractal heap (signature FRHP); the file is corrupt.");
        int filterLength = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(7));
        int width = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(tableAt));
        ulong startBlock = ReadUnsigned(head, tableAt + 2, lengthSize);
        ulong maxDirect = ReadUnsigned(head, tableAt + 2 + lengthSize, lengthSize);
        int maxHeapBits = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(tableAt + 2 + 2 * lengthSize));
        int rowsAt = tableAt + 2 + 2 * lengthSize + 2 + 2;
        ulong root = ReadOffset(head, rowsAt);
        int rootRows = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(rowsAt + offsetSize));
        if (width is 0 or > 4096 || !ulong.IsPow2(startBlock) || !ulong.IsPow2(maxDirect) || maxDirect < startBlock || maxDirect > 1UL << 40
            || maxHeapBits is 0 or > 64 || rootRows > 64)
            throw Error(where, $"the group's fractal heap declares a doubling table of width {width}, blocks of {startBlock} to {maxDirect} bytes, {maxHeapBits} bits; the file is corrupt.");
        return new(start, width, startBlock, maxDirect, (maxHeapBits + 7) / 8, root, rootRows, filterLength > 0);
    }

    /// <summary>
    /// The bytes from a managed object's start to the end of its direct block: the heap ID (type bits 4 and 5 of its
    /// first byte: 0 managed) gives the object's offset in the heap's address space, which the doubling table maps
    /// to a direct block (rows of <c>width</c> blocks, two rows of the starting size, then each row twice the last).
    /// </summary>
    ReadOnlySpan<byte> ManagedObject(FractalHeap heap, ReadOnlySpan<byte> id, string where)
    {
        if (id.Length < 1 + heap.OffsetBytes) throw Error(where, "a heap ID of the group's link name index is too short.");
        int kind = (id[0] >> 4) & 0x03;
        if (kind != 0) throw Error(where, $"a link of this group is a {(kind == 1 ? "huge" : "tiny")} fractal heap object; only managed ones (what libhdf5 writes for links) are read.");
        if (heap.Filtered) throw Error(where, "the group's fractal heap is filtered (compressed); link storage is never compressed by libhdf5, and it is not read.");
        ulong offset = 0;
        for (int i = heap.OffsetBytes - 1; i >= 0; i--) offset = (offset << 8) | id[1 + i];

        if (IsUndefined(heap.Root)) throw Error(where, "the group's fractal heap has no root block but its index names objects in it.");
        long block = Absolute(heap.Root, where);
        ulong blockOffset = 0, blockSize = heap.StartBlockSize;
        int rows = heap.RootRows;
        for (int depth = 0; rows > 0; depth++)   // an indirect block: find the child covering the offset
        {
            if (depth > 64) throw Error(where, "the group's fractal heap nests too deep.");
            int row = 0;
            while (row + 1 < rows && RowStart(heap, row + 1) <= offset - blockOffset) row++;
            ulong size = RowBlockSize(heap, row);
            ulong column = (offset - blockOffset - RowStart(heap, row)) / size;
            if (column >= (ulong)heap.Width) throw Error(where, $"a link's heap offset {offset} lies beyond the group's fractal heap.");
            int directRows = Math.Min(rows, DirectRows(heap));
            int entry = row * heap.Width + (int)column;
            int entryAt = 5 + offsetSize + heap.OffsetBytes + entry * offsetSize;
            var entryBytes = Read(block, entryAt + offsetSize, where + " (fractal heap indirect block)");
            if (!entryBytes.AsSpan(0, 4).SequenceEqual("FHIB"u8))
                throw Error(where, "expected a fractal heap indirect block (signature FHIB); the file is corrupt.");
            ulong child = ReadOffset(entryBytes, entryAt);
            if (IsUndefined(child)) throw Error(where, $"a link's heap offset {offset} lies in a block the group's fractal heap never allocated.");
            blockOffset += RowStart(heap, row) + column * size;
            block = Absolute(child, where);
            blockSize = size;
            rows = row < directRows ? 0 : RowsFor(heap, size);
        }
        var head = Read(block, 4, where + " (fractal heap direct block)");
        if (!head.AsSpan().SequenceEqual("FHDB"u8)) throw Error(where, "expected a fractal heap direct block (signature FHDB); the file is corrupt.");
        ulong within = offset - blockOffset;
        if (within >= blockSize || blockSize > (ulong)(length - block)) throw Error(where, $"a link's heap offset {offset} lies past its fractal heap block.");
        // A link message is at most its 64 KB name and a few fields: read no more than that of the block.
        return Read(block + (long)within, (long)Math.Min(blockSize - within, (1 << 16) + 64), where + " (fractal heap direct block)");
    }

    static ulong RowBlockSize(FractalHeap heap, int row) => row == 0 ? heap.StartBlockSize : heap.StartBlockSize << (row - 1);

    static ulong RowStart(FractalHeap heap, int row) => row == 0 ? 0 : ((ulong)heap.Width * heap.StartBlockSize) << (row - 1);

    /// <summary>Rows whose blocks are direct: up to the largest direct block size.</summary>
    static int DirectRows(FractalHeap heap) => BitOperations(heap.MaxDirectBlockSize) - BitOperations(heap.StartBlockSize) + 2;

    /// <summary>Rows of an indirect block of <paramref name="size"/> bytes.</summary>
    static int RowsFor(FractalHeap heap, ulong size) => BitOperations(size) - BitOperations(heap.StartBlockSize * (ulong)heap.Width) + 1;

    static int BitOperations(ulong powerOfTwo) => System.Numerics.BitOperations.Log2(powerOfTwo);
}
