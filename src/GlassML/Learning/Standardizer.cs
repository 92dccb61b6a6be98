namespace GlassML.Learning;

/// <summary>
/// Per-column standardisation z = (x − mean) / std with the population standard deviation (ddof = 0),
/// the semantics of scikit-learn's StandardScaler: a column of zero variance keeps std = 1 (it is only centred).
/// </summary>
public sealed class Standardizer
{
    private Standardizer(double[] mean, double[] scale) { Mean = mean; Scale = scale; }

    /// <summary>Column means (length = columns).</summary>
    public double[] Mean { get; }
    /// <summary>Column scales: population std, or 1 where the std is 0.</summary>
    public double[] Scale { get; }
    /// <summary>Number of columns.</summary>
    public int Columns => Mean.Length;

    /// <summary>Fits means and population standard deviations of a row-major rows × cols matrix.</summary>
    /// <param name="values">Row-major values (length rows·cols).</param>
    /// <param name="rows">Number of rows (≥ 1).</param>
    /// <param name="cols">Number of columns (≥ 1).</param>
    public static Standardizer Fit(ReadOnlySpan<double> values, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException("need at least one row and one column");
        if (values.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {values.Length}");
        var mean = new double[cols];
        var scale = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) mean[c] += values[r * cols + c];
        for (int c = 0; c < cols; c++) mean[c] /= rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) { double d = values[r * cols + c] - mean[c]; scale[c] += d * d; }
        for (int c = 0; c < cols; c++)
        {
            double s = Math.Sqrt(scale[c] / rows);
            scale[c] = s > 1e-14 * Math.Abs(mean[c]) && s > 0 ? s : 1.0; // constant column (up to rounding)
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>Fits on a table's feature matrix.</summary>
    public static Standardizer Fit(FeatureTable table) => Fit(table.Values, table.Rows, table.ColumnCount);

    /// <summary>Returns a new standardised row-major matrix.</summary>
    public double[] Transform(ReadOnlySpan<double> values)
    {
        if (values.Length % Columns != 0) throw new ArgumentException("values length is not a multiple of the column count");
        var o = new double[values.Length];
        int cols = Columns;
        for (int i = 0; i < values.Length; i++) { int c = i % cols; o[i] = (values[i] - Mean[c]) / Scale[c]; }
        return o;
    }

    /// <summary>Returns a table with standardised features (labels, groups, ids, species kept).</summary>
    public FeatureTable Transform(FeatureTable table)
    {
        if (table.ColumnCount != Columns) throw new ArgumentException($"table has {table.ColumnCount} columns, scaler {Columns}");
        return new FeatureTable(table.Columns, table.Rows, Transform(table.Values), table.Labels, table.Groups, table.Ids, table.Species);
    }
}
