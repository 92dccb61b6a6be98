using System.Numerics;

namespace GlassML.Dynamics;

/// <summary>
/// Dense symmetric eigensolver for "all eigenvalues, some eigenvectors": Householder reduction to tridiagonal form
/// (row-major, rank-2 updates, rows in parallel), eigenvalues by Sturm-sequence bisection, eigenvectors by inverse
/// iteration on the tridiagonal matrix (re-orthogonalised within clusters, LAPACK dstein's rule) and back-transformation.
/// Every row and every eigenpair is computed by one thread in a fixed order, so results are identical for any thread count.
/// </summary>
internal static class SymmetricEigensolver
{
    private const double MachEps = 2.220446049250313e-16;
    private const double SafeMin = 2.2250738585072014e-308;

    /// <summary>Relative cluster width (of ‖T‖∞) within which inverse-iteration vectors are re-orthogonalised.</summary>
    internal const double ClusterTolerance = 1e-4;

    /// <summary>
    /// Eigenvalues (ascending, all n) of the symmetric row-major matrix <paramref name="a"/> (destroyed), and the unit
    /// eigenvectors of those with index in [0, <paramref name="vectors"/>) (row k of the returned n·vectors array).
    /// </summary>
    public static (double[] Values, double[] Vectors) Solve(double[] a, int n, int vectors, int threads)
    {
        if (a.LongLength != (long)n * n) throw new ArgumentException("matrix size");
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        var d = new double[n]; var e = new double[Math.Max(0, n - 1)]; var beta = new double[n];
        Tridiagonalize(a, n, d, e, beta, po);
        var values = Eigenvalues(d, e, po);
        var vecs = InverseIteration(d, e, values, vectors, po);
        BackTransform(a, n, beta, vecs, vectors, po);
        return (values, vecs);
    }

