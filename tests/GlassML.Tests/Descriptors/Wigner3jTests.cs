using GlassML.Descriptors;

namespace GlassML.Tests.Descriptors;

public class Wigner3jTests
{
    [Fact]
    public void KnownValues()
    {
        // (j j 0; m −m 0) = (−1)^{j−m} / sqrt(2j+1)
        for (int j = 0; j <= 8; j++)
            for (int m = -j; m <= j; m++)
                Assert.Equal((((j - m) & 1) == 0 ? 1 : -1) / Math.Sqrt(2 * j + 1), Wigner3j.Value(j, j, 0, m, -m, 0), 15);
        Assert.Equal(-Math.Sqrt(2.0 / 35.0), Wigner3j.Value(2, 2, 2, 0, 0, 0), 15);
        Assert.Equal(-Math.Sqrt(1.0 / 6.0), Wigner3j.Value(1, 1, 1, 1, 0, -1), 15);   // sympy wigner_3j: −sqrt(6)/6
        Assert.Equal(0, Wigner3j.Value(3, 3, 3, 0, 0, 0));      // odd J = j1+j2+j3 with all m = 0
        Assert.Equal(0, Wigner3j.Value(1, 1, 3, 0, 0, 0));      // triangle rule
        Assert.Equal(0, Wigner3j.Value(2, 2, 2, 1, 1, 1));      // m sum
        // (l l l; 0 0 0) from the independent closed form for all-zero m:
        Assert.Equal(ZeroM(4, 4, 4), Wigner3j.Value(4, 4, 4, 0, 0, 0), 14);
        Assert.Equal(ZeroM(10, 10, 10), Wigner3j.Value(10, 10, 10, 0, 0, 0), 14);
    }

    // (j1 j2 j3; 0 0 0) for J = j1+j2+j3 = 2g even: (−1)^g sqrt((J−2j1)!(J−2j2)!(J−2j3)!/(J+1)!) · g!/((g−j1)!(g−j2)!(g−j3)!)
    private static double ZeroM(int j1, int j2, int j3)
    {
        int J = j1 + j2 + j3, g = J / 2;
        double lf(int n) { double s = 0; for (int i = 2; i <= n; i++) s += Math.Log(i); return s; }
        double logv = 0.5 * (lf(J - 2 * j1) + lf(J - 2 * j2) + lf(J - 2 * j3) - lf(J + 1)) + lf(g) - lf(g - j1) - lf(g - j2) - lf(g - j3);
        return ((g & 1) == 0 ? 1 : -1) * Math.Exp(logv);
    }

    // Orthogonality: Σ_{m1,m2} (l l L; m1 m2 M)(l l L'; m1 m2 M) = δ_LL' / (2L+1).
    [Theory]
    [InlineData(4)]
    [InlineData(10)]
    public void Orthogonality(int l)
    {
        for (int L = 0; L <= 2 * l; L += 3)
            for (int L2 = L; L2 <= 2 * l; L2 += 5)
            {
                int M = Math.Min(L, L2) / 2;
                double s = 0;
                for (int m1 = -l; m1 <= l; m1++)
                {
                    int m2 = -M - m1;
                    if (Math.Abs(m2) > l) continue;
                    s += Wigner3j.Value(l, l, L, m1, m2, M) * Wigner3j.Value(l, l, L2, m1, m2, M);
                }
                Assert.Equal(L == L2 ? 1.0 / (2 * L + 1) : 0.0, s, 13);
            }
    }
}
