using GlassML.Descriptors;
using GlassML.Structure;
using static GlassML.Io.WriterSupport;

namespace GlassML.Io;

/// <summary>
/// Writes comma-separated tables atomically (temp file + rename; gzip when the path ends with ".gz"): a header row,
/// then one row per record; numbers in invariant culture with the shortest round-trip form ("R"), NaN as <c>nan</c>
/// and ±∞ as <c>inf</c>/<c>-inf</c>. Line ends are "\n".
/// </summary>
public static class CsvWriter
{
    /// <summary>
    /// Per-atom table: columns <c>id,type,species,</c> then the features (names as given), one row per atom sorted by
    /// increasing id. type = species index + 1 (the LAMMPS type for frames read with a type map or types 1..n).
    /// </summary>
    /// <exception cref="ArgumentException">Feature block of another size, or an invalid/duplicate column name.</exception>
    public static void Write(string path, Frame frame, PerAtomFeatures features) => WriteBlocks(path, [(frame, [features])], frameColumn: false);

    /// <summary>
    /// As <see cref="Write(string, Frame, PerAtomFeatures)"/>, the numbers formatted on up to <paramref name="threads"/> threads
    /// (0 = all cores): the same text for any count.
    /// </summary>
    public static void Write(string path, Frame frame, PerAtomFeatures features, int threads) =>
        WriteBlocks(path, [(frame, [features])], frameColumn: false, threads: threads);

    /// <summary>
    /// Several frames in one table: columns <c>frame,id,type,species,</c> then the features; the frames one after the
    /// other in the given order (<c>frame</c> = position in <paramref name="frames"/>, 0-based), each frame's rows sorted by
    /// increasing id. Every block must have the same feature names. The frames are enumerated once and written as they come.
    /// </summary>
    /// <exception cref="ArgumentException">No frames, a feature block of another size than its frame, blocks with different
    /// names, or an invalid/duplicate column name.</exception>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures Features)> frames) => Write(path, frames, 0);

    /// <summary>
    /// Like <see cref="Write(string, IEnumerable{ValueTuple{Frame, PerAtomFeatures}})"/> with the <c>frame</c> column counting
    /// from <paramref name="firstFrame"/>: the part of a sharded run that holds frames firstFrame, firstFrame + 1, ….
    /// </summary>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures Features)> frames, int firstFrame)
    {
        ArgumentNullException.ThrowIfNull(frames);
        WriteBlocks(path, frames.Select(f => (f.Frame, (IReadOnlyList<PerAtomFeatures>)[f.Features])), frameColumn: true, firstFrame);
    }

    /// <summary>
    /// The frames' rows (sorted by id), each row the blocks of its frame side by side (no joined copy), with a leading frame
    /// column (counting from <paramref name="firstFrame"/>) when <paramref name="frameColumn"/>; streamed frame by frame. The
    /// numbers are formatted on up to <paramref name="threads"/> threads (0 = all cores, 1 = the calling thread only; the same
    /// text for any count, <see cref="TextRows"/>).
    /// </summary>
    internal static void WriteBlocks(string path, IEnumerable<(Frame Frame, IReadOnlyList<PerAtomFeatures> Blocks)> frames, bool frameColumn, int firstFrame = 0, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(frames);
        WriteText(path, text =>
        {
            List<string>? names = null;
            int k = 0;
            foreach (var (frame, blocks) in frames)
            {
                foreach (var b in blocks) CheckFeatures(frame, b);
                var blockNames = blocks.SelectMany(b => b.Names);
                if (names is null)
                {
                    names = blockNames.ToList();
                    var seen = new HashSet<string>(frameColumn ? ["frame", "id", "type", "species"] : ["id", "type", "species"], StringComparer.Ordinal);
                    foreach (var nm in names)
                    {
                        CheckName(nm, "CSV");
                        if (!seen.Add(nm)) throw new ArgumentException($"column name '{nm}' is used twice");
                    }
                    text.Write(CsvLine((frameColumn ? new[] { "frame", "id", "type", "species" } : ["id", "type", "species"]).Concat(names)));
                }
                else if (!blockNames.SequenceEqual(names, StringComparer.Ordinal)) throw new ArgumentException("the frames' feature blocks have different columns");
                WriteRows(text, frame, blocks, frameColumn ? firstFrame + k : null, threads);
                foreach (var b in blocks) b.EndStream();
                k++;
            }
            if (names is null) throw new ArgumentException("no frames to write");
        });
    }

    // The rows of one frame, its blocks side by side and its atoms in id order: [frame,]id,type,species, then the numbers — the
    // bytes CsvRowWriter writes cell by cell — formatted on up to `threads` threads (TextRows).
    private static void WriteRows(TextWriter text, Frame frame, IReadOnlyList<PerAtomFeatures> blocks, long? frameValue, int threads)
    {
        var order = SharedOrderById(frame);
        int width = 0;
        foreach (var b in blocks) width += b.FeatureCount;
        var cells = SpeciesCells(frame);
        int maxCell = cells.Length == 0 ? 0 : cells.Max(c => c.Length);
        long maxRow = (long)width * (TextRows.MaxNumber + 1) + 3 * (TextRows.MaxInteger + 1) + maxCell + 1;
        var ids = frame.Ids; var sp = frame.SpeciesIndex;
        TextRows.Write(text, order.Length, width, maxRow,
            (r, v) =>
            {
                int i = order[r], at = 0;
                for (int q = 0; q < blocks.Count; q++)   // (not foreach: an enumerator per row)
                {
                    var row = blocks[q].Row(i);
                    row.CopyTo(v[at..]);
                    at += row.Length;
                }
            },
            (r, v, d) =>
            {
                int i = order[r], s = sp[i], p = 0;
                if (frameValue is long fv) { p += TextRows.Integer(d, fv); d[p++] = ','; }
                p += TextRows.Integer(d[p..], ids[i]);
                d[p++] = ',';
                p += TextRows.Integer(d[p..], s + 1);
                d[p++] = ',';
                p += TextRows.Text(d[p..], cells[s]);
                p += TextRows.Numbers(d[p..], v, ',');
                d[p++] = '\n';
                return p;
            },
            threads);
    }

    // each species name as a CSV cell (quoted when RFC 4180 needs it), as CsvRowWriter writes it
    private static string[] SpeciesCells(Frame frame)
    {
        var cells = new string[frame.Species.Count];
        for (int s = 0; s < cells.Length; s++) cells[s] = CsvLine([frame.Species[s].Name])[..^1];
        return cells;
    }

    // text cells as one CSV line (with its "\n"), as CsvRowWriter writes them
    private static string CsvLine(IEnumerable<string> cells)
    {
        var sw = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var w = new CsvRowWriter(sw)) w.Row(cells);
        return sw.ToString();
    }

    /// <summary>A numeric table: header <paramref name="columns"/>, then <paramref name="rows"/> rows of row-major values.</summary>
    /// <exception cref="ArgumentException">Size mismatch or an invalid/duplicate column name.</exception>
    public static void Write(string path, IReadOnlyList<string> columns, int rows, double[] values)
    {
        int nc = columns.Count;
        if (values.Length != (long)rows * nc) throw new ArgumentException($"expected {rows} × {nc} values, got {values.Length}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nm in columns)
        {
            CheckName(nm, "CSV");
            if (!seen.Add(nm)) throw new ArgumentException($"column name '{nm}' is used twice");
        }
        WriteText(path, text =>
        {
            using var w = new CsvRowWriter(text);
            w.Row(columns);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < nc; c++) w.Number(values[(long)r * nc + c]);
                w.EndRow();
            }
        });
    }
}
