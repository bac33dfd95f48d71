using System.Text.Json.Nodes;

namespace Layerwise.Cli.Inspection;

/// <summary>One stored array: its name inside the file, dtype and shape.</summary>
internal sealed record StoredArray(string Name, string DType, long[] Shape)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>A layer as the file's config lists it.</summary>
internal sealed record StoredLayer(string Name, string ClassName);

/// <summary>What <c>layerwise inspect</c> reports about a file, read from the file itself (not from a model built from it).</summary>
internal sealed class FileInspection
{
    public required string Path { get; init; }
    public required string Format { get; init; }
    /// <summary>What the file records about its writer, as recorded: keras_version, backend, layerwise_version, date_saved, ...</summary>
    public Dictionary<string, string> Writer { get; } = new(StringComparer.Ordinal);
    public string? ModelClass { get; set; }
    public string? ModelName { get; set; }
    public List<StoredLayer> Layers { get; } = [];
    public JsonNode? Config { get; set; }
    public JsonNode? TrainingConfig { get; set; }
    public List<StoredArray> Weights { get; } = [];
    public List<StoredArray> OptimizerWeights { get; } = [];
    /// <summary>Other saved state: metric accumulators, a checkpoint's save counter.</summary>
    public List<StoredArray> OtherState { get; } = [];
    /// <summary>The optimizer's class as the training/compile config names it.</summary>
    public string? Optimizer { get; set; }
    /// <summary>What was verified ("crc32c of 4 tensors verified"), or why nothing could be.</summary>
    public string Checksums { get; set; } = "";
}
