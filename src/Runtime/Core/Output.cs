namespace Layerwise;

/// <summary>
/// Where progress bars, summaries and callback messages are written: standard output unless
/// <see cref="Writer"/> is set. The setting flows with the async context, so concurrent tests
/// can each capture their own output.
/// </summary>
public static class Output
{
    static readonly AsyncLocal<TextWriter?> writer = new();

    /// <summary>
    /// Where output goes; set it to capture or silence it (standard output when not set). The setting flows with the
    /// async context.
    /// </summary>
    public static TextWriter Writer
    {
        get => writer.Value ?? Console.Out;
        set => writer.Value = value;
    }

    /// <summary>True when writing to a terminal, where the progress bar redraws in place.</summary>
    public static bool IsInteractive => writer.Value is null && !Console.IsOutputRedirected;
}
