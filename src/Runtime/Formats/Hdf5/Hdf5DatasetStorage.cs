using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using PureHDF;
using PureHDF.VOL.Native;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Where a dataset's values are in the file, which PureHDF parses but does not make public: the data layout
/// message's address and size, whether the values live in other files (an external file list), and the byte
/// order of a float type. The loader needs them to check, before it writes into a model, that every value is
/// backed by bytes of this file, and to read a contiguous little-endian float32 dataset straight from the file
/// into a weight's memory. Read through reflection on PureHDF's internal types, named by literals so that
/// trimming keeps them (the version is pinned in Directory.Packages.props); when they cannot be found, <see cref="Of"/> returns null and the loader falls
/// back to PureHDF's own read into a staging copy, as safe and only slower.
/// </summary>
internal static class Hdf5DatasetStorage
{
    /// <summary>A dataset's storage: its layout, the address and size of a contiguous one's bytes (address null when
    /// none were allocated: the values are the fill value), whether they are in external files, whether the type is little-endian.</summary>
    public sealed record Storage(H5DataLayoutClass Layout, ulong? Address, ulong? Size, bool External, bool LittleEndian);

    const DynamicallyAccessedMemberTypes Properties = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties;
    const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    static readonly PropertyInfo? DataLayout = typeof(NativeDataset).GetProperty("InternalDataLayout", Instance);
    static readonly PropertyInfo? ExternalFiles = typeof(NativeDataset).GetProperty("InternalExternalFileList", Instance);
    static readonly PropertyInfo? DataType = typeof(NativeDataset).GetProperty("InternalDataType", Instance);
    [DynamicallyAccessedMembers(Properties)] static readonly Type? Layout3 = Type.GetType("PureHDF.VOL.Native.DataLayoutMessage3, PureHDF");
    [DynamicallyAccessedMembers(Properties)] static readonly Type? Layout12 = Type.GetType("PureHDF.VOL.Native.DataLayoutMessage12, PureHDF");
    [DynamicallyAccessedMembers(Properties)] static readonly Type? ContiguousProperties = Type.GetType("PureHDF.VOL.Native.ContiguousStoragePropertyDescription, PureHDF");
    static readonly PropertyInfo? Layout3Properties = Layout3?.GetProperty("Properties", Instance);
    static readonly PropertyInfo? Layout12Address = Layout12?.GetProperty("Address", Instance);
    static readonly PropertyInfo? ContiguousAddress = ContiguousProperties?.GetProperty("Address", Instance);
    static readonly PropertyInfo? ContiguousSize = ContiguousProperties?.GetProperty("Size", Instance);
    static readonly PropertyInfo? BitField = Type.GetType("PureHDF.VOL.Native.DatatypeMessage, PureHDF")?.GetProperty("BitField", Instance);
    static readonly PropertyInfo? FloatByteOrder = Type.GetType("PureHDF.VOL.Native.FloatingPointBitFieldDescription, PureHDF")?.GetProperty("ByteOrder", Instance);

    /// <summary>The storage of <paramref name="dataset"/>, or null when PureHDF's internals are not as expected.</summary>
    public static Storage? Of(IH5Dataset dataset)
    {
        if (dataset is not NativeDataset native || DataLayout is null || ExternalFiles is null) return null;
        var layout = dataset.Layout.Class;
        bool external = ExternalFiles.GetValue(native) is not null;
        bool littleEndian = IsLittleEndianFloat(native);
        if (layout != H5DataLayoutClass.Contiguous) return new(layout, null, null, external, littleEndian);
        var message = DataLayout.GetValue(native);
        ulong address;
        ulong? size = null;
        if (message is not null && Layout3 is not null && Layout3.IsInstanceOfType(message))
        {
            var properties = Layout3Properties?.GetValue(message);
            if (properties is null || ContiguousProperties is null || !ContiguousProperties.IsInstanceOfType(properties)) return null;
            if (ContiguousAddress?.GetValue(properties) is not ulong a || ContiguousSize?.GetValue(properties) is not ulong s) return null;
            address = a;
            size = s;
        }
        else if (message is not null && Layout12 is not null && Layout12.IsInstanceOfType(message))
        {
            if (Layout12Address?.GetValue(message) is not ulong a) return null;
            address = a;   // versions 1 and 2 store no size: the dataspace and type give it
        }
        else return null;
        bool undefined = address == ulong.MaxValue || address == uint.MaxValue;
        return new(layout, undefined ? null : address, size, external, littleEndian);
    }

    static bool IsLittleEndianFloat(NativeDataset dataset)
    {
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || DataType is null || BitField is null || FloatByteOrder is null) return false;
        var bits = BitField.GetValue(DataType.GetValue(dataset));
        return bits is not null && FloatByteOrder.DeclaringType!.IsInstanceOfType(bits)
               && FloatByteOrder.GetValue(bits)?.ToString() == "LittleEndian";
    }
}
