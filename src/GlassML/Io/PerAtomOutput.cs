using GlassML.Descriptors;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>The file formats of a per-atom output, chosen by the file name's extension.</summary>
public enum PerAtomFormat
{
    /// <summary><c>.csv</c> (or <c>.csv.gz</c>): <c>[frame,]id,type,species,</c> then the columns; rows sorted by id.</summary>
    Csv,
    /// <summary><c>.xyz</c>/<c>.extxyz</c> (or .gz): extended XYZ, every frame, atoms in frame order (ASE, OVITO).</summary>
    ExtendedXyz,
    /// <summary><c>.dump</c>/<c>.lammpstrj</c> (or .gz): LAMMPS text dump, every frame (LAMMPS read_dump, OVITO, ASE).</summary>
    LammpsDump,
    /// <summary><c>.npy</c>: float64 matrix of the columns (with <c>--frame all</c> the frame index first); rows sorted by id.</summary>
    Npy,
    /// <summary><c>.parquet</c>: the CSV's columns with their types (int64 ids, string species, float64 values).</summary>
    Parquet,
}

/// <summary>
/// Which extra per-atom columns of the input (<see cref="Frame.Columns"/>: a dump's <c>c_pe</c>, <c>v_*</c>, <c>f_*</c>,
/// velocities, extended XYZ properties) are carried into a per-atom output: all (the default), none, or a list of names.
/// </summary>
public sealed class KeepColumns
{
    private KeepColumns(IReadOnlyList<string>? names, bool all) { Names = names; All = all; }

    /// <summary>Keep every input column.</summary>
    public static KeepColumns Everything { get; } = new(null, true);

    /// <summary>Keep no input column.</summary>
    public static KeepColumns Nothing { get; } = new([], false);

    /// <summary>True when every input column is kept.</summary>
    public bool All { get; }

    /// <summary>The names kept (in this order) when not <see cref="All"/>.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>Parses <c>all</c>, <c>none</c> or a comma-separated list of column names (null or empty = all).</summary>
    /// <exception cref="ArgumentException">An empty or repeated name.</exception>
    public static KeepColumns Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Everything;
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return Nothing;
        var names = new List<string>();
        foreach (var n in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (n.Length == 0) throw new ArgumentException($"--keep: empty column name in '{text}'");
            if (names.Contains(n, StringComparer.Ordinal)) throw new ArgumentException($"--keep: column '{n}' given twice");
            names.Add(n);
        }
        return new KeepColumns(names, false);
    }
}

/// <summary>
/// Writes the per-atom result of a verb (a feature block per frame) in the format its file name asks for, with the kept
/// input columns first and the computed columns after them. A kept input column with the name of a computed column is
/// left out (the computed one wins, so an output can be read back and processed again).
/// </summary>
public static class PerAtomOutput
{
    /// <summary>The accepted extensions, for messages.</summary>
    public const string Extensions = ".csv, .xyz/.extxyz, .dump/.lammpstrj (each optionally .gz), .npy or .parquet";

    /// <summary>The format of an output path by its extension (a trailing .gz compresses the text formats; <c>-</c> is CSV).</summary>
    /// <exception cref="ArgumentException">An unknown extension (the message lists the known ones).</exception>
    public static PerAtomFormat FormatOf(string path)
    {
        if (path == "-") return PerAtomFormat.Csv;   // standard output: CSV unless -.EXT names another text format
        string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        bool gz = p.Length != path.Length;
        string ext = Path.GetExtension(p).ToLowerInvariant();
        PerAtomFormat? f = ext switch
        {
            ".csv" => PerAtomFormat.Csv,
            ".xyz" or ".extxyz" => PerAtomFormat.ExtendedXyz,
            ".dump" or ".lammpstrj" => PerAtomFormat.LammpsDump,
            ".npy" when !gz => PerAtomFormat.Npy,
            ".parquet" when !gz => PerAtomFormat.Parquet,
            _ => null,
        };
        return f ?? throw new ArgumentException($"--out {path}: unknown output format '{Path.GetExtension(path)}' (use {Extensions})");
    }

