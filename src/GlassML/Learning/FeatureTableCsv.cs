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

    /// <summary>Reads a table; <paramref name="target"/> (optional) names the label column.</summary>
    public static FeatureTable Read(string path, string? target = null)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return ReadParquet(path, target);
        Stream s;
        try { s = File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputFormatException(path, 0, $"cannot open: {e.Message}"); }
        using (s)
        {
            Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(s, CompressionMode.Decompress) : s;
            using var reader = new StreamReader(input, Encoding.UTF8, true, 1 << 16);
            try { return Read(reader, path, target); }
            catch (InvalidDataException e) { throw new InputFormatException(path, 0, $"not a valid gzip file: {e.Message}"); }
        }
    }

    /// <summary>Reads a table from text; <paramref name="source"/> names it in error messages.</summary>
    public static FeatureTable Read(TextReader reader, string source, string? target = null)
    {
        string? header = reader.ReadLine();
        long line = 1;
        while (header is not null && header.Trim().Length == 0) { header = reader.ReadLine(); line++; }
        if (header is null) throw new InputFormatException(source, 0, "empty file (no header line)");
        var names = header.Split(',').Select(h => h.Trim()).ToArray();
        int nc = names.Length;
        int idCol = -1, groupCol = -1, targetCol = -1, speciesCol = -1;
        var featureCols = new List<int>();
        var seen = new HashSet<string>();
        for (int c = 0; c < nc; c++)
        {
            string n = names[c];
            if (n.Length == 0) throw new InputFormatException(source, line, $"column {c + 1} has an empty name");
            if (!seen.Add(n)) throw new InputFormatException(source, line, $"duplicate column '{n}'");
            if (n == target) targetCol = c;
            else if (n == "id") idCol = c;
            else if (n == GroupColumn) groupCol = c;
            else if (n == SpeciesColumn) speciesCol = c;
            else if (n is "type" or "frame") { } // a stacked multi-frame table's frame index is not a feature
            else featureCols.Add(c);
        }
        if (target is not null && targetCol < 0) throw new InputFormatException(source, line, $"target column '{target}' not found; columns: {string.Join(", ", names)}");
        int nf = featureCols.Count;
        var role = new int[nc]; // 0 skip, 1 feature, 2 target, 3 id, 4 group, 5 species
        var featIndex = new int[nc];
        for (int c = 0; c < nc; c++) role[c] = c == targetCol ? 2 : c == idCol ? 3 : c == groupCol ? 4 : c == speciesCol ? 5 : 0;
        for (int k = 0; k < nf; k++) { role[featureCols[k]] = 1; featIndex[featureCols[k]] = k; }

        var values = new List<double>(1 << 16);
        var labels = targetCol >= 0 ? new List<double>() : null;
        var ids = idCol >= 0 ? new List<long>() : null;
        var groups = groupCol >= 0 ? new List<int>() : null;
        var species = speciesCol >= 0 ? new List<string>() : null;
        var speciesNames = new Dictionary<string, string>(StringComparer.Ordinal); // one string instance per label
        var row = new double[nf];
        int rows = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0 || (text.Length < 8 && text.Trim().Length == 0)) continue;
            var span = text.AsSpan();
            int c = 0, start = 0;
            for (int pos = 0; pos <= span.Length; pos++)
            {
                if (pos < span.Length && span[pos] != ',') continue;
                if (c >= nc) throw new InputFormatException(source, line, $"more than {nc} cells");
                var cell = span[start..pos].Trim();
                switch (role[c])
                {
                    case 1:
                        row[featIndex[c]] = ParseFeature(cell, source, line, names[c]);
                        break;
                    case 2:
                        double y = ParseFeature(cell, source, line, names[c]);
                        if (double.IsNaN(y)) throw new InputFormatException(source, line, $"column '{names[c]}': target is missing");
                        labels!.Add(y);
                        break;
                    case 3:
                        if (!long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id))
                            throw new InputFormatException(source, line, $"column 'id': '{cell.ToString()}' is not an integer");
                        ids!.Add(id);
                        break;
                    case 4:
                        if (!int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out int g))
                            throw new InputFormatException(source, line, $"column 'group': '{cell.ToString()}' is not an integer");
                        groups!.Add(g);
                        break;
                    case 5:
                        if (cell.Length == 0) throw new InputFormatException(source, line, "column 'species' is empty");
                        string label = cell.ToString();
                        if (!speciesNames.TryGetValue(label, out var shared)) speciesNames[label] = shared = label;
                        species!.Add(shared);
                        break;
                }
                c++;
                start = pos + 1;
            }
            if (c != nc) throw new InputFormatException(source, line, $"expected {nc} cells, found {c}");
            values.AddRange(row);
            rows++;
        }
        return new FeatureTable(featureCols.Select(k => names[k]).ToArray(), rows, [.. values], labels?.ToArray(), groups?.ToArray(), ids?.ToArray(), species?.ToArray());
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

    private static double ParseFeature(ReadOnlySpan<char> cell, string source, long line, string column)
    {
        if (cell.Length == 0) return double.NaN;
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        if (cell.Equals("nan", StringComparison.OrdinalIgnoreCase) || cell.Equals("na", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (cell.Equals("inf", StringComparison.OrdinalIgnoreCase) || cell.Equals("+inf", StringComparison.OrdinalIgnoreCase)) return double.PositiveInfinity;
        if (cell.Equals("-inf", StringComparison.OrdinalIgnoreCase)) return double.NegativeInfinity;
        throw new InputFormatException(source, line, $"column '{column}': cannot read '{cell.ToString()}' as a number");
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

    /// <summary>Writes a table as CSV text (see <see cref="Write(FeatureTable, string, string)"/>).</summary>
    public static void Write(FeatureTable table, TextWriter w, string targetName = "target")
    {
        var head = new List<string>();
        if (table.Ids is not null) head.Add("id");
        if (table.Groups is not null) head.Add(GroupColumn);
        if (table.Species is not null) head.Add(SpeciesColumn);
        head.AddRange(table.Columns);
        if (table.Labels is not null) head.Add(targetName);
        w.WriteLine(string.Join(",", head));
        var sb = new StringBuilder();
        Span<char> buf = stackalloc char[64];
        for (int r = 0; r < table.Rows; r++)
        {
            sb.Clear();
            if (table.Ids is not null) sb.Append(table.Ids[r].ToString(CultureInfo.InvariantCulture)).Append(',');
            if (table.Groups is not null) sb.Append(table.Groups[r].ToString(CultureInfo.InvariantCulture)).Append(',');
            if (table.Species is not null) sb.Append(table.Species[r]).Append(',');
            var row = table.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0) sb.Append(',');
                AppendDouble(sb, row[c], buf);
            }
            if (table.Labels is not null) { sb.Append(','); AppendDouble(sb, table.Labels[r], buf); }
            w.WriteLine(sb);
        }
    }

    private static void AppendDouble(StringBuilder sb, double v, Span<char> buf)
    {
        if (double.IsNaN(v)) { sb.Append("nan"); return; }
        if (double.IsPositiveInfinity(v)) { sb.Append("inf"); return; }
        if (double.IsNegativeInfinity(v)) { sb.Append("-inf"); return; }
        v.TryFormat(buf, out int n, "R", CultureInfo.InvariantCulture);
        sb.Append(buf[..n]);
    }
}
