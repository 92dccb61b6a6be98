namespace GlassML.Statistics;

/// <summary>The result of <see cref="TwoLineFit.Fit"/>: two least-squares lines y = a·x + b and where they cross.</summary>
/// <param name="Split">Number of points (in ascending x) of the low-x line; the rest belong to the high-x line.</param>
/// <param name="LowSlope">Slope of the low-x line.</param>
/// <param name="LowIntercept">Intercept of the low-x line.</param>
/// <param name="HighSlope">Slope of the high-x line.</param>
/// <param name="HighIntercept">Intercept of the high-x line.</param>
/// <param name="Crossing">x where the lines meet (NaN for parallel lines): the glass transition Tg of a V(T) curve.</param>
/// <param name="Sse">Sum of squared residuals of both lines.</param>
public sealed record TwoLineResult(int Split, double LowSlope, double LowIntercept, double HighSlope, double HighIntercept, double Crossing, double Sse);

/// <summary>
/// Two-line (bilinear) fit: the points, sorted by x, are split into a low-x and a high-x part of at least
/// <c>minPoints</c> each; each part gets its ordinary least-squares line, and the split with the smallest total sum of
/// squared residuals wins (ties → the smaller split). Tg of a volume–temperature curve is where the glass and liquid
/// lines cross.
/// </summary>
public static class TwoLineFit
{
    /// <summary>Fits two lines.</summary>
    /// <exception cref="ArgumentException">Fewer than 2·minPoints points, minPoints &lt; 2, non-finite or repeated-only x values.</exception>
    public static TwoLineResult Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int minPoints = 3)
    {
        Correlation.CheckPaired(x, y);
        if (minPoints < 2) throw new ArgumentException("each line needs at least 2 points");
        int n = x.Length;
        if (n < 2 * minPoints) throw new ArgumentException($"{n} points: a two-line fit needs at least {2 * minPoints}");
        for (int i = 0; i < n; i++) if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) throw new ArgumentException($"point {i + 1} is not finite");
        var xa = x.ToArray(); var ya = y.ToArray();
        var order = Enumerable.Range(0, n).OrderBy(i => xa[i]).ThenBy(i => i).ToArray();
        var xs = order.Select(i => xa[i]).ToArray(); var ys = order.Select(i => ya[i]).ToArray();
        TwoLineResult? best = null;
        for (int s = minPoints; s <= n - minPoints; s++)
        {
            var (a1, b1, e1) = Line(xs, ys, 0, s);
            var (a2, b2, e2) = Line(xs, ys, s, n);
            if (double.IsNaN(a1) || double.IsNaN(a2)) continue;
            double sse = e1 + e2;
            if (best is null || sse < best.Sse)
                best = new TwoLineResult(s, a1, b1, a2, b2, a1 == a2 ? double.NaN : (b2 - b1) / (a1 - a2), sse);
        }
        return best ?? throw new ArgumentException("every split has a part whose x values are all equal");
    }

    // least squares on points [from, to): slope, intercept, SSE (NaN slope when the x values are all equal)
    private static (double A, double B, double Sse) Line(double[] x, double[] y, int from, int to)
    {
        int m = to - from;
        double mx = 0, my = 0;
        for (int i = from; i < to; i++) { mx += x[i]; my += y[i]; }
        mx /= m; my /= m;
        double sxx = 0, sxy = 0;
        for (int i = from; i < to; i++) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); }
        if (!(sxx > 0)) return (double.NaN, double.NaN, double.NaN);
        double a = sxy / sxx, b = my - a * mx, e = 0;
        for (int i = from; i < to; i++) { double r = y[i] - (a * x[i] + b); e += r * r; }
        return (a, b, e);
    }
}
