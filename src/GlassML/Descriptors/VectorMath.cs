using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GlassML.Descriptors;

/// <summary>Elementary functions on Vector256 (and Vector512) lanes for the descriptor kernels (inlined, no special-case handling beyond what the kernels need).</summary>
internal static class VectorMath
{
    /// <summary>
    /// e^x for x ≤ 0, four lanes (x &lt; −708 gives 0): x = n ln 2 + r, |r| ≤ ln 2 / 2 (Cody–Waite, two-part ln 2), e^r by
    /// its Taylor polynomial of degree 12 (truncation &lt; 2·10⁻¹⁶ relative; Estrin's scheme), times 2^n built in the exponent bits.
    /// Relative error a few ulp; inlined, without the special-case handling of the general vector exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpNonPositive(Vector256<double> x)
    {
        var xc = Vector256.Max(x, Vector256.Create(-708.0));
        var n = Vector256.Round(xc * Vector256.Create(1.4426950408889634));
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-6.93147180369123816490e-01), xc);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-1.90821492927058770002e-10), r);
        // Σ_{i ≤ 12} r^i / i! by Estrin's scheme (dependency depth 5 instead of 12 for Horner)
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var q0 = Vector256.MultiplyAddEstimate(r, Vector256<double>.One, Vector256<double>.One);
        var q1 = Vector256.MultiplyAddEstimate(r, Vector256.Create(1.0 / 6), Vector256.Create(0.5));
        var q2 = Vector256.MultiplyAddEstimate(r, Vector256.Create(1.0 / 120), Vector256.Create(1.0 / 24));
        var q3 = Vector256.MultiplyAddEstimate(r, Vector256.Create(1.0 / 5040), Vector256.Create(1.0 / 720));
        var q4 = Vector256.MultiplyAddEstimate(r, Vector256.Create(1.0 / 362880), Vector256.Create(1.0 / 40320));
        var q5 = Vector256.MultiplyAddEstimate(r, Vector256.Create(1.0 / 39916800), Vector256.Create(1.0 / 3628800));
        var s0 = Vector256.MultiplyAddEstimate(q1, r2, q0);
        var s1 = Vector256.MultiplyAddEstimate(q3, r2, q2);
        var s2 = Vector256.MultiplyAddEstimate(q5, r2, q4);
        var t0 = Vector256.MultiplyAddEstimate(s1, r4, s0);
        var t1 = Vector256.MultiplyAddEstimate(Vector256.Create(1.0 / 479001600), r4, s2);
        var p = Vector256.MultiplyAddEstimate(t1, r8, t0);
        // 2^n: n + 1.5·2^52 holds n in its low mantissa bits; (that + 1023) << 52 is the double 2^n for −1022 ≤ n ≤ 1023
        var bits = ((n + Vector256.Create(6755399441055744.0)).AsInt64() + Vector256.Create(1023L)) << 52;
        var res = p * bits.AsDouble();
        return Vector256.AndNot(res, Vector256.LessThan(x, Vector256.Create(-708.0)));
    }

    /// <summary>
    /// <see cref="ExpNonPositive(Vector256{double})"/> on eight lanes: the same operations lane by lane, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpNonPositive(Vector512<double> x)
    {
        var xc = Vector512.Max(x, Vector512.Create(-708.0));
        var n = Vector512.Round(xc * Vector512.Create(1.4426950408889634));
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-6.93147180369123816490e-01), xc);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-1.90821492927058770002e-10), r);
        // Σ_{i ≤ 12} r^i / i! by Estrin's scheme (dependency depth 5 instead of 12 for Horner)
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var q0 = Vector512.MultiplyAddEstimate(r, Vector512<double>.One, Vector512<double>.One);
        var q1 = Vector512.MultiplyAddEstimate(r, Vector512.Create(1.0 / 6), Vector512.Create(0.5));
        var q2 = Vector512.MultiplyAddEstimate(r, Vector512.Create(1.0 / 120), Vector512.Create(1.0 / 24));
        var q3 = Vector512.MultiplyAddEstimate(r, Vector512.Create(1.0 / 5040), Vector512.Create(1.0 / 720));
        var q4 = Vector512.MultiplyAddEstimate(r, Vector512.Create(1.0 / 362880), Vector512.Create(1.0 / 40320));
        var q5 = Vector512.MultiplyAddEstimate(r, Vector512.Create(1.0 / 39916800), Vector512.Create(1.0 / 3628800));
        var s0 = Vector512.MultiplyAddEstimate(q1, r2, q0);
        var s1 = Vector512.MultiplyAddEstimate(q3, r2, q2);
        var s2 = Vector512.MultiplyAddEstimate(q5, r2, q4);
        var t0 = Vector512.MultiplyAddEstimate(s1, r4, s0);
        var t1 = Vector512.MultiplyAddEstimate(Vector512.Create(1.0 / 479001600), r4, s2);
        var p = Vector512.MultiplyAddEstimate(t1, r8, t0);
        // 2^n: n + 1.5·2^52 holds n in its low mantissa bits; (that + 1023) << 52 is the double 2^n for −1022 ≤ n ≤ 1023
        var bits = ((n + Vector512.Create(6755399441055744.0)).AsInt64() + Vector512.Create(1023L)) << 52;
        var res = p * bits.AsDouble();
        return Vector512.AndNot(res, Vector512.LessThan(x, Vector512.Create(-708.0)));
    }
}
