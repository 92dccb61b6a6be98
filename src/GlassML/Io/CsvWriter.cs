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
    public static void Write(string path, Frame frame, PerAtomFeatures features)
    {
        CheckFeatures(frame, features);
        var seen = new HashSet<string>(["id", "type", "species"], StringComparer.Ordinal);
        foreach (var nm in features.Names)
        {
            CheckName(nm, "CSV");
            if (!seen.Add(nm)) throw new ArgumentException($"column name '{nm}' is used twice");
        }
        var order = OrderById(frame);
        int nf = features.FeatureCount;
        WriteText(path, w =>
        {
            w.Write("id,type,species");
            foreach (var nm in features.Names) { w.Write(','); w.Write(nm); }
            w.Write('\n');
            var sb = new System.Text.StringBuilder(64 + 24 * nf);
            foreach (int i in order)
            {
                int s = frame.SpeciesIndex[i];
                sb.Clear();
                sb.Append(I(frame.Ids[i])).Append(',').Append(I(s + 1)).Append(',').Append(frame.Species[s].Name);
                var row = features.Row(i);
                for (int f = 0; f < nf; f++) sb.Append(',').Append(F(row[f]));
                sb.Append('\n');
                w.Write(sb);
            }
        });
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
        WriteText(path, w =>
        {
            w.Write(string.Join(",", columns)); w.Write('\n');
            var sb = new System.Text.StringBuilder(24 * nc);
            for (int r = 0; r < rows; r++)
            {
                sb.Clear();
                for (int c = 0; c < nc; c++) { if (c > 0) sb.Append(','); sb.Append(F(values[(long)r * nc + c])); }
                sb.Append('\n');
                w.Write(sb);
            }
        });
    }
}
