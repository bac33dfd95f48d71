using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.VOL.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// An HDF5 file opened for reading, with the checks every reader here needs: the signature is
/// verified before PureHDF parses anything, every failure of the parser becomes a
/// <see cref="ModelFileException"/> naming the file and the object, string attributes are read
/// whether h5py stored them fixed- or variable-length (and long lists whether chunked or not), and
/// datasets are read straight into tensor memory after their type, shape and size were checked
/// against what the model expects and against the file's length.
/// </summary>
internal sealed class Hdf5Input : IDisposable
{
    static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    readonly NativeFile file;
    readonly FileStream stream;

    /// <summary>What the metadata walk recorded: where each dataset's values are.</summary>
    readonly Hdf5Metadata metadata;

    /// <summary>The path from the root of every group handed out (PureHDF names an object by its last link only).</summary>
    readonly ConditionalWeakTable<IH5Object, string> groupPaths = new();

    /// <summary>The recorded storage of every dataset <see cref="FloatDataset"/> checked, for <see cref="DirectValues"/>.</summary>
    readonly ConditionalWeakTable<IH5Dataset, Hdf5DatasetStorage> checkedStorage = new();

    Hdf5Input(string path, NativeFile file, FileStream stream, long length, Hdf5Metadata metadata)
    {
        FilePath = path;
        this.file = file;
        this.stream = stream;
        Length = length;
        this.metadata = metadata;
        groupPaths.Add(file, "/");
    }

    public string FilePath { get; }

    /// <summary>The file's length in bytes: no dataset can hold more.</summary>
    public long Length { get; }

    public IH5Group Root => file;

