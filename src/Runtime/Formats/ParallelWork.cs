namespace Layerwise.Formats;

/// <summary>
/// Runs the independent pieces of a load (tensors or parts of them, each read from its own place of a file
/// into its own memory) on as many threads as there are cores, so that reading, hashing and copying keep
/// every core busy, as a plain single-threaded read cannot.
/// </summary>
internal static class ParallelWork
{
    /// <summary>Runs <paramref name="body"/> for 0..count-1, taking one index at a time; rethrows the first failure as itself.</summary>
    public static void Run(int count, Action<int> body)
    {
        if (count == 1 || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(Enumerable.Range(0, count), System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
