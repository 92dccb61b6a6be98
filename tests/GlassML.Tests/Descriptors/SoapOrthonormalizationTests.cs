using GlassML.Descriptors;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// The SOAP bases' S^{−1/2} and Γ are computed by a port of MathNet's managed code (no generic Matrix&lt;double&gt; at run
/// time); they must be the same bits as MathNet.Numerics itself computes them, so SOAP outputs do not move.
/// </summary>
public class SoapOrthonormalizationTests
{
    [Fact]
    public void GammaIsMathNetsBitForBit()
    {
        for (int l = 0; l <= 60; l++)
        {
            double z = l + 1.5;
            Assert.Equal(BitConverter.DoubleToInt64Bits(MathNet.Numerics.SpecialFunctions.Gamma(z)),
                BitConverter.DoubleToInt64Bits(SoapOrthonormalization.Gamma(z)));
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(MathNet.Numerics.SpecialFunctions.Gamma(7.25)),
            BitConverter.DoubleToInt64Bits(SoapOrthonormalization.Gamma(7.25)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoapOrthonormalization.Gamma(0.25));
    }

    [Theory]
    [InlineData(5.0, 11, 12)]
    [InlineData(5.0, 8, 6)]
    [InlineData(3.5, 4, 9)]
    [InlineData(6.0, 1, 3)]
    [InlineData(2.0, 2, 0)]
    [InlineData(7.5, 12, 20)]
    public void GtoBasisIsMathNetsBitForBit(double rcut, int nmax, int lmax)
    {
        var basis = SoapGtoBasis.Create(rcut, nmax, lmax);
        var betas = MathNetGtoBetas(basis.Alphas, nmax, lmax);
        for (int i = 0; i < betas.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(betas[i]) == BitConverter.DoubleToInt64Bits(basis.Betas[i]),
                $"beta {i}: MathNet {betas[i]:R}, port {basis.Betas[i]:R}");
    }

    [Theory]
    [InlineData(5.0, 1)]
    [InlineData(5.0, 6)]
    [InlineData(4.0, 9)]
    [InlineData(6.0, 8)]
    public void PolynomialOverlapInverseSqrtIsMathNetsBitForBit(double rcut, int nmax)
    {
        // the polynomial basis' overlap matrix (Soap.PolynomialQuadrature), unsymmetrised V Λ^{−1/2} Vᵀ
        var m = Matrix<double>.Build.Dense(nmax, nmax);
        for (int i = 1; i <= nmax; i++)
        for (int j = 1; j <= nmax; j++)
            m[i - 1, j - 1] = 2 * Math.Pow(rcut, 7 + i + j) / ((5.0 + i + j) * (6.0 + i + j) * (7.0 + i + j));
        var evd = m.Evd(Symmetricity.Symmetric);
        var dm = Matrix<double>.Build.Dense(nmax, nmax);
        for (int i = 0; i < nmax; i++) dm[i, i] = 1 / Math.Sqrt(evd.EigenValues[i].Real);
        var expect = evd.EigenVectors * dm * evd.EigenVectors.Transpose();
        var got = SoapOrthonormalization.InverseSqrt(m.ToColumnMajorArray(), nmax, false, "not positive definite");
        for (int i = 0; i < nmax; i++)
        for (int j = 0; j < nmax; j++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expect[i, j]), BitConverter.DoubleToInt64Bits(got[j * nmax + i]));
    }

    [Fact]
    public void InverseSqrtInvertsTheSquare()
    {
        // independent of MathNet: (S^{−1/2})² S = I for a well-conditioned SPD matrix
        const int n = 5;
        var s = new double[n * n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            s[j * n + i] = 1.0 / (1 + Math.Abs(i - j)) + (i == j ? 2 : 0);
        var b = SoapOrthonormalization.InverseSqrt(s, n, true, "x");
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            double v = 0;
            for (int k = 0; k < n; k++)
            for (int q = 0; q < n; q++)
                v += b[k * n + i] * b[q * n + k] * s[j * n + q];
            Assert.Equal(i == j ? 1.0 : 0.0, v, 1e-13);
        }
        var neg = new double[] { 1, 2, 2, 1 };
        Assert.Throws<ArgumentException>(() => SoapOrthonormalization.InverseSqrt(neg, 2, true, "x"));
    }

    /// <summary>β of the gto basis as SoapGtoBasis.Create computed them with MathNet's Matrix&lt;double&gt; (before the port), from its α (unchanged).</summary>
    private static double[] MathNetGtoBetas(double[] alphas, int nMax, int lMax)
    {
        var betas = new double[(lMax + 1) * nMax * nMax];
        for (int l = 0; l <= lMax; l++)
        {
            double g = MathNet.Numerics.SpecialFunctions.Gamma(l + 1.5);
            var s = Matrix<double>.Build.Dense(nMax, nMax);
            for (int k = 0; k < nMax; k++)
            for (int q = 0; q < nMax; q++)
                s[k, q] = 0.5 * g * Math.Pow(alphas[l * nMax + k] + alphas[l * nMax + q], -l - 1.5);
            var evd = s.Evd(Symmetricity.Symmetric);
            var v = evd.EigenVectors;
            var dm = Matrix<double>.Build.Dense(nMax, nMax);
            for (int i = 0; i < nMax; i++) dm[i, i] = 1.0 / Math.Sqrt(evd.EigenValues[i].Real);
            var x = v * dm * v.Transpose();
            var b = 0.5 * (x + x.Transpose());
            for (int n = 0; n < nMax; n++)
            for (int k = 0; k < nMax; k++)
                betas[(l * nMax + n) * nMax + k] = b[n, k];
        }
        return betas;
    }
}
