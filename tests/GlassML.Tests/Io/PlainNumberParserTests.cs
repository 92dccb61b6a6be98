using System.Globalization;
using System.Numerics;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// <see cref="PlainNumberParser"/> against .NET's parsers on millions of generated strings: whenever the fast parser
/// answers, .NET gives the same double bit for bit (or the same long), and <see cref="LineSource.TryDouble"/> /
/// <see cref="LineSource.TryLong"/> succeed and fail exactly as before. The fast path must also actually be taken for the
/// forms the files hold.
/// </summary>
public class PlainNumberParserTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed class Tally
    {
        public long Strings, Fast;
    }

    // one string: the fast parser agrees with .NET, and LineSource.TryDouble with the old definition
    private static void Check(string s, Tally t)
    {
        t.Strings++;
        bool refOk = double.TryParse(s, NumberStyles.Float, Inv, out double expected);
        if (PlainNumberParser.TryParseDouble(s, out double fast))
        {
            t.Fast++;
            if (!refOk) Assert.Fail($"'{s}': fast parser accepts what double.TryParse rejects");
            if (BitConverter.DoubleToInt64Bits(fast) != BitConverter.DoubleToInt64Bits(expected))
                Assert.Fail($"'{s}': fast {fast:R} (0x{BitConverter.DoubleToInt64Bits(fast):x16}) vs .NET {expected:R} (0x{BitConverter.DoubleToInt64Bits(expected):x16})");
        }
        bool ok = LineSource.TryDouble(s, out double got);
        bool special = s.ToLowerInvariant() is "nan" or "-nan" or "inf" or "+inf" or "-inf";
        if (ok != (refOk || special)) Assert.Fail($"'{s}': LineSource.TryDouble {ok}, expected {refOk || special}");
        if (refOk && BitConverter.DoubleToInt64Bits(got) != BitConverter.DoubleToInt64Bits(expected))
            Assert.Fail($"'{s}': LineSource.TryDouble {got:R} vs .NET {expected:R}");
    }

    private static string Digits(Random rng, int n)
    {
        var c = new char[n];
        for (int k = 0; k < n; k++) c[k] = (char)('0' + rng.Next(10));
        if (n > 0 && rng.Next(4) != 0) c[0] = (char)('1' + rng.Next(9));
        return new string(c);
    }

    // a decimal string of the given digits with the point anywhere (or none), a sign and an exponent form
    private static string Decorate(Random rng, string digits, int exp)
    {
        string sign = rng.Next(4) switch { 0 => "-", 1 => "+", _ => "" };
        int point = rng.Next(digits.Length + 2) - 1; // −1: no point
        string mant = point < 0 ? digits : point == 0 ? "." + digits : digits[..point] + "." + digits[point..];
        if (mant == ".") mant = "0.";
        string e = rng.Next(3) switch
        {
            0 => "",
            1 => (rng.Next(2) == 0 ? "e" : "E") + exp.ToString(Inv),
            _ => (rng.Next(2) == 0 ? "e" : "E") + (exp >= 0 ? "+" : "-") + Math.Abs(exp).ToString(rng.Next(2) == 0 ? "D2" : "D", Inv),
        };
        return sign + mant + e;
    }

    [Fact]
    public void RandomSignificandsAndExponentsMatchDoubleParse()
    {
        var rng = new Random(7001);
        var t = new Tally();
        for (int n = 0; n < 2_000_000; n++)
        {
            int nd = 1 + rng.Next(19);
            int exp = rng.Next(8) == 0 ? rng.Next(-330, 311) : rng.Next(-40, 41);
            Check(Decorate(rng, Digits(rng, nd), exp), t);
        }
        Assert.True(t.Fast > t.Strings * 3 / 4, $"fast path taken for {t.Fast} of {t.Strings}");
    }

    [Fact]
    public void CoordinatesAsLammpsAndOvitoPrintThemMatchDoubleParse()
    {
        var rng = new Random(7002);
        var t = new Tally();
        for (int n = 0; n < 1_000_000; n++)
        {
            double scale = Math.Pow(10, rng.Next(-3, 4));
            double x = (rng.NextDouble() * 2 - 1) * scale;
            if (rng.Next(50) == 0) x = BitConverter.Int64BitsToDouble(rng.NextInt64()); // any bit pattern (inf/nan too)
            Check(x.ToString("R", Inv), t);
            Check(x.ToString("G17", Inv), t);
            Check(x.ToString(rng.Next(2) == 0 ? "E16" : "e10", Inv), t);
            Check(x.ToString("F" + rng.Next(0, 12), Inv), t);
        }
        foreach (string s in new[] { "1.2782606237708602", "-0.12312837469861145", "128.25868934539614", "-0.49409847791864436" })
            Check(s, t);
        Assert.True(t.Fast > t.Strings * 97 / 100, $"fast path taken for {t.Fast} of {t.Strings}");
    }

    [Fact]
    public void HalfwayAndNearHalfwayCasesMatchDoubleParse()
    {
        var rng = new Random(7003);
        var t = new Tally();
        for (int n = 0; n < 300_000; n++)
        {
            // N lies halfway between two doubles (or one unit beside that) and has at most 19 digits
            int j = 1 + rng.Next(10);
            ulong mant = (1UL << 52) | (ulong)rng.NextInt64(1L << 52);
            ulong tie = (mant << j) + (1UL << (j - 1));
            foreach (ulong v in new[] { tie, tie - 1, tie + 1 })
            {
                string d = v.ToString(Inv);
                Check(d, t);
                Check(d + ".0", t);
                Check(d + "e0", t);
                Check(d[..^1] + "." + d[^1..] + "e1", t);
                Check("0." + d + "e" + d.Length.ToString(Inv), t);
                if (d.Length <= 17) Check(d + "00e-2", t);
            }
            // ties that need a negative power of ten: (2m+1)·2^−r has r fraction digits; 5^r·(2m+1) below 10^19
            int r = 1 + rng.Next(20);
            BigInteger num = (2 * (BigInteger)rng.NextInt64(1L << 40) + 1) * BigInteger.Pow(5, r);
            if (num < BigInteger.Pow(10, 19))
            {
                string ds = num.ToString(Inv).PadLeft(r + 1, '0');
                Check(ds[..^r] + "." + ds[^r..], t);
            }
        }
        // next to 2^53 and other known hard cases
        foreach (string s in new[]
        {
            "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "9007199254740993.0",
            "9007199254740993.00", "90071992547409930e-1", "18014398509481985", "18014398509481986", "18014398509481987",
            "4503599627370496.5", "4503599627370497.5", "2.2250738585072011e-308", "2.2250738585072012e-308",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "4.9406564584124654e-324",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "1e400", "-1e400", "7.038531e-26",
            "8.589973e9", "9214843084008499", "0.1", "0.2", "0.3", "1.1", "2.5", "3.5", "1e23", "8.98846567431158e307",
            "1.00000000000000011102230246251565404236316680908203125", "1.00000000000000011102230246251565404236316680908203124",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "9999999999999999999", "0.9999999999999999999",
            "5e-324", "1e-100", "1e100", "1e-101", "1e101", "9.999999999999999e99", "1.7e308", "3.4028235e38",
        })
        {
            Check(s, t);
            Check("-" + s, t);
        }
        Assert.True(t.Fast > t.Strings / 2, $"fast path taken for {t.Fast} of {t.Strings}");
    }

    [Fact]
    public void ZerosSignsAndMalformedTextMatchDoubleParse()
    {
        var t = new Tally();
        foreach (string s in new[]
        {
            "0", "-0", "+0", "0.0", "-0.0", "-0e5", "0e-5", "-0.000e+000", "00000", "-.0", "0.", "-0.", ".0", "0e999999999",
            "-0e-99999999999", "", "-", "+", ".", "-.", "+.", "e", "e5", ".e5", "1e", "1e+", "1e-", "1E", "1.2.3", "1..2", "--1",
            "+-1", "-+1", " 1", "1 ", "\t1", "1_0", "0x10", "0X1p3", "nan", "NaN", "-nan", "inf", "+inf", "-inf", "Infinity",
            "-Infinity", "∞", "1e5.5", "1.5e5e5", "1,5", "1'000", "١٢", "1d5", "1f", "1.5f", "1e0x", "1ee5", "e+5", "1.e5",
            ".5e-3", "+.5", "-.5E+3", "1e0000000000000000000003", "1e-0000000000000000000003", "00000000000000000000001.5",
            "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
            "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.0",
        })
            Check(s, t);
        Assert.True(PlainNumberParser.TryParseDouble("-0", out double nz) && BitConverter.DoubleToInt64Bits(nz) == long.MinValue);
        Assert.Equal(55, PlainNumberParser.MaxExactPow5); // 5^55 < 2^128 ≤ 5^56
    }

    [Fact]
    public void TableHoldsTruncatedPowersOfFive()
    {
        for (int q = PlainNumberParser.MinPow10; q <= PlainNumberParser.MaxPow10; q++)
        {
            var (hi, lo, exp) = PlainNumberParser.Pow5(q);
            var p = ((BigInteger)hi << 64) | lo;
            Assert.True(hi >> 63 == 1, $"q={q}: not normalised");
            // p·2^exp ≤ 5^q < (p + 1)·2^exp, compared as integers: 5^q·2^−exp vs p
            BigInteger lhs = q >= 0 ? BigInteger.Pow(5, q) : BigInteger.One, rhs = q >= 0 ? BigInteger.One : BigInteger.Pow(5, -q);
            if (exp < 0) lhs <<= -exp; else rhs <<= exp;
            Assert.True(p * rhs <= lhs && lhs < (p + 1) * rhs, $"q={q}: entry is not 5^q truncated");
        }
    }

    [Fact]
    public void IntegersMatchLongParse()
    {
        var rng = new Random(7004);
        long strings = 0, fast = 0;
        void CheckLong(string s)
        {
            strings++;
            bool refOk = long.TryParse(s, NumberStyles.AllowLeadingSign, Inv, out long expected);
            if (PlainNumberParser.TryParseLong(s, out long v))
            {
                fast++;
                Assert.True(refOk, $"'{s}': fast parser accepts what long.TryParse rejects");
                Assert.Equal(expected, v);
            }
            // the old LineSource.TryLong: long.TryParse, else an integral double below 9e15
            bool oldOk = refOk;
            long oldV = expected;
            if (!oldOk && double.TryParse(s, NumberStyles.Float, Inv, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e15) { oldOk = true; oldV = (long)d; }
            Assert.Equal(oldOk, LineSource.TryLong(s, out long got));
            if (oldOk) Assert.Equal(oldV, got);
        }
        for (int n = 0; n < 1_000_000; n++)
        {
            long x = rng.Next(3) switch { 0 => rng.Next(1, 2_000_000), 1 => rng.NextInt64(), _ => rng.NextInt64() >> rng.Next(64) };
            if (rng.Next(2) == 0) x = -x;
            CheckLong(x.ToString(Inv));
            if (rng.Next(8) == 0) CheckLong("+" + x.ToString(Inv));
            if (rng.Next(8) == 0) CheckLong("000" + x.ToString(Inv).TrimStart('-'));
            if (rng.Next(8) == 0) CheckLong(x.ToString(Inv) + "0");
        }
        foreach (string s in new[]
        {
            "0", "-0", "+0", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "99999999999999999999", "0000000000000000000001", "-0000000000000000000",
            "", "-", "+", "1.0", "3.0", "-2.0", "1e3", "1.5", " 1", "1 ", "1_000", "0x10", "١", "--1", "nan", "inf",
            "8999999999999999", "9000000000000000.0", "1e15",
        })
            CheckLong(s);
        Assert.True(LineSource.TryInt("2147483647", out int im) && im == int.MaxValue);
        Assert.False(LineSource.TryInt("2147483648", out _));
        Assert.True(fast > strings * 3 / 4, $"fast path taken for {fast} of {strings}");
    }
}
