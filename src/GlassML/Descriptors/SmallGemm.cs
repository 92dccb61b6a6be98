using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GlassML.Descriptors;

/// <summary>
/// Register-blocked products of small dense matrices, C = A·B (stored, not accumulated), in blocks of four rows by up to
/// twelve columns (twelve Vector256 accumulators). A is read with a row stride and an inner stride, so Aᵀ works too.
/// Column counts must be multiples of four.
/// Each output is one chain of fused multiply–adds over the inner index in ascending order, so results do not depend
/// on how the caller splits the work, nor on the vector width: where Vector512 is accelerated (and <see cref="VectorBits"/> allows),
/// blocks of eight or twelve columns keep their first eight columns in one Vector512 accumulator per row (the same fused
/// multiply–adds lane by lane, so the same bits).
/// </summary>
internal static unsafe class SmallGemm
{
    /// <summary>The widest vectors the blocks may use (512: Vector512 where accelerated; 256: Vector256 only). Tests lower it to check both paths.</summary>
    internal static int VectorBits = 512;

    /// <summary>
    /// C[r·ldc + c] = Σ_{i &lt; inner} A[r·ars + i·ais] B[i·ldb + c] for r &lt; rows and c &lt; cols (a multiple of four).
    /// Rows go eight at a time (twelve columns, where Vector512 is used), then four at a time; a last group of one or two rows
    /// row by row, of three as four (the caller's buffers must hold one row more).
    /// </summary>
    public static void Rows(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int rows, int cols, int inner)
    {
        int r = 0;
        if (VectorBits >= 512 && Vector512.IsHardwareAccelerated && cols == 12)
            for (; r + 8 <= rows; r += 8) Block512x8(a + r * ars, ars, ais, b, ldb, c + r * ldc, ldc, inner);
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
        if (VectorBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            for (; cc + 12 <= cols; cc += 12) Block512<W3>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
            if (cols - cc == 8) Block512<W2>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
            else if (cols - cc == 4) Block<W1>(a, ars, ais, b + cc, ldb, c + cc, ldc, inner);
            return;
        }
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

    // four rows × eight (W2) or twelve (W3) columns: columns 0..7 in one Vector512 per row, 8..11 in one Vector256 (W3)
    private static void Block512<TW>(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int inner) where TW : struct, IWidth
    {
        var z = Vector512<double>.Zero;
        var h = Vector256<double>.Zero;
        Vector512<double> c0 = z, c1 = z, c2 = z, c3 = z;
        Vector256<double> d0 = h, d1 = h, d2 = h, d3 = h;
        double* a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int i = 0; i < inner; i++)
        {
            var b0 = Vector512.Load(b);
            var b1 = TW.V >= 3 ? Vector256.Load(b + 8) : h;
            double x0 = *a, x1 = *a1, x2 = *a2, x3 = *a3;
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(x0), b0, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(x1), b0, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(x2), b0, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(x3), b0, c3);
            if (TW.V >= 3)
            {
                d0 = Vector256.MultiplyAddEstimate(Vector256.Create(x0), b1, d0);
                d1 = Vector256.MultiplyAddEstimate(Vector256.Create(x1), b1, d1);
                d2 = Vector256.MultiplyAddEstimate(Vector256.Create(x2), b1, d2);
                d3 = Vector256.MultiplyAddEstimate(Vector256.Create(x3), b1, d3);
            }
            a += ais; a1 += ais; a2 += ais; a3 += ais; b += ldb;
        }
        c0.Store(c); c1.Store(c + ldc); c2.Store(c + 2 * ldc); c3.Store(c + 3 * ldc);
        if (TW.V >= 3) { d0.Store(c + 8); d1.Store(c + ldc + 8); d2.Store(c + 2 * ldc + 8); d3.Store(c + 3 * ldc + 8); }
    }

    // eight rows × twelve columns: columns 0..7 in one Vector512 per row, 8..11 in one Vector256 (B's row loaded once for eight rows)
    private static void Block512x8(double* a, nint ars, nint ais, double* b, nint ldb, double* c, nint ldc, int inner)
    {
        var z = Vector512<double>.Zero;
        var h = Vector256<double>.Zero;
        Vector512<double> c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        Vector256<double> d0 = h, d1 = h, d2 = h, d3 = h, d4 = h, d5 = h, d6 = h, d7 = h;
        for (int i = 0; i < inner; i++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector256.Load(b + 8);
            double* ai = a + i * ais;
            double x = ai[0];
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c0); d0 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d0);
            x = ai[ars];
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c1); d1 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d1);
            x = ai[2 * ars];
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c2); d2 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d2);
            x = ai[3 * ars];
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c3); d3 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d3);
            x = ai[4 * ars];
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c4); d4 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d4);
            x = ai[5 * ars];
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c5); d5 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d5);
            x = ai[6 * ars];
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c6); d6 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d6);
            x = ai[7 * ars];
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(x), b0, c7); d7 = Vector256.MultiplyAddEstimate(Vector256.Create(x), b1, d7);
            b += ldb;
        }
        c0.Store(c); d0.Store(c + 8); c1.Store(c + ldc); d1.Store(c + ldc + 8);
        c2.Store(c + 2 * ldc); d2.Store(c + 2 * ldc + 8); c3.Store(c + 3 * ldc); d3.Store(c + 3 * ldc + 8);
        c4.Store(c + 4 * ldc); d4.Store(c + 4 * ldc + 8); c5.Store(c + 5 * ldc); d5.Store(c + 5 * ldc + 8);
        c6.Store(c + 6 * ldc); d6.Store(c + 6 * ldc + 8); c7.Store(c + 7 * ldc); d7.Store(c + 7 * ldc + 8);
    }
}