    private static void Tridiagonalize(double[] a, int n, double[] d, double[] e, double[] beta, ParallelOptions po)
    {
        var v = new double[n]; var p = new double[n]; var w = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int s = k + 1, m = n - s;
            double x0 = a[(long)s * n + k], sigma = 0;
            for (int i = 1; i < m; i++) { double xi = a[(long)(s + i) * n + k]; sigma += xi * xi; }
            d[k] = a[(long)k * n + k];
            if (sigma == 0)
            {
                e[k] = x0; beta[k] = 0;
                continue;
            }
            double mu = Math.Sqrt(x0 * x0 + sigma);
            double v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
            double b = 2 * v0 * v0 / (sigma + v0 * v0);
            v[0] = 1;
            for (int i = 1; i < m; i++) v[i] = a[(long)(s + i) * n + k] / v0;
            e[k] = mu; beta[k] = b;
            for (int i = 0; i < m; i++) a[(long)k * n + s + i] = v[i]; // keep the reflector in row k right of the diagonal (no longer used)
            // p = β A′ v
            Parallel.For(0, m, po, i => p[i] = b * Dot(RowOf(a, n, s + i, s, m), v.AsSpan(0, m)));
            double vp = 0;
            for (int i = 0; i < m; i++) vp += v[i] * p[i];
            double kk = 0.5 * b * vp;
            for (int i = 0; i < m; i++) w[i] = p[i] - kk * v[i];
            // A′ −= v wᵀ + w vᵀ
            Parallel.For(0, m, po, i =>
            {
                var row = RowOf(a, n, s + i, s, m);
                double vi = v[i], wi = w[i];
                Axpy2(row, -vi, w.AsSpan(0, m), -wi, v.AsSpan(0, m));
            });
        }
        if (n >= 2)
        {
            d[n - 2] = a[(long)(n - 2) * n + n - 2];
            e[n - 2] = a[(long)(n - 1) * n + n - 2];
        }
        if (n >= 1) d[n - 1] = a[(long)(n - 1) * n + n - 1];
    }

    private static Span<double> RowOf(double[] a, int n, int row, int col, int len) => a.AsSpan().Slice(checked((int)((long)row * n + col)), len);

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int len = x.Length, i = 0;
        var acc = Vector<double>.Zero;
        int vl = Vector<double>.Count;
        for (; i <= len - vl; i += vl) acc += new Vector<double>(x.Slice(i)) * new Vector<double>(y.Slice(i));
        double s = Vector.Sum(acc);
        for (; i < len; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>row += α x + β y.</summary>
    private static void Axpy2(Span<double> row, double alpha, ReadOnlySpan<double> x, double beta, ReadOnlySpan<double> y)
    {
        int len = row.Length, i = 0, vl = Vector<double>.Count;
        var va = new Vector<double>(alpha); var vb = new Vector<double>(beta);
        for (; i <= len - vl; i += vl)
        {
            var r = new Vector<double>(row.Slice(i)) + va * new Vector<double>(x.Slice(i)) + vb * new Vector<double>(y.Slice(i));
            r.CopyTo(row.Slice(i));
        }
        for (; i < len; i++) row[i] += alpha * x[i] + beta * y[i];
    }

    /// <summary>All eigenvalues of the tridiagonal (d, e), ascending, by bisection on Sturm counts.</summary>
    internal static double[] Eigenvalues(double[] d, double[] e, ParallelOptions po)
    {
        int n = d.Length;
        double lo = double.MaxValue, hi = double.MinValue, pivmin = 1.0;
        for (int i = 0; i < n; i++)
        {
            double r = (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0);
            lo = Math.Min(lo, d[i] - r); hi = Math.Max(hi, d[i] + r);
            if (i < n - 1) pivmin = Math.Max(pivmin, e[i] * e[i]);
        }
        pivmin *= SafeMin;
        double span = Math.Max(Math.Abs(lo), Math.Abs(hi));
        double atol = MachEps * span;
        lo -= 4 * atol + pivmin; hi += 4 * atol + pivmin;
        var vals = new double[n];
        Parallel.For(0, n, po, k =>
        {
            double a = lo, b = hi;
            for (int it = 0; it < 200; it++)
            {
                double mid = 0.5 * (a + b);
                if (mid <= a || mid >= b) break;
                if (b - a <= atol) break;
                if (CountBelow(d, e, mid, pivmin) > k) b = mid; else a = mid;
            }
            vals[k] = 0.5 * (a + b);
        });
        return vals;
    }

    /// <summary>Number of eigenvalues of the tridiagonal below x (Sturm sequence).</summary>
    private static int CountBelow(double[] d, double[] e, double x, double pivmin)
    {
        int c = 0;
        double q = d[0] - x;
        if (Math.Abs(q) < pivmin) q = -pivmin;
        if (q < 0) c++;
        for (int i = 1; i < d.Length; i++)
        {
            q = d[i] - x - e[i - 1] * e[i - 1] / q;
            if (Math.Abs(q) < pivmin) q = -pivmin;
            if (q < 0) c++;
        }
        return c;
    }

    /// <summary>Eigenvectors 0..count−1 of the tridiagonal (rows of the result), by inverse iteration.</summary>
    internal static double[] InverseIteration(double[] d, double[] e, double[] vals, int count, ParallelOptions po)
    {
        int n = d.Length;
        var z = new double[(long)n * count];
        if (count == 0) return z;
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < n - 1 ? Math.Abs(e[i]) : 0));
        double ortol = ClusterTolerance * norm, step = 10 * MachEps * Math.Max(norm, SafeMin);
        // clusters: consecutive eigenvalues closer than ortol; vectors of a cluster are done in order by one task
        var starts = new List<int> { 0 };
        for (int k = 1; k < count; k++) if (vals[k] - vals[k - 1] > ortol) starts.Add(k);
        starts.Add(count);
        Parallel.For(0, starts.Count - 1, po, c =>
        {
            var work = new Tridiag(n);
            double prev = double.NaN;
            for (int k = starts[c]; k < starts[c + 1]; k++)
            {
                double lam = vals[k];
                if (!double.IsNaN(prev) && lam - prev < step) lam = prev + step;
                prev = lam;
                work.Factor(d, e, lam, MachEps * Math.Max(norm, SafeMin));
                var y = z.AsSpan(checked((int)((long)k * n)), n);
                ulong seed = 0x9E3779B97F4A7C15UL * (ulong)(k + 1);
                for (int i = 0; i < n; i++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; y[i] = (seed >> 11) * (1.0 / (1UL << 53)) - 0.5; }
                for (int it = 0; it < 4; it++)
                {
                    Normalize(y);
                    work.Solve(y);
                    for (int pass = 0; pass < 2; pass++)
                        for (int j = starts[c]; j < k; j++)
                        {
                            var q = z.AsSpan(checked((int)((long)j * n)), n);
                            double s = Dot(q, y);
                            for (int i = 0; i < n; i++) y[i] -= s * q[i];
                        }
                }
                Normalize(y);
            }
        });
        return z;
    }

    private static void Normalize(Span<double> y)
    {
        double s = Math.Sqrt(Dot(y, y));
        if (s == 0) { y[0] = 1; return; }
        double inv = 1.0 / s;
        for (int i = 0; i < y.Length; i++) y[i] *= inv;
    }

    /// <summary>LU factors with partial pivoting of T − λI (tridiagonal), and solves with them.</summary>
    private sealed class Tridiag(int n)
    {
        private readonly double[] _u0 = new double[n], _u1 = new double[n], _u2 = new double[n], _l = new double[n];
        private readonly bool[] _swap = new bool[n];

        public void Factor(double[] d, double[] e, double lam, double tiny)
        {
            if (tiny == 0) tiny = double.Epsilon;
            // row i of the working matrix: (diag, super, super2) at columns i, i+1, i+2
            double cd = d[0] - lam, cs = n > 1 ? e[0] : 0;
            for (int i = 0; i < n - 1; i++)
            {
                double sub = e[i], nd = d[i + 1] - lam, ns = i + 1 < n - 1 ? e[i + 1] : 0;
                if (Math.Abs(sub) > Math.Abs(cd))
                {
                    // swap rows i and i+1
                    _swap[i] = true;
                    _u0[i] = sub; _u1[i] = nd; _u2[i] = ns;
                    double m = cd / sub;
                    _l[i] = m;
                    cd = cs - m * nd; cs = -m * ns;
                }
                else
                {
                    _swap[i] = false;
                    if (cd == 0) cd = tiny;
                    _u0[i] = cd; _u1[i] = cs; _u2[i] = 0;
                    double m = sub / cd;
                    _l[i] = m;
                    cd = nd - m * cs; cs = ns;
                }
            }
            if (cd == 0) cd = tiny;
            _u0[n - 1] = cd; _u1[n - 1] = 0; _u2[n - 1] = 0;
        }

        public void Solve(Span<double> y)
        {
            for (int i = 0; i < n - 1; i++)
            {
                if (_swap[i]) { (y[i], y[i + 1]) = (y[i + 1], y[i]); }
                y[i + 1] -= _l[i] * y[i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = y[i];
                if (i + 1 < n) s -= _u1[i] * y[i + 1];
                if (i + 2 < n) s -= _u2[i] * y[i + 2];
                y[i] = s / _u0[i];
                if (!double.IsFinite(y[i])) y[i] = Math.CopySign(1e300, y[i]);
            }
        }
    }

    /// <summary>x = Q y for each vector row: reflectors applied from the last to the first.</summary>
    private static void BackTransform(double[] a, int n, double[] beta, double[] z, int count, ParallelOptions po)
    {
        if (count == 0) return;
        Parallel.For(0, count, po, k =>
        {
            var y = z.AsSpan(checked((int)((long)k * n)), n);
            for (int r = n - 3; r >= 0; r--)
            {
                double b = beta[r];
                if (b == 0) continue;
                int s = r + 1, m = n - s;
                var vr = RowOf(a, n, r, s, m);
                var ys = y.Slice(s, m);
                double t = b * Dot(vr, ys);
                Axpy2(ys, -t, vr, 0.0, vr);
            }
        });
    }
}
