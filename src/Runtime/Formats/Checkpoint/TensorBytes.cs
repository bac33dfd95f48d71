using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Moves tensor contents to and from byte spans in bounded chunks, so that saving or loading a
/// large weight never needs a second full-size copy on the managed heap. Bytes are the tensor's
/// native little-endian layout, row-major, as bundles store them.
/// </summary>
internal static class TensorBytes
{
    public delegate void ChunkReader(ReadOnlySpan<byte> chunk);
    public delegate void ChunkWriter(Span<byte> chunk);

    public static TensorDataType DataTypeOf(Tensor tensor) => tensor.dtype switch
    {
        ScalarType.Float32 => TensorDataType.Float,
        ScalarType.Float64 => TensorDataType.Double,
        ScalarType.Float16 => TensorDataType.Half,
        ScalarType.BFloat16 => TensorDataType.BFloat16,
        ScalarType.Int64 => TensorDataType.Int64,
        ScalarType.Int32 => TensorDataType.Int32,
        ScalarType.Int16 => TensorDataType.Int16,
        ScalarType.Int8 => TensorDataType.Int8,
        ScalarType.Byte => TensorDataType.UInt8,
        ScalarType.Bool => TensorDataType.Bool,
        _ => throw new NotSupportedException($"Tensors of type {tensor.dtype} cannot be stored in a checkpoint."),
    };

    public static ScalarType ScalarTypeOf(TensorDataType type) => type switch
    {
        TensorDataType.Float => ScalarType.Float32,
        TensorDataType.Double => ScalarType.Float64,
        TensorDataType.Half => ScalarType.Float16,
        TensorDataType.BFloat16 => ScalarType.BFloat16,
        TensorDataType.Int64 => ScalarType.Int64,
        TensorDataType.Int32 => ScalarType.Int32,
        TensorDataType.Int16 => ScalarType.Int16,
        TensorDataType.Int8 => ScalarType.Int8,
        TensorDataType.UInt8 => ScalarType.Byte,
        TensorDataType.Bool => ScalarType.Bool,
        _ => throw new NotSupportedException($"Checkpoint tensors of type {TensorDataTypes.Name(type)} cannot be loaded."),
    };

    /// <summary>Calls <paramref name="read"/> with the tensor's bytes, in order, at most <paramref name="chunkBytes"/> at a time.</summary>
    public static void ForEachChunk(Tensor tensor, int chunkBytes, ChunkReader read)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = tensor.detach().contiguous().reshape(-1);
        long elementSize = flat.ElementSize;
        long perChunk = Math.Max(1, chunkBytes / elementSize);
        long count = flat.numel();
        for (long start = 0; start < count; start += perChunk)
        {
            using var piece = flat.narrow(0, start, Math.Min(perChunk, count - start));
            using var cpu = piece.device_type == DeviceType.CPU ? piece.alias() : piece.cpu();
            read(cpu.bytes);
        }
    }

    /// <summary>
    /// Calls <paramref name="write"/> with spans that, in order, fill <paramref name="destination"/>:
    /// its own memory when it is a contiguous CPU tensor, else a reused CPU buffer copied over chunk by chunk.
    /// </summary>
    public static void Fill(Tensor destination, int chunkBytes, ChunkWriter write)
    {
        // Written past torch: counted, so a layout cached from the weight is not used again (also after a partial fill).
        try { FillUncounted(destination, chunkBytes, write); }
        finally { TensorVersion.MarkWritten(destination); }
    }

    static void FillUncounted(Tensor destination, int chunkBytes, ChunkWriter write)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var target = destination.detach();
        bool direct = target.device_type == DeviceType.CPU && target.is_contiguous();
        var flat = direct ? target.view(-1) : null;
        long perChunk = Math.Max(1, chunkBytes / target.ElementSize);
        long count = target.numel();
        var buffer = direct ? null : empty(Math.Min(perChunk, count), target.dtype, CPU);
        var targetFlat = direct ? null : target.contiguous().view(-1);
        if (direct)
        {
            // Spans over the tensor's own memory: one narrow per block of up to 1 GiB (a span's length is an int),
            // then plain slices, so that small chunks cost no tensor operation each.
            long perBlock = Math.Max(perChunk, (1L << 30) / target.ElementSize / perChunk * perChunk);
            for (long block = 0; block < count; block += perBlock)
            {
                using var piece = flat!.narrow(0, block, Math.Min(perBlock, count - block));
                var bytes = piece.bytes;
                int chunk = (int)(perChunk * target.ElementSize);
                for (int at = 0; at < bytes.Length; at += chunk) write(bytes.Slice(at, Math.Min(chunk, bytes.Length - at)));
            }
            return;
        }
        for (long start = 0; start < count; start += perChunk)
        {
            long n = Math.Min(perChunk, count - start);
            using var piece = buffer!.narrow(0, 0, n);
            write(piece.bytes);
            using var slot = targetFlat!.narrow(0, start, n);
            slot.copy_(piece);
        }
        if (!target.is_contiguous()) target.copy_(targetFlat!.view(target.shape));
    }

    /// <summary>Calls <paramref name="write"/> with spans over a new CPU tensor's memory, in order, then returns the tensor.</summary>
    public static Tensor Create(ScalarType type, long[] shape, int chunkBytes, ChunkWriter write)
    {
        var result = empty(shape, type, CPU);
        try
        {
            using var scope = NewDisposeScope();
            var flat = result.reshape(-1);
            long perChunk = Math.Max(1, chunkBytes / flat.ElementSize);
            long count = flat.numel();
            for (long start = 0; start < count; start += perChunk)
            {
                using var piece = flat.narrow(0, start, Math.Min(perChunk, count - start));
                write(piece.bytes);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
