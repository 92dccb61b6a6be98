using System.Numerics;

namespace GlassML.Io;

/// <summary>
/// Fast parsing of the plain number forms that LAMMPS, OVITO and ASE print: an optional sign, digits, an optional
/// <c>.</c> and digits, an optional <c>e</c>/<c>E</c> with an optional sign and digits. A parse that succeeds gives exactly
/// what <see cref="double.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider?, out double)"/>
/// (invariant culture, <see cref="System.Globalization.NumberStyles.Float"/>) or <see cref="long.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider?, out long)"/>
/// (<see cref="System.Globalization.NumberStyles.AllowLeadingSign"/>) gives, bit for bit; false means "not sure", never
/// "not a number": the caller then asks .NET (other spellings, more than 19 significant digits, exponents outside
/// 10^<see cref="MinPow10"/>..10^<see cref="MaxPow10"/>, the rare case too close to a rounding boundary).
/// <para>
/// Doubles: the decimal significand w (up to 19 digits) and power of ten q give w·10^q. When w ≤ 2^53 and |q| ≤ 22 both
/// w and 10^|q| are exact doubles, so one IEEE multiplication or division rounds correctly (Clinger's fast path).
/// Otherwise w·5^q·2^q is formed in 192 bits from w shifted to 64 significant bits and a 128-bit 5^q (the method of
/// Eisel and Lemire): exact when 5^q fits 128 bits, else truncated, which makes the product too small by less than 2^64
/// units of its lowest bit; the 53-bit significand and its rounding are then certain unless the bits below the rounding
/// bit lie within 2^64 of a multiple of the half unit (the caller falls back; about one value in 2^70).
/// </para>
/// </summary>
internal static class PlainNumberParser
{
    /// <summary>Smallest power of ten of the 128-bit table (values down to ≈ 10^−100 are parsed here).</summary>
    internal const int MinPow10 = -100;

    /// <summary>Largest power of ten of the 128-bit table.</summary>
    internal const int MaxPow10 = 100;

    /// <summary>Most significant digits taken (10^19 − 1 &lt; 2^64).</summary>
    private const int MaxDigits = 19;

    // 5^q ≈ (Hi·2^64 + Lo)·2^Exp with Hi's top bit set, at index q − MinPow10 (truncated when not exact)
    private static readonly ulong[] s_pow5Hi, s_pow5Lo;
    private static readonly int[] s_pow5Exp;

    /// <summary>Largest q for which the table holds 5^q exactly (5^q &lt; 2^128).</summary>
    internal static readonly int MaxExactPow5;

    private static readonly double[] s_exactPow10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    static PlainNumberParser()
    {
        int count = MaxPow10 - MinPow10 + 1;
        s_pow5Hi = new ulong[count];
        s_pow5Lo = new ulong[count];
        s_pow5Exp = new int[count];
        // integers as little-endian 64-bit limbs; 384 bits hold 5^100 (233 bits) and leave 2^383 / 5^100 150 bits
        const int Limbs = 6, Top = 64 * Limbs - 1;
        var x = new ulong[Limbs];
        x[0] = 1;
        for (int q = 0; q <= MaxPow10; q++)
        {
            if (q > 0) MultiplyBy5(x);
            if (Store(q, x, 0)) MaxExactPow5 = q;
        }
        // floor(2^Top / 5^n) by repeated floor division by 5 (floor(floor(a / b) / c) = floor(a / (b·c)))
        Array.Clear(x);
        x[Limbs - 1] = 1UL << 63;
        for (int n = 1; n <= -MinPow10; n++)
        {
            DivideBy5(x);
            Store(-n, x, -Top);
        }
    }

    // 5^q ≈ x·2^scale: the 128 bits of x from its highest set bit down (truncated); true when none was dropped
    private static bool Store(int q, ulong[] x, int scale)
    {
        int high = x.Length - 1;
        while (x[high] == 0) high--;
        int shift = 64 * high + 64 - BitOperations.LeadingZeroCount(x[high]) - 128;
        s_pow5Hi[q - MinPow10] = Bits64(x, shift + 64);
        s_pow5Lo[q - MinPow10] = Bits64(x, shift);
        s_pow5Exp[q - MinPow10] = shift + scale;
        return shift <= 0;
    }

    // bits from..from+63 of x (bits below 0 and above the top read as 0)
    private static ulong Bits64(ulong[] x, int from)
    {
        int k = from >> 6, r = from & 63;
        ulong Word(int i) => i >= 0 && i < x.Length ? x[i] : 0;
        return r == 0 ? Word(k) : (Word(k) >> r) | (Word(k + 1) << (64 - r));
    }

    private static void MultiplyBy5(ulong[] x)
    {
        ulong carry = 0;
        for (int i = 0; i < x.Length; i++)
        {
            ulong hi = Math.BigMul(x[i], 5UL, out ulong lo);
            lo += carry;
            if (lo < carry) hi++;
            x[i] = lo;
            carry = hi;
        }
    }

    private static void DivideBy5(ulong[] x)
    {
        ulong rem = 0;
        for (int i = x.Length - 1; i >= 0; i--)
        {
            ulong upper = (rem << 32) | (x[i] >> 32);
            ulong qUpper = upper / 5;
            ulong lower = ((upper - 5 * qUpper) << 32) | (x[i] & 0xFFFF_FFFF);
            ulong qLower = lower / 5;
            rem = lower - 5 * qLower;
            x[i] = (qUpper << 32) | qLower;
        }
    }

