namespace GlassML.Descriptors;

/// <summary>
/// Löwdin orthonormalisation of the SOAP radial bases, β = S^{−1/2} = V Λ^{−1/2} Vᵀ for a symmetric positive-definite
/// overlap matrix S, computed exactly as MathNet.Numerics 5.0's managed provider computes
/// <c>s.Evd(Symmetricity.Symmetric)</c> and the dense products that follow (Householder tridiagonalisation tred2 and
/// implicit QL tql2 from EISPACK/JAMA, column-major arrays; product sums in ascending order from 0) — the same operations
/// in the same order, so the results are the same bits. Plain non-generic code of this assembly, so a ReadyToRun publish
/// holds it compiled: building a basis no longer jits MathNet's generic Matrix&lt;double&gt; members (≈ 35 methods) in every
/// one-shot SOAP run. Ported from MathNet.Numerics v5.0.0 (MIT licence, Copyright (c) 2002-2022 Math.NET),
/// ManagedLinearAlgebraProvider.Double.cs (EigenDecomp, SymmetricTridiagonalize, SymmetricDiagonalize, MatrixMultiply,
/// AddArrays, ScaleArray), SpecialFunctions/Gamma.cs (Gamma) and Stability.cs (Hypotenuse);
/// SoapOrthonormalizationTests checks it against MathNet bit for bit.
/// </summary>
internal static class SoapOrthonormalization
{
    /// <summary>MathNet's Precision.DoublePrecision, 2^−53.</summary>
    private const double Eps = 1.1102230246251565e-16;

