using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GlassML.Descriptors;

/// <summary>
/// Register-blocked products of small dense matrices, C = A·B (stored, not accumulated), in blocks of four rows by up to
/// twelve columns (twelve Vector256 accumulators). A is read with a row stride and an inner stride, so Aᵀ works too.
/// Column counts must be multiples of four.
/// Each output is one chain of fused multiply–adds over the inner index in ascending order, so results do not depend
/// on how the caller splits the work.
/// </summary>
internal static unsafe class SmallGemm
{
    /// <summary>
    /// C[r·ldc + c] = Σ_{i &lt; inner} A[r·ars + i·ais] B[i·ldb + c] for r &lt; rows and c &lt; cols (a multiple of four).
    /// Rows go four at a time; a last group of one or two rows row by row, of three as four (the caller's buffers
    /// must hold one row more).
    /// </summary>
    public static void Rows(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int rows, int cols, int inner)
    {
        int r = 0;
        for (; r + 3 <= rows; r += 4)
            Rows4(a + r * ars, ars, ais, b, ldb, c + r * ldc, ldc, cols, inner);
        for (; r < rows; r++)
        {
            double* ar = a + r * ars, cr = c + r * ldc;
            int cc = 0;
            for (; cc + 12 <= cols; cc += 12) Row1<W3>(ar, ais, b + cc, ldb, cr + cc, inner);
            if (cols - cc == 8) Row1<W2>(ar, ais, b + cc, ldb, cr + cc, inner);
            else if (cols - cc == 4) Row1<W1>(ar, ais, b + cc, ldb, cr + cc, inner);
        }
    }

    /// <summary>The four rows r = 0..3 of <see cref="Rows"/>.</summary>
    public static void Rows4(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int cols, int inner)
    {
        int cc = 0;
        for (; cc + 12 <= cols; cc += 12) Block<W3>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
        if (cols - cc == 8) Block<W2>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
        else if (cols - cc == 4) Block<W1>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
    }

    private interface IWidth { static abstract int V { get; } }
    private struct W1 : IWidth { public static int V => 1; }
    private struct W2 : IWidth { public static int V => 2; }
    private struct W3 : IWidth { public static int V => 3; }

    private static void Row1<TW>(double* a, nint ais, double* b, nint ldb, double* c, int inner) where TW : struct, IWidth
    {
        var z = Vector256<double>.Zero;
        Vector256<double> c0 = z, c1 = z, c2 = z;
        for (int i = 0; i < inner; i++)
        {
            var x = Vector256.Create(*a);
            c0 = Vector256.MultiplyAddEstimate(x, Vector256.Load(b), c0);
            if (TW.V >= 2) c1 = Vector256.MultiplyAddEstimate(x, Vector256.Load(b + 4), c1);
            if (TW.V >= 3) c2 = Vector256.MultiplyAddEstimate(x, Vector256.Load(b + 8), c2);
            a += ais; b += ldb;
        }
        c0.Store(c);
        if (TW.V >= 2) c1.Store(c + 4);
        if (TW.V >= 3) c2.Store(c + 8);
    }

    private static void Block<TW>(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int inner) where TW : struct, IWidth
    {
        var z = Vector256<double>.Zero;
        Vector256<double> c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        double* a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int i = 0; i < inner; i++)
        {
            var b0 = Vector256.Load(b);
            var b1 = TW.V >= 2 ? Vector256.Load(b + 4) : z;
            var b2 = TW.V >= 3 ? Vector256.Load(b + 8) : z;
            var x = Vector256.Create(*a);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            if (TW.V >= 2) c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            if (TW.V >= 3) c02 = Vector256.MultiplyAddEstimate(x, b2, c02);
            x = Vector256.Create(*a1);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            if (TW.V >= 2) c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            if (TW.V >= 3) c12 = Vector256.MultiplyAddEstimate(x, b2, c12);
            x = Vector256.Create(*a2);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            if (TW.V >= 2) c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            if (TW.V >= 3) c22 = Vector256.MultiplyAddEstimate(x, b2, c22);
            x = Vector256.Create(*a3);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            if (TW.V >= 2) c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            if (TW.V >= 3) c32 = Vector256.MultiplyAddEstimate(x, b2, c32);
            a += ais; a1 += ais; a2 += ais; a3 += ais; b += ldb;
        }
        c00.Store(c); c10.Store(c + ldc); c20.Store(c + 2 * ldc); c30.Store(c + 3 * ldc);
        if (TW.V >= 2) { c01.Store(c + 4); c11.Store(c + ldc + 4); c21.Store(c + 2 * ldc + 4); c31.Store(c + 3 * ldc + 4); }
        if (TW.V >= 3) { c02.Store(c + 8); c12.Store(c + ldc + 8); c22.Store(c + 2 * ldc + 8); c32.Store(c + 3 * ldc + 8); }
    }
}