    /// <summary>The 128-bit table entry for 10^<paramref name="q"/> (for tests): 5^q ≈ (hi·2^64 + lo)·2^exp.</summary>
    internal static (ulong Hi, ulong Lo, int Exp) Pow5(int q) => (s_pow5Hi[q - MinPow10], s_pow5Lo[q - MinPow10], s_pow5Exp[q - MinPow10]);

    /// <summary>Parses a plain decimal number; false when the text is not of the plain form or the result is not certain.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> s, out double value) => ParseDouble(s, 0, out value) == s.Length;

    /// <summary>
    /// Parses the plain decimal number that starts at <paramref name="start"/>: the index just after it (the first character
    /// that cannot continue it), or −1 when there is no number there or the result is not certain (an exponent marker
    /// without digits counts as neither: −1).
    /// </summary>
    public static int ParseDouble(ReadOnlySpan<char> s, int start, out double value)
    {
        value = 0;
        int len = s.Length, i = start;
        if (i >= len) return -1;
        bool negative = false;
        if (s[i] == '-') { negative = true; i++; }
        else if (s[i] == '+') i++;

        ulong w = 0;
        int significant = 0, digits = 0, fraction = 0;
        for (; i < len; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            digits++;
            if (w == 0 && d == 0) continue; // a leading zero
            if (significant == MaxDigits) return -1;
            w = w * 10 + d;
            significant++;
        }
        if (i < len && s[i] == '.')
        {
            for (i++; i < len; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9) break;
                digits++;
                fraction++;
                if (w == 0 && d == 0) continue;
                if (significant == MaxDigits) return -1;
                w = w * 10 + d;
                significant++;
            }
        }
        if (digits == 0) return -1;
        int exp10 = 0;
        if (i < len && (s[i] | 0x20) == 'e')
        {
            i++;
            bool expNegative = false;
            if (i < len && s[i] == '-') { expNegative = true; i++; }
            else if (i < len && s[i] == '+') i++;
            int expDigits = 0;
            for (; i < len; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9) break;
                expDigits++;
                if (exp10 < 100_000) exp10 = exp10 * 10 + (int)d;
            }
            if (expDigits == 0 || exp10 >= 100_000) return -1;
            if (expNegative) exp10 = -exp10;
        }

        if (w == 0)
        {
            value = negative ? -0.0 : 0.0;
            return i;
        }
        int q = exp10 - fraction;
        if (w <= 1UL << 53 && q >= -22 && q <= 22)
        {
            double x = q < 0 ? w / s_exactPow10[-q] : w * s_exactPow10[q];
            value = negative ? -x : x;
            return i;
        }
        if (q < MinPow10 || q > MaxPow10) return -1;
        return TryScale(w, q, negative, out value) ? i : -1;
    }

    // w·10^q for MinPow10 ≤ q ≤ MaxPow10, w > 0, rounded to nearest even through the 192-bit product described above.
    private static bool TryScale(ulong w, int q, bool negative, out double value)
    {
        value = 0;
        int lz = BitOperations.LeadingZeroCount(w);
        ulong m = w << lz;
        int at = q - MinPow10;
        ulong hi = Math.BigMul(m, s_pow5Hi[at], out ulong mid);
        ulong carry = Math.BigMul(m, s_pow5Lo[at], out ulong z0);
        ulong z1 = mid + carry;
        ulong z2 = hi + (z1 < carry ? 1UL : 0UL); // the product is below 2^192: no carry out
        // the product lies in [2^190, 2^192): its 53 leading bits end at bit 10 or 11 of z2
        int top = (int)(z2 >> 63);
        int shift = 10 + top;
        ulong significand = z2 >> shift;
        bool roundBit = ((z2 >> (shift - 1)) & 1) != 0;
        ulong belowMask = (1UL << (shift - 1)) - 1;
        ulong below = z2 & belowMask; // with z1 and z0: the bits below the rounding bit
        bool exact = q >= 0 && q <= MaxExactPow5;
        if (!exact && ((below == 0 && z1 == 0) || (below == belowMask && z1 == ulong.MaxValue))) return false;
        if (roundBit && (!exact || below != 0 || z1 != 0 || z0 != 0 || (significand & 1) != 0)) significand++;
        int e2 = 190 + top + s_pow5Exp[at] + q - lz;
        if (significand == 1UL << 53) { significand >>= 1; e2++; }
        if (e2 < -1022 || e2 > 1023) return false;
        ulong bits = ((ulong)(e2 + 1023) << 52) | (significand & ((1UL << 52) - 1));
        if (negative) bits |= 1UL << 63;
        value = BitConverter.Int64BitsToDouble((long)bits);
        return true;
    }

    /// <summary>Parses an optionally signed run of at most 19 decimal digits that fits a long; false otherwise (not sure).</summary>
    public static bool TryParseLong(ReadOnlySpan<char> s, out long value) => ParseLong(s, 0, out value) == s.Length;

    /// <summary>
    /// Parses the optionally signed run of at most 19 decimal digits that starts at <paramref name="start"/> and fits a long:
    /// the index just after it, or −1 (no digits, more digits, out of range).
    /// </summary>
    public static int ParseLong(ReadOnlySpan<char> s, int start, out long value)
    {
        value = 0;
        int len = s.Length, i = start;
        if (i >= len) return -1;
        bool negative = false;
        if (s[i] == '-') { negative = true; i++; }
        else if (s[i] == '+') i++;
        int first = i;
        ulong acc = 0;
        for (; i < len; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            if (i - first == MaxDigits) return -1;
            acc = acc * 10 + d;
        }
        if (i == first || acc > (negative ? 1UL << 63 : (ulong)long.MaxValue)) return -1;
        value = negative ? (long)(0 - acc) : (long)acc;
        return i;
    }
}
