namespace GlassML.Potentials;

/// <summary>
/// One tabulated EAM function on a uniform grid x_m = (m−1)·δ, m = 1..n, interpolated as LAMMPS's <c>pair_eam</c>
/// does (PairEAM::interpolate): knot slopes from a five-point (ends: two- and three-point) difference, a cubic
/// Hermite segment per interval stored as seven coefficients (value cubic c3..c6 in the local coordinate
/// p ∈ [0, 1], derivative quadratic c0..c2 already divided by δ), and LAMMPS's index arithmetic: m = ⌊x/δ + 1⌋
/// limited to 1..n−1, p = x/δ + 1 − m limited to p ≤ 1 (so beyond the last knot the value and slope of the last
/// knot are used). The second derivative is that of the cubic piece (zero where p was limited).
/// </summary>
internal sealed class EamSpline
{
    private readonly double[] _c; // 7 coefficients per knot m = 1..n at [7m .. 7m+6]
    private readonly int _n;
    private readonly double _inv;

    /// <summary>Splines the values f[0..n−1] (f[k] at x = k·δ).</summary>
    public EamSpline(ReadOnlySpan<double> f, double delta)
    {
        int n = f.Length;
        if (n < 5) throw new ArgumentException("an EAM table needs at least 5 points");
        _n = n; _inv = 1.0 / delta;
        var s = new double[7 * (n + 1)];
        for (int m = 1; m <= n; m++) s[7 * m + 6] = f[m - 1];
        double V(int m) => s[7 * m + 6];
        s[7 * 1 + 5] = V(2) - V(1);
        s[7 * 2 + 5] = 0.5 * (V(3) - V(1));
        s[7 * (n - 1) + 5] = 0.5 * (V(n) - V(n - 2));
        s[7 * n + 5] = V(n) - V(n - 1);
        for (int m = 3; m <= n - 2; m++)
            s[7 * m + 5] = ((V(m - 2) - V(m + 2)) + 8.0 * (V(m + 1) - V(m - 1))) / 12.0;
        for (int m = 1; m <= n - 1; m++)
        {
            s[7 * m + 4] = 3.0 * (V(m + 1) - V(m)) - 2.0 * s[7 * m + 5] - s[7 * (m + 1) + 5];
            s[7 * m + 3] = s[7 * m + 5] + s[7 * (m + 1) + 5] - 2.0 * (V(m + 1) - V(m));
        }
        s[7 * n + 4] = 0.0;
        s[7 * n + 3] = 0.0;
        for (int m = 1; m <= n; m++)
        {
            s[7 * m + 2] = s[7 * m + 5] / delta;
            s[7 * m + 1] = 2.0 * s[7 * m + 4] / delta;
            s[7 * m + 0] = 3.0 * s[7 * m + 3] / delta;
        }
        _c = s;
    }

    /// <summary>Number of knots.</summary>
    public int Count => _n;

    /// <summary>LAMMPS's interval and local coordinate for x; <paramref name="limited"/> when p was cut to 1.</summary>
    private int Locate(double x, out double p, out bool limited)
    {
        p = x * _inv + 1.0;
        int m;
        if (p >= _n - 1) m = _n - 1;
        else if (p < 1.0) m = 1;
        else m = (int)p;
        p -= m;
        limited = p > 1.0;
        if (limited) p = 1.0;
        return 7 * m;
    }

    /// <summary>The interpolated value at x.</summary>
    public double Value(double x)
    {
        int k = Locate(x, out double p, out _);
        var c = _c;
        return ((c[k + 3] * p + c[k + 4]) * p + c[k + 5]) * p + c[k + 6];
    }

    /// <summary>The interpolated value and its derivative (LAMMPS's derivative quadratic) at x.</summary>
    public double Value(double x, out double d1)
    {
        int k = Locate(x, out double p, out _);
        var c = _c;
        d1 = (c[k] * p + c[k + 1]) * p + c[k + 2];
        return ((c[k + 3] * p + c[k + 4]) * p + c[k + 5]) * p + c[k + 6];
    }

    /// <summary>Value, first and second derivative at x.</summary>
    public double Value(double x, out double d1, out double d2)
    {
        int k = Locate(x, out double p, out bool limited);
        var c = _c;
        d1 = (c[k] * p + c[k + 1]) * p + c[k + 2];
        d2 = limited ? 0.0 : (2.0 * c[k] * p + c[k + 1]) * _inv;
        return ((c[k + 3] * p + c[k + 4]) * p + c[k + 5]) * p + c[k + 6];
    }
}
