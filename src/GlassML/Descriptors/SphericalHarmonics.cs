namespace GlassML.Descriptors;

/// <summary>
/// Orthonormal complex spherical harmonics Y_lm(θ, φ) with the Condon–Shortley phase, for 0 ≤ m ≤ l ≤ LMax
/// (negative m follow from Y_l,−m = (−1)^m conj(Y_lm)). Evaluated from a unit vector (x, y, z) without
/// trigonometric functions: Y_lm = ū_lm(z) · (x + i y)^m, where ū_lm(z) = P̄_l^m(z) / sin^m θ is a polynomial
/// in z obtained by the stable three-term recurrence
/// ū_mm = −sqrt((2m+1)/(2m)) ū_{m−1,m−1}, ū_00 = 1/sqrt(4π), ū_{m+1,m} = sqrt(2m+3) z ū_mm,
/// ū_lm = a_lm (z ū_{l−1,m} − b_lm ū_{l−2,m}), a_lm = sqrt((4l²−1)/(l²−m²)), b_lm = sqrt(((l−1)²−m²)/(4(l−1)²−1)).
/// The form has no singularity at the poles. Values are stored at <see cref="Index"/>(l, m) = l(l+1)/2 + m.
/// An instance holds only constant tables and may be shared between threads.
/// </summary>
public sealed class SphericalHarmonics
{
    private readonly double[] _a, _b, _diag, _sub;

    /// <summary>Creates an evaluator for degrees 0..<paramref name="lMax"/> (0 ≤ lMax ≤ 100).</summary>
    public SphericalHarmonics(int lMax)
    {
        if (lMax < 0 || lMax > 100) throw new ArgumentOutOfRangeException(nameof(lMax), "lMax must be in 0..100");
        LMax = lMax;
        int n = Count(lMax);
        _a = new double[n]; _b = new double[n];
        _diag = new double[lMax + 1]; _sub = new double[lMax + 1];
        _diag[0] = 1.0 / Math.Sqrt(4 * Math.PI);
        for (int m = 1; m <= lMax; m++) _diag[m] = -Math.Sqrt((2.0 * m + 1) / (2.0 * m)) * _diag[m - 1];
        for (int m = 0; m <= lMax; m++) _sub[m] = Math.Sqrt(2.0 * m + 3);
        for (int l = 2; l <= lMax; l++)
            for (int m = 0; m <= l - 2; m++)
            {
                double l2 = (double)l * l, m2 = (double)m * m, lm1 = l - 1.0;
                _a[Index(l, m)] = Math.Sqrt((4 * l2 - 1) / (l2 - m2));
                _b[Index(l, m)] = Math.Sqrt((lm1 * lm1 - m2) / (4 * lm1 * lm1 - 1));
            }
    }

    /// <summary>Largest degree l.</summary>
    public int LMax { get; }

    // Flat recurrence plan for ū (built lazily): entries k = Index(l, m), l ≥ m + 2, in an order where
    // k1 = Index(l−1, m) and k2 = Index(l−2, m) are already computed.
    private int[]? _pk, _pk1, _pk2;
    private double[]? _pa, _pb;

    /// <summary>
    /// Fills u[Index(l, m)] = ū_lm(z) for all 0 ≤ m ≤ l ≤ LMax (ū_lm = P̄_l^m / sin^m θ, so that
    /// Y_lm = ū_lm (x + iy)^m). <paramref name="u"/> needs <see cref="Count"/>(LMax) entries.
    /// </summary>
    internal void Legendre(double z, double[] u)
    {
        if (_pk is null) BuildPlan();
        int lMax = LMax;
        var diag = _diag; var sub = _sub;
        for (int m = 0; m <= lMax; m++)
        {
            int imm = Index(m, m);
            u[imm] = diag[m];
            if (m < lMax) u[imm + m + 1] = sub[m] * z * diag[m];
        }
        var pk = _pk!; var pk1 = _pk1!; var pk2 = _pk2!; var pa = _pa!; var pb = _pb!;
        for (int t = 0; t < pk.Length; t++)
            u[pk[t]] = pa[t] * (z * u[pk1[t]] - pb[t] * u[pk2[t]]);
    }