    /// <summary>
    /// The kept input columns of <paramref name="frame"/> followed by <paramref name="features"/> (which may be null), as one
    /// block in frame order.
    /// </summary>
    /// <exception cref="ArgumentException">A named column the frame does not have (the message lists those it has).</exception>
    public static PerAtomFeatures Combine(Frame frame, PerAtomFeatures? features, KeepColumns keep)
    {
        var blocks = Blocks(frame, features, keep);
        return blocks.Count == 1 ? blocks[0] : PerAtomFeatures.Concat(blocks);
    }

    /// <summary>The blocks <see cref="Combine"/> joins, not joined: the kept input columns (if any), then the features (if any; at least one block).</summary>
    internal static IReadOnlyList<PerAtomFeatures> Blocks(Frame frame, PerAtomFeatures? features, KeepColumns keep)
    {
        var kept = Kept(frame, features, keep);
        if (kept.Count == 0) return [features ?? new PerAtomFeatures([], frame.Count, [])];
        // streamed: the writers read the rows in id order a block at a time from the columns (no row-major copy of them)
        var cols = kept.Select(k => k.Values).ToArray();
        var block = new PerAtomFeatures(kept.Select(k => k.Name).ToArray(), frame.Count, (rows, dest) => Interleave(cols, rows, dest),
            WriterSupport.SharedOrderById(frame), KeptBlockRows);
        return features is null || features.FeatureCount == 0 ? [block] : [block, features];
    }

    /// <summary>
    /// The frame's kept input columns (those of <paramref name="keep"/>, in its order; a computed column of the same name wins)
    /// as columns of a frame without any other (arrays shared, not copied), beside <paramref name="features"/>: what the
    /// extended XYZ and dump writers write, as <see cref="Combine"/> would give it without joining the columns into one table.
    /// </summary>
    internal static (Frame Frame, PerAtomFeatures? Features) WithKept(Frame frame, PerAtomFeatures? features, KeepColumns keep)
    {
        var kept = Kept(frame, features, keep);
        var f = WithoutColumns(frame);
        foreach (var (name, values) in kept) f.Columns.Add(name, values);
        return (f, features);
    }

