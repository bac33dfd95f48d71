namespace Layerwise.Cli;

/// <summary>The tool's exit codes (docs/cli.md lists them); distinct per failure so scripts can tell them apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad command line, or input that does not fit (an array shape the model refuses).</summary>
    public const int Usage = 1;
    /// <summary>A named file, directory or checkpoint does not exist.</summary>
    public const int Missing = 2;
    /// <summary>The file exists but is in no format Layerwise reads.</summary>
    public const int UnknownFormat = 3;
    /// <summary>The file is in a known format but truncated, corrupt or inconsistent (checksums, shapes, structure).</summary>
    public const int Corrupt = 4;
    /// <summary>The file is valid but holds something Layerwise does not run (a Lambda layer, an unregistered class).</summary>
    public const int Unsupported = 5;
    /// <summary><c>diff</c>: the two files differ.</summary>
    public const int Different = 6;
}
