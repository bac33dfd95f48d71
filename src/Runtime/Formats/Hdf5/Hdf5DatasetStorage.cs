using System.Buffers.Binary;
using PureHDF;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Where and how a dataset's values are stored, as its object header says: the data layout message (0x0008:
/// compact, contiguous with the address and size of its bytes, or chunked), the dataspace (0x0001), the datatype
/// (0x0003), the filter pipeline (0x000B) and whether an external file list (0x0007) moves the values to other
/// files. <see cref="Hdf5Metadata"/> parses these messages during its walk, before PureHDF reads the file, so the
/// loader can check that a contiguous dataset's bytes lie inside the file and read them straight into a weight
/// without asking PureHDF for what it keeps internal.
/// </summary>
/// <param name="Layout">The layout class.</param>
/// <param name="LayoutVersion">The layout message's version (1 to 4; 1 and 2 store no size).</param>
/// <param name="Address">The contiguous bytes' file address (relative to the superblock's base address), or null when
/// none was allocated: the values are the fill value. Null for other layouts.</param>
/// <param name="StoredSize">The contiguous bytes' size as the layout message (version 3 or later) states it, else null.</param>
/// <param name="Elements">The dataspace's element count, or null when the dataspace message is shared (kept elsewhere).</param>
/// <param name="Type">The datatype, or null when it is shared (a committed datatype).</param>
/// <param name="Filters">How many filters the pipeline applies (0 without a filter pipeline message).</param>
/// <param name="External">Whether an external file list keeps the values in other files.</param>
internal sealed record Hdf5DatasetStorage(H5DataLayoutClass Layout, int LayoutVersion, ulong? Address, ulong? StoredSize,
                                          ulong? Elements, Hdf5DatasetStorage.Datatype? Type, int Filters, bool External)
{
    /// <summary>Object header message types parsed here.</summary>
    public const int DataspaceMessage = 0x01, DatatypeMessage = 0x03, ExternalFilesMessage = 0x07, LayoutMessage = 0x08, FilterPipelineMessage = 0x0B;

    /// <summary>A datatype message's facts: its class (0 fixed-point, 1 floating-point, ...), element size in bytes,
    /// and whether it is an IEEE 754 single-precision float stored little-endian (what can be copied into a float32 tensor).</summary>
    public sealed record Datatype(int Class, uint Size, bool LittleEndianSingle);

    /// <summary>Collects the messages of one object header; a header with a layout message is a dataset's.</summary>
    internal sealed class Builder(int offsetSize, int lengthSize, Func<string, ModelFileException> error)
    {
        H5DataLayoutClass? layout;
        int layoutVersion;
        ulong? address, storedSize, elements;
        Datatype? type;
        bool sharedDataspace, sharedType;
        int filters;
        bool external;

        /// <summary>The dataset's storage, or null when the header has no layout message (a group, a committed datatype).</summary>
        public Hdf5DatasetStorage? Build()
        {
            if (layout is not { } l) return null;
            if (elements is null && !sharedDataspace) throw error("a dataset's header has a data layout message but no dataspace message.");
            if (type is null && !sharedType) throw error("a dataset's header has a data layout message but no datatype message.");
            return new(l, layoutVersion, address, storedSize, elements, type, filters, external);
        }

        /// <summary>A message that is a reference to one kept elsewhere (flag bit 1): only its presence is known.</summary>
        public void Shared(int messageType)
        {
            if (messageType == DataspaceMessage) sharedDataspace = true;
            else if (messageType == DatatypeMessage) sharedType = true;
        }

        /// <summary>Parses <paramref name="data"/> when <paramref name="messageType"/> is one of the messages above.</summary>
        public void Message(int messageType, ReadOnlySpan<byte> data)
        {
            switch (messageType)
            {
                case DataspaceMessage: Once(elements is not null || sharedDataspace, "dataspace"); elements = Dataspace(data); break;
                case DatatypeMessage: Once(type is not null || sharedType, "datatype"); type = ParseDatatype(data); break;
                case LayoutMessage: Once(layout is not null, "data layout"); Layout(data); break;
                case FilterPipelineMessage:
                    if (data.Length < 2) throw error("a filter pipeline message is too short.");
                    filters += data[1];
                    break;
                case ExternalFilesMessage: external = true; break;
            }
        }

        void Once(bool seen, string what)
        {
            if (seen) throw error($"a dataset's header holds two {what} messages; HDF5 writes one.");
        }

        /// <summary>Version 1: version, rank, flags, 5 reserved bytes; version 2: version, rank, flags, type (0 scalar,
        /// 1 simple, 2 null). Then rank dimension sizes (a length each), maximum sizes after them when flag bit 0 is set.</summary>
        ulong Dataspace(ReadOnlySpan<byte> data)
        {
            if (data.Length < 4) throw error("a dataspace message is too short.");
            int version = data[0], rank = data[1];
            int dimensionsAt = version switch
            {
                1 => 8,
                2 => 4,
                _ => throw error($"expected dataspace message version 1 or 2; found {version}."),
            };
            if (version == 2 && data[3] == 2) return 0;   // null dataspace: no elements
            if (rank > 32) throw error($"a dataspace declares {rank} dimensions; HDF5 allows 32.");
            if (data.Length < dimensionsAt + rank * lengthSize) throw error("a dataspace message is too short for its dimensions.");
            ulong count = 1;
            for (int i = 0; i < rank; i++)
            {
                ulong size = Hdf5Metadata.ReadUnsigned(data, dimensionsAt + i * lengthSize, lengthSize);
                try { count = checked(count * size); }
                catch (OverflowException) { throw error("a dataspace declares more elements than can exist."); }
            }
            return count;
        }

        /// <summary>
        /// Class and version (1 byte), class bit field (3 bytes), size (4 bytes), then the class's properties. A float is
        /// IEEE single-precision little-endian when the byte order bits (0 and 6) are clear, no padding bits (1 to 3) are
        /// set, the mantissa's leading bit is implied (bits 4 and 5 = 2), the sign is bit 31, and the properties are bit
        /// offset 0, precision 32, exponent at 23 of 8 bits, mantissa at 0 of 23 bits, exponent bias 127.
        /// </summary>
        Datatype ParseDatatype(ReadOnlySpan<byte> data)
        {
            if (data.Length < 8) throw error("a datatype message is too short.");
            int typeClass = data[0] & 0x0F;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            bool single = typeClass == 1 && size == 4 && data.Length >= 20
                          && (data[1] & 0x4F) == 0 && ((data[1] >> 4) & 0x03) == 2 && data[2] == 31
                          && BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) == 0 && BinaryPrimitives.ReadUInt16LittleEndian(data[10..]) == 32
                          && data[12] == 23 && data[13] == 8 && data[14] == 0 && data[15] == 23
                          && BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) == 127;
            return new(typeClass, size, single);
        }

        /// <summary>
        /// Versions 1 and 2: version, rank, layout class, 5 reserved bytes, the address (not for compact), rank 4-byte
        /// dimension sizes, then for compact a 4-byte size and the values: no size for contiguous data, which the
        /// dataspace and datatype give. Versions 3 and 4: version, layout class, then for contiguous the address and
        /// the size (a length), for compact a 2-byte size and the values; chunked data has an index, not one address.
        /// </summary>
        void Layout(ReadOnlySpan<byte> data)
        {
            if (data.Length < 2) throw error("a data layout message is too short.");
            layoutVersion = data[0];
            int layoutClass = layoutVersion < 3 ? (data.Length >= 3 ? data[2] : -1) : data[1];
            layout = layoutClass switch
            {
                0 => H5DataLayoutClass.Compact,
                1 => H5DataLayoutClass.Contiguous,
                2 => H5DataLayoutClass.Chunked,
                3 when layoutVersion >= 4 => H5DataLayoutClass.VirtualStorage,
                _ => throw error($"a data layout message declares layout class {layoutClass}; expected 0 (compact), 1 (contiguous), 2 (chunked) or 3 (virtual)."),
            };
            if (layoutVersion is < 1 or > 4) throw error($"expected data layout message version 1 to 4; found {layoutVersion}.");
            if (layout != H5DataLayoutClass.Contiguous) return;
            int addressAt = layoutVersion < 3 ? 8 : 2;
            int needed = addressAt + offsetSize + (layoutVersion < 3 ? 0 : lengthSize);
            if (data.Length < needed) throw error("a contiguous data layout message is too short for its address and size.");
            ulong a = Hdf5Metadata.ReadUnsigned(data, addressAt, offsetSize);
            address = Hdf5Metadata.IsUndefined(a, offsetSize) ? null : a;
            if (layoutVersion >= 3) storedSize = Hdf5Metadata.ReadUnsigned(data, addressAt + offsetSize, lengthSize);
        }
    }
}
