namespace GlassML.Descriptors;

/// <summary>Fixed-size chunking of per-atom loops (deterministic work split; outputs are written by index).</summary>
internal static class ParallelChunks
{
    /// <summary>Chunk length in atoms.</summary>
    public const int Size = 1024;

    /// <summary>Runs body(lo, hi, scratch) over [0, n) in chunks with one scratch object per worker.</summary>
    public static void Run<T>(int n, int threads, Func<T> init, Action<int, int, T> body)
    {
        int chunks = (n + Size - 1) / Size;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? -1 : threads };
        Parallel.For(0, chunks, po, init, (c, _, s) =>
        {
            body(c * Size, Math.Min(n, (c + 1) * Size), s);
            return s;
        }, _ => { });
    }

    /// <summary>Runs body(lo, hi) over [0, n) in chunks.</summary>
    public static void Run(int n, int threads, Action<int, int> body) =>
        Run<object?>(n, threads, () => null, (lo, hi, _) => body(lo, hi));
}
