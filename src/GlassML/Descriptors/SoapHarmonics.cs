using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GlassML.Descriptors;

/// <summary>
/// Real regular solid harmonics R^l Y_lm(r̂) with orthonormal real spherical harmonics
/// (Y_l0 = N_l0 P_l(cos θ); Y_l,±m = √2 N_lm P_l^m(cos θ) {cos, sin}(mφ), no Condon–Shortley phase,
/// N_lm = √((2l+1)/(4π) (l−m)!/(l+m)!)), evaluated by recurrence directly from x, y, z (no division by r):
/// r^l P_l^m(cos θ) e^{imφ} = Π_l^m(z, r²) (x + iy)^m with Π_m^m = (2m−1)!!, Π_{m+1}^m = (2m+1) z Π_m^m,
/// (l−m) Π_l^m = (2l−1) z Π_{l−1}^m − (l+m−1) r² Π_{l−2}^m.
/// Output index of (l, m), m = −l..l: l² + l + m. Shared by the SOAP and bond-order descriptors.
/// </summary>
internal sealed class SoapHarmonics
{
    private readonly double[] _norm;   // [l*(l+1)/2 + m], m ≥ 0: N_l0 or √2 N_lm
    private readonly double[] _dfact;  // (2m−1)!!
    private readonly double[] _rec1;   // (2l−1)/(l−m) at [l*(l+1)/2 + m]
    private readonly double[] _rec2;   // (l+m−1)/(l−m)

    public SoapHarmonics(int lMax)
    {
        if (lMax < 0 || lMax > 40) throw new ArgumentOutOfRangeException(nameof(lMax));
        LMax = lMax;
        int tri = (lMax + 1) * (lMax + 2) / 2;
        _norm = new double[tri]; _rec1 = new double[tri]; _rec2 = new double[tri];
        _dfact = new double[lMax + 1];
        _dfact[0] = 1;
        for (int m = 1; m <= lMax; m++) _dfact[m] = _dfact[m - 1] * (2 * m - 1);
        for (int l = 0; l <= lMax; l++)
        for (int m = 0; m <= l; m++)
        {
            double ratio = 1; // (l−m)!/(l+m)!
            for (int q = l - m + 1; q <= l + m; q++) ratio /= q;
            double n = Math.Sqrt((2 * l + 1) / (4 * Math.PI) * ratio);
            int t = l * (l + 1) / 2 + m;
            _norm[t] = m == 0 ? n : Math.Sqrt(2) * n;
            if (l > m) { _rec1[t] = (2.0 * l - 1) / (l - m); _rec2[t] = (l + m - 1.0) / (l - m); }
        }
    }

    public int LMax { get; }

    /// <summary>Number of (l, m) components, (l_max+1)².</summary>
    public int Count => (LMax + 1) * (LMax + 1);

    /// <summary>
    /// Solid harmonics of points j = 0..n−1 written to <paramref name="output"/>[(l² + l + m)·stride + j].
    /// <paramref name="work"/> needs <see cref="WorkSize"/> entries.
    /// </summary>
    public void Solid(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, int n, Span<double> output, int stride, Span<double> work)
    {
        var one = work[..Count];
        var rest = work[Count..];
        for (int j = 0; j < n; j++)
        {
            SolidPoint(x[j], y[j], z[j], one, rest);
            for (int lm = 0; lm < one.Length; lm++) output[lm * stride + j] = one[lm];
        }
    }

