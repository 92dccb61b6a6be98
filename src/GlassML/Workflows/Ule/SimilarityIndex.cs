using System.Numerics.Tensors;

namespace GlassML.Workflows.Ule;

/// <summary>
/// A growable set of unit-length vectors (the ULE founders) and the similarity search against them. Candidates are
/// screened with blocked dot products (System.Numerics.Tensors); the best few are then evaluated exactly (for the
/// distance measure, ‖a − b‖ directly, so M is exact near 1: a vector has M = 1 with itself). The best ULE is the one of
/// highest M, ties to the lowest index. Bit-identical results for any thread count: every row's result is computed by
/// one worker in a fixed order.
/// </summary>
internal sealed class SimilarityIndex
{
    private const int RowBlock = 8;
    // Dot-product screening margin: any ULE whose dot product is within this of the best is evaluated exactly.
    private const double ScreenMargin = 1e-9;
    private double[] _v;

    public SimilarityIndex(int features, UleSimilarity similarity, double zeta)
    {
        F = features; Similarity = similarity; Zeta = zeta;
        _v = new double[Math.Max(1, features) * 64];
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
        row.CopyTo(_v.AsSpan(Count * F, F));
        Count++;
    }

    /// <summary>Exact similarity of a vector with ULE j (after ζ).</summary>
    public double Exact(ReadOnlySpan<double> a, int j) => Measure(a, Vector(j), Similarity, Zeta);

    /// <summary>The similarity M of two unit vectors (after ζ: sign(M)·|M|^ζ).</summary>
    public static double Measure(ReadOnlySpan<double> a, ReadOnlySpan<double> b, UleSimilarity similarity, double zeta)
    {
        double m = similarity == UleSimilarity.Distance ? 1 - TensorPrimitives.Distance(a, b) / 2 : TensorPrimitives.Dot(a, b);
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
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };
        Parallel.For(0, blocks, po, () => new double[RowBlock * upTo], (b, _, dots) =>
        {
            int lo = b * RowBlock, hi = Math.Min(n, lo + RowBlock), m = hi - lo;
            for (int j = 0; j < upTo; j++)
            {
                var v = Vector(j);
                for (int r = 0; r < m; r++) dots[r * upTo + j] = TensorPrimitives.Dot(rows.AsSpan((lo + r) * F, F), v);
            }
            for (int r = 0; r < m; r++)
            {
                var d = dots.AsSpan(r * upTo, upTo);
                double top = TensorPrimitives.Max(d);
                var row = rows.AsSpan((lo + r) * F, F);
                int bi = -1; double bm = double.NegativeInfinity;
                for (int j = 0; j < upTo; j++)
                {
                    if (!(d[j] >= top - ScreenMargin)) continue;
                    double x = Exact(row, j);
                    if (x > bm || bi < 0) { bi = j; bm = x; }
                }
                best[lo + r] = bi; bestM[lo + r] = bm;
            }
            return dots;
        }, _ => { });
    }
}
