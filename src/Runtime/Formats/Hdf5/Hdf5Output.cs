using System.Runtime.InteropServices;
using System.Text;
using Layerwise.Layers;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Building blocks for the HDF5 files written here, shaped the way h5py and Keras read them: string
/// lists chunked as Keras chunks them (<c>layer_names0</c>, <c>layer_names1</c>, ... once the list
/// would pass HDF5's 64 KB object-header limit), an empty list as h5py's empty float64 array, and
/// tensors as float32 datasets of their shape.
/// </summary>
internal static class Hdf5Output
{
    /// <summary>Keras' <c>HDF5_OBJECT_HEADER_LIMIT</c>.</summary>
    public const int ObjectHeaderLimit = 64512;

    /// <summary>
    /// Adds the string list <paramref name="values"/> as attribute <paramref name="name"/>, or as
    /// chunks <c>name0</c>, <c>name1</c>, ... when it is too large for one attribute.
    /// </summary>
    public static void AddStringList(IDictionary<string, object> attributes, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            attributes[name] = Array.Empty<double>();
            return;
        }
        // Size as Keras measures it (a fixed-length array: longest name × count), so that whenever
        // Keras would chunk, so do we; PureHDF's variable-length strings also cost 16 bytes each in the header.
        long Bytes(IEnumerable<string> chunk)
        {
            var list = chunk.ToList();
            int longest = list.Max(s => Encoding.UTF8.GetByteCount(s));
            return (long)Math.Max(longest, 16) * list.Count;
        }
        int chunks = 1;
        while (Split(values, chunks).Any(c => Bytes(c) > ObjectHeaderLimit))
        {
            chunks++;
            if (chunks > values.Count)
                throw new LayerwiseException($"Cannot save attribute \"{name}\": one of its names alone is larger than HDF5's 64 KB object header limit.");
        }
        if (chunks == 1)
        {
            attributes[name] = values.ToArray();
            return;
        }
        int index = 0;
        foreach (var chunk in Split(values, chunks)) attributes[name + index++] = chunk.ToArray();
    }

    /// <summary>numpy's <c>array_split</c>: <paramref name="parts"/> nearly equal consecutive pieces.</summary>
    static IEnumerable<IReadOnlyList<string>> Split(IReadOnlyList<string> values, int parts)
    {
        int size = values.Count / parts, extra = values.Count % parts, start = 0;
        for (int p = 0; p < parts; p++)
        {
            int length = size + (p < extra ? 1 : 0);
            yield return values.Skip(start).Take(length).ToList();
            start += length;
        }
    }

    /// <summary>
    /// A float32 dataset of <paramref name="value"/>'s shape and values (any device), with the hash of its values
    /// attached (<see cref="ContentHash"/>; computed by <see cref="WriteNewFile"/>). A contiguous float32 CPU tensor is not copied: PureHDF writes from the
    /// tensor's own memory (<see cref="TensorMemory"/>) when the file is written, so the values must not change
    /// until then (a save runs on the thread that trains). Other tensors are copied into an array first.
    /// </summary>
    public static H5Dataset Dataset(Tensor value)
    {
        ulong[] dims = [.. value.shape.Select(d => (ulong)d)];
        if (value.device_type == TorchSharp.DeviceType.CPU && value.dtype == ScalarType.Float32 && value.is_contiguous()
            && value.NumberOfElements * 4 <= Array.MaxLength)
        {
            var memory = new TensorMemory(value.detach());
            var direct = new H5Dataset(memory.Memory, fileDims: dims);
            ContentHash.AttachLater(direct, memory.Memory);
            return direct;
        }
        using var detached = value.detach();
        using var cpu = detached.cpu().to_type(ScalarType.Float32).contiguous();
        // One memcpy from the tensor's memory (TensorAccessor.ToArray copies element by element: ~10x slower).
        var data = GC.AllocateUninitializedArray<float>((int)cpu.numel());
        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(data);
        var dataset = new H5Dataset(data, fileDims: dims);
        ContentHash.AttachLater(dataset, data);
        return dataset;
    }

    /// <summary>
    /// The memory of a contiguous float32 CPU tensor as a <see cref="Memory{T}"/>, for PureHDF to write from (it
    /// takes the span). Holds an alias of the tensor (the same storage), so the values stay alive until the dataset is
    /// gone; the alias is freed with it, by its finalizer.
    /// </summary>
    sealed class TensorMemory(Tensor alias) : System.Buffers.MemoryManager<float>
    {
        public override Span<float> GetSpan() => MemoryMarshal.Cast<byte, float>(alias.bytes);

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) =>
            throw new NotSupportedException("A tensor's memory is written through its span; it is not pinned.");

        public override void Unpin() { }

        protected override void Dispose(bool disposing) => alias.Dispose();
    }

    public static H5Dataset Dataset(Variable variable) => Dataset(variable.Value);

    /// <summary>
    /// Computes the pending content hashes (<see cref="ContentHash.ComputePending"/>), then writes <paramref name="file"/>
    /// to <paramref name="path"/>, a new file (a save's fresh temporary name; an existing
    /// file is an <see cref="IOException"/>). PureHDF's own <c>Write(path)</c> opens with <see cref="FileMode.Create"/>,
    /// which .NET carries out as an explicit truncation to 0 after opening; on ext4 that marks the file for
    /// "replace by truncate" (auto_da_alloc), and its close then allocates and submits every dirty page on the
    /// saving thread (70-110 ms for 420 MB, measured with strace), work the fsync that follows does anyway.
    /// </summary>
    public static void WriteNewFile(H5File file, string path)
    {
        ContentHash.ComputePending(file);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        file.Write(stream);
    }

    /// <summary>Gets or creates the group at <paramref name="path"/> (slash-separated) under <paramref name="root"/>.</summary>
    public static H5Group GroupAt(H5Group root, string path)
    {
        var group = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!group.TryGetValue(part, out var child))
            {
                child = new H5Group();
                group[part] = child;
            }
            group = child as H5Group ?? throw new LayerwiseException($"Cannot create group \"{path}\": \"{part}\" is already a dataset.");
        }
        return group;
    }

    /// <summary>Adds a dataset at <paramref name="path"/> (slash-separated, groups created as needed).</summary>
    public static void Put(H5Group root, string path, object dataset)
    {
        int slash = path.LastIndexOf('/');
        var group = slash < 0 ? root : GroupAt(root, path[..slash]);
        var name = path[(slash + 1)..];
        if (group.ContainsKey(name)) throw new LayerwiseException($"Cannot save two objects at \"{path}\": give the layers or weights distinct names.");
        group[name] = dataset;
    }
}
