namespace GlassML.Learning;

/// <summary>Options of <see cref="ReliefF"/>.</summary>
/// <param name="Neighbors">k nearest hits and misses per class (Kononenko: 10).</param>
/// <param name="Samples">m sampled instances; 0 or ≥ rows = every instance.</param>
/// <param name="Seed">Seed of the instance sample.</param>
/// <param name="Threads">Maximum degree of parallelism (0 = all cores); results do not depend on it.</param>
public sealed record ReliefFOptions(int Neighbors = 10, int Samples = 0, int Seed = 0, int Threads = 0);

/// <summary>
/// ReliefF feature weights for classification with numeric features (Kononenko, ECML 1994,
/// doi:10.1007/3-540-57868-4_57; Robnik-Šikonja &amp; Kononenko, Mach. Learn. 53 (2003) 23): for each sampled
/// instance R, with diff(A, I₁, I₂) = |I₁[A] − I₂[A]| / (max A − min A) and the Manhattan sum of diffs as the
/// distance, W[A] −= Σ_hits diff / (m·k) and W[A] += Σ_{C ≠ class(R)} P(C)/(1 − P(class(R))) Σ_misses(C) diff / (m·k).
/// Ties in distance are broken by the smaller row index; a class with fewer than k other rows uses all of them
/// (and divides by that count).
/// </summary>
public static class ReliefF
{
    /// <summary>Feature weights (higher = more relevant), length cols.</summary>
    public static double[] Weights(ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> labels, ReliefFOptions? options = null)
    {
        var o = options ?? new ReliefFOptions();
        if (o.Neighbors < 1) throw new ArgumentOutOfRangeException(nameof(options), "Neighbors must be ≥ 1");
        if (o.Samples < 0 || o.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Samples and Threads must be ≥ 0");
        if (rows < 2 || cols < 1) throw new ArgumentException("need at least two rows and one column");
        if (x.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {x.Length}");
        if (labels.Length != rows) throw new ArgumentException("labels length must equal rows");
        var xa = x.ToArray();
        var range = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < rows; r++) { double v = xa[r * cols + c]; lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            range[c] = hi > lo ? hi - lo : 0;
        }
        var classes = labels.ToArray().Distinct().OrderBy(v => v).ToArray();
        var cls = new int[rows];
        var prior = new double[classes.Length];
        for (int r = 0; r < rows; r++) { cls[r] = Array.BinarySearch(classes, labels[r]); prior[cls[r]] += 1.0 / rows; }
        int m = o.Samples == 0 || o.Samples >= rows ? rows : o.Samples;
        int[] sample;
        if (m == rows) sample = Enumerable.Range(0, rows).ToArray();
        else
        {
            var perm = Enumerable.Range(0, rows).ToArray();
            new Random(o.Seed).Shuffle(perm);
            sample = perm[..m];
        }
        int k = o.Neighbors, nc = classes.Length;
        var contrib = new double[(long)m * cols];
        var po = new ParallelOptions { MaxDegreeOfParallelism = o.Threads == 0 ? -1 : o.Threads };
        Parallel.For(0, m, po, () => (new double[rows], new int[rows]), (s, _, scratch) =>
        {
            var (dist, idx) = scratch;
            int ri = sample[s];
            for (int j = 0; j < rows; j++)
            {
                double d = 0;
                for (int c = 0; c < cols; c++) if (range[c] > 0) d += Math.Abs(xa[ri * cols + c] - xa[j * cols + c]) / range[c];
                dist[j] = d; idx[j] = j;
            }
            Array.Sort(dist, idx); // equal keys: order of idx is not guaranteed, fix below
            // stable order by (distance, index)
            int a = 0;
            while (a < rows)
            {
                int b = a + 1; while (b < rows && dist[b] == dist[a]) b++;
                if (b - a > 1) Array.Sort(idx, a, b - a);
                a = b;
            }
            var w = contrib.AsSpan(s * cols, cols);
            var taken = new int[nc];
            var sets = new List<int>[nc];
            for (int c = 0; c < nc; c++) sets[c] = new List<int>(k);
            for (int t = 0; t < rows; t++)
            {
                int j = idx[t];
                if (j == ri) continue;
                int cj = cls[j];
                if (taken[cj] < k) { sets[cj].Add(j); taken[cj]++; }
            }
            int own = cls[ri];
            for (int c = 0; c < nc; c++)
            {
                if (sets[c].Count == 0) continue;
                double factor = c == own ? -1.0 : prior[c] / (1 - prior[own]);
                factor /= sets[c].Count;
                foreach (int j in sets[c])
                    for (int f = 0; f < cols; f++)
                        if (range[f] > 0) w[f] += factor * Math.Abs(xa[ri * cols + f] - xa[j * cols + f]) / range[f];
            }
            return scratch;
        }, _ => { });
        var weights = new double[cols];
        for (int s = 0; s < m; s++) for (int c = 0; c < cols; c++) weights[c] += contrib[s * cols + c];
        for (int c = 0; c < cols; c++) weights[c] /= m;
        return weights;
    }

    /// <summary>Column indices by descending ReliefF weight (ties → smaller index).</summary>
    public static int[] Rank(ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> labels, ReliefFOptions? options = null)
        => FeatureSelection.TopK(Weights(x, rows, cols, labels, options), cols);
}
