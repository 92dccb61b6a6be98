using GlassML.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GlassML.Workflows.Ule;

/// <summary>
/// A growable set of unit-length vectors (the ULE founders) and the similarity search against them. Candidates are
/// screened with a blocked matrix product in single precision (4 rows × 4 ULEs register tiles of Vector256 fused
/// multiply-adds over blocks of 32 rows, so each ULE vector is read once per 32 rows); every ULE whose screened dot
/// product is within a rigorous bound of single-precision rounding of the best is then evaluated exactly in double
/// precision (for the distance measure, ‖a − b‖ directly, so M is exact near 1: a vector has M = 1 with itself). M is
/// monotone in the dot product of unit vectors, so the best ULE is always among those evaluated; it is the one of highest
/// exact M, ties to the lowest index. Bit-identical results for any thread count: the blocks are fixed, and every
/// row's result is computed by one worker in a fixed order.
/// </summary>
internal sealed class SimilarityIndex
{
    private const int RowBlock = 32, Tile = 4;
    private double[] _v;
    private float[] _f;
    private readonly int _fp;
    private readonly float _margin;

    public SimilarityIndex(int features, UleSimilarity similarity, double zeta)
    {
        F = features; Similarity = similarity; Zeta = zeta;
        _v = new double[Math.Max(1, features) * 64];
        _fp = (Math.Max(1, features) + 7) / 8 * 8;
        _f = new float[_fp * 64];
        // |fl32(a·b) − a·b| ≤ (k + 5)·u·Σ|a_i b_i| ≤ (k + 5)·u for unit vectors, with u = 2⁻²⁴ and k = 2·F/8 roundings per
        // lane (a separate multiply and add when there is no FMA), conversion to float and the 8-lane sum included.
        // Twice that (the best may be underestimated and another overestimated), doubled again for safety.
        _margin = (float)(4.0 * (2.0 * _fp / 8 + 8) * Math.ScaleB(1.0, -24));
    }

    public int F { get; }
    public UleSimilarity Similarity { get; }
    public double Zeta { get; }
    public int Count { get; private set; }

    public ReadOnlySpan<double> Vector(int j) => _v.AsSpan(j * F, F);

    /// <summary>All vectors, row-major Count × F.</summary>
    public ReadOnlySpan<double> Vectors => _v.AsSpan(0, Count * F);

    public void Add(ReadOnlySpan<double> row)
    {
        if (row.Length != F) throw new ArgumentException($"vector of {row.Length} values, expected {F}");
        if ((long)(Count + 1) * F > _v.Length) Array.Resize(ref _v, (int)Math.Min(int.MaxValue - 64, Math.Max((long)(Count + 1) * F, 2L * _v.Length)));
        // the single-precision copy keeps room for a whole tile past the last vector (zeros)
        long need = (long)((Count + Tile) / Tile * Tile) * _fp;
        if (need > _f.Length) Array.Resize(ref _f, (int)Math.Min(int.MaxValue - 64, Math.Max(need, 2L * _f.Length)));
        row.CopyTo(_v.AsSpan(Count * F, F));
        var dst = _f.AsSpan(Count * _fp, F);
        for (int i = 0; i < F; i++) dst[i] = (float)row[i];
        Count++;
    }

    /// <summary>
    /// An index holding <paramref name="count"/> vectors given row-major in <paramref name="vectors"/> (taken over, not
    /// copied): the same as adding them one by one, without the growing copies.
    /// </summary>
    public static SimilarityIndex FromVectors(int features, UleSimilarity similarity, double zeta, double[] vectors, int count)
    {
        var x = new SimilarityIndex(features, similarity, zeta);
        if (count < 0 || vectors.LongLength != (long)count * features) throw new ArgumentException($"{vectors.LongLength} values for {count} vectors of {features}");
        if (count == 0) return x;
        x._v = vectors;
        x._f = new float[(long)(count + Tile) / Tile * Tile * x._fp];
        for (int j = 0; j < count; j++)
        {
            var src = vectors.AsSpan(j * features, features); var dst = x._f.AsSpan(j * x._fp, features);
            for (int i = 0; i < features; i++) dst[i] = (float)src[i];
        }
        x.Count = count;
        return x;
    }

    /// <summary>Exact similarity of a vector with ULE j (after ζ).</summary>
    public double Exact(ReadOnlySpan<double> a, int j) => Measure(a, Vector(j), Similarity, Zeta);

    /// <summary>The similarity M of two unit vectors (after ζ: sign(M)·|M|^ζ).</summary>
    public static double Measure(ReadOnlySpan<double> a, ReadOnlySpan<double> b, UleSimilarity similarity, double zeta)
    {
        double m = similarity == UleSimilarity.Distance ? 1 - FixedOrder.Distance(a, b) / 2 : FixedOrder.Dot(a, b);
        return zeta == 1 ? m : Math.CopySign(Math.Pow(Math.Abs(m), zeta), m);
    }

