namespace GlassML.Statistics;

/// <summary>One equal-count bin of a <see cref="BinnedProfile"/>.</summary>
/// <param name="Bin">Bin index (0 = lowest x).</param>
/// <param name="Count">Atoms in the bin.</param>
/// <param name="XMin">Smallest x in the bin.</param>
/// <param name="XMax">Largest x in the bin.</param>
/// <param name="XMean">Mean x.</param>
/// <param name="YMean">Mean y.</param>
/// <param name="YMedian">Median y (mean of the two middle values for an even count).</param>
/// <param name="TopCount">Atoms of the bin that are among the top-q % of y.</param>
/// <param name="TopShare">TopCount / number of top atoms (the bin's share of the top atoms).</param>
/// <param name="Enrichment">TopShare / (Count / n): 1 = as many as a random bin of that size would hold.</param>
public sealed record ProfileBin(int Bin, int Count, double XMin, double XMax, double XMean, double YMean, double YMedian,
    int TopCount, double TopShare, double Enrichment);

/// <summary>The bins of a profile with the overall correlations of x and y.</summary>
/// <param name="Bins">Bins in increasing x.</param>
/// <param name="TopAtoms">Number of top-q % atoms of y.</param>
/// <param name="Pearson">Pearson correlation of x and y.</param>
/// <param name="Spearman">Spearman correlation (average ranks for ties).</param>
/// <param name="BinOf">Bin of each input element (input order).</param>
/// <param name="IsTop">Whether each input element is a top-q % atom of y.</param>
public sealed record ProfileResult(IReadOnlyList<ProfileBin> Bins, int TopAtoms, double Pearson, double Spearman, int[] BinOf, bool[] IsTop);

/// <summary>
/// Binned profile of a property y against an indicator x (e.g. a per-atom property against SF deciles): elements are
/// ordered by x, ties broken by increasing id, and the element of rank r (0-based) of n goes to bin ⌊r·k/n⌋, so bin sizes
/// differ by at most one. The top-q % of y are the ⌈q·n/100⌉ largest y (ties broken by increasing id); per bin the
/// mean and median of y, the count and share of top atoms and the enrichment over a random bin are reported.
/// Sequential and deterministic (no dependence on threads).
/// </summary>
public static class BinnedProfile
{
    /// <summary>Computes the profile.</summary>
    /// <param name="x">Indicator per element (finite).</param>
    /// <param name="y">Property per element (finite).</param>
    /// <param name="ids">Tie-breaking id per element (e.g. atom ids).</param>
    /// <param name="bins">Number of equal-count bins k (≥ 1, ≤ n).</param>
    /// <param name="topPercent">q (%) of the top-y atoms, in (0, 100].</param>
    /// <exception cref="ArgumentException">Lengths differ, non-finite values, or bad k/q.</exception>
    public static ProfileResult Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<long> ids, int bins = 10, double topPercent = 5)
    {
        int n = x.Length;
        if (y.Length != n || ids.Length != n) throw new ArgumentException("x, y and ids must have the same length");
        if (bins < 1 || bins > n) throw new ArgumentException($"bins must be between 1 and the number of elements ({n})");
        if (!(topPercent > 0 && topPercent <= 100)) throw new ArgumentException("the top percentage must be in (0, 100]");
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) throw new ArgumentException($"element {i} (id {ids[i]}) has a non-finite value");
        var xa = x.ToArray(); var ya = y.ToArray(); var ia = ids.ToArray();
        var byX = Enumerable.Range(0, n).ToArray();
        Array.Sort(byX, (a, b) => { int c = xa[a].CompareTo(xa[b]); return c != 0 ? c : ia[a].CompareTo(ia[b]); });
        var byY = Enumerable.Range(0, n).ToArray();
        Array.Sort(byY, (a, b) => { int c = ya[b].CompareTo(ya[a]); return c != 0 ? c : ia[a].CompareTo(ia[b]); });
        int nTop = Math.Clamp((int)Math.Ceiling(topPercent / 100.0 * n - 1e-9), 1, n);
        var isTop = new bool[n];
        for (int r = 0; r < nTop; r++) isTop[byY[r]] = true;
        var binOf = new int[n];
        for (int r = 0; r < n; r++) binOf[byX[r]] = (int)((long)r * bins / n);
        var result = new List<ProfileBin>(bins);
        int start = 0;
        for (int b = 0; b < bins; b++)
        {
            int end = start;
            while (end < n && binOf[byX[end]] == b) end++;
            int count = end - start;
            double sx = 0, sy = 0; int top = 0;
            var ys = new double[count];
            for (int r = start; r < end; r++)
            {
                int i = byX[r];
                sx += xa[i]; sy += ya[i]; ys[r - start] = ya[i];
                if (isTop[i]) top++;
            }
            Array.Sort(ys);
            double median = count == 0 ? double.NaN : count % 2 == 1 ? ys[count / 2] : 0.5 * (ys[count / 2 - 1] + ys[count / 2]);
            double share = (double)top / nTop;
            result.Add(new ProfileBin(b, count, count > 0 ? xa[byX[start]] : double.NaN, count > 0 ? xa[byX[end - 1]] : double.NaN,
                sx / count, sy / count, median, top, share, share / ((double)count / n)));
            start = end;
        }
        return new ProfileResult(result, nTop, n > 1 ? Correlation.Pearson(x, y) : double.NaN, n > 1 ? Correlation.Spearman(x, y) : double.NaN, binOf, isTop);
    }
}
