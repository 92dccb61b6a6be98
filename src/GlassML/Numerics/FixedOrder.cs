using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GlassML.Numerics;

/// <summary>
/// Sums of products in one fixed order, whatever the instruction set (AVX2, AVX-512, Arm or none): four accumulators of
/// Vector256 lanes over blocks of 16 elements, then one accumulator over whole vectors, then the lanes added pairwise, then
/// the remaining elements one by one; products and sums rounded separately (no fused multiply–add). TensorPrimitives'
/// reductions use the widest vector the processor has, so their last bits change between machines (AVX2 or AVX-512);
/// these give the same bits on every machine, so a trained model is the same file (docs/validation.md).
/// </summary>
public static class FixedOrder
{
    /// <summary>Σ a_i b_i.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Sum<Product>(a, b);

    /// <summary>Σ (a_i − b_i)².</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Sum<SquaredDifference>(a, b);

    /// <summary>√(Σ a_i²).</summary>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>√(Σ (a_i − b_i)²).</summary>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Math.Sqrt(SquaredDistance(a, b));

    /// <summary>The term t(a_i, b_i) of a sum, for four lanes and for one element (the same arithmetic in both).</summary>
    private interface ITerm
    {
        static abstract Vector256<double> Of(Vector256<double> a, Vector256<double> b);
        static abstract double Of(double a, double b);
    }

    private readonly struct Product : ITerm
    {
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b) => a * b;
        public static double Of(double a, double b) => a * b;
    }

    private readonly struct SquaredDifference : ITerm
    {
        public static Vector256<double> Of(Vector256<double> a, Vector256<double> b) { var d = a - b; return d * d; }
        public static double Of(double a, double b) { double d = a - b; return d * d; }
    }

    // Σ t(a_i, b_i): four accumulators over blocks of 16, folded pairwise; one over whole vectors; lanes pairwise; the rest in order
    private static double Sum<T>(ReadOnlySpan<double> a, ReadOnlySpan<double> b) where T : ITerm
    {
        if (a.Length != b.Length) throw new ArgumentException("spans of different lengths");
        int n = a.Length, i = 0;
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);
        var s0 = Vector256<double>.Zero;
        if (n >= 16)
        {
            var s1 = Vector256<double>.Zero; var s2 = Vector256<double>.Zero; var s3 = Vector256<double>.Zero;
            for (; i <= n - 16; i += 16)
            {
                s0 += T.Of(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i));
                s1 += T.Of(Vector256.LoadUnsafe(ref pa, (nuint)(i + 4)), Vector256.LoadUnsafe(ref pb, (nuint)(i + 4)));
                s2 += T.Of(Vector256.LoadUnsafe(ref pa, (nuint)(i + 8)), Vector256.LoadUnsafe(ref pb, (nuint)(i + 8)));
                s3 += T.Of(Vector256.LoadUnsafe(ref pa, (nuint)(i + 12)), Vector256.LoadUnsafe(ref pb, (nuint)(i + 12)));
            }
            s0 = (s0 + s1) + (s2 + s3);
        }
        for (; i <= n - 4; i += 4) s0 += T.Of(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i));
        double s = (s0.GetElement(0) + s0.GetElement(1)) + (s0.GetElement(2) + s0.GetElement(3));
        for (; i < n; i++) s += T.Of(Unsafe.Add(ref pa, i), Unsafe.Add(ref pb, i));
        return s;
    }
}
