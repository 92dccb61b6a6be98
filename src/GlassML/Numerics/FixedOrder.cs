using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GlassML.Numerics;

/// <summary>
/// Sums of products in one fixed order, whatever the instruction set (AVX2, AVX-512, Arm or none): four accumulators of
/// Vector256 lanes over blocks of 16 elements, then one accumulator over whole vectors, then the lanes added pairwise, then
/// the remaining elements one by one; products and sums rounded separately (no fused multiply–add). TensorPrimitives'
/// reductions use the widest vector the processor has, so their last bits change between machines; a model trained with
/// these is the same file on every x64 and Arm machine.
/// </summary>
public static class FixedOrder
{
    /// <summary>Σ a_i b_i.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
                s0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
                s1 += Vector256.LoadUnsafe(ref pa, (nuint)(i + 4)) * Vector256.LoadUnsafe(ref pb, (nuint)(i + 4));
                s2 += Vector256.LoadUnsafe(ref pa, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref pb, (nuint)(i + 8));
                s3 += Vector256.LoadUnsafe(ref pa, (nuint)(i + 12)) * Vector256.LoadUnsafe(ref pb, (nuint)(i + 12));
            }
            s0 = (s0 + s1) + (s2 + s3);
        }
        for (; i <= n - 4; i += 4) s0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
        double s = Lanes(s0);
        for (; i < n; i++) s += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        return s;
    }

    /// <summary>Σ (a_i − b_i)².</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
                var d0 = Vector256.LoadUnsafe(ref pa, (nuint)i) - Vector256.LoadUnsafe(ref pb, (nuint)i);
                var d1 = Vector256.LoadUnsafe(ref pa, (nuint)(i + 4)) - Vector256.LoadUnsafe(ref pb, (nuint)(i + 4));
                var d2 = Vector256.LoadUnsafe(ref pa, (nuint)(i + 8)) - Vector256.LoadUnsafe(ref pb, (nuint)(i + 8));
                var d3 = Vector256.LoadUnsafe(ref pa, (nuint)(i + 12)) - Vector256.LoadUnsafe(ref pb, (nuint)(i + 12));
                s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
            }
            s0 = (s0 + s1) + (s2 + s3);
        }
        for (; i <= n - 4; i += 4)
        {
            var d = Vector256.LoadUnsafe(ref pa, (nuint)i) - Vector256.LoadUnsafe(ref pb, (nuint)i);
            s0 += d * d;
        }
        double s = Lanes(s0);
        for (; i < n; i++) { double d = Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i); s += d * d; }
        return s;
    }

    /// <summary>√(Σ a_i²).</summary>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>√(Σ (a_i − b_i)²).</summary>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Math.Sqrt(SquaredDistance(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Lanes(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
