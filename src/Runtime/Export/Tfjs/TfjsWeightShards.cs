using System.Text.Json.Nodes;
using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Export.Tfjs;

/// <summary>
/// One weight group as TensorFlow.js' <c>write_weights</c> writes it: the weights' bytes (float32, little-endian,
/// row-major) concatenated in order and cut into shards of <see cref="ShardBytes"/> (a weight may span two shards;
/// the last shard holds the rest), named <c>group&lt;g&gt;-shard&lt;i&gt;of&lt;n&gt;.bin</c>; the manifest entry is
/// <c>{paths, weights: [{name, shape, dtype}]}</c>.
/// </summary>
internal static class TfjsWeightShards
{
    /// <summary>The converter's default shard size (4 MiB), the largest file browsers cache.</summary>
    public const int ShardBytes = 4 * 1024 * 1024;

    public static JsonObject Write(string directory, int groupIndex, IReadOnlyList<(string Name, Variable Weight)> weights)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("TensorFlow.js weight files are little-endian; writing them on a big-endian machine is not supported.");
        var entries = new JsonArray();
        long total = 0;
        foreach (var (name, w) in weights)
        {
            entries.Add((JsonNode)new JsonObject
            {
                ["name"] = name,
                ["shape"] = new JsonArray([.. w.Shape.Select(d => JsonValue.Create(d))]),
                ["dtype"] = "float32",
            });
            total += w.Shape.Aggregate(1L, (a, d) => a * d) * sizeof(float);
        }
        int shardCount = (int)((total + ShardBytes - 1) / ShardBytes);
        var paths = new JsonArray();
        using var shards = new ShardWriter(directory, groupIndex, shardCount);
        foreach (var (_, w) in weights) shards.Append(Bytes(w));
        foreach (var file in shards.Files) paths.Add((JsonNode)JsonValue.Create(file));
        return new JsonObject { ["paths"] = paths, ["weights"] = entries };
    }

    static byte[] Bytes(Variable w)
    {
        using var detached = w.Value.detach();
        using var cpu = detached.cpu().to_type(ScalarType.Float32).contiguous();
        return cpu.bytes.ToArray();
    }

    /// <summary>Writes a byte stream across the shard files, opening the next one when a shard is full.</summary>
    sealed class ShardWriter(string directory, int groupIndex, int shardCount) : IDisposable
    {
        readonly List<string> files = [];
        FileStream? current;
        long left;

        public IReadOnlyList<string> Files => files;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                if (current is null || left == 0) Next();
                int n = (int)Math.Min(left, bytes.Length);
                current!.Write(bytes[..n]);
                left -= n;
                bytes = bytes[n..];
            }
        }

        void Next()
        {
            current?.Dispose();
            var name = $"group{groupIndex + 1}-shard{files.Count + 1}of{shardCount}.bin";
            files.Add(name);
            current = new FileStream(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.Write);
            left = ShardBytes;
        }

        public void Dispose() => current?.Dispose();
    }
}