    /// <summary>
    /// V Λ^{−1/2} Vᵀ of the symmetric n × n matrix <paramref name="s"/> (column-major; by symmetry also row-major), as
    /// MathNet's <c>evd.EigenVectors * dm * evd.EigenVectors.Transpose()</c>; with <paramref name="symmetrize"/> then
    /// <c>0.5 * (x + x.Transpose())</c>. Column-major result: element (row i, column j) at [j·n + i].
    /// </summary>
    /// <exception cref="ArgumentException">An eigenvalue is not positive (<paramref name="notPositiveDefinite"/> is the message).</exception>
    public static double[] InverseSqrt(double[] s, int n, bool symmetrize, string notPositiveDefinite)
    {
        var v = (double[])s.Clone();
        var d = new double[n];
        var e = new double[n];
        for (int i = 0; i < n; i++) d[i] = v[i * n + n - 1];
        if (n > 0)
        {
            SymmetricTridiagonalize(v, d, e, n);
            SymmetricDiagonalize(v, d, e, n);
        }
        var dm = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            double lam = d[i];
            if (!(lam > 0)) throw new ArgumentException(notPositiveDefinite);
            dm[i * n + i] = 1.0 / Math.Sqrt(lam);
        }
        var x = Multiply(Multiply(v, dm, n), Transpose(v, n), n);
        if (!symmetrize) return x;
        var xt = Transpose(x, n);
        var res = new double[n * n];
        for (int i = 0; i < res.Length; i++) res[i] = x[i] + xt[i];
        for (int i = 0; i < res.Length; i++) res[i] = 0.5 * res[i];
        return res;
    }

    /// <summary>Γ(z) for z ≥ 0.5 by MathNet's Lanczos approximation (Pugh 2004, p. 116), the same bits as its SpecialFunctions.Gamma.</summary>
    public static double Gamma(double z)
    {
        if (!(z >= 0.5)) throw new ArgumentOutOfRangeException(nameof(z), "z must be ≥ 0.5");
        ReadOnlySpan<double> dk =
        [
            2.48574089138753565546e-5, 1.05142378581721974210, -3.45687097222016235469, 4.51227709466894823700,
            -2.98285225323576655721, 1.05639711577126713077, -1.95428773191645869583e-1, 1.70970543404441224307e-2,
            -5.71926117404305781283e-4, 4.63399473359905636708e-6, -2.71994908488607703910e-9,
        ];
        const double gammaR = 10.900511, twoSqrtEOverPi = 1.8603827342052657173362492472666631120594218414085755;
        double sum = dk[0];
        for (int i = 1; i <= 10; i++) sum += dk[i] / (z + i - 1.0);
        return sum * twoSqrtEOverPi * Math.Pow((z - 0.5 + gammaR) / Math.E, z - 0.5);
    }

    /// <summary>Column-major n × n product, each entry 0 + 1·Σ in ascending order (MathNet's managed MatrixMultiply).</summary>
    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var res = new double[n * n];
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++) row[k] = a[k * n + i];
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += row[k] * b[j * n + k];
                res[j * n + i] += 1.0 * sum;
            }
        }
        return res;
    }

    private static double[] Transpose(double[] a, int n)
    {
        var t = new double[n * n];
        for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            t[i * n + j] = a[j * n + i];
        return t;
    }

    private static double Hypotenuse(double a, double b)
    {
        if (Math.Abs(a) > Math.Abs(b))
        {
            double r = b / a;
            return Math.Abs(a) * Math.Sqrt(1 + (r * r));
        }
        if (b != 0.0)
        {
            double r = a / b;
            return Math.Abs(b) * Math.Sqrt(1 + (r * r));
        }
        return 0d;
    }

    /// <summary>Symmetric Householder reduction to tridiagonal form (tred2; Bowdler, Martin, Reinsch and Wilkinson).</summary>
    private static void SymmetricTridiagonalize(double[] a, double[] d, double[] e, int order)
    {
        for (var i = order - 1; i > 0; i--)
        {
            var scale = 0.0;
            var h = 0.0;
            for (var k = 0; k < i; k++) scale = scale + Math.Abs(d[k]);
            if (scale == 0.0)
            {
                e[i] = d[i - 1];
                for (var j = 0; j < i; j++)
                {
                    d[j] = a[(j * order) + i - 1];
                    a[(j * order) + i] = 0.0;
                    a[(i * order) + j] = 0.0;
                }
            }
            else
            {
                for (var k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                var f = d[i - 1];
                var g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h = h - (f * g);
                d[i - 1] = f - g;
                for (var j = 0; j < i; j++) e[j] = 0.0;
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    a[(i * order) + j] = f;
                    g = e[j] + (a[(j * order) + j] * f);
                    for (var k = j + 1; k <= i - 1; k++)
                    {
                        g += a[(j * order) + k] * d[k];
                        e[k] += a[(j * order) + k] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (var j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                var hh = f / (h + h);
                for (var j = 0; j < i; j++) e[j] -= hh * d[j];
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (var k = j; k <= i - 1; k++) a[(j * order) + k] -= (f * e[k]) + (g * d[k]);
                    d[j] = a[(j * order) + i - 1];
                    a[(j * order) + i] = 0.0;
                }
            }
            d[i] = h;
        }
        for (var i = 0; i < order - 1; i++)
        {
            a[(i * order) + order - 1] = a[(i * order) + i];
            a[(i * order) + i] = 1.0;
            var h = d[i + 1];
            if (h != 0.0)
            {
                for (var k = 0; k <= i; k++) d[k] = a[((i + 1) * order) + k] / h;
                for (var j = 0; j <= i; j++)
                {
                    var g = 0.0;
                    for (var k = 0; k <= i; k++) g += a[((i + 1) * order) + k] * a[(j * order) + k];
                    for (var k = 0; k <= i; k++) a[(j * order) + k] -= g * d[k];
                }
            }
            for (var k = 0; k <= i; k++) a[((i + 1) * order) + k] = 0.0;
        }
        for (var j = 0; j < order; j++)
        {
            d[j] = a[(j * order) + order - 1];
            a[(j * order) + order - 1] = 0.0;
        }
        a[(order * order) - 1] = 1.0;
        e[0] = 0.0;
    }

    /// <summary>Symmetric tridiagonal QL algorithm with implicit shifts (tql2), eigenvalues sorted ascending with their vectors.</summary>
    private static void SymmetricDiagonalize(double[] a, double[] d, double[] e, int order)
    {
        const int maxiter = 1000;
        for (var i = 1; i < order; i++) e[i - 1] = e[i];
        e[order - 1] = 0.0;
        var f = 0.0;
        var tst1 = 0.0;
        for (var l = 0; l < order; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            var m = l;
            while (m < order)
            {
                if (Math.Abs(e[m]) <= Eps * tst1) break;
                m++;
            }
            if (m > l)
            {
                var iter = 0;
                do
                {
                    iter = iter + 1;
                    var g = d[l];
                    var p = (d[l + 1] - g) / (2.0 * e[l]);
                    var r = Hypotenuse(p, 1.0);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    var dl1 = d[l + 1];
                    var h = g - d[l];
                    for (var i = l + 2; i < order; i++) d[i] -= h;
                    f = f + h;
                    p = d[m];
                    var c = 1.0;
                    var c2 = c;
                    var c3 = c;
                    var el1 = e[l + 1];
                    var s = 0.0;
                    var s2 = 0.0;
                    for (var i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypotenuse(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = (c * d[i]) - (s * g);
                        d[i + 1] = h + (s * ((c * g) + (s * d[i])));
                        for (var k = 0; k < order; k++)
                        {
                            h = a[((i + 1) * order) + k];
                            a[((i + 1) * order) + k] = (s * a[(i * order) + k]) + (c * h);
                            a[(i * order) + k] = (c * a[(i * order) + k]) - (s * h);
                        }
                    }
                    p = (-s) * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                    if (iter >= maxiter) throw new ArithmeticException("the eigenvalue iteration of the overlap matrix did not converge");
                } while (Math.Abs(e[l]) > Eps * tst1);
            }
            d[l] = d[l] + f;
            e[l] = 0.0;
        }
        for (var i = 0; i < order - 1; i++)
        {
            var k = i;
            var p = d[i];
            for (var j = i + 1; j < order; j++)
            {
                if (d[j] < p)
                {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i)
            {
                d[k] = d[i];
                d[i] = p;
                for (var j = 0; j < order; j++)
                {
                    p = a[(i * order) + j];
                    a[(i * order) + j] = a[(k * order) + j];
                    a[(k * order) + j] = p;
                }
            }
        }
    }
}
