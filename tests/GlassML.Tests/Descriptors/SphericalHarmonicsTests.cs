using GlassML.Descriptors;

namespace GlassML.Tests.Descriptors;

public class SphericalHarmonicsTests
{
    // Closed forms (Condon–Shortley phase, orthonormal), e.g. Jackson / Wikipedia tables.
    [Fact]
    public void LowDegreesMatchClosedForms()
    {
        var y = new SphericalHarmonics(3);
        double th = 0.7, ph = 1.3, st = Math.Sin(th), ct = Math.Cos(th);
        void Check(int l, int m, double re, double im)
        {
            var (a, b) = y.Value(l, m, th, ph);
            Assert.Equal(re, a, 14); Assert.Equal(im, b, 14);
        }
        Check(0, 0, 0.5 / Math.Sqrt(Math.PI), 0);
        Check(1, 0, Math.Sqrt(3 / (4 * Math.PI)) * ct, 0);
        double c11 = -Math.Sqrt(3 / (8 * Math.PI)) * st;
        Check(1, 1, c11 * Math.Cos(ph), c11 * Math.Sin(ph));
        Check(1, -1, -c11 * Math.Cos(ph), c11 * Math.Sin(ph));
        double c21 = -Math.Sqrt(15 / (8 * Math.PI)) * st * ct;
        Check(2, 1, c21 * Math.Cos(ph), c21 * Math.Sin(ph));
        double c32 = 0.25 * Math.Sqrt(105 / (2 * Math.PI)) * st * st * ct;
        Check(3, 2, c32 * Math.Cos(2 * ph), c32 * Math.Sin(2 * ph));
        double c33 = -0.125 * Math.Sqrt(35 / Math.PI) * st * st * st;
        Check(3, 3, c33 * Math.Cos(3 * ph), c33 * Math.Sin(3 * ph));
    }

    // Addition theorem: Σ_m |Y_lm|² = (2l+1)/4π for every direction, also at the poles.
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(Math.PI, 0.3)]
    [InlineData(1.1, -2.0)]
    [InlineData(2.9, 4.0)]
    public void AdditionTheorem(double th, double ph)
    {
        var y = new SphericalHarmonics(20);
        int n = SphericalHarmonics.Count(20);
        var re = new double[n]; var im = new double[n];
        y.Evaluate(Math.Sin(th) * Math.Cos(ph), Math.Sin(th) * Math.Sin(ph), Math.Cos(th), re, im);
        for (int l = 0; l <= 20; l++)
        {
            double s = 0;
            for (int m = 0; m <= l; m++)
            {
                int k = SphericalHarmonics.Index(l, m);
                s += (m == 0 ? 1 : 2) * (re[k] * re[k] + im[k] * im[k]);
            }
            Assert.Equal((2 * l + 1) / (4 * Math.PI), s, 12);
        }
    }
}
