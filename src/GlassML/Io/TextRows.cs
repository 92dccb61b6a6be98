using System.Buffers;
using System.Globalization;

namespace GlassML.Io;

/// <summary>
/// The per-atom rows of the text outputs (CSV, extended XYZ, LAMMPS dump), formatted in chunks on several threads and written
/// in order. Formatting numbers is most of the cost of a text output (≈ 0.1 µs each in the shortest round-trip form), so each
/// round takes the next rows' numbers on the calling thread (in row order: a streamed table computes its rows as they are
/// taken), formats chunks of those rows at once on up to <c>threads</c> threads, then writes the chunks in order: the text is
/// the same for any thread count. The numbers are written by <see cref="Number"/> and <see cref="Integer"/> (the text of
/// <see cref="WriterSupport.F"/> and <see cref="WriterSupport.I"/>), without a string each.
/// </summary>
internal static class TextRows
{
    /// <summary>Puts row <paramref name="row"/>'s numbers into <paramref name="values"/> (called on the writing thread, rows in order).</summary>
    internal delegate void Stage(int row, Span<double> values);

    /// <summary>Writes row <paramref name="row"/>'s text (with its line end) from its staged numbers; returns the characters written (called on any thread).</summary>
    internal delegate int Format(int row, ReadOnlySpan<double> values, Span<char> dest);

    /// <summary>The most characters of a number (<c>-1.7976931348623157E+308</c>).</summary>
    internal const int MaxNumber = 24;

    /// <summary>The most characters of an integer (<c>-9223372036854775808</c>).</summary>
    internal const int MaxInteger = 20;

    // numbers staged per chunk: a chunk's numbers and text stay within a core's L2 cache
    private const int ChunkValues = 16384;
    // chunks formatted per round and thread, and at most per round (a round's buffers: ≈ 0.9 MB per chunk at most, so that a
    // many-core machine does not hold hundreds of MB of text at once)
    private const int ChunksPerThread = 2, MaxChunks = 64;

    /// <summary>
    /// Writes <paramref name="rows"/> rows of <paramref name="width"/> staged numbers each to <paramref name="text"/>, each at most
    /// <paramref name="maxRowChars"/> characters, formatted on up to <paramref name="threads"/> threads (0 = all cores; 1 = the
    /// calling thread only).
    /// </summary>
    public static void Write(TextWriter text, int rows, int width, long maxRowChars, Stage stage, Format format, int threads)
    {
        if (rows == 0) return;
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        int rowsPerChunk = Math.Clamp(ChunkValues / Math.Max(width, 1), 8, 1024);
        int chunks = workers == 1 ? 1 : Math.Min(ChunksPerThread * workers, MaxChunks);
        int roundRows = (int)Math.Min(rows, (long)chunks * rowsPerChunk);
        int chunkChars = checked((int)(rowsPerChunk * maxRowChars));
        // the staged numbers and the chunks' text in pooled arrays: a multi-frame output reuses them frame after frame
        var values = ArrayPool<double>.Shared.Rent(checked(roundRows * width));
        var bufs = new char[chunks][];
        var lengths = new int[chunks];
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers };
        try
        {
            for (int r0 = 0; r0 < rows; r0 += roundRows)
            {
                int n = Math.Min(roundRows, rows - r0);
                for (int k = 0; k < n; k++) stage(r0 + k, values.AsSpan(k * width, width));
                int used = (n + rowsPerChunk - 1) / rowsPerChunk;
                void FormatChunk(int c)
                {
                    int lo = c * rowsPerChunk, hi = Math.Min(n, lo + rowsPerChunk);
                    var buf = bufs[c] ??= ArrayPool<char>.Shared.Rent(chunkChars);
                    int p = 0;
                    for (int k = lo; k < hi; k++) p += format(r0 + k, values.AsSpan(k * width, width), buf.AsSpan(p));
                    lengths[c] = p;
                }
                if (used == 1) FormatChunk(0);
                else Parallel.For(0, used, po, FormatChunk);
                for (int c = 0; c < used; c++) text.Write(bufs[c], 0, lengths[c]);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(values);
            foreach (var b in bufs) if (b is not null) ArrayPool<char>.Shared.Return(b);
        }
    }

    /// <summary>
    /// Writes <paramref name="v"/> in the shortest round-trip form ("R", invariant culture), NaN as <c>nan</c> and ±∞ as
    /// <c>inf</c>/<c>-inf</c> (<see cref="WriterSupport.F"/> is this as a string); returns the characters written.
    /// </summary>
    public static int Number(Span<char> dest, double v)
    {
        if (double.IsNaN(v)) { "nan".CopyTo(dest); return 3; }
        if (double.IsPositiveInfinity(v)) { "inf".CopyTo(dest); return 3; }
        if (double.IsNegativeInfinity(v)) { "-inf".CopyTo(dest); return 4; }
        // a whole number below 10^15 in magnitude (15 digits at most) is its digits in the shortest round-trip form too, so it is
        // formatted as an integer, several times faster (a third of a feature table's numbers are counts; the tests compare the
        // two forms around every power of ten); −0 keeps its sign through "R" and is left to it
        if (Math.Abs(v) < 1e15 && v == Math.Truncate(v) && (v != 0 || !double.IsNegative(v))) return Integer(dest, (long)v);
        if (!v.TryFormat(dest, out int n, "R", CultureInfo.InvariantCulture)) throw new InvalidOperationException("internal error: row buffer too small");
        return n;
    }

    /// <summary>Writes <paramref name="v"/> as <see cref="WriterSupport.I"/> does; returns the characters written.</summary>
    public static int Integer(Span<char> dest, long v)
    {
        if (!v.TryFormat(dest, out int n, default, CultureInfo.InvariantCulture)) throw new InvalidOperationException("internal error: row buffer too small");
        return n;
    }

    /// <summary>Writes each of <paramref name="values"/> preceded by <paramref name="separator"/>; returns the characters written.</summary>
    public static int Numbers(Span<char> dest, ReadOnlySpan<double> values, char separator)
    {
        int p = 0;
        foreach (double v in values)
        {
            dest[p++] = separator;
            p += Number(dest[p..], v);
        }
        return p;
    }

    /// <summary>Copies <paramref name="s"/>; returns its length.</summary>
    public static int Text(Span<char> dest, string s)
    {
        s.CopyTo(dest);
        return s.Length;
    }
}
