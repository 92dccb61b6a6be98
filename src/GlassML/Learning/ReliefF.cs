using System.Numerics;

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
/// distance (features divided by their range once), W[A] −= Σ_hits diff / (m·k) and W[A] += Σ_{C ≠ class(R)} P(C)/(1 − P(class(R))) Σ_misses(C) diff / (m·k).
/// Ties in distance are broken by the smaller row index; a class with fewer than k other rows uses all of them
/// (and divides by that count).
/// </summary>
public static class ReliefF
{
    /// <summary>Feature weights (higher = more relevant), length cols.</summary>
    /// <remarks>
    /// Features are divided by their range once; each sampled instance then scans the training rows in blocks that
    /// stay in cache (several samples per block), with vectorised Manhattan distances, keeping the k nearest rows of every
    /// class in sorted buffers (ties by the smaller row index), so no full sort is needed. Each sample's contribution
    /// is independent of the others and they are summed in sample order: the result does not depend on the threads.
    /// </remarks>
    public static double[] Weights(ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> labels, ReliefFOptions? options = null)
    {
        var o = options ?? new ReliefFOptions();
        if (o.Neighbors < 1) throw new ArgumentOutOfRangeException(nameof(options), "Neighbors must be ≥ 1");
        if (o.Samples < 0 || o.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Samples and Threads must be ≥ 0");
        if (rows < 2 || cols < 1) throw new ArgumentException("need at least two rows and one column");
        if (x.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {x.Length}");
        if (labels.Length != rows) throw new ArgumentException("labels length must equal rows");
        foreach (double v in x) if (!double.IsFinite(v)) throw new ArgumentException("features contain NaN or infinity");
        // active columns (range > 0), scaled by their range: row-major (contributions) and column-major (distance scan)
        var active = new List<int>();
        var range = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < rows; r++) { double v = x[r * cols + c]; lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            range[c] = hi - lo;
            if (hi > lo) active.Add(c);
        }
        int na = active.Count;
        var xs = new double[(long)rows * na];   // row-major rows × active
        var xc = new double[(long)na * rows];   // column-major active × rows
        for (int r = 0; r < rows; r++)
            for (int a = 0; a < na; a++) { double v = x[r * cols + active[a]] / range[active[a]]; xs[(long)r * na + a] = v; xc[(long)a * rows + r] = v; }
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
        var contrib = new double[(long)m * na];
        var po = new ParallelOptions { MaxDegreeOfParallelism = o.Threads == 0 ? -1 : o.Threads };
        int blocks = (m + SampleBlock - 1) / SampleBlock;
        Parallel.For(0, blocks, po, blk =>
        {
            int s0 = blk * SampleBlock, sb = Math.Min(SampleBlock, m - s0);
            var nearest = new NearestPerClass[sb];
            for (int b = 0; b < sb; b++) nearest[b] = new NearestPerClass(nc, k);
            var dist = new double[RowChunk];
            var q = new double[na];
            for (int c0 = 0; c0 < rows; c0 += RowChunk)
            {
                int len = Math.Min(RowChunk, rows - c0);
                for (int b = 0; b < sb; b++)
                {
                    int ri = sample[s0 + b];
                    for (int a = 0; a < na; a++) q[a] = xs[(long)ri * na + a];
                    ManhattanChunk(xc, rows, na, q, c0, dist.AsSpan(0, len));
                    var best = nearest[b];
                    for (int t = 0; t < len; t++)
                    {
                        double d = dist[t];
                        if (d > best.Gate) continue;
                        int j = c0 + t;
                        if (j != ri) best.Offer(cls[j], d, j);
                    }
                }
            }
            for (int b = 0; b < sb; b++)
            {
                int ri = sample[s0 + b], own = cls[ri];
                var w = contrib.AsSpan((s0 + b) * na, na);
                var best = nearest[b];
                for (int c = 0; c < nc; c++)
                {
                    int cnt = best.Count[c];
                    if (cnt == 0) continue;
                    double factor = (c == own ? -1.0 : prior[c] / (1 - prior[own])) / cnt;
                    for (int h = 0; h < cnt; h++)
                    {
                        long j = best.Index[c * k + h];
                        for (int a = 0; a < na; a++) w[a] += factor * Math.Abs(xs[(long)ri * na + a] - xs[j * na + a]);
                    }
                }
            }
        });
        var weights = new double[cols];
        for (int s = 0; s < m; s++) for (int a = 0; a < na; a++) weights[active[a]] += contrib[(long)s * na + a];
        for (int c = 0; c < cols; c++) weights[c] /= m;
        return weights;
    }

    private const int SampleBlock = 16, RowChunk = 2048;

    // dist[t] = Σ_a |xc[a, c0 + t] − q[a]|, columns added in order from 0 (the same sum in every vector lane and the tail)
    private static void ManhattanChunk(double[] xc, int rows, int na, double[] q, int c0, Span<double> dist)
    {
        int len = dist.Length, w = Vector<double>.Count, t = 0;
        Span<Vector<double>> qv = stackalloc Vector<double>[na];
        for (int a = 0; a < na; a++) qv[a] = new Vector<double>(q[a]);
        for (; t <= len - w; t += w)
        {
            var acc = Vector<double>.Zero;
            for (int a = 0; a < na; a++) acc += Vector.Abs(new Vector<double>(xc, (int)((long)a * rows + c0 + t)) - qv[a]);
            acc.CopyTo(dist[t..]);
        }
        for (; t < len; t++)
        {
            double acc = 0;
            for (int a = 0; a < na; a++) acc += Math.Abs(xc[(long)a * rows + c0 + t] - q[a]);
            dist[t] = acc;
        }
    }

    // The k nearest rows of each class seen so far, ascending by (distance, row index).
    private sealed class NearestPerClass
    {
        private readonly int _k;
        private readonly double[] _dist;
        private int _full;
        public readonly int[] Count;
        public readonly int[] Index;
        /// <summary>No row farther than this can enter any class's list (∞ until every class has k rows).</summary>
        public double Gate = double.PositiveInfinity;

        public NearestPerClass(int classes, int k)
        {
            _k = k; _dist = new double[classes * k]; Index = new int[classes * k]; Count = new int[classes];
        }

        // rows arrive in increasing index order, so an equal distance never displaces an earlier row
        public void Offer(int c, double d, int j)
        {
            int k = _k, b = c * k, n = Count[c];
            if (n == k && !(d < _dist[b + k - 1])) return;
            int p = n == k ? k - 1 : n;
            while (p > 0 && _dist[b + p - 1] > d) { _dist[b + p] = _dist[b + p - 1]; Index[b + p] = Index[b + p - 1]; p--; }
            _dist[b + p] = d; Index[b + p] = j;
            if (n < k && ++Count[c] == k) _full++;
            if (_full == Count.Length)
            {
                double g = 0;
                for (int cc = 0; cc < Count.Length; cc++) g = Math.Max(g, _dist[cc * k + k - 1]);
                Gate = g;
            }
        }
    }

    /// <summary>Column indices by descending ReliefF weight (ties → smaller index).</summary>
    public static int[] Rank(ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> labels, ReliefFOptions? options = null)
        => FeatureSelection.TopK(Weights(x, rows, cols, labels, options), cols);
}
