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
/// (no reflection) and read with <see cref="MessagePackSecurity.UntrustedData"/>. Since format 2 the
/// last element is the CRC-32C of every byte before it, so a damaged state is refused rather than
/// resumed from; the generator state is checked before anything of it is used (libtorch stops the
/// process on one it cannot take).
/// </summary>
internal sealed record TrainingState(int CompletedEpochs, string Checkpoint, byte[] RandomState,
                                     IReadOnlyList<int> HistoryEpochs, IReadOnlyList<KeyValuePair<string, double[]>> HistoryValues)
{
    public const int FormatVersion = 2;

    /// <summary>Format 1 (Layerwise before the checksum) is still read, without one.</summary>
    const int UncheckedFormatVersion = 1;
    const int MaxBytes = 64 << 20;

    static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create([new Formatter()], [BuiltinResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public byte[] ToBytes() => MessagePackSerializer.Serialize(this, Options);

    /// <summary>Reads a state file; a damaged one is a <see cref="CorruptCheckpointException"/> naming it.</summary>
    public static TrainingState Read(string path)
    {
        var info = FileLength.Resolve(path);
        if (RegularFile.Problem(path) is { } problem)
            throw new CorruptCheckpointException($"Training state \"{path}\" cannot be read: {problem}.", path);
        if (info.Length > MaxBytes)
            throw new CorruptCheckpointException($"Training state \"{path}\" is {info.Length} bytes long, more than the {MaxBytes} a state file can need.", path);
        var bytes = File.ReadAllBytes(path);
        TrainingState state;
        try
        {
            state = MessagePackSerializer.Deserialize<TrainingState>(bytes, Options, out int consumed);
            if (consumed != bytes.Length) throw new MessagePackSerializationException($"{bytes.Length - consumed} bytes follow the state");
        }
        catch (MessagePackSerializationException e)
        {
            throw new CorruptCheckpointException($"Training state \"{path}\" is corrupt: {e.InnerException?.Message ?? e.Message}", path, null, e);
        }
        if (RandomStateProblem(state.RandomState) is { } randomProblem)
            throw new CorruptCheckpointException($"Training state \"{path}\" is corrupt: its random-generator state cannot be restored ({randomProblem}).", path);
        return state;
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

    static string? RandomStateProblem(byte[] state) => Layerwise.RandomState.Problem(state);

    /// <summary>[version, completedEpochs, checkpoint, randomState, [epochs...], {key: [values...]}, crc32c]: the CRC-32C covers every byte before it.</summary>
    sealed class Formatter : IMessagePackFormatter<TrainingState>
    {
        public void Serialize(ref MessagePackWriter writer, TrainingState value, MessagePackSerializerOptions options)
        {
            var body = new ArrayBufferWriter<byte>();
            var bodyWriter = writer.Clone(body);
            WriteBody(ref bodyWriter, value);
            bodyWriter.Flush();
            writer.WriteRaw(body.WrittenSpan);
            writer.Write(Crc32C.Compute(body.WrittenSpan));
        }

        static void WriteBody(ref MessagePackWriter writer, TrainingState value)
        {
            writer.WriteArrayHeader(7);
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
                int elements = reader.ReadArrayHeader();
                int version = reader.ReadInt32();
                if (version is not (FormatVersion or UncheckedFormatVersion))
                    throw new MessagePackSerializationException($"format version {version}; this reader knows {UncheckedFormatVersion} and {FormatVersion}");
                int expectedElements = version == FormatVersion ? 7 : 6;
                if (elements != expectedElements) throw new MessagePackSerializationException($"expected a {expectedElements}-element array for format {version}, found {elements}");
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
                if (version == FormatVersion)
                {
                    uint actual = Crc32C.Compute(reader.Sequence.Slice(0, reader.Consumed).ToArray());
                    uint recorded = reader.ReadUInt32();
                    if (recorded != actual)
                        throw new MessagePackSerializationException($"checksum mismatch (recorded CRC-32C {recorded:x8}, the bytes give {actual:x8}): the file was damaged after it was written");
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