    /// <summary>
    /// For each of the <paramref name="n"/> rows (row-major in <paramref name="rows"/>), the ULE of highest M among the first
    /// <paramref name="upTo"/> (−1 and −∞ when there is none).
    /// </summary>
    public void Best(double[] rows, int n, int upTo, int threads, int[] best, double[] bestM)
    {
        if (upTo == 0)
        {
            Array.Fill(best, -1, 0, n);
            Array.Fill(bestM, double.NegativeInfinity, 0, n);
            return;
        }
        int blocks = (n + RowBlock - 1) / RowBlock;
        int u4 = (upTo + Tile - 1) / Tile * Tile;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };
        Parallel.For(0, blocks, po, () => (Rows: new float[RowBlock * _fp], Dots: new float[RowBlock * u4]), (b, _, buf) =>
        {
            int lo = b * RowBlock, m = Math.Min(n, lo + RowBlock) - lo;
            var rf = buf.Rows; var dots = buf.Dots;
            Array.Clear(rf);
            for (int r = 0; r < m; r++)
            {
                var src = rows.AsSpan((lo + r) * F, F); var dst = rf.AsSpan(r * _fp, F);
                for (int i = 0; i < F; i++) dst[i] = (float)src[i];
            }
            int mt = (m + Tile - 1) / Tile * Tile;
            for (int j = 0; j < u4; j += Tile)
                for (int r = 0; r < mt; r += Tile)
                    Kernel(rf, r * _fp, _f, j * _fp, _fp, dots, r * u4 + j, u4);
            for (int r = 0; r < m; r++)
            {
                var d = dots.AsSpan(r * u4, upTo);
                float top = TensorPrimitives.Max(d) - _margin;
                var row = rows.AsSpan((lo + r) * F, F);
                int bi = -1; double bm = double.NegativeInfinity;
                for (int j = 0; j < upTo; j++)
                {
                    if (!(d[j] >= top)) continue;
                    double x = Exact(row, j);
                    if (x > bm || bi < 0) { bi = j; bm = x; }
                }
                best[lo + r] = bi; bestM[lo + r] = bm;
            }
            return buf;
        }, _ => { });
    }

    /// <summary>
    /// The 4 × 4 dot products of rows a[ao + r·stride] with vectors b[bo + c·stride] (r, c &lt; 4; lengths
    /// <paramref name="stride"/>, a multiple of 8) into dots[o + r·ld + c]: 16 Vector256 accumulators, one fused
    /// multiply-add per pair and 8 lanes, lanes summed at the end.
    /// </summary>
    private static void Kernel(float[] a, int ao, float[] b, int bo, int stride, float[] dots, int o, int ld)
    {
        ref float ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref float br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default,
            c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        nuint a0 = (nuint)ao, a1 = a0 + (nuint)stride, a2 = a1 + (nuint)stride, a3 = a2 + (nuint)stride;
        nuint b0 = (nuint)bo, b1 = b0 + (nuint)stride, b2 = b1 + (nuint)stride, b3 = b2 + (nuint)stride;
        for (nuint k = 0; k < (nuint)stride; k += 8)
        {
            var x0 = Vector256.LoadUnsafe(ref ar, a0 + k); var x1 = Vector256.LoadUnsafe(ref ar, a1 + k);
            var x2 = Vector256.LoadUnsafe(ref ar, a2 + k); var x3 = Vector256.LoadUnsafe(ref ar, a3 + k);
            var y = Vector256.LoadUnsafe(ref br, b0 + k);
            c00 = Fma(x0, y, c00); c10 = Fma(x1, y, c10); c20 = Fma(x2, y, c20); c30 = Fma(x3, y, c30);
            y = Vector256.LoadUnsafe(ref br, b1 + k);
            c01 = Fma(x0, y, c01); c11 = Fma(x1, y, c11); c21 = Fma(x2, y, c21); c31 = Fma(x3, y, c31);
            y = Vector256.LoadUnsafe(ref br, b2 + k);
            c02 = Fma(x0, y, c02); c12 = Fma(x1, y, c12); c22 = Fma(x2, y, c22); c32 = Fma(x3, y, c32);
            y = Vector256.LoadUnsafe(ref br, b3 + k);
            c03 = Fma(x0, y, c03); c13 = Fma(x1, y, c13); c23 = Fma(x2, y, c23); c33 = Fma(x3, y, c33);
        }
        dots[o] = Vector256.Sum(c00); dots[o + 1] = Vector256.Sum(c01); dots[o + 2] = Vector256.Sum(c02); dots[o + 3] = Vector256.Sum(c03);
        o += ld;
        dots[o] = Vector256.Sum(c10); dots[o + 1] = Vector256.Sum(c11); dots[o + 2] = Vector256.Sum(c12); dots[o + 3] = Vector256.Sum(c13);
        o += ld;
        dots[o] = Vector256.Sum(c20); dots[o + 1] = Vector256.Sum(c21); dots[o + 2] = Vector256.Sum(c22); dots[o + 3] = Vector256.Sum(c23);
        o += ld;
        dots[o] = Vector256.Sum(c30); dots[o + 1] = Vector256.Sum(c31); dots[o + 2] = Vector256.Sum(c32); dots[o + 3] = Vector256.Sum(c33);
    }

    private static Vector256<float> Fma(Vector256<float> x, Vector256<float> y, Vector256<float> acc) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, acc) : acc + x * y;
}
