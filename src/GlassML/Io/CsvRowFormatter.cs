using System.Globalization;
using GlassML.Descriptors;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// The rows of a per-atom CSV table (<see cref="CsvWriter"/>): <c>[frame,]id,type,species,</c> then the blocks' values, one row
/// per atom in id order, each number in the shortest round-trip form ("R") with <c>nan</c>, <c>inf</c>, <c>-inf</c> — the
/// bytes <see cref="CsvRowWriter"/> writes cell by cell, without a string per number. Formatting numbers is most of the cost
/// of a CSV output (≈ 0.1 µs each), so chunks of rows are formatted on up to <c>threads</c> threads at once and written in
/// order: the text is the same for any thread count. The rows are taken from the blocks on the calling thread, in id order
/// (a streamed table computes its rows as they are taken).
/// </summary>
internal static class CsvRowFormatter
{
    // values staged per chunk (rows × width): a chunk's numbers and text stay within a core's L2 cache
    private const int ChunkValues = 16384;
    // chunks formatted per round and thread
    private const int ChunksPerThread = 4;
    // the longest number: "-1.7976931348623157E+308"; an integer: "-9223372036854775808"
    private const int MaxNumber = 24, MaxInteger = 20;

    /// <summary>Writes the rows of <paramref name="frame"/> (its blocks side by side) to <paramref name="text"/>.</summary>
    /// <param name="text">The table's text (the header already written to it).</param>
    /// <param name="frame">The frame (ids, species).</param>
    /// <param name="blocks">Its feature blocks, each of the frame's atom count.</param>
    /// <param name="order">The atoms in id order.</param>
    /// <param name="frameValue">The value of the leading <c>frame</c> column, or null for none.</param>
    /// <param name="threads">Threads (0 = all cores); 1 formats on the calling thread only.</param>
    public static void Write(TextWriter text, Frame frame, IReadOnlyList<PerAtomFeatures> blocks, int[] order, long? frameValue, int threads)
    {
        int width = 0;
        foreach (var b in blocks) width += b.FeatureCount;
        var speciesCells = SpeciesCells(frame);
        int maxSpecies = 0;
        foreach (var c in speciesCells) maxSpecies = Math.Max(maxSpecies, c.Length);
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        int rowsPerChunk = Math.Clamp(ChunkValues / Math.Max(width, 1), 8, 1024);
        int chunks = workers == 1 ? 1 : ChunksPerThread * workers;
        int roundRows = chunks * rowsPerChunk;
        long rowChars = (long)width * (MaxNumber + 1) + 3 * (MaxInteger + 1) + maxSpecies + 1;
        int chunkChars = checked((int)(rowsPerChunk * rowChars));

        var values = new double[(long)Math.Min(roundRows, Math.Max(order.Length, 1)) * width];
        var ids = new long[roundRows];
        var species = new int[roundRows];
        var bufs = new char[chunks][];
        var lengths = new int[chunks];
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers };
        for (int r0 = 0; r0 < order.Length; r0 += roundRows)
        {
            int rows = Math.Min(roundRows, order.Length - r0);
            // the round's rows, taken in id order on this thread
            for (int k = 0; k < rows; k++)
            {
                int i = order[r0 + k];
                ids[k] = frame.Ids[i];
                species[k] = frame.SpeciesIndex[i];
                int at = k * width;
                for (int q = 0; q < blocks.Count; q++)   // (not foreach: an enumerator per row)
                {
                    var row = blocks[q].Row(i);
                    row.CopyTo(values.AsSpan(at, row.Length));
                    at += row.Length;
                }
            }
            int used = (rows + rowsPerChunk - 1) / rowsPerChunk;
            void Format(int c)
            {
                int lo = c * rowsPerChunk, hi = Math.Min(rows, lo + rowsPerChunk);
                var buf = bufs[c] ??= GC.AllocateUninitializedArray<char>(chunkChars);
                lengths[c] = FormatRows(buf, values, width, ids, species, speciesCells, frameValue, lo, hi);
            }
            if (used == 1 || workers == 1) for (int c = 0; c < used; c++) Format(c);
            else Parallel.For(0, used, po, Format);
            for (int c = 0; c < used; c++) text.Write(bufs[c], 0, lengths[c]);
        }
    }

    // rows lo..hi of the round into buf; returns the characters written
    private static int FormatRows(char[] buf, double[] values, int width, long[] ids, int[] species, string[] speciesCells, long? frameValue, int lo, int hi)
    {
        var b = buf.AsSpan();
        var inv = CultureInfo.InvariantCulture;
        int p = 0;
        for (int k = lo; k < hi; k++)
        {
            if (frameValue is long fv)
            {
                p += Integer(b[p..], fv, inv);
                b[p++] = ',';
            }
            p += Integer(b[p..], ids[k], inv);
            b[p++] = ',';
            p += Integer(b[p..], species[k] + 1, inv);
            b[p++] = ',';
            var cell = speciesCells[species[k]];
            cell.CopyTo(b[p..]);
            p += cell.Length;
            var row = values.AsSpan(k * width, width);
            for (int f = 0; f < row.Length; f++)
            {
                b[p++] = ',';
                p += Number(b[p..], row[f], inv);
            }
            b[p++] = '\n';
        }
        return p;
    }

    private static int Integer(Span<char> dest, long v, CultureInfo inv)
    {
        if (!v.TryFormat(dest, out int n, default, inv)) throw new InvalidOperationException("internal error: CSV row buffer too small");
        return n;
    }

    // WriterSupport.F without the string
    private static int Number(Span<char> dest, double v, CultureInfo inv)
    {
        if (double.IsNaN(v)) { "nan".CopyTo(dest); return 3; }
        if (double.IsPositiveInfinity(v)) { "inf".CopyTo(dest); return 3; }
        if (double.IsNegativeInfinity(v)) { "-inf".CopyTo(dest); return 4; }
        if (!v.TryFormat(dest, out int n, "R", inv)) throw new InvalidOperationException("internal error: CSV row buffer too small");
        return n;
    }

    // each species name as a CSV cell (quoted when RFC 4180 needs it), as CsvRowWriter writes it
    private static string[] SpeciesCells(Frame frame)
    {
        var cells = new string[frame.Species.Count];
        for (int s = 0; s < cells.Length; s++)
        {
            var sw = new StringWriter(CultureInfo.InvariantCulture);
            using (var w = new CsvRowWriter(sw))
            {
                w.Text(frame.Species[s].Name);
                w.EndRow();
            }
            cells[s] = sw.ToString()[..^1];
        }
        return cells;
    }
}