    /// <summary>
    /// Opens <paramref name="path"/>, checking that it is a regular HDF5 file whose metadata checksums
    /// hold and whose links are all hard links (<see cref="Hdf5Metadata"/>) before PureHDF parses it.
    /// </summary>
    public static Hdf5Input Open(string path, string displayPath)
    {
        var stream = RegularFile.OpenRead(path, displayPath);
        try
        {
            long length = stream.Length;
            long signature = SignatureOffset(stream, length);
            if (signature < 0)
                throw new ModelFileException(displayPath, "", $"expected an HDF5 file (signature \\x89HDF\\r\\n\\x1a\\n at offset 0, 512, 1024, ...); " +
                    $"the file ({length} bytes) does not have one. It is not HDF5, or it is truncated or corrupt.");
            var metadata = Hdf5Metadata.Verify(stream, length, displayPath, signature);
            stream.Position = 0;
            return new Hdf5Input(displayPath, H5File.Open(new StackGuardStream(stream)), stream, length, metadata);
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            stream.Dispose();
            throw new ModelFileException(displayPath, "/", $"the HDF5 structure cannot be read ({e.Message}); the file is truncated or corrupt.", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Where the HDF5 signature is (offset 0, 512, 1024, ...), or -1.</summary>
    static long SignatureOffset(Stream stream, long length)
    {
        Span<byte> buffer = stackalloc byte[8];
        for (long offset = 0; offset + 8 <= length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            stream.ReadExactly(buffer);
            if (buffer.SequenceEqual(Signature)) return offset;
            if (offset >= 1 << 20) break;
        }
        return -1;
    }

    /// <summary>Exceptions PureHDF (or the stream under it) throws on bad input; not our own errors.</summary>
    public static bool IsParserFailure(Exception e) => e is not (LayerwiseException or StackOverflowException);

    /// <summary>Runs a read, turning parser failures into <see cref="ModelFileException"/>s about <paramref name="objectPath"/>.</summary>
    public T Guard<T>(string objectPath, string expected, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            throw Error(objectPath, $"{expected}, but it could not be read ({e.GetType().Name}: {e.Message}). The file is truncated or corrupt.", e);
        }
    }

    public ModelFileException Error(string objectPath, string message, Exception? inner = null) => new(FilePath, objectPath, message, inner);

    public bool HasLink(IH5Group group, string name) => Guard(Join(group, name), "a link", () => group.LinkExists(name));

    public IH5Group Group(IH5Group group, string name)
    {
        var path = Join(group, name);
        if (!HasLink(group, name)) throw Error(path, "expected a group here; the file has none.");
        var child = Guard(path, "expected a group", () => group.Group(name));
        groupPaths.AddOrUpdate(child, FullPath(group, name));
        return child;
    }

    /// <summary>The objects <paramref name="group"/> links, its subgroups known by their path for <see cref="FloatDataset"/>.</summary>
    public IReadOnlyList<IH5Object> Children(IH5Group group)
    {
        var children = Guard(PathOf(group), "a group", () => group.Children().ToList());
        foreach (var child in children)
            if (child is IH5Group sub) groupPaths.AddOrUpdate(sub, FullPath(group, child.Name.Split('/')[^1]));
        return children;
    }

    public bool HasAttribute(IH5Object obj, string name) => Guard(PathOf(obj) + "@" + name, "an attribute", () => obj.AttributeExists(name));

    /// <summary>A string attribute (fixed- or variable-length, scalar or a one-element array).</summary>
    public string ReadString(IH5Object obj, string name)
    {
        var where = PathOf(obj) + "@" + name;
        if (!HasAttribute(obj, name)) throw Error(where, "expected a string attribute; there is none.");
        return Guard(where, "expected a string attribute", () =>
        {
            var attribute = obj.Attribute(name);
            RequireString(attribute, where);
            if (attribute.Space.Type == H5DataspaceType.Scalar) return Clean(attribute.Read<string>());
            var values = attribute.Read<string[]>();
            if (values.Length != 1) throw Error(where, $"expected one string; the attribute holds {values.Length}.");
            return Clean(values[0]);
        });
    }

    public string? ReadOptionalString(IH5Object obj, string name) => HasAttribute(obj, name) ? ReadString(obj, name) : null;

    /// <summary>
    /// A list of strings stored as Keras does: attribute <paramref name="name"/>, or chunks
    /// <c>name0</c>, <c>name1</c>, ... when it exceeded HDF5's 64 KB object header; an empty
    /// float64 array (what h5py writes for an empty list) reads as no strings.
    /// </summary>
    public string[] ReadStringList(IH5Object obj, string name)
    {
        if (HasAttribute(obj, name)) return ReadStringArray(obj, name);
        var chunks = new List<string>();
        int chunk = 0;
        for (; HasAttribute(obj, name + chunk); chunk++)
            chunks.AddRange(ReadStringArray(obj, name + chunk));
        if (chunk == 0) throw Error(PathOf(obj) + "@" + name, $"expected a list of names (attribute \"{name}\", or chunks \"{name}0\", \"{name}1\", ...); there is none.");
        return [.. chunks];
    }

    string[] ReadStringArray(IH5Object obj, string name)
    {
        var where = PathOf(obj) + "@" + name;
        return Guard(where, "expected a list of strings", () =>
        {
            var attribute = obj.Attribute(name);
            if (attribute.Type.Class == H5DataTypeClass.FloatingPoint && TotalElements(attribute.Space) == 0) return [];
            RequireString(attribute, where);
            if (attribute.Space.Type == H5DataspaceType.Scalar) return [Clean(attribute.Read<string>())];
            return attribute.Read<string[]>().Select(Clean).ToArray();
        });
    }

    void RequireString(IH5Attribute attribute, string where)
    {
        var type = attribute.Type;
        bool isString = type.Class == H5DataTypeClass.String
                        || (type.Class == H5DataTypeClass.VariableLength && IsVariableLengthString(type));
        if (!isString) throw Error(where, $"expected strings; the attribute holds {type.Class} values.");
        if (attribute.Space.Type == H5DataspaceType.Simple && TotalElements(attribute.Space) * (ulong)Math.Max(type.Size, 1) > (ulong)Length)
            throw Error(where, "the attribute declares more data than the file holds.");
    }

    static bool IsVariableLengthString(IH5DataType type)
    {
        try
        {
            return type.VariableLength.BaseType.Class == H5DataTypeClass.String || type.VariableLength.BaseType.Class == H5DataTypeClass.FixedPoint;
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            return false;
        }
    }

    /// <summary>Fixed-length strings come padded with NULs (h5py's <c>|S17</c>); drop them.</summary>
    static string Clean(string? s) => (s ?? "").TrimEnd('\0');

    public static ulong TotalElements(IH5Dataspace space)
    {
        if (space.Type == H5DataspaceType.Scalar) return 1;
        if (space.Type == H5DataspaceType.Null) return 0;
        ulong total = 1;
        foreach (var d in space.Dimensions) total = checked(total * d);
        return total;
    }

    /// <summary>The dataset's shape, after checking it exists and holds floats.</summary>
    public (IH5Dataset Dataset, long[] Shape) FloatDataset(IH5Group group, string name)
    {
        var path = Join(group, name);
        var fullPath = FullPath(group, name);
        if (!HasLink(group, name)) throw Error(path, "expected a weight dataset here; the file has none.");
        return Guard(path, "expected a float dataset", () =>
        {
            if (group.Get(name) is not IH5Dataset dataset) throw Error(path, "expected a dataset; this is a group.");
            var type = dataset.Type;
            // Integers too: tf.keras keeps a few weights as int64 (Normalization's count), read here as float32.
            bool floats = type.Class == H5DataTypeClass.FloatingPoint && type.Size is 4 or 8 or 2;
            bool integers = type.Class == H5DataTypeClass.FixedPoint && type.Size is 4 or 8;
            if (!floats && !integers)
                throw Error(path, $"expected float32 values; the dataset holds {type.Class} of {type.Size} bytes.");
            var space = dataset.Space;
            long[] shape = space.Type == H5DataspaceType.Scalar ? [] : space.Dimensions.Select(d => checked((long)d)).ToArray();
            ulong bytes;
            try { bytes = checked(TotalElements(space) * (ulong)type.Size); }
            catch (OverflowException) { throw Error(path, "the dataset declares more elements than can exist."); }
            if (bytes > (ulong)Length && dataset.Layout.Class != H5DataLayoutClass.Chunked)
                throw Error(path, $"the dataset declares {bytes} bytes of data but the file is only {Length} bytes long: it is truncated or corrupt.");
            checkedStorage.AddOrUpdate(dataset, CheckExtent(dataset, bytes, fullPath));
            return (dataset, shape);
        });
    }

    /// <summary>
    /// The storage the metadata walk recorded for the dataset at <paramref name="path"/> (<see cref="Hdf5Metadata.Dataset"/>),
    /// after checking that it agrees with what PureHDF parsed from the same header: a disagreement means the file can
    /// be read two ways, and it is refused rather than read either way.
    /// </summary>
    Hdf5DatasetStorage Storage(IH5Dataset dataset, string path)
    {
        var storage = metadata.Dataset(path);
        string? differs = null;
        if (storage.Layout != dataset.Layout.Class)
            differs = $"a {storage.Layout} layout, PureHDF a {dataset.Layout.Class} one";
        else if (storage.Elements is { } elements && elements != TotalElements(dataset.Space))
            differs = $"{elements} elements, PureHDF {TotalElements(dataset.Space)}";
        else if (storage.Type is { } type && (type.Size != dataset.Type.Size || type.Class != (int)dataset.Type.Class))
            differs = $"{type.Size}-byte elements of type class {type.Class}, PureHDF {dataset.Type.Size}-byte {dataset.Type.Class} ({(int)dataset.Type.Class})";
        if (differs is not null)
            throw Error(path, $"the dataset's object header reads two ways: the metadata check finds {differs}. The file is corrupt.");
        return storage;
    }

    /// <summary>
    /// Checks that the values of a contiguous dataset are bytes of this file (its storage holds exactly the
    /// <paramref name="bytes"/> its shape and type need, unfiltered, and ends inside the file), and refuses values
    /// kept in external files or virtual datasets (which PureHDF would open; Keras never writes them). Chunked and
    /// compact datasets are checked when they are read, before any weight changes.
    /// </summary>
    Hdf5DatasetStorage CheckExtent(IH5Dataset dataset, ulong bytes, string path)
    {
        var storage = Storage(dataset, path);
        if (storage.External)
            throw Error(path, "the dataset's values are kept in external files (an HDF5 external file list); Keras never writes those, and they are not read.");
        if (storage.Layout == H5DataLayoutClass.VirtualStorage)
            throw Error(path, "the dataset is virtual (its values are mapped from other datasets, possibly in other files); Keras never writes those, and they are not read.");
        if (storage.Layout != H5DataLayoutClass.Contiguous) return storage;
        if (storage.Filters > 0)
            throw Error(path, $"the dataset is stored contiguously but declares {storage.Filters} filter(s); HDF5 filters only chunked data: the file is corrupt.");
        if (storage.StoredSize is { } size && size != bytes)
            throw Error(path, $"the dataset's storage holds {size} bytes but its shape and type need {bytes}: the file is corrupt.");
        if (storage.Address is not { } address) return storage;   // never written: PureHDF gives the fill value
        ulong start = (ulong)metadata.BaseAddress + address;
        if (address > (ulong)Length || start > (ulong)Length || bytes > (ulong)Length - start)
            throw Error(path, $"the dataset's {bytes} bytes of values are declared at address {address}, past the end of the file ({Length} bytes): it is truncated or corrupt.");
        return storage;
    }

    /// <summary>
    /// The values of <paramref name="dataset"/> (checked by <see cref="FloatDataset"/>) as a place in the file that can be
    /// read straight into a weight, or null when they must go through PureHDF: compact or chunked storage (no single
    /// run of bytes), values never written (the fill value), or a type other than little-endian float32 (converted).
    /// </summary>
    public Hdf5ContiguousValues? DirectValues(IH5Dataset dataset, string path)
    {
        if (!checkedStorage.TryGetValue(dataset, out var storage))
            throw new InvalidOperationException($"{path}: DirectValues reads only a dataset FloatDataset has checked.");
        if (storage is not { Layout: H5DataLayoutClass.Contiguous, Address: { } address, Type.LittleEndianSingle: true, External: false, Filters: 0 }) return null;
        long bytes = checked((long)TotalElements(dataset.Space) * 4);
        return new Hdf5ContiguousValues(stream.SafeFileHandle, FilePath, path, checked(metadata.BaseAddress + (long)address), bytes,
                                        Guard(path, "a content hash", () => ContentHash.RecordedBy(dataset)));
    }

    /// <summary>
    /// Reads a float dataset whose shape has been checked into a new CPU float32 tensor of that shape,
    /// straight into the tensor's memory (no managed copy for float32 data).
    /// </summary>
    public Tensor ReadFloats(IH5Dataset dataset, long[] shape, string path)
    {
        var tensor = empty(shape, ScalarType.Float32);
        try
        {
            ReadFloats(dataset, tensor, path);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a float dataset whose shape has been checked into <paramref name="target"/> (a contiguous
    /// CPU float32 tensor of that shape): float32 data goes from the file straight into the tensor's
    /// memory, one read call, no managed copy.
    /// </summary>
    public void ReadFloats(IH5Dataset dataset, Tensor target, string path)
    {
        // Written past torch: counted, so a layout cached from the weight is not used again (also after a partial read).
        try { ReadFloatsUncounted(dataset, target, path); }
        finally { TensorVersion.MarkWritten(target); }
    }

    void ReadFloatsUncounted(IH5Dataset dataset, Tensor target, string path)
    {
        Guard(path, "expected float values", () =>
        {
            var native = dataset as NativeDataset ?? throw Error(path, "expected a dataset of this file.");
            var values = MemoryMarshal.Cast<byte, float>(target.bytes);
            if (dataset.Type.Class == H5DataTypeClass.FixedPoint)
            {
                var integers = new long[values.Length];
                if (dataset.Type.Size == 8) native.Read(integers.AsSpan());
                else
                {
                    var ints = new int[values.Length];
                    native.Read(ints.AsSpan());
                    for (int i = 0; i < ints.Length; i++) integers[i] = ints[i];
                }
                for (int i = 0; i < integers.Length; i++) values[i] = integers[i];
            }
            else if (dataset.Type.Size == 4)
            {
                native.Read(values);
                ContentHash.Verify(dataset, values, FilePath, path);
            }
            else if (dataset.Type.Size == 8)
            {
                var doubles = new double[values.Length];
                native.Read(doubles.AsSpan());
                for (int i = 0; i < doubles.Length; i++) values[i] = (float)doubles[i];
            }
            else
            {
                var halves = new Half[values.Length];
                native.Read(halves.AsSpan());
                for (int i = 0; i < halves.Length; i++) values[i] = (float)halves[i];
            }
            return 0;
        });
    }

    /// <summary>
    /// Registers the values of <paramref name="dataset"/> (checked by <see cref="FloatDataset"/> to have
    /// <paramref name="target"/>'s shape) with <paramref name="staged"/>: straight from the file into the weight when
    /// they are contiguous float32, else read now through PureHDF.
    /// </summary>
    public void ReadWeight(StagedWeights staged, Layers.Variable target, IH5Dataset dataset, string path)
    {
        if (DirectValues(dataset, path) is { } direct) staged.Read(target, direct);
        else staged.Read(target, value => ReadFloats(dataset, value, path));
    }

    /// <summary>As <see cref="ReadWeight"/>, for the optimizer slot <paramref name="slot"/> of <paramref name="variable"/>.</summary>
    public void ReadSlot(StagedWeights staged, Training.Optimizers.Optimizer optimizer, Layers.Variable variable, string slot, IH5Dataset dataset, string path)
    {
        if (DirectValues(dataset, path) is { } direct) staged.ReadSlot(variable, slot, direct);
        else staged.ReadSlot(optimizer, variable, slot, value => ReadFloats(dataset, value, path));
    }

    /// <summary>A scalar integer dataset (an optimizer's iteration count).</summary>
    public long ReadInteger(IH5Group group, string name)
    {
        var path = Join(group, name);
        return Guard(path, "expected an integer scalar", () =>
        {
            if (group.Get(name) is not IH5Dataset dataset) throw Error(path, "expected a dataset; this is a group.");
            if (TotalElements(dataset.Space) != 1) throw Error(path, "expected a single number.");
            return dataset.Type.Class switch
            {
                H5DataTypeClass.FixedPoint when dataset.Type.Size == 8 => dataset.Type.FixedPoint.IsSigned ? dataset.Read<long>() : checked((long)dataset.Read<ulong>()),
                H5DataTypeClass.FixedPoint when dataset.Type.Size == 4 => dataset.Type.FixedPoint.IsSigned ? dataset.Read<int>() : dataset.Read<uint>(),
                H5DataTypeClass.FloatingPoint when dataset.Type.Size == 4 => (long)dataset.Read<float>(),
                H5DataTypeClass.FloatingPoint when dataset.Type.Size == 8 => (long)dataset.Read<double>(),
                _ => throw Error(path, $"expected an integer; the dataset holds {dataset.Type.Class} of {dataset.Type.Size} bytes."),
            };
        });
    }

    /// <summary>The path from the root of <paramref name="name"/> in <paramref name="group"/>, a group this input handed out.</summary>
    string FullPath(IH5Group group, string name) =>
        groupPaths.TryGetValue(group, out var parent) ? (parent == "/" ? "/" + name : parent + "/" + name)
            : throw new InvalidOperationException($"{PathOf(group)} was not opened through Hdf5Input.Group, so its path from the root is unknown.");

    public static string PathOf(IH5Object obj) => obj is NativeFile ? "/" : obj.Name.StartsWith('/') ? obj.Name : "/" + obj.Name;

    public static string Join(IH5Object group, string name)
    {
        var parent = PathOf(group);
        return parent.EndsWith('/') ? parent + name : parent + "/" + name;
    }

    public void Dispose() => file.Dispose();
}
