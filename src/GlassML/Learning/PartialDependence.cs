namespace GlassML.Learning;

/// <summary>One-way partial dependence: Average[k] = mean over rows of f(x with x_feature = Grid[k]).</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Grid">Grid values (ascending).</param>
/// <param name="Average">Mean prediction at each grid value.</param>
public sealed record PartialDependence1D(string Feature, double[] Grid, double[] Average);

/// <summary>Two-way partial dependence: Average[i·GridY.Length + j] = mean over rows of f(x with x_a = GridX[i], x_b = GridY[j]).</summary>
/// <param name="FeatureX">First feature.</param>
/// <param name="FeatureY">Second feature.</param>
/// <param name="GridX">Grid of the first feature.</param>
/// <param name="GridY">Grid of the second feature.</param>
/// <param name="Average">Row-major GridX.Length × GridY.Length means.</param>
public sealed record PartialDependence2D(string FeatureX, string FeatureY, double[] GridX, double[] GridY, double[] Average);

/// <summary>
/// Partial dependence (Friedman 2001, "brute" method): the model's mean prediction over the table's rows when one
/// or two features are set to grid values. Predictions are probabilities for binary models unless
/// <c>margin</c> is true. Grid: when a feature has ≤ <c>points</c> distinct values those values, otherwise the
/// empirical quantiles at probabilities evenly spaced from <c>lower</c> to <c>upper</c> (linear interpolation
/// between order statistics, as numpy's default percentile), duplicates removed.
/// </summary>
public static class PartialDependence
{
    /// <summary>Grid of a column (NaN ignored).</summary>
    public static double[] Grid(FeatureTable table, int column, int points = 20, double lower = 0.05, double upper = 0.95)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), "points must be ≥ 2");
        if (!(lower >= 0 && lower < upper && upper <= 1)) throw new ArgumentOutOfRangeException(nameof(lower), "need 0 ≤ lower < upper ≤ 1");
        var v = new List<double>(table.Rows);
        for (int r = 0; r < table.Rows; r++) { double x = table[r, column]; if (!double.IsNaN(x)) v.Add(x); }
        if (v.Count == 0) throw new ArgumentException($"column '{table.Columns[column]}' has no values");
        v.Sort();
        var distinct = new List<double> { v[0] };
        for (int i = 1; i < v.Count && distinct.Count <= points; i++) if (v[i] != v[i - 1]) distinct.Add(v[i]);
        if (distinct.Count <= points) return [.. distinct];
        var g = new List<double>();
        for (int k = 0; k < points; k++)
        {
            double q = lower + (upper - lower) * k / (points - 1);
            double pos = q * (v.Count - 1);
            int i = (int)Math.Floor(pos);
            double x = i + 1 < v.Count ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
            if (g.Count == 0 || x > g[^1]) g.Add(x);
        }
        return [.. g];
    }

    /// <summary>One-way partial dependence of <paramref name="feature"/>.</summary>
    public static PartialDependence1D OneWay(GradientBoostedTreesModel model, FeatureTable table, string feature,
        int points = 20, bool margin = false, int threads = 0)
    {
        var t = model.Align(table);
        int f = IndexOf(t, feature);
        var grid = Grid(t, f, points);
        var avg = Average(model, t, [f], grid.Select(x => new[] { x }).ToArray(), margin, threads);
        return new PartialDependence1D(feature, grid, avg);
    }

    /// <summary>Two-way partial dependence of <paramref name="featureX"/> and <paramref name="featureY"/>.</summary>
    public static PartialDependence2D TwoWay(GradientBoostedTreesModel model, FeatureTable table, string featureX, string featureY,
        int points = 10, bool margin = false, int threads = 0)
    {
        var t = model.Align(table);
        int a = IndexOf(t, featureX), b = IndexOf(t, featureY);
        if (a == b) throw new ArgumentException("two-way partial dependence needs two different features");
        var gx = Grid(t, a, points);
        var gy = Grid(t, b, points);
        var settings = new double[gx.Length * gy.Length][];
        for (int i = 0; i < gx.Length; i++)
            for (int j = 0; j < gy.Length; j++) settings[i * gy.Length + j] = [gx[i], gy[j]];
        return new PartialDependence2D(featureX, featureY, gx, gy, Average(model, t, [a, b], settings, margin, threads));
    }

    private static int IndexOf(FeatureTable t, string feature)
    {
        for (int c = 0; c < t.ColumnCount; c++) if (t.Columns[c] == feature) return c;
        throw new ArgumentException($"feature '{feature}' is not a column of the model");
    }

    private static double[] Average(GradientBoostedTreesModel model, FeatureTable t, int[] cols, double[][] settings, bool margin, int threads)
    {
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        var result = new double[settings.Length];
        int nf = t.ColumnCount;
        Parallel.For(0, settings.Length, po, () => new double[nf], (k, _, row) =>
        {
            double sum = 0;
            for (int r = 0; r < t.Rows; r++)
            {
                t.Row(r).CopyTo(row);
                for (int j = 0; j < cols.Length; j++) row[cols[j]] = settings[k][j];
                double m = model.PredictMarginRow(row);
                sum += margin ? m : model.Transform(m);
            }
            result[k] = sum / t.Rows;
            return row;
        }, _ => { });
        return result;
    }
}