    /// <summary>Solid harmonics of one point, output[l² + l + m]; <paramref name="work"/> needs <see cref="PointWorkSize"/> entries.</summary>
    public void SolidPoint(double xj, double yj, double zj, Span<double> output, Span<double> work)
    {
        int L = LMax;
        var cm = work[..(L + 1)];
        var sm = work.Slice(L + 1, L + 1);
        var pi = work.Slice(2 * (L + 1), (L + 1) * (L + 2) / 2);
        double r2 = xj * xj + yj * yj + zj * zj;
        cm[0] = 1; sm[0] = 0;
        for (int m = 1; m <= L; m++)
        {
            cm[m] = xj * cm[m - 1] - yj * sm[m - 1];
            sm[m] = xj * sm[m - 1] + yj * cm[m - 1];
        }
        for (int m = 0; m <= L; m++)
        {
            int tmm = m * (m + 1) / 2 + m;
            double pmm = _dfact[m];
            pi[tmm] = pmm;
            if (m + 1 > L) continue;
            double p1 = (2 * m + 1) * zj * pmm, p2 = pmm;
            pi[(m + 1) * (m + 2) / 2 + m] = p1;
            for (int l = m + 2; l <= L; l++)
            {
                int t = l * (l + 1) / 2 + m;
                double p = _rec1[t] * zj * p1 - _rec2[t] * r2 * p2;
                pi[t] = p;
                p2 = p1; p1 = p;
            }
        }
        for (int l = 0; l <= L; l++)
        {
            int b = l * l + l, t0 = l * (l + 1) / 2;
            output[b] = _norm[t0] * pi[t0];
            for (int m = 1; m <= l; m++)
            {
                double p = _norm[t0 + m] * pi[t0 + m];
                output[b + m] = p * cm[m];
                output[b - m] = p * sm[m];
            }
        }
    }

    /// <summary>
    /// Weighted solid harmonics of four points at once (one per lane): w·R^l Y_lm(R̂) stored as a vector at
    /// <paramref name="output"/>[(l² + l + m)·<paramref name="stride"/>] (so lane q of point q lands at column q).
    /// The same recurrence as <see cref="SolidPoint"/>, with the weight folded into (x + iy)^m.
    /// </summary>
    public unsafe void SolidLanes(Vector256<double> x, Vector256<double> y, Vector256<double> z, Vector256<double> w, double* output, nint stride)
    {
        int L = LMax;
        var r2 = x * x + y * y + z * z;
        var cr = w; var ci = Vector256<double>.Zero;
        fixed (double* norm = _norm, rec1 = _rec1, rec2 = _rec2, dfact = _dfact)
        {
            for (int m = 0; m <= L; m++)
            {
                int t = m * (m + 1) / 2 + m;
                var p2 = Vector256.Create(dfact[m]);
                Put(output, stride, m, m, norm[t] * p2, cr, ci);
                if (m < L)
                {
                    t += m + 1;
                    var p1 = Vector256.Create((2 * m + 1) * dfact[m]) * z;
                    Put(output, stride, m + 1, m, Vector256.Create(norm[t]) * p1, cr, ci);
                    for (int l = m + 2; l <= L; l++)
                    {
                        t += l;
                        var p = Vector256.Create(rec1[t]) * z * p1 - Vector256.Create(rec2[t]) * r2 * p2;
                        Put(output, stride, l, m, Vector256.Create(norm[t]) * p, cr, ci);
                        p2 = p1; p1 = p;
                    }
                }
                var nr = cr * x - ci * y; ci = cr * y + ci * x; cr = nr;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put(double* output, nint stride, int l, int m, Vector256<double> p, Vector256<double> cr, Vector256<double> ci)
    {
        int b = l * l + l;
        (p * cr).Store(output + (b + m) * stride);
        if (m > 0) (p * ci).Store(output + (b - m) * stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put(double* output, nint stride, int l, int m, double p, Vector256<double> cr, Vector256<double> ci)
        => Put(output, stride, l, m, Vector256.Create(p), cr, ci);

    /// <summary>Work size needed by <see cref="SolidPoint"/>.</summary>
    public int PointWorkSize => 3 * (LMax + 1) + (LMax + 1) * (LMax + 2) / 2;

    /// <summary>Work size needed by <see cref="Solid"/>.</summary>
    public int WorkSize => Count + PointWorkSize;
}
