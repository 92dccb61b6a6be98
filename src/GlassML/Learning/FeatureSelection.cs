namespace GlassML.Learning;

/// <summary>Result of <see cref="FeatureSelection.RecursiveElimination"/>.</summary>
/// <param name="Subsets">Evaluated feature subsets (original column indices, ascending), from all features down.</param>
/// <param name="Scores">Cross-validated score of each subset (higher is better).</param>
/// <param name="Best">The subset of highest score (ties → the smaller subset).</param>
/// <param name="Ranking">Per original column: 1 for columns of the last (smallest) subset, larger for columns
/// eliminated earlier (scikit-learn RFE ranking_ convention).</param>
public sealed record RfeResult(IReadOnlyList<int[]> Subsets, double[] Scores, int[] Best, int[] Ranking);

/// <summary>
/// Feature filters and wrappers over a row-major rows × cols feature matrix. All return original column
/// indices and are deterministic.
/// </summary>
public static class FeatureSelection
{
    private static void Check(ReadOnlySpan<double> x, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException("need at least one row and one column");
        if (x.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {x.Length}");
    }

    /// <summary>Population variance of every column.</summary>
    public static double[] Variances(ReadOnlySpan<double> x, int rows, int cols)
    {
        Check(x, rows, cols);
        var m = new double[cols]; var v = new double[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[c] += x[r * cols + c];
        for (int c = 0; c < cols; c++) m[c] /= rows;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) { double d = x[r * cols + c] - m[c]; v[c] += d * d; }
        for (int c = 0; c < cols; c++) v[c] /= rows;
        return v;
    }

    /// <summary>Columns whose population variance is &gt; <paramref name="threshold"/> (scikit-learn VarianceThreshold;
    /// threshold 0 removes constant columns).</summary>
    public static int[] VarianceThreshold(ReadOnlySpan<double> x, int rows, int cols, double threshold = 0)
    {
        if (!(threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), "threshold must be ≥ 0");
        var v = Variances(x, rows, cols);
        var keep = new List<int>();
        for (int c = 0; c < cols; c++) if (v[c] > threshold) keep.Add(c);
        return keep.ToArray();
    }

    /// <summary>Pearson correlation matrix of the columns (row-major cols × cols); 0 off-diagonal for constant columns.</summary>
    public static double[] CorrelationMatrix(ReadOnlySpan<double> x, int rows, int cols)
    {
        Check(x, rows, cols);
        var m = new double[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[c] += x[r * cols + c];
        for (int c = 0; c < cols; c++) m[c] /= rows;
        var cov = new double[cols * cols];
        var d = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++) d[c] = x[r * cols + c] - m[c];
            for (int a = 0; a < cols; a++) for (int b = a; b < cols; b++) cov[a * cols + b] += d[a] * d[b];
        }
        var rho = new double[cols * cols];
        for (int a = 0; a < cols; a++)
            for (int b = a; b < cols; b++)
            {
                double den = Math.Sqrt(cov[a * cols + a] * cov[b * cols + b]);
                double v = a == b ? 1 : den > 0 ? cov[a * cols + b] / den : 0;
                rho[a * cols + b] = rho[b * cols + a] = v;
            }
        return rho;
    }

    /// <summary>
    /// Correlation filter: visits columns in <paramref name="order"/> (default: column order; e.g. pass columns
    /// by descending importance) and keeps a column unless |ρ| &gt; <paramref name="maxAbsCorrelation"/> with an
    /// already kept column, so of each highly correlated pair the later-visited one is dropped.
    /// Returns the kept columns ascending.
    /// </summary>
    public static int[] CorrelationFilter(ReadOnlySpan<double> x, int rows, int cols, double maxAbsCorrelation, IReadOnlyList<int>? order = null)
    {
        if (!(maxAbsCorrelation >= 0 && maxAbsCorrelation <= 1)) throw new ArgumentOutOfRangeException(nameof(maxAbsCorrelation), "threshold must be in [0, 1]");
        var rho = CorrelationMatrix(x, rows, cols);
        var visit = order ?? Enumerable.Range(0, cols).ToArray();
        if (visit.Count != cols || visit.Distinct().Count() != cols || visit.Any(c => c < 0 || c >= cols))
            throw new ArgumentException("order must be a permutation of the columns");
        var kept = new List<int>();
        foreach (int c in visit)
        {
            bool ok = true;
            foreach (int k in kept) if (Math.Abs(rho[c * cols + k]) > maxAbsCorrelation) { ok = false; break; }
            if (ok) kept.Add(c);
        }
        kept.Sort();
        return kept.ToArray();
    }

    /// <summary>The k columns of largest importance, in descending importance (ties → smaller index first).</summary>
    public static int[] TopK(ReadOnlySpan<double> importance, int k)
    {
        if (k < 0 || k > importance.Length) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 0..{importance.Length}");
        var imp = importance.ToArray();
        var idx = Enumerable.Range(0, imp.Length).ToArray();
        Array.Sort(idx, (a, b) => { int c = imp[b].CompareTo(imp[a]); return c != 0 ? c : a.CompareTo(b); });
        return idx[..k];
    }

    /// <summary>
    /// Recursive feature elimination with cross-validation (scikit-learn RFECV logic, callback based): starting
    /// from all <paramref name="features"/> columns, score the subset with <paramref name="cvScore"/> (e.g. mean
    /// k-fold score of any learner trained on those columns; higher is better), then drop the
    /// <paramref name="step"/> columns of lowest importance reported by <paramref name="importances"/> (aligned with
    /// the subset; ties → the larger column index is dropped first), until <paramref name="minFeatures"/> remain.
    /// </summary>
    public static RfeResult RecursiveElimination(int features, Func<int[], double[]> importances, Func<int[], double> cvScore,
        int step = 1, int minFeatures = 1)
    {
        ArgumentNullException.ThrowIfNull(importances); ArgumentNullException.ThrowIfNull(cvScore);
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), "features must be ≥ 1");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), "step must be ≥ 1");
        if (minFeatures < 1 || minFeatures > features) throw new ArgumentOutOfRangeException(nameof(minFeatures), $"minFeatures must be in 1..{features}");
        var current = Enumerable.Range(0, features).ToList();
        var subsets = new List<int[]>(); var scores = new List<double>();
        var ranking = new int[features];
        var eliminated = new List<int[]>();
        while (true)
        {
            var cur = current.ToArray();
            subsets.Add(cur);
            scores.Add(cvScore(cur));
            if (cur.Length <= minFeatures) break;
            var imp = importances(cur);
            if (imp.Length != cur.Length) throw new InvalidOperationException($"importances returned {imp.Length} values for {cur.Length} features");
            var pos = Enumerable.Range(0, cur.Length).ToArray();
            Array.Sort(pos, (a, b) => { int c = imp[a].CompareTo(imp[b]); return c != 0 ? c : cur[b].CompareTo(cur[a]); });
            int drop = Math.Min(step, cur.Length - minFeatures);
            var gone = pos[..drop].Select(p => cur[p]).ToArray();
            eliminated.Add(gone);
            foreach (int c in gone) current.Remove(c);
        }
        foreach (int c in current) ranking[c] = 1;
        for (int e = eliminated.Count - 1, r = 2; e >= 0; e--, r++) foreach (int c in eliminated[e]) ranking[c] = r;
        int best = 0;
        for (int i = 1; i < scores.Count; i++) if (scores[i] >= scores[best]) best = i;
        return new RfeResult(subsets, scores.ToArray(), subsets[best], ranking);
    }
}
