namespace GlassML.Io;

/// <summary>Writes a numeric table as CSV (<c>.csv</c>, <c>.csv.gz</c>, any other name) or Parquet (<c>.parquet</c>), by the file name.</summary>
public static class TableOutput
{
    /// <summary>True when the path names a Parquet file.</summary>
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>A table of <paramref name="rows"/> rows of row-major values under <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">Size mismatch or an invalid/duplicate column name.</exception>
    public static void Write(string path, IReadOnlyList<string> columns, int rows, double[] values)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (!IsParquet(path)) { CsvWriter.Write(path, columns, rows, values); return; }
        int nc = columns.Count;
        if (values.Length != (long)rows * nc) throw new ArgumentException($"expected {rows} × {nc} values, got {values.Length}");
        var cols = new List<(string, Array)>();
        for (int c = 0; c < nc; c++)
        {
            var v = new double[rows];
            for (int r = 0; r < rows; r++) v[r] = values[(long)r * nc + c];
            cols.Add((columns[c], v));
        }
        ParquetTable.Write(path, cols);
    }
}