    // the kept input columns of Blocks, in order
    private static List<(string Name, double[] Values)> Kept(Frame frame, PerAtomFeatures? features, KeepColumns keep)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(keep);
        WriterSupport.CheckFeatures(frame, features);
        var computed = new HashSet<string>(features?.Names ?? [], StringComparer.Ordinal);
        var kept = new List<(string Name, double[] Values)>();
        if (keep.All)
        {
            foreach (var (name, col) in frame.Columns) kept.Add((name, col));
        }
        else
        {
            foreach (var name in keep.Names!)
            {
                if (!frame.Columns.TryGetValue(name, out var col))
                    throw new ArgumentException($"--keep: the input has no per-atom column '{name}' (it has: {(frame.Columns.Count == 0 ? "none" : string.Join(", ", frame.Columns.Keys))})");
                kept.Add((name, col));
            }
        }
        kept.RemoveAll(k => computed.Contains(k.Name));
        return kept;
    }

    private const int KeptBlockRows = 4096;

    /// <summary>The same atoms, box and positions without extra columns (arrays shared, not copied).</summary>
    public static Frame WithoutColumns(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new Frame(frame.Box, frame.Species, frame.Ids, frame.SpeciesIndex, frame.X, frame.Y, frame.Z, frame.Timestep)
        {
            Images = frame.Images,
            PositionsUnwrapped = frame.PositionsUnwrapped,
        };
    }

    /// <summary>Writes one frame's per-atom result (kept input columns, then <paramref name="features"/>).</summary>
    public static void Write(string path, Frame frame, PerAtomFeatures? features, KeepColumns keep) =>
        Write(path, [(frame, features)], keep, stacked: false);

    /// <summary>
    /// As <see cref="Write(string, Frame, PerAtomFeatures, KeepColumns)"/>, a text output's numbers formatted on up to
    /// <paramref name="threads"/> threads (0 = all cores): the same text for any count.
    /// </summary>
    public static void Write(string path, Frame frame, PerAtomFeatures? features, KeepColumns keep, int threads) =>
        Write(path, [(frame, features)], keep, stacked: false, float32: false, threads);

    /// <summary>
    /// Writes the per-atom results of several frames in the format of <paramref name="path"/>. Extended XYZ and LAMMPS
    /// dumps hold every frame (streamed, one frame in memory at a time); the table formats (CSV, NPY, Parquet) stack the
    /// frames and, when <paramref name="stacked"/>, add the frame's position (0-based) as a leading <c>frame</c> column
    /// (NPY: column 0); without it they need exactly one frame.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown format, no frames, several frames without <paramref name="stacked"/>,
    /// frames whose columns differ, or an invalid/duplicate column name.</exception>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames, KeepColumns keep, bool stacked) =>
        Write(path, frames, keep, stacked, float32: false);

    /// <summary>
    /// As <see cref="Write(string, IEnumerable{ValueTuple{Frame, PerAtomFeatures}}, KeepColumns, bool)"/>; with
    /// <paramref name="float32"/> an NPY output holds float32 values (each rounded to the nearest float32; half the bytes).
    /// </summary>
    /// <exception cref="ArgumentException">As the other overload, or float32 for another format than NPY.</exception>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames, KeepColumns keep, bool stacked, bool float32) =>
        Write(path, frames, keep, stacked, float32, threads: 1);

    /// <summary>
    /// As <see cref="Write(string, IEnumerable{ValueTuple{Frame, PerAtomFeatures}}, KeepColumns, bool, bool)"/>; a text output's
    /// (CSV, extended XYZ, LAMMPS dump) numbers are formatted on up to <paramref name="threads"/> threads (0 = all cores): the
    /// same text for any count.
    /// </summary>
    public static void Write(string path, IEnumerable<(Frame Frame, PerAtomFeatures? Features)> frames, KeepColumns keep, bool stacked, bool float32, int threads)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var format = FormatOf(path);
        if (float32 && format != PerAtomFormat.Npy) throw new ArgumentException($"float32 values: only an NPY output (.npy) holds them, not '{path}'");
        // the text formats write the kept input columns as the frame's columns, beside the features (no joined table)
        IEnumerable<(Frame, PerAtomFeatures?)> Combined() => frames.Select(r => WithKept(r.Frame, r.Features, keep));
        switch (format)
        {
            case PerAtomFormat.ExtendedXyz: ExtendedXyzWriter.Write(path, Combined(), threads); return;
            case PerAtomFormat.LammpsDump: LammpsDumpWriter.Write(path, Combined(), threads); return;
        }
        // the table formats stream the frames (CSV and NPY: one frame's result in memory at a time; Parquet: one row group's
        // columns) and write the kept input columns and the features side by side without joining them
        IEnumerable<(Frame, IReadOnlyList<PerAtomFeatures>)> Checked()
        {
            int count = 0;
            foreach (var (f, b) in frames)
            {
                if (++count > 1 && !stacked) throw new ArgumentException("several frames given for a one-frame table");
                yield return (WithoutColumns(f), Blocks(f, b, keep));
            }
            if (count == 0) throw new ArgumentException("no frames to write");
        }
        switch (format)
        {
            case PerAtomFormat.Csv:
                CsvWriter.WriteBlocks(path, Checked(), frameColumn: stacked, threads: threads);
                break;
            case PerAtomFormat.Npy:
                NpyWriter.WriteBlocks(path, Checked(), frameColumn: stacked, float32);
                break;
            default:
                ParquetTable.WriteBlocks(path, Checked(), frameColumn: stacked);
                break;
        }
        Diagnostics.PhaseTimes.Mark("write");
    }

    // row k of dest ← the columns' values of atom rows.Atom(k), side by side
    private static void Interleave(double[][] cols, AtomRows rows, double[] dest)
    {
        int w = cols.Length;
        for (int k = 0; k < rows.Count; k++)
        {
            int i = rows.Atom(k);
            for (int c = 0; c < w; c++) dest[k * w + c] = cols[c][i];
        }
    }
}
