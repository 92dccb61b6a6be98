namespace GlassML.Learning;

/// <summary>
/// A learning table: column names, a dense row-major feature matrix (rows = samples, e.g. atoms),
/// optional labels, optional sample groups (e.g. which configuration a row came from, for group k-fold) and optional
/// species labels of the rows' centre atoms (for per-species models and one-hot species columns).
/// </summary>
public sealed class FeatureTable
{
    /// <summary>Creates a table; arrays are taken, not copied.</summary>
    public FeatureTable(IReadOnlyList<string> columns, int rows, double[] values, double[]? labels = null, int[]? groups = null, long[]? ids = null,
        string[]? species = null)
    {
        if (values.Length != (long)rows * columns.Count) throw new ArgumentException($"expected {rows} × {columns.Count} values, got {values.Length}");
        if (labels is not null && labels.Length != rows) throw new ArgumentException("labels length must equal rows");
        if (groups is not null && groups.Length != rows) throw new ArgumentException("groups length must equal rows");
        if (ids is not null && ids.Length != rows) throw new ArgumentException("ids length must equal rows");
        if (species is not null && species.Length != rows) throw new ArgumentException("species length must equal rows");
        Columns = columns; Rows = rows; Values = values; Labels = labels; Groups = groups; Ids = ids; Species = species;
    }

    /// <summary>Feature column names.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }
    /// <summary>Number of feature columns.</summary>
    public int ColumnCount => Columns.Count;
    /// <summary>Row-major Rows × ColumnCount values.</summary>
    public double[] Values { get; }
    /// <summary>Target per row, or null.</summary>
    public double[]? Labels { get; }
    /// <summary>Group (sample/configuration index) per row, or null.</summary>
    public int[]? Groups { get; }
    /// <summary>Row ids (e.g. atom ids), or null.</summary>
    public long[]? Ids { get; }
    /// <summary>Species label of each row's (centre) atom, or null.</summary>
    public string[]? Species { get; }

    /// <summary>Value at (row, column).</summary>
    public double this[int row, int col] => Values[(long)row * ColumnCount + col];

    /// <summary>One row.</summary>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * ColumnCount, ColumnCount);

    /// <summary>A new table of the given rows (in that order).</summary>
    public FeatureTable SelectRows(ReadOnlySpan<int> rows)
    {
        int f = ColumnCount;
        var v = new double[(long)rows.Length * f];
        for (int r = 0; r < rows.Length; r++) Array.Copy(Values, (long)rows[r] * f, v, (long)r * f, f);
        double[]? l = Labels is null ? null : new double[rows.Length];
        int[]? g = Groups is null ? null : new int[rows.Length];
        long[]? id = Ids is null ? null : new long[rows.Length];
        string[]? sp = Species is null ? null : new string[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            if (l is not null) l[r] = Labels![rows[r]];
            if (g is not null) g[r] = Groups![rows[r]];
            if (id is not null) id[r] = Ids![rows[r]];
            if (sp is not null) sp[r] = Species![rows[r]];
        }
        return new FeatureTable(Columns, rows.Length, v, l, g, id, sp);
    }

    /// <summary>A new table with the given columns (in that order).</summary>
    public FeatureTable SelectColumns(IReadOnlyList<int> cols)
    {
        int f = cols.Count;
        var v = new double[(long)Rows * f];
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < f; c++) v[(long)r * f + c] = Values[(long)r * ColumnCount + cols[c]];
        var names = new string[f];
        for (int c = 0; c < f; c++) names[c] = Columns[cols[c]];
        return new FeatureTable(names, Rows, v, Labels, Groups, Ids, Species);
    }

    /// <summary>
    /// This table with its columns in the order of <paramref name="names"/> (e.g. a model's features).
    /// </summary>
    /// <exception cref="ArgumentException">The column names differ from <paramref name="names"/> (the message lists missing and unexpected ones).</exception>
    public FeatureTable AlignTo(IReadOnlyList<string> names, string what = "table")
    {
        var e = new HashSet<string>(names, StringComparer.Ordinal);
        var a = new HashSet<string>(Columns, StringComparer.Ordinal);
        var missing = names.Where(c => !a.Contains(c)).ToList();
        var extra = Columns.Where(c => !e.Contains(c)).ToList();
        if (missing.Count > 0 || extra.Count > 0 || Columns.Count != names.Count)
        {
            string Show(List<string> l) => l.Count == 0 ? "none" : string.Join(", ", l.Take(10)) + (l.Count > 10 ? $", … ({l.Count} in all)" : "");
            throw new ArgumentException($"{what} columns do not match the model's {names.Count} features: missing {Show(missing)}; unexpected {Show(extra)}"
                + (Columns.Count != a.Count ? "; duplicate column names" : ""));
        }
        bool same = true;
        for (int i = 0; i < names.Count && same; i++) same = names[i] == Columns[i];
        if (same) return this;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ColumnCount; i++) index[Columns[i]] = i;
        var order = new int[names.Count];
        for (int i = 0; i < order.Length; i++) order[i] = index[names[i]];
        return SelectColumns(order);
    }

    /// <summary>Same features with other labels.</summary>
    public FeatureTable WithLabels(double[] labels) => new(Columns, Rows, Values, labels, Groups, Ids, Species);

    /// <summary>Same features with other species labels (null removes them).</summary>
    public FeatureTable WithSpecies(string[]? species) => new(Columns, Rows, Values, Labels, Groups, Ids, species);
}