    /// <summary>
    /// For four directions (unit vectors, one per lane) with weights <paramref name="w"/>: adds w·Y_lm, i.e.
    /// ū_lm(z)·w·(x + iy)^m, to <paramref name="re"/>[o] and <paramref name="im"/>[o] for every (l, m) whose
    /// <paramref name="outIndex"/>[<see cref="Index"/>(l, m)] = o is ≥ 0. The recurrence runs m by m with its terms in registers;
    /// in each lane every value and product is the one <see cref="Legendre(double, double[])"/> followed by ū·(w(x + iy)^m)
    /// gives (the same operations in the same order), so the sums are bit for bit those of that two-step form.
    /// </summary>
    internal unsafe void AccumulateLanes(System.Runtime.Intrinsics.Vector256<double> x, System.Runtime.Intrinsics.Vector256<double> y,
        System.Runtime.Intrinsics.Vector256<double> z, System.Runtime.Intrinsics.Vector256<double> w, int[] outIndex,
        System.Runtime.Intrinsics.Vector256<double>* re, System.Runtime.Intrinsics.Vector256<double>* im)
    {
        int lMax = LMax;
        var cr = w; var ci = System.Runtime.Intrinsics.Vector256<double>.Zero;
        fixed (double* a = _a, b = _b, diag = _diag, sub = _sub)
        fixed (int* outIdx = outIndex)
        {
            for (int m = 0; m <= lMax; m++)
            {
                int k = Index(m, m);
                var p0 = System.Runtime.Intrinsics.Vector256.Create(diag[m]);
                int o = outIdx[k];
                if (o >= 0) { re[o] += p0 * cr; im[o] += p0 * ci; }
                if (m < lMax)
                {
                    k += m + 1;
                    var p1 = z * (sub[m] * diag[m]);
                    o = outIdx[k];
                    if (o >= 0) { re[o] += p1 * cr; im[o] += p1 * ci; }
                    for (int l = m + 2; l <= lMax; l++)
                    {
                        k += l;   // Index(l, m) = Index(l − 1, m) + l
                        var p = (z * p1 - p0 * b[k]) * a[k];
                        o = outIdx[k];
                        if (o >= 0) { re[o] += p * cr; im[o] += p * ci; }
                        p0 = p1; p1 = p;
                    }
                }
                var nr = cr * x - ci * y; ci = cr * y + ci * x; cr = nr;
            }
        }
    }

    /// <summary>
    /// <see cref="AccumulateLanes"/> for two groups of four directions at once (two independent recurrences in flight): for every
    /// (l, m) the first group's term is added before the second's, so the sums are bit for bit those of two calls in that order.
    /// </summary>
    internal unsafe void AccumulateLanes2(System.Runtime.Intrinsics.Vector256<double> x, System.Runtime.Intrinsics.Vector256<double> y,
        System.Runtime.Intrinsics.Vector256<double> z, System.Runtime.Intrinsics.Vector256<double> w,
        System.Runtime.Intrinsics.Vector256<double> x2, System.Runtime.Intrinsics.Vector256<double> y2,
        System.Runtime.Intrinsics.Vector256<double> z2, System.Runtime.Intrinsics.Vector256<double> w2, int[] outIndex,
        System.Runtime.Intrinsics.Vector256<double>* re, System.Runtime.Intrinsics.Vector256<double>* im)
    {
        int lMax = LMax;
        var cr = w; var ci = System.Runtime.Intrinsics.Vector256<double>.Zero;
        var cr2 = w2; var ci2 = System.Runtime.Intrinsics.Vector256<double>.Zero;
        fixed (double* a = _a, b = _b, diag = _diag, sub = _sub)
        fixed (int* outIdx = outIndex)
        {
            for (int m = 0; m <= lMax; m++)
            {
                int k = Index(m, m);
                var p0 = System.Runtime.Intrinsics.Vector256.Create(diag[m]);
                var q0 = p0;
                int o = outIdx[k];
                if (o >= 0) { re[o] = re[o] + p0 * cr + q0 * cr2; im[o] = im[o] + p0 * ci + q0 * ci2; }
                if (m < lMax)
                {
                    k += m + 1;
                    double c1 = sub[m] * diag[m];
                    var p1 = z * c1; var q1 = z2 * c1;
                    o = outIdx[k];
                    if (o >= 0) { re[o] = re[o] + p1 * cr + q1 * cr2; im[o] = im[o] + p1 * ci + q1 * ci2; }
                    for (int l = m + 2; l <= lMax; l++)
                    {
                        k += l;   // Index(l, m) = Index(l − 1, m) + l
                        var bk = System.Runtime.Intrinsics.Vector256.Create(b[k]);
                        var ak = System.Runtime.Intrinsics.Vector256.Create(a[k]);
                        var p = (z * p1 - p0 * bk) * ak;
                        var q = (z2 * q1 - q0 * bk) * ak;
                        o = outIdx[k];
                        if (o >= 0) { re[o] = re[o] + p * cr + q * cr2; im[o] = im[o] + p * ci + q * ci2; }
                        p0 = p1; p1 = p; q0 = q1; q1 = q;
                    }
                }
                var nr = cr * x - ci * y; ci = cr * y + ci * x; cr = nr;
                var nr2 = cr2 * x2 - ci2 * y2; ci2 = cr2 * y2 + ci2 * x2; cr2 = nr2;
            }
        }
    }

