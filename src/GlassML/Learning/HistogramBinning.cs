namespace GlassML.Learning;

/// <summary>
/// Quantile binning of a feature matrix for histogram tree growth (XGBoost <c>hist</c>).
/// Per feature f with n_f bins, the bin lower bounds are <c>T[0] = min &lt; T[1] &lt; … &lt; T[n_f−1]</c>; a value x
/// is in bin b = #{k ≥ 1 : T[k] ≤ x}. A split "bin &lt; s" is the same as "x &lt; T[s]", so trees trained on bins
/// predict raw values exactly; <c>T[n_f] = double.MaxValue</c>. When a feature has ≤ max_bin distinct values every
/// value is its own bin; otherwise the bounds are the order statistics at ranks ⌊k·n/max_bin⌋ (duplicates merged).
/// NaN (missing) has code n_f, which therefore is at most 255 for features with missing values.
/// </summary>
internal sealed class HistogramBinning
{
    /// <summary>Features (columns).</summary>
    public int Features { get; }
    /// <summary>Rows.</summary>
    public int Rows { get; }
    /// <summary>Bin codes, feature-major: <c>Codes[f·Rows + r]</c>.</summary>
    public byte[] Codes { get; }
    /// <summary>Non-missing bins per feature (n_f).</summary>
    public int[] BinCount { get; }
    /// <summary>First histogram slot of each feature; a feature owns n_f + 1 slots (the last one is "missing").</summary>
    public int[] Offset { get; }
    /// <summary>Total histogram slots.</summary>
    public int TotalSlots { get; }
    /// <summary>Per feature the bounds T[0..n_f] (see the class summary).</summary>
    public double[][] Bounds { get; }
    /// <summary>Whether a feature has NaN values.</summary>
    public bool[] HasMissing { get; }

    private HistogramBinning(int features, int rows)
    {
        Features = features; Rows = rows;
        Codes = new byte[(long)features * rows];
        BinCount = new int[features];
        Offset = new int[features + 1];
        Bounds = new double[features][];
        HasMissing = new bool[features];
    }

    private HistogramBinning(HistogramBinning b, int total) : this(b.Features, b.Rows)
    {
        Codes = b.Codes; BinCount = b.BinCount; Offset = b.Offset; Bounds = b.Bounds; HasMissing = b.HasMissing; TotalSlots = total;
    }

    /// <summary>Bins a row-major rows × features matrix.</summary>
    public static HistogramBinning Build(double[] values, int rows, int features, int maxBin, ParallelOptions po)
    {
        var b = new HistogramBinning(features, rows);
        double[] data = values;
        for (long i = 0; i < (long)rows * features; i++)
            if (double.IsInfinity(data[i])) throw new ArgumentException($"feature {i % features} of training row {i / features} is infinite; use NaN for missing values");
        Parallel.For(0, features, po, () => new double[rows], (f, _, col) =>
        {
            int n = 0;
            bool missing = false;
            for (int r = 0; r < rows; r++)
            {
                double x = data[(long)r * features + f];
                if (double.IsNaN(x)) missing = true; else col[n++] = x;
            }
            b.HasMissing[f] = missing;
            var sorted = col.AsSpan(0, n);
            sorted.Sort();
            int cap = missing ? Math.Min(maxBin, 255) : maxBin;
            var bounds = new List<double>(cap + 1);
            if (n > 0)
            {
                int distinct = 1;
                for (int i = 1; i < n && distinct <= cap; i++) if (sorted[i] != sorted[i - 1]) distinct++;
                bounds.Add(sorted[0]);
                if (distinct <= cap)
                {
                    for (int i = 1; i < n; i++) if (sorted[i] != sorted[i - 1]) bounds.Add(sorted[i]);
                }
                else
                {
                    for (int k = 1; k < cap; k++)
                    {
                        double t = sorted[(int)((long)k * n / cap)];
                        if (t > bounds[^1]) bounds.Add(t);
                    }
                }
            }
            int nb = bounds.Count;
            b.BinCount[f] = nb;
            bounds.Add(double.MaxValue);
            double[] T = bounds.ToArray();
            b.Bounds[f] = T;
            long basePos = (long)f * rows;
            for (int r = 0; r < rows; r++)
            {
                double x = data[(long)r * features + f];
                b.Codes[basePos + r] = double.IsNaN(x) ? (byte)nb : (byte)BinOf(T, nb, x);
            }
            return col;
        }, _ => { });
        int total = 0;
        for (int f = 0; f < features; f++) { b.Offset[f] = total; total += b.BinCount[f] + 1; }
        b.Offset[features] = total;
        return new HistogramBinning(b, total);
    }

    /// <summary>Bin of a non-NaN value: #{k in 1..nb−1 : T[k] ≤ x}.</summary>
    public static int BinOf(double[] T, int nb, double x)
    {
        int lo = 1, hi = nb; // first k in [1, nb) with T[k] > x, or nb
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (T[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo - 1;
    }
}
