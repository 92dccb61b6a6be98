using System.Globalization;
using System.IO.Compression;
using System.Text;
using GlassML.Io;

namespace GlassML.Learning;

/// <summary>
/// CSV reading and writing of <see cref="FeatureTable"/>s (comma-separated, header line, invariant culture,
/// optional gzip by the ".gz" suffix). Column roles: <c>id</c> → <see cref="FeatureTable.Ids"/> (integer),
/// <c>group</c> → <see cref="FeatureTable.Groups"/> (integer), <c>species</c> → <see cref="FeatureTable.Species"/> (text),
/// the named target → <see cref="FeatureTable.Labels"/>, <c>type</c> and <c>frame</c> are skipped, every other column is a feature. Empty cells and
/// nan/NaN are missing values (NaN) in features; the target must be a number. Bad cells throw
/// <see cref="InputFormatException"/> with file, line and column.
/// </summary>
public static class FeatureTableCsv
{
    /// <summary>Column names that are never features.</summary>
    public static readonly IReadOnlyList<string> ReservedColumns = ["id", "type", "species", "group", "frame"];

    /// <summary>Name of the column read into <see cref="FeatureTable.Groups"/> (cross-validation groups).</summary>
    public const string GroupColumn = "group";

    /// <summary>Name of the column read into <see cref="FeatureTable.Species"/>.</summary>
    public const string SpeciesColumn = "species";

