namespace Layerwise;

/// <summary>
/// How large a model a file or config may make Layerwise create, checked before any weight is
/// allocated (a 1.7 KB config asking for <c>units: 1e8</c>, or a 10 KB .h5 whose datasets are declared
/// but never written, would otherwise take gigabytes). Process-wide; set before loading.
/// <list type="bullet">
/// <item>A model read together with its weights (.h5, .keras, a model directory) may have at most one
/// parameter per two bytes of stored weight data (float16, the smallest type a weight is read from, takes
/// two): the file must be able to hold what it describes. Turn this off with
/// <see cref="RequireStoredWeights"/> for files whose datasets are compressed further than that.</item>
/// <item>A model created from a config alone (<c>Model.FromJson</c>), or from a file when
/// <see cref="RequireStoredWeights"/> is off, may have at most <see cref="MaxParameters"/> parameters.</item>
/// </list>
/// A model over budget is refused with a <see cref="Formats.ModelFileException"/> that says which
/// setting to raise. Every weight shape is also checked for negative sizes, whatever the budget.
/// </summary>
public static class LoadLimits
{
    /// <summary>The default of <see cref="MaxParameters"/>: 100 million (400 MB of float32 weights).</summary>
    public const long DefaultMaxParameters = 100_000_000;

    static long maxParameters = DefaultMaxParameters;

    /// <summary>
    /// The most parameters a model created from a config without its weights may have
    /// (default <see cref="DefaultMaxParameters"/>). Raise it to create larger models with <c>Model.FromJson</c>.
    /// </summary>
    public static long MaxParameters
    {
        get => maxParameters;
        set => maxParameters = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxParameters must be positive.");
    }

    /// <summary>The default of <see cref="MaxLayers"/>.</summary>
    public const int DefaultMaxLayers = 20_000;

    static int maxLayers = DefaultMaxLayers;

    /// <summary>
    /// The most layers a model config may describe, nested models and wrapped layers included (default
    /// <see cref="DefaultMaxLayers"/>; large Keras applications have about a thousand). Each layer costs a few KB
    /// before any weight exists: a 10 MB config repeating a layer 170,000 times took 560 MB. Counted first in the
    /// config's text, before it is parsed (with <see cref="MaxConfigValues"/>), then again in the parsed config.
    /// </summary>
    public static int MaxLayers
    {
        get => maxLayers;
        set => maxLayers = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxLayers must be positive.");
    }

    /// <summary>The default of <see cref="MaxConfigValues"/>: 300,000.</summary>
    public const long DefaultMaxConfigValues = 300_000;

    static long maxConfigValues = DefaultMaxConfigValues;

    /// <summary>
    /// The most JSON values (numbers, strings, booleans, nulls, objects and lists) a model config may hold,
    /// counted in its text before it is parsed into a tree (default <see cref="DefaultMaxConfigValues"/>; a Keras
    /// application of a thousand layers has about 100,000, the largest real config among the test fixtures about
    /// 2,000). Parsing and reading a config costs about 350 bytes a value (.NET's JSON tree is 10-20 times the text):
    /// 300,000 values took 110 MB. A config of more than about 3,000 layers needs this raised as well as
    /// <see cref="MaxLayers"/>.
    /// </summary>
    public static long MaxConfigValues
    {
        get => maxConfigValues;
        set => maxConfigValues = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConfigValues must be positive.");
    }

    /// <summary>The default of <see cref="MaxConfigDepth"/>.</summary>
    public const int DefaultMaxConfigDepth = 256;

    /// <summary>The largest <see cref="MaxConfigDepth"/> that may be set: configs are walked recursively.</summary>
    public const int MaxConfigDepthCeiling = 1024;

    static int maxConfigDepth = DefaultMaxConfigDepth;

    /// <summary>
    /// How deep objects and lists may nest in a model config (default <see cref="DefaultMaxConfigDepth"/>; Keras
    /// configs nest about a dozen deep), checked in its text before it is parsed; at most <see cref="MaxConfigDepthCeiling"/>.
    /// </summary>
    public static int MaxConfigDepth
    {
        get => maxConfigDepth;
        set => maxConfigDepth = value is > 0 and <= MaxConfigDepthCeiling ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxConfigDepth must be between 1 and {MaxConfigDepthCeiling}.");
    }

    /// <summary>
    /// Whether a model loaded with its weights must be backed by the file: at most one parameter per two
    /// bytes of weight data (default true). When false, <see cref="MaxParameters"/> applies instead.
    /// </summary>
    public static bool RequireStoredWeights { get; set; } = true;
}
