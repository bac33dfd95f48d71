using System.CommandLine;
using System.CommandLine.Help;
using Layerwise.Cli.Commands;
using Layerwise.Data;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Serialization;

namespace Layerwise.Cli;

/// <summary>
/// The <c>layerwise</c> command-line tool: <c>inspect</c>, <c>summary</c>, <c>convert</c>, <c>diff</c>,
/// <c>verify</c>, <c>predict</c> and <c>plot</c> (docs/cli.md). <see cref="Run"/> is the whole tool,
/// in-process, with its output and errors going to the writers it is given.
/// </summary>
public static class CliApp
{
    /// <summary>
    /// Runs one command line and returns its exit code: 0 success, 1 usage, 2 missing file, 3 unknown format,
    /// 4 corrupt file, 5 unsupported content, 6 <c>diff</c> found differences. Failures are one line on <paramref name="error"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error);
        // A plain command named "layerwise" rather than RootCommand, whose name (in usage lines) would be the assembly's.
        var root = new Command("layerwise", "Inspect, convert, compare, verify and run Keras / TensorFlow model files with Layerwise.")
        {
            new HelpOption(),
            new VersionOption(),
            InspectCommand.Create(context),
            SummaryCommand.Create(context),
            ConvertCommand.Create(context),
            DiffCommand.Create(context),
            VerifyCommand.Create(context),
            PredictCommand.Create(context),
            PlotCommand.Create(context),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The exit code for a failure, and the line that explains it.</summary>
    internal static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        FileNotFoundException or DirectoryNotFoundException or CheckpointNotFoundException => (ExitCodes.Missing, e.Message),
        LambdaLayerException or UnsupportedLayersException or UnknownLayerException or NotSupportedException => (ExitCodes.Unsupported, e.Message),
        IncompatibleShapeException => (ExitCodes.Usage, e.Message),
        ModelFileException or CheckpointException or NumpyFormatException or ConfigException or InvalidDataException or LayerwiseException => (ExitCodes.Corrupt, e.Message),
        InvalidOperationException or ArgumentException => (ExitCodes.Usage, e.Message),
        UnauthorizedAccessException or IOException => (ExitCodes.Missing, e.Message),
        _ => (ExitCodes.Usage, $"unexpected {e.GetType().Name}: {e.Message}"),
    };
}

/// <summary>Where a command writes, and the wrapper that turns its failures into one line and an exit code.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Runs a command body; an exception becomes "layerwise: error: ..." on stderr (one line, no stack trace) and its exit code.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            var (code, message) = CliApp.Classify(e);
            Error.WriteLine("layerwise: error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            return code;
        }
    }
}