    /// <summary>Reads a table; <paramref name="target"/> (optional) names the label column. ".parquet" is read as Parquet.</summary>
    public static FeatureTable Read(string path, string? target = null)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return ReadParquet(path, target);
        // plain CSV (no quotes, the usual case) is read where it lies; anything else, and every problem, by the CSV reader
        if (PlainCsvTable.TryRead(path, target) is { } plain) return plain;
        return ReadCsv(path, target);
    }

    /// <summary>A CSV table through <see cref="CsvTableReader"/> (the reader every CSV table had before the plain fast path; tests).</summary>
    internal static FeatureTable ReadCsv(string path, string? target = null)
    {
        using var csv = CsvTableReader.Open(path);
        return Read(csv, target);
    }

    /// <summary>Reads a table from CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static FeatureTable Read(TextReader reader, string source, string? target = null)
    {
        using var csv = new CsvTableReader(reader, source);
        return Read(csv, target);
    }

    private static FeatureTable Read(CsvTableReader csv, string? target)
    {
        var names = csv.Header;
        int nc = names.Count;
        int idCol = -1, groupCol = -1, targetCol = -1, speciesCol = -1;
        var featureCols = new List<int>();
        for (int c = 0; c < nc; c++)
        {
            switch (RoleOf(names[c], target))
            {
                case ColumnRole.Target: targetCol = c; break;
                case ColumnRole.Id: idCol = c; break;
                case ColumnRole.Group: groupCol = c; break;
                case ColumnRole.Species: speciesCol = c; break;
                case ColumnRole.Feature: featureCols.Add(c); break;
            }
        }
        if (target is not null && targetCol < 0)
            throw new InputFormatException(csv.Source, csv.HeaderLine, $"target column '{target}' not found; columns: {string.Join(", ", names)}");
        int nf = featureCols.Count;

        var values = new ChunkedDoubles();
        var labels = targetCol >= 0 ? new List<double>() : null;
        var ids = idCol >= 0 ? new List<long>() : null;
        var groups = groupCol >= 0 ? new List<int>() : null;
        var species = speciesCol >= 0 ? new List<string>() : null;
        var speciesNames = new Dictionary<string, string>(StringComparer.Ordinal); // one string instance per label
        var row = new double[nf];
        int rows = 0;
        while (csv.Read())
        {
            csv.RequireHeaderWidth();
            for (int k = 0; k < nf; k++) row[k] = csv.Number(featureCols[k]);
            if (labels is not null)
            {
                double y = csv.Number(targetCol);
                if (double.IsNaN(y)) throw csv.Error($"column '{names[targetCol]}': target is missing");
                labels.Add(y);
            }
            ids?.Add(csv.Integer(idCol));
            if (groups is not null)
            {
                long g = csv.Integer(groupCol);
                if (g is < int.MinValue or > int.MaxValue) throw csv.Error($"column 'group': {g} is out of range");
                groups.Add((int)g);
            }
            if (species is not null)
            {
                string label = csv.Text(speciesCol);
                if (label.Length == 0) throw csv.Error("column 'species' is empty");
                if (!speciesNames.TryGetValue(label, out var shared)) speciesNames[label] = shared = label;
                species.Add(shared);
            }
            values.Add(row);
            rows++;
        }
        return new FeatureTable(featureCols.Select(k => names[k]).ToArray(), rows, values.ToArray(), labels?.ToArray(), groups?.ToArray(), ids?.ToArray(), species?.ToArray());
    }

    /// <summary>What a column of a feature table is, by its name: the target, ids, cross-validation groups, species, skipped, or a feature.</summary>
    internal enum ColumnRole : byte { Feature, Target, Id, Group, Species, Skip }

    /// <summary>
    /// The role of a column named <paramref name="name"/> (the same for CSV and Parquet): <paramref name="target"/>, <c>id</c>,
    /// <see cref="GroupColumn"/>, <see cref="SpeciesColumn"/>; <c>type</c> and <c>frame</c> (a stacked multi-frame table's frame
    /// index) are not features; every other column is one.
    /// </summary>
    internal static ColumnRole RoleOf(string name, string? target) => name == target ? ColumnRole.Target
        : name == "id" ? ColumnRole.Id
        : name == GroupColumn ? ColumnRole.Group
        : name == SpeciesColumn ? ColumnRole.Species
        : name is "type" or "frame" ? ColumnRole.Skip
        : ColumnRole.Feature;

    /// <summary>Rows of doubles gathered in fixed blocks, so a table of 10⁹ values is not copied on every doubling.</summary>
    internal sealed class ChunkedDoubles
    {
        private const int Block = 1 << 22;
        private readonly List<double[]> _blocks = [];
        private long _count;

        public void Add(ReadOnlySpan<double> row)
        {
            while (row.Length > 0)
            {
                int at = (int)(_count % Block);
                if (at == 0) _blocks.Add(GC.AllocateUninitializedArray<double>(Block));
                int n = Math.Min(row.Length, Block - at);
                row[..n].CopyTo(_blocks[^1].AsSpan(at));
                row = row[n..];
                _count += n;
            }
        }

        public double[] ToArray()
        {
            var all = GC.AllocateUninitializedArray<double>(checked((int)_count));
            for (int b = 0; b < _blocks.Count; b++)
            {
                long start = (long)b * Block;
                int n = (int)Math.Min(Block, _count - start);
                Array.Copy(_blocks[b], 0, all, start, n);
                _blocks[b] = [];
            }
            return all;
        }
    }

    /// <summary>
    /// Reads a Parquet table (<see cref="ParquetTable"/>) with the column roles of the CSV reader: numeric columns are
    /// features (integers converted), <c>species</c> is text, string columns other than the reserved ones are refused.
    /// The row-major values are filled one column chunk (one row group's column) at a time, so the peak memory is the
    /// table plus one column chunk.
    /// </summary>
    public static FeatureTable ReadParquet(string path, string? target = null)
    {
        const int Skip = -1, Target = -2, Id = -3, Group = -4, Species = -5; // a column's role; features are 0, 1, …
        int[] role = [];
        string[] featureNames = [];
        int rows = 0, nf = 0;
        double[] values = [];
        double[]? labels = null;
        long[]? ids = null;
        int[]? groups = null;
        string[]? species = null;
        var speciesNames = new Dictionary<string, string>(StringComparer.Ordinal); // one string instance per label
        // feature column chunks of one row group held until eight are there, then moved into the row-major table together: a row's
        // eight values usually lie side by side (one or two cache lines written per row instead of eight)
        const int Pending = 8;
        var pendRole = new int[Pending];
        var pendBuf = new double[Pending][];
        int pendCount = 0, pendOffset = 0, pendRows = 0;
        ParquetTable.ReadChunks(path, Begin, Chunk);
        Flush();
        return new FeatureTable(featureNames, rows, values, labels, groups, ids, species);

        // the held chunks into the table: values[(offset + i)·nf + role] = chunk[i]
        void Flush()
        {
            int m = pendCount;
            pendCount = 0;
            if (m == 0) return;
            var dest = values;
            for (int i = 0; i < pendRows; i++)
            {
                long b = (long)(pendOffset + i) * nf;
                for (int j = 0; j < m; j++) dest[b + pendRole[j]] = pendBuf[j][i];
            }
        }

        void Begin(IReadOnlyList<(string Name, Type Kind)> columns, int n)
        {
            rows = n;
            role = new int[columns.Count];
            var names = new List<string>();
            for (int c = 0; c < columns.Count; c++)
            {
                var (name, kind) = columns[c];
                switch (RoleOf(name, target))
                {
                    case ColumnRole.Target: role[c] = Target; labels = new double[n]; RequireNumeric(name, kind); break;
                    case ColumnRole.Id: role[c] = Id; ids = new long[n]; Require(kind == typeof(long), "column 'id' is not an integer column"); break;
                    case ColumnRole.Group: role[c] = Group; groups = new int[n]; Require(kind == typeof(long), "column 'group' is not an integer column"); break;
                    case ColumnRole.Species: role[c] = Species; species = new string[n]; Require(kind == typeof(string), "column 'species' is not a text column"); break;
                    case ColumnRole.Skip: role[c] = Skip; break;
                    default: role[c] = names.Count; names.Add(name); RequireNumeric(name, kind); break;
                }
            }
            if (target is not null && labels is null)
                throw new InputFormatException(path, 0, $"target column '{target}' not found; columns: {string.Join(", ", columns.Select(c => c.Name))}");
            featureNames = [.. names];
            nf = featureNames.Length;
            // not zeroed: every cell is written (each feature column of every row group), huge pages advised (fewer faults)
            if ((long)rows * nf > Array.MaxLength) throw new InputFormatException(path, 0, $"{rows} rows × {nf} features is more values than one table holds ({Array.MaxLength})");
            values = Numerics.HugePages.NewDoubles(rows * nf);
        }

        void Chunk(int c, int offset, Array chunk)
        {
            int n = chunk.Length;
            switch (role[c])
            {
                case Skip: break;
                case Id: Array.Copy(chunk, 0, ids!, offset, n); break;
                case Group:
                    var g = (long[])chunk;
                    for (int i = 0; i < n; i++)
                        groups![offset + i] = g[i] is >= int.MinValue and <= int.MaxValue ? (int)g[i] : throw new InputFormatException(path, 0, $"row {offset + i + 1}, column 'group': {g[i]} is out of range");
                    break;
                case Species:
                    var s = (string[])chunk;
                    for (int i = 0; i < n; i++)
                    {
                        if (!speciesNames.TryGetValue(s[i], out var shared)) speciesNames[s[i]] = shared = s[i];
                        species![offset + i] = shared;
                    }
                    break;
                case Target:
                    Scatter(chunk, labels!, offset, 1);
                    for (int i = 0; i < n; i++)
                        if (double.IsNaN(labels![offset + i])) throw new InputFormatException(path, 0, $"row {offset + i + 1}, column '{target}': target is missing");
                    break;
                default:
                    if (pendCount > 0 && pendOffset != offset) Flush();
                    var buf = pendBuf[pendCount];
                    if (buf is null || buf.Length < n) pendBuf[pendCount] = buf = new double[n];
                    if (chunk is double[] dv) dv.AsSpan().CopyTo(buf);
                    else { var lv = (long[])chunk; for (int i = 0; i < n; i++) buf[i] = lv[i]; }
                    pendRole[pendCount] = role[c];
                    pendOffset = offset;
                    pendRows = n;
                    if (++pendCount == Pending) Flush();
                    break;
            }
        }

        // values[start + i·stride] = chunk[i], integers converted to double
        static void Scatter(Array chunk, double[] dest, long start, int stride)
        {
            if (chunk is double[] d) for (int i = 0; i < d.Length; i++) dest[start + (long)i * stride] = d[i];
            else { var l = (long[])chunk; for (int i = 0; i < l.Length; i++) dest[start + (long)i * stride] = l[i]; }
        }

        void RequireNumeric(string name, Type kind) => Require(kind != typeof(string), $"column '{name}' is not numeric");
        void Require(bool ok, string problem) { if (!ok) throw new InputFormatException(path, 0, problem); }
    }

    /// <summary>
    /// Writes a table: <c>id</c> (if present), <c>group</c> (if present), <c>species</c> (if present), the features, then the labels as
    /// <paramref name="targetName"/> (if present). Doubles in shortest round-trip form; NaN as "nan". Atomic; ".gz" compresses.
    /// </summary>
    public static void Write(FeatureTable table, string path, string targetName = "target")
    {
        AtomicFile.Write(path, s =>
        {
            Stream output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true) : s;
            using (var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: output == s))
            {
                w.NewLine = "\n";
                Write(table, w, targetName);
            }
            if (output != s) output.Dispose();
        });
    }

    /// <summary>Writes a table as CSV text (see <see cref="Write(FeatureTable, string, string)"/>); names and species quoted when needed.</summary>
    public static void Write(FeatureTable table, TextWriter text, string targetName = "target")
    {
        var head = new List<string>();
        if (table.Ids is not null) head.Add("id");
        if (table.Groups is not null) head.Add(GroupColumn);
        if (table.Species is not null) head.Add(SpeciesColumn);
        head.AddRange(table.Columns);
        if (table.Labels is not null) head.Add(targetName);
        using var w = new CsvRowWriter(text);
        w.Row(head);
        for (int r = 0; r < table.Rows; r++)
        {
            if (table.Ids is not null) w.Integer(table.Ids[r]);
            if (table.Groups is not null) w.Integer(table.Groups[r]);
            if (table.Species is not null) w.Text(table.Species[r]);
            foreach (double v in table.Row(r)) w.Number(v);
            if (table.Labels is not null) w.Number(table.Labels[r]);
            w.EndRow();
        }
    }
}
