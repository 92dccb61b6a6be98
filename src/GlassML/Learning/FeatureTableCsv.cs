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
            string n = names[c];
            if (n == target) targetCol = c;
            else if (n == "id") idCol = c;
            else if (n == GroupColumn) groupCol = c;
            else if (n == SpeciesColumn) speciesCol = c;
            else if (n is "type" or "frame") { } // a stacked multi-frame table's frame index is not a feature
            else featureCols.Add(c);
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

    /// <summary>Rows of doubles gathered in fixed blocks, so a table of 10⁹ values is not copied on every doubling.</summary>
    private sealed class ChunkedDoubles
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
    /// </summary>
    public static FeatureTable ReadParquet(string path, string? target = null)
    {
        var cols = ParquetTable.Read(path);
        int rows = cols.Count == 0 ? 0 : cols[0].Values.Length;
        double[]? labels = null;
        long[]? ids = null;
        int[]? groups = null;
        string[]? species = null;
        var features = new List<(string Name, Array Values)>();
        foreach (var (name, v) in cols)
        {
            if (name == target)
            {
                labels = Numbers(v, name);
                int bad = Array.FindIndex(labels, double.IsNaN);
                if (bad >= 0) throw new InputFormatException(path, 0, $"row {bad + 1}, column '{name}': target is missing");
            }
            else if (name == "id") ids = v is long[] l ? l : throw new InputFormatException(path, 0, "column 'id' is not an integer column");
            else if (name == "group") groups = v is long[] g ? g.Select(x => checked((int)x)).ToArray() : throw new InputFormatException(path, 0, "column 'group' is not an integer column");
            else if (name == SpeciesColumn) species = v is string[] sp ? sp : throw new InputFormatException(path, 0, "column 'species' is not a text column");
            else if (name is "type" or "frame") { } // a stacked multi-frame table's frame index is not a feature
            else features.Add((name, v));
        }
        if (target is not null && labels is null) throw new InputFormatException(path, 0, $"target column '{target}' not found; columns: {string.Join(", ", cols.Select(c => c.Name))}");
        int nf = features.Count;
        var values = new double[(long)rows * nf];
        for (int k = 0; k < nf; k++)
        {
            var c = Numbers(features[k].Values, features[k].Name);
            for (int r = 0; r < rows; r++) values[(long)r * nf + k] = c[r];
        }
        return new FeatureTable(features.Select(f => f.Name).ToArray(), rows, values, labels, groups, ids, species);

        double[] Numbers(Array v, string name) => v switch
        {
            double[] d => d,
            long[] l => l.Select(x => (double)x).ToArray(),
            _ => throw new InputFormatException(path, 0, $"column '{name}' is not numeric"),
        };
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
