namespace GlassML.Learning;

/// <summary>
/// Isotonic (monotone) regression by pool-adjacent-violators, used e.g. to calibrate classifier scores into
/// probabilities. Semantics of scikit-learn 1.2 IsotonicRegression(increasing, out_of_bounds='clip'):
/// samples are sorted by x (then y), equal x (within 1e-15) are merged into their weighted mean, PAVA fits
/// the weighted least-squares monotone sequence, and predictions interpolate linearly between the fitted
/// points, clipping x to the training range.
/// </summary>
public sealed class IsotonicRegression
{
    private IsotonicRegression(double[] x, double[] y, bool increasing) { X = x; Y = y; Increasing = increasing; }

    /// <summary>A fitted function from stored points (model files): ascending distinct x and their fitted values.</summary>
    /// <exception cref="ArgumentException">Lengths differ, no points, or x not strictly ascending.</exception>
    public static IsotonicRegression FromFitted(double[] x, double[] y, bool increasing)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length || x.Length == 0) throw new ArgumentException("isotonic points: x and y must be non-empty and of equal length");
        for (int i = 1; i < x.Length; i++) if (!(x[i] > x[i - 1])) throw new ArgumentException("isotonic points: x must be strictly ascending");
        return new IsotonicRegression((double[])x.Clone(), (double[])y.Clone(), increasing);
    }

    /// <summary>Distinct training x, ascending.</summary>
    public double[] X { get; }
    /// <summary>Fitted value at each <see cref="X"/>.</summary>
    public double[] Y { get; }
    /// <summary>True for a non-decreasing fit, false for non-increasing.</summary>
    public bool Increasing { get; }

    /// <summary>Fits the monotone function.</summary>
    /// <param name="x">Scores / abscissae.</param>
    /// <param name="y">Targets (e.g. 0/1 outcomes).</param>
    /// <param name="weights">Optional positive sample weights (rows with weight ≤ 0 are dropped).</param>
    /// <param name="increasing">Non-decreasing (default) or non-increasing.</param>
    public static IsotonicRegression Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights = default, bool increasing = true)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y lengths differ");
        if (!weights.IsEmpty && weights.Length != x.Length) throw new ArgumentException("weights length must equal x length");
        var idx = new List<int>(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) throw new ArgumentException($"row {i}: x or y is not finite");
            if (weights.IsEmpty || weights[i] > 0) idx.Add(i);
        }
        if (idx.Count == 0) throw new ArgumentException("no samples with positive weight");
        var xa = x.ToArray(); var ya = y.ToArray();
        idx.Sort((a, b) => { int c = xa[a].CompareTo(xa[b]); if (c != 0) return c; c = ya[a].CompareTo(ya[b]); return c != 0 ? c : a.CompareTo(b); });
        // merge equal x into weighted means
        var ux = new List<double>(); var uy = new List<double>(); var uw = new List<double>();
        double cx = xa[idx[0]], sw = 0, swy = 0;
        foreach (int i in idx)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            if (xa[i] - cx >= 1e-15)
            {
                ux.Add(cx); uy.Add(swy / sw); uw.Add(sw);
                cx = xa[i]; sw = 0; swy = 0;
            }
            sw += w; swy += w * ya[i];
        }
        ux.Add(cx); uy.Add(swy / sw); uw.Add(sw);
        var yy = uy.ToArray();
        if (!increasing) for (int i = 0; i < yy.Length; i++) yy[i] = -yy[i];
        Pava(yy, uw.ToArray());
        if (!increasing) for (int i = 0; i < yy.Length; i++) yy[i] = -yy[i];
        return new IsotonicRegression(ux.ToArray(), yy, increasing);
    }

    // Weighted pool-adjacent-violators for a non-decreasing fit, in place.
    private static void Pava(double[] y, double[] w)
    {
        int n = y.Length;
        var bv = new double[n]; var bw = new double[n]; var bn = new int[n];
        int top = -1;
        for (int i = 0; i < n; i++)
        {
            top++; bv[top] = y[i]; bw[top] = w[i]; bn[top] = 1;
            while (top > 0 && bv[top - 1] >= bv[top])
            {
                double tw = bw[top - 1] + bw[top];
                bv[top - 1] = (bw[top - 1] * bv[top - 1] + bw[top] * bv[top]) / tw;
                bw[top - 1] = tw; bn[top - 1] += bn[top];
                top--;
            }
        }
        int k = 0;
        for (int b = 0; b <= top; b++)
            for (int j = 0; j < bn[b]; j++) y[k++] = bv[b];
    }

    /// <summary>Fitted function at one point (x clipped to the training range, linear interpolation).</summary>
    public double Predict(double x)
    {
        int n = X.Length;
        if (n == 1) return Y[0];
        if (double.IsNaN(x)) return double.NaN;
        if (x < X[0]) x = X[0];
        if (x > X[n - 1]) x = X[n - 1];
        // first index with X[j] >= x (left search), limited to 1..n-1
        int lo = 0, hi = n;
        while (lo < hi) { int m = (lo + hi) >> 1; if (X[m] < x) lo = m + 1; else hi = m; }
        int j = Math.Clamp(lo, 1, n - 1);
        double x0 = X[j - 1], x1 = X[j], y0 = Y[j - 1], y1 = Y[j];
        double slope = (y1 - y0) / (x1 - x0);
        return slope * (x - x0) + y0;
    }

    /// <summary>Fitted function at many points.</summary>
    public double[] Predict(ReadOnlySpan<double> x)
    {
        var o = new double[x.Length];
        for (int i = 0; i < x.Length; i++) o[i] = Predict(x[i]);
        return o;
    }
}
