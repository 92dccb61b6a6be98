namespace GlassML.Statistics;

/// <summary>
/// Correlation coefficients and ranks of paired vectors (same length, not empty, no NaN), following scipy:
/// <see cref="Pearson"/> is scipy.stats.pearsonr's r, <see cref="Spearman"/> is scipy.stats.spearmanr's ρ with
/// average ranks for ties (scipy.stats.rankdata method 'average'). A low-level home shared by the layers above it
/// (Dynamics, Learning), so that none of them depends on another for these.
/// </summary>
public static class Correlation
{
    /// <summary>Throws unless <paramref name="a"/> and <paramref name="b"/> have the same, non-zero length.</summary>
    internal static void CheckPaired(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors differ in length ({a.Length} vs {b.Length})");
        if (a.Length == 0) throw new ArgumentException("empty vectors");
    }

    /// <summary>
    /// Pearson correlation coefficient r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²) (NaN when either vector is constant).
    /// </summary>
    /// <exception cref="ArgumentException">The vectors differ in length or are empty.</exception>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckPaired(x, y);
        int n = x.Length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) { double a = x[i] - mx, b = y[i] - my; sxy += a * b; sxx += a * a; syy += b * b; }
        if (sxx == 0 || syy == 0) return double.NaN;
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Spearman rank correlation: Pearson correlation of average ranks (ties share their mean rank).</summary>
    /// <exception cref="ArgumentException">The vectors differ in length, are empty, or hold NaN.</exception>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckPaired(x, y);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks with ties given their average rank (scipy rankdata 'average'); same length as <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN.</exception>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var v = values.ToArray();
        foreach (double x in v) if (double.IsNaN(x)) throw new ArgumentException("NaN cannot be ranked");
        Array.Sort(order, (a, b) => { int c = v[a].CompareTo(v[b]); return c != 0 ? c : a.CompareTo(b); });
        var ranks = new double[n];
        int k = 0;
        while (k < n)
        {
            int j = k;
            while (j + 1 < n && v[order[j + 1]] == v[order[k]]) j++;
            double r = (k + j) / 2.0 + 1.0;
            for (int m = k; m <= j; m++) ranks[order[m]] = r;
            k = j + 1;
        }
        return ranks;
    }
}
