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
        Parallel.For(0, features, po, () => new SortScratch(rows), (f, _, sc) =>
        {
            // the feature's non-NaN values as order-preserving integer keys with their rows, sorted by key (LSD radix)
            int n = 0;
            bool missing = false;
            ulong[] keys = sc.Keys;
            int[] rowOf = sc.Rows;
            long basePos = (long)f * rows;
            for (int r = 0; r < rows; r++)
            {
                double x = data[(long)r * features + f];
                if (double.IsNaN(x)) { missing = true; b.Codes[basePos + r] = 0; continue; }
                keys[n] = SortKey(x); rowOf[n] = r; n++;
            }
            b.HasMissing[f] = missing;
            RadixSort(sc, n);
            keys = sc.Keys; rowOf = sc.Rows; // the sort may swap the buffers
            int cap = missing ? Math.Min(maxBin, 255) : maxBin;
            var bounds = new List<double>(cap + 1);
            if (n > 0)
            {
                int distinct = 1;
                for (int i = 1; i < n && distinct <= cap; i++) if (keys[i] != keys[i - 1]) distinct++;
                bounds.Add(FromKey(keys[0]));
                if (distinct <= cap)
                {
                    for (int i = 1; i < n; i++) if (keys[i] != keys[i - 1]) bounds.Add(FromKey(keys[i]));
                }
                else
                {
                    for (int k = 1; k < cap; k++)
                    {
                        double t = FromKey(keys[(int)((long)k * n / cap)]);
                        if (t > bounds[^1]) bounds.Add(t);
                    }
                }
            }
            int nb = bounds.Count;
            b.BinCount[f] = nb;
            bounds.Add(double.MaxValue);
            double[] T = bounds.ToArray();
            b.Bounds[f] = T;
            // codes in sorted order: the bin index #{k ≥ 1 : T[k] ≤ x} only moves up
            int bin = 0;
            for (int i = 0; i < n; i++)
            {
                double x = FromKey(keys[i]);
                while (bin + 1 < nb && T[bin + 1] <= x) bin++;
                b.Codes[basePos + rowOf[i]] = (byte)bin;
            }
            if (missing)
                for (int r = 0; r < rows; r++)
                    if (double.IsNaN(data[(long)r * features + f])) b.Codes[basePos + r] = (byte)nb;
            return sc;
        }, _ => { });
        int total = 0;
        for (int f = 0; f < features; f++) { b.Offset[f] = total; total += b.BinCount[f] + 1; }
        b.Offset[features] = total;
        return new HistogramBinning(b, total);
    }

    private sealed class SortScratch(int rows)
    {
        public ulong[] Keys = new ulong[rows], KeysTmp = new ulong[rows];
        public int[] Rows = new int[rows], RowsTmp = new int[rows];
        public readonly int[] Counts = new int[8 * 256];
    }

    /// <summary>Order-preserving unsigned key of a non-NaN double (−0 maps to the key of +0).</summary>
    private static ulong SortKey(double x)
    {
        ulong u = BitConverter.DoubleToUInt64Bits(x == 0 ? 0.0 : x);
        return (u & 0x8000_0000_0000_0000UL) != 0 ? ~u : u | 0x8000_0000_0000_0000UL;
    }

    private static double FromKey(ulong k) =>
        BitConverter.UInt64BitsToDouble((k & 0x8000_0000_0000_0000UL) != 0 ? k & 0x7FFF_FFFF_FFFF_FFFFUL : ~k);

    /// <summary>Stable LSD radix sort of the first n keys (8-bit digits) carrying their rows; digits on which all keys agree are skipped.</summary>
    private static void RadixSort(SortScratch s, int n)
    {
        var counts = s.Counts;
        Array.Clear(counts);
        var keys = s.Keys;
        for (int i = 0; i < n; i++)
        {
            ulong k = keys[i];
            for (int d = 0; d < 8; d++) counts[(d << 8) | (int)((k >> (8 * d)) & 0xFF)]++;
        }
        for (int d = 0; d < 8; d++)
        {
            var c = counts.AsSpan(d << 8, 256);
            int shift = 8 * d;
            if (n == 0 || c[(int)((s.Keys[0] >> shift) & 0xFF)] == n) continue;
            int sum = 0;
            for (int v = 0; v < 256; v++) { int t = c[v]; c[v] = sum; sum += t; }
            ulong[] src = s.Keys, dst = s.KeysTmp;
            int[] srcR = s.Rows, dstR = s.RowsTmp;
            for (int i = 0; i < n; i++)
            {
                ulong k = src[i];
                int pos = c[(int)((k >> shift) & 0xFF)]++;
                dst[pos] = k; dstR[pos] = srcR[i];
            }
            (s.Keys, s.KeysTmp) = (dst, src);
            (s.Rows, s.RowsTmp) = (dstR, srcR);
        }
    }
}
