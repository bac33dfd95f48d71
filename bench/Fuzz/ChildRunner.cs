using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Layerwise.Fuzz;

/// <summary>A child's answer for one input, or what the parent saw instead (abort, hang, memory cap).</summary>
internal sealed record ChildResult(string Status, string Type, string Digest, long PeakKb, long BaselineKb, long ModelBytes, long Milliseconds, string Message)
{
    /// <summary>What the child spent before the reader ran (collecting garbage, resetting the peak), in ms.</summary>
    public double PrepareMilliseconds { get; init; }

    /// <summary>Parses a result line; null when the line is not one.</summary>
    public static ChildResult? Parse(string line)
    {
        var p = line.Split('\t');
        if (p.Length < 9 || p[0] != ChildHost.ResultPrefix) return null;
        return new ChildResult(p[1], p[2], p[3], long.Parse(p[4]), long.Parse(p[5]), long.Parse(p[6]), long.Parse(p[7]), p[8])
        {
            PrepareMilliseconds = p.Length > 9 ? double.Parse(p[9], System.Globalization.CultureInfo.InvariantCulture) : 0,
        };
    }
}

/// <summary>
/// The parent's handle on one child process (this program with <c>--child</c>): sends one input at a
/// time, waits for its result line with a time limit, watches the child's resident memory against a
/// hard cap, and starts a new child after one dies or is killed.
/// </summary>
internal sealed class ChildRunner(int timeoutMs, long hardCapKb) : IDisposable
{
    Process? process;
    BlockingCollection<string>? lines;
    readonly StringBuilder stderrTail = new();
    readonly StringBuilder stderrHead = new();   // "Stack overflow." comes first, then thousands of frames

    /// <summary>Runs one input; never throws for what the child does.</summary>
    public ChildResult Run(string reader, string path, string? target)
    {
        EnsureStarted();
        var p = process!;
        lock (stderrTail) { stderrTail.Clear(); stderrHead.Clear(); }
        try
        {
            p.StandardInput.WriteLine($"{reader}\t{path}\t{target}");
            p.StandardInput.Flush();
        }
        catch (IOException)
        {
            return Died("ABORT");
        }
        var watch = Stopwatch.StartNew();
        long maxRss = 0;
        while (true)
        {
            if (lines!.TryTake(out var line, 50))
            {
                if (line is null) return Died("ABORT");
                if (ChildResult.Parse(line) is { } result) return result;
                continue;
            }
            if (lines.IsCompleted || p.HasExited) return Died("ABORT");
            long rss = ChildHost.ReadStatusKb("VmRSS", p.Id);
            maxRss = Math.Max(maxRss, rss);
            if (rss > hardCapKb) return Kill("MEMORY", $"resident memory {rss / 1024} MB passed the hard cap of {hardCapKb / 1024} MB");
            if (watch.ElapsedMilliseconds > timeoutMs) return Kill("HANG", $"no result in {timeoutMs / 1000.0:0.#} s (resident {maxRss / 1024} MB)");
        }
    }

    ChildResult Died(string status)
    {
        var p = process!;
        p.WaitForExit(2000);
        string exit = p.HasExited ? $"exit code {p.ExitCode}" + (p.ExitCode > 128 ? $" (signal {p.ExitCode - 128})" : "") : "no exit";
        Thread.Sleep(50);   // let the stderr reader catch the last lines
        string tail;
        lock (stderrTail) tail = stderrHead + stderrTail.ToString();
        Stop();
        return new ChildResult(status, "", "", 0, 0, 0, 0, $"{exit}; stderr: {LastLines(tail)}");
    }

    ChildResult Kill(string status, string why)
    {
        string tail;
        lock (stderrTail) tail = stderrTail.ToString();
        Stop();
        return new ChildResult(status, "", "", status == "MEMORY" ? hardCapKb : 0, 0, 0, timeoutMs, $"{why}; stderr: {LastLines(tail)}");
    }

    /// <summary>The lines of a dying child's stderr that say why: errors and exception messages first, then the last lines.</summary>
    static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var telling = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"what\(\)|Stack overflow|Unhandled exception|Fatal|terminate called|Error|Exception|Segmentation") && !l.StartsWith("frame #", StringComparison.Ordinal)).Take(3);
        var keep = string.Join(" | ", telling.Concat(lines.TakeLast(2)).Distinct());
        return keep.Length > 600 ? keep[..600] : keep;
    }

    void EnsureStarted()
    {
        if (process is { HasExited: false }) return;
        Stop();
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.FileName = self;
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        else info.FileName = self;
        info.ArgumentList.Add("--child");
        info.Environment["DOTNET_gcServer"] = "0";
        // A crash dump of every aborted child would fill the disk.
        info.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        var p = Process.Start(info)!;
        var queue = new BlockingCollection<string>();
        var reader = new Thread(() =>
        {
            try { for (string? l; (l = p.StandardOutput.ReadLine()) is not null;) queue.Add(l); }
            catch (IOException) { }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true };
        reader.Start();
        var errors = new Thread(() =>
        {
            try
            {
                for (string? l; (l = p.StandardError.ReadLine()) is not null;)
                    lock (stderrTail)
                    {
                        if (stderrHead.Length < 2048) stderrHead.AppendLine(l);
                        stderrTail.AppendLine(l);
                        if (stderrTail.Length > 8192) stderrTail.Remove(0, stderrTail.Length - 4096);
                    }
            }
            catch (IOException) { }
        }) { IsBackground = true };
        errors.Start();
        process = p;
        lines = queue;
    }

    void Stop()
    {
        if (process is null) return;
        try { if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        process.Dispose();
        process = null;
        lines = null;
    }

    /// <summary>Ends the child.</summary>
    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            try { process.StandardInput.Close(); process.WaitForExit(3000); }
            catch (IOException) { }
        }
        Stop();
    }
}