    private void BuildPlan()
    {
        var k = new List<int>(); var k1 = new List<int>(); var k2 = new List<int>(); var a = new List<double>(); var b = new List<double>();
        for (int l = 2; l <= LMax; l++)
            for (int m = 0; m <= l - 2; m++)
            {
                int i = Index(l, m);
                k.Add(i); k1.Add(Index(l - 1, m)); k2.Add(Index(l - 2, m)); a.Add(_a[i]); b.Add(_b[i]);
            }
        _pa = a.ToArray(); _pb = b.ToArray(); _pk1 = k1.ToArray(); _pk2 = k2.ToArray();
        _pk = k.ToArray();
    }

    /// <summary>Number of (l, m) pairs with 0 ≤ m ≤ l ≤ lMax: (lMax+1)(lMax+2)/2.</summary>
    public static int Count(int lMax) => (lMax + 1) * (lMax + 2) / 2;

    /// <summary>Storage index of (l, m), 0 ≤ m ≤ l: l(l+1)/2 + m.</summary>
    public static int Index(int l, int m) => l * (l + 1) / 2 + m;

    /// <summary>
    /// Evaluates Y_lm for all 0 ≤ m ≤ l ≤ LMax at the direction of the unit vector (x, y, z) (the caller
    /// normalises; |(x, y, z)| = 1). <paramref name="re"/> and <paramref name="im"/> need
    /// <see cref="Count"/>(LMax) entries each.
    /// </summary>
    public void Evaluate(double x, double y, double z, Span<double> re, Span<double> im)
    {
        int lMax = LMax;
        int n = Count(lMax);
        if (re.Length < n || im.Length < n) throw new ArgumentException("output spans too short");
        // ū_lm(z) into re first, then multiply by (x + iy)^m.
        Span<double> u = re;
        for (int m = 0; m <= lMax; m++)
        {
            int imm = Index(m, m);
            u[imm] = _diag[m];
            if (m + 1 <= lMax) u[Index(m + 1, m)] = _sub[m] * z * _diag[m];
            for (int l = m + 2; l <= lMax; l++)
            {
                int k = Index(l, m);
                u[k] = _a[k] * (z * u[Index(l - 1, m)] - _b[k] * u[Index(l - 2, m)]);
            }
        }
        double pr = 1, pi = 0;
        for (int m = 0; m <= lMax; m++)
        {
            for (int l = m; l <= lMax; l++)
            {
                int k = Index(l, m);
                double v = u[k];
                re[k] = v * pr; im[k] = v * pi;
            }
            double nr = pr * x - pi * y, ni = pr * y + pi * x;
            pr = nr; pi = ni;
        }
    }

    /// <summary>Single Y_lm(θ, φ) (any −l ≤ m ≤ l) as (real, imaginary); θ polar angle, φ azimuth (radians).</summary>
    public (double Re, double Im) Value(int l, int m, double theta, double phi)
    {
        if (l < 0 || l > LMax || Math.Abs(m) > l) throw new ArgumentOutOfRangeException(nameof(m), "need |m| ≤ l ≤ LMax");
        int n = Count(LMax);
        var re = new double[n]; var im = new double[n];
        double st = Math.Sin(theta);
        Evaluate(st * Math.Cos(phi), st * Math.Sin(phi), Math.Cos(theta), re, im);
        int k = Index(l, Math.Abs(m));
        if (m >= 0) return (re[k], im[k]);
        double s = (m & 1) == 0 ? 1 : -1;
        return (s * re[k], -s * im[k]);
    }
}
