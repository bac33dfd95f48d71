using System.Runtime.InteropServices;

namespace Layerwise.Bench;

/// <summary>
/// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): what a measured call costs
/// on a shared machine without the time it waits for a core, which wall-clock time counts.
/// With one torch thread every kernel runs on the calling thread.
/// </summary>
static class ThreadCpuTime
{
    const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>The calling thread's CPU time so far, in microseconds.</summary>
    public static double Microseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return t.Seconds * 1e6 + t.Nanoseconds / 1e3;
    }
}
