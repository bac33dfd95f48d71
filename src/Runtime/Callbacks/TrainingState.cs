using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;

namespace Layerwise.Callbacks;

/// <summary>
/// What <see cref="BackupAndRestore"/> keeps beside the weights to continue an interrupted
/// <c>Fit</c> exactly: how many epochs completed, which checkpoint holds the weights and optimizer
/// state, torch's generator state, and the History so far. Stored with MessagePack, written by hand
/// (no reflection) and read with <see cref="MessagePackSecurity.UntrustedData"/>.
/// </summary>
internal sealed record TrainingState(int CompletedEpochs, string Checkpoint, byte[] RandomState,
                                     IReadOnlyList<int> HistoryEpochs, IReadOnlyList<KeyValuePair<string, double[]>> HistoryValues)
{
    public const int FormatVersion = 1;
    const int MaxBytes = 64 << 20;

    static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create([new Formatter()], [BuiltinResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public byte[] ToBytes() => MessagePackSerializer.Serialize(this, Options);

    /// <summary>Reads a state file; a damaged one is a <see cref="CorruptCheckpointException"/> naming it.</summary>
    public static TrainingState Read(string path)
    {
        var info = FileLength.Resolve(path);
        if (info.Length > MaxBytes)
            throw new CorruptCheckpointException($"Training state \"{path}\" is {info.Length} bytes long, more than the {MaxBytes} a state file can need.", path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            return MessagePackSerializer.Deserialize<TrainingState>(bytes, Options);
        }
        catch (MessagePackSerializationException e)
        {
            throw new CorruptCheckpointException($"Training state \"{path}\" is corrupt: {e.InnerException?.Message ?? e.Message}", path, null, e);
        }
    }

    /// <summary>Writes the state beside <paramref name="path"/>, flushes it to disk, and renames it into place.</summary>
    public void Write(string path)
    {
        var temp = BundleFiles.TempPath(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(ToBytes());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>[version, completedEpochs, checkpoint, randomState, [epochs...], {key: [values...]}]</summary>
    sealed class Formatter : IMessagePackFormatter<TrainingState>
    {
        public void Serialize(ref MessagePackWriter writer, TrainingState value, MessagePackSerializerOptions options)
        {
            writer.WriteArrayHeader(6);
            writer.Write(FormatVersion);
            writer.Write(value.CompletedEpochs);
            writer.Write(value.Checkpoint);
            writer.Write(value.RandomState);
            writer.WriteArrayHeader(value.HistoryEpochs.Count);
            foreach (var e in value.HistoryEpochs) writer.Write(e);
            writer.WriteMapHeader(value.HistoryValues.Count);
            foreach (var (key, values) in value.HistoryValues)
            {
                writer.Write(key);
                writer.WriteArrayHeader(values.Length);
                foreach (var v in values) writer.Write(v);
            }
        }

        public TrainingState Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            options.Security.DepthStep(ref reader);
            try
            {
                if (reader.ReadArrayHeader() != 6) throw new MessagePackSerializationException("expected a 6-element array");
                int version = reader.ReadInt32();
                if (version != FormatVersion) throw new MessagePackSerializationException($"format version {version}; this reader knows {FormatVersion}");
                int completed = reader.ReadInt32();
                if (completed < 0) throw new MessagePackSerializationException($"{completed} completed epochs");
                var checkpoint = reader.ReadString() ?? throw new MessagePackSerializationException("no checkpoint name");
                if (checkpoint.Length == 0 || checkpoint.IndexOfAny(['/', '\\']) >= 0 || checkpoint.Contains("..", StringComparison.Ordinal))
                    throw new MessagePackSerializationException($"checkpoint name \"{checkpoint}\" is not a plain file name");
                var random = reader.ReadBytes()?.ToArray() ?? throw new MessagePackSerializationException("no random state");
                int epochCount = reader.ReadArrayHeader();
                var epochs = new int[epochCount];
                for (int i = 0; i < epochCount; i++) epochs[i] = reader.ReadInt32();
                int keyCount = reader.ReadMapHeader();
                var values = new List<KeyValuePair<string, double[]>>(keyCount);
                for (int k = 0; k < keyCount; k++)
                {
                    var key = reader.ReadString() ?? throw new MessagePackSerializationException("a History key is nil");
                    int n = reader.ReadArrayHeader();
                    if (n != epochCount) throw new MessagePackSerializationException($"History \"{key}\" has {n} values for {epochCount} epochs");
                    var series = new double[n];
                    for (int i = 0; i < n; i++) series[i] = reader.ReadDouble();
                    values.Add(new(key, series));
                }
                return new TrainingState(completed, checkpoint, random, epochs, values);
            }
            finally
            {
                reader.Depth--;
            }
        }
    }
}
