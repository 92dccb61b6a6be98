using System.Numerics;

namespace GlassML.Descriptors;

/// <summary>
/// Wigner 3j symbols (j1 j2 j3; m1 m2 m3) for integer angular momenta by the Racah formula
/// (−1)^{j1−j2−m3} sqrt(Δ · (j1+m1)!(j1−m1)!(j2+m2)!(j2−m2)!(j3+m3)!(j3−m3)!) ·
/// Σ_k (−1)^k / [k!(j3−j2+k+m1)!(j3−j1+k−m2)!(j1+j2−j3−k)!(j1−k−m1)!(j2−k+m2)!],
/// Δ = (j1+j2−j3)!(j1−j2+j3)!(−j1+j2+j3)!/(j1+j2+j3+1)!. The sum and the square are evaluated exactly in
/// integer arithmetic and only the final square root is taken in double precision, so every value is
/// correct to about one unit in the last place.
/// </summary>
public static class Wigner3j
{
    /// <summary>The 3j symbol; zero when the selection rules (triangle, m1+m2+m3 = 0, |m_i| ≤ j_i) fail.</summary>
    public static double Value(int j1, int j2, int j3, int m1, int m2, int m3)
    {
        if (j1 < 0 || j2 < 0 || j3 < 0) throw new ArgumentOutOfRangeException(nameof(j1), "angular momenta must be ≥ 0");
        if (m1 + m2 + m3 != 0) return 0;
        if (Math.Abs(m1) > j1 || Math.Abs(m2) > j2 || Math.Abs(m3) > j3) return 0;
        if (j3 > j1 + j2 || j3 < Math.Abs(j1 - j2)) return 0;
        int kmin = Math.Max(0, Math.Max(j2 - j3 - m1, j1 - j3 + m2));
        int kmax = Math.Min(j1 + j2 - j3, Math.Min(j1 - m1, j2 + m2));
        if (kmin > kmax) return 0;
        // S = Σ_k (−1)^k / D_k as an exact fraction over the common denominator L = Π-free lcm; use D = product approach:
        BigInteger num = BigInteger.Zero, den = BigInteger.One;
        for (int k = kmin; k <= kmax; k++)
        {
            BigInteger d = F(k) * F(j3 - j2 + k + m1) * F(j3 - j1 + k - m2) * F(j1 + j2 - j3 - k) * F(j1 - k - m1) * F(j2 - k + m2);
            // num/den + (±1)/d
            BigInteger term = (k & 1) == 0 ? BigInteger.One : BigInteger.MinusOne;
            num = num * d + term * den;
            den *= d;
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        }
        if (num.IsZero) return 0;
        // value² = Δ · P · S², sign = sign(S) · (−1)^{j1−j2−m3}
        BigInteger deltaNum = F(j1 + j2 - j3) * F(j1 - j2 + j3) * F(-j1 + j2 + j3);
        BigInteger deltaDen = F(j1 + j2 + j3 + 1);
        BigInteger p = F(j1 + m1) * F(j1 - m1) * F(j2 + m2) * F(j2 - m2) * F(j3 + m3) * F(j3 - m3);
        BigInteger sqNum = deltaNum * p * num * num, sqDen = deltaDen * den * den;
        double mag = Math.Sqrt(Ratio(sqNum, sqDen));
        int sign = num.Sign * (((j1 - j2 - m3) & 1) == 0 ? 1 : -1);
        return sign * mag;
    }

    /// <summary>
    /// Table of (l l l; m1 m2 −m1−m2) for −l ≤ m1, m2 ≤ l, row-major with index (m1+l)(2l+1) + (m2+l)
    /// (zero where |m1+m2| > l).
    /// </summary>
    public static double[] EqualDegreeTable(int l)
    {
        if (l < 0) throw new ArgumentOutOfRangeException(nameof(l));
        int w = 2 * l + 1;
        var t = new double[w * w];
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = -l; m2 <= l; m2++)
            {
                int m3 = -m1 - m2;
                if (Math.Abs(m3) <= l) t[(m1 + l) * w + (m2 + l)] = Value(l, l, l, m1, m2, m3);
            }
        return t;
    }

    private static BigInteger F(int n)
    {
        BigInteger r = BigInteger.One;
        for (int i = 2; i <= n; i++) r *= i;
        return r;
    }

    // num/den (both > 0) to the nearest double via a scaled integer quotient.
    private static double Ratio(BigInteger num, BigInteger den)
    {
        long shift = (long)(den.GetBitLength() - num.GetBitLength()) + 80;
        BigInteger q = shift >= 0 ? (num << (int)shift) / den : num / (den << (int)(-shift));
        return Math.ScaleB((double)q, (int)-shift);
    }
}
