namespace GlassML.Descriptors;

/// <summary>Special functions for the SOAP radial integrals.</summary>
internal static class SoapBessel
{
    /// <summary>
    /// f_l(x) = e^{−x} i_l(x) for l = 0..L (i_l the modified spherical Bessel function of the first kind), x ≥ 0:
    /// power series for x ≤ 2, otherwise Miller's downward recurrence i_{l−1} = i_{l+1} + (2l+1)/x i_l normalised by
    /// f_0 = (1 − e^{−2x})/(2x). Relative accuracy ~1e-15.
    /// </summary>
    public static void ScaledModifiedSphericalBessel(int L, double x, Span<double> f)
    {
        if (x <= 2.0)
        {
            double ex = Math.Exp(-x), hx2 = 0.5 * x * x, lead = 1.0; // x^l/(2l+1)!!
            for (int l = 0; l <= L; l++)
            {
                if (l > 0) lead *= x / (2 * l + 1);
                double term = 1, sum = 1;
                for (int k = 1; k < 60; k++)
                {
                    term *= hx2 / (k * (2.0 * l + 2 * k + 1));
                    sum += term;
                    if (term < 1e-17 * sum) break;
                }
                f[l] = ex * lead * sum;
            }
            return;
        }
        int start = L + 20 + (int)Math.Sqrt(40 * x);
        double fp1 = 0, fc = 1e-30, inv = 1 / x;
        for (int l = start; l >= 1; l--)
        {
            double fm1 = fp1 + (2 * l + 1) * inv * fc;
            fp1 = fc; fc = fm1;
            if (l - 1 <= L) f[l - 1] = fc;
            if (Math.Abs(fc) > 1e250)
            {
                // rescale everything stored so far
                fp1 *= 1e-250; fc *= 1e-250;
                for (int q = l - 1; q <= L; q++) if (q >= 0) f[q] *= 1e-250;
            }
        }
        double f0 = (1 - Math.Exp(-2 * x)) / (2 * x);
        double scale = f0 / f[0];
        for (int l = 0; l <= L; l++) f[l] *= scale;
    }

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n).</summary>
    public static (double[] x, double[] w) GaussLegendre(int n)
    {
        var x = new double[n]; var w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), pp = 0;
            for (int it = 0; it < 100; it++)
            {
                double p1 = 1, p2 = 0;
                for (int j = 1; j <= n; j++) { double p3 = p2; p2 = p1; p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j; }
                pp = n * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.Abs(z - z1) < 1e-16) break;
            }
            {
                double p1 = 1, p2 = 0;
                for (int j = 1; j <= n; j++) { double p3 = p2; p2 = p1; p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j; }
                pp = n * (z * p1 - p2) / (z * z - 1);
            }
            x[i] = -z; x[n - 1 - i] = z;
            w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
        }
        return (x, w);
    }
}
