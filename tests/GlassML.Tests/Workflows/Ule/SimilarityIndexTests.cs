using GlassML.Workflows.Ule;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>
/// The blocked single-precision screening of <see cref="SimilarityIndex"/> against exhaustive double-precision
/// evaluation of every ULE: near-duplicate ULEs (differences far below single-precision resolution of M), many rows and
/// ULEs not multiples of the tile sizes, both measures and ζ, and identical results for 1 and 2 threads.
/// </summary>
public class SimilarityIndexTests
{
    private static double[] Unit(Random rng, int f, double[]? near = null, double eps = 0)
    {
        var v = new double[f];
        double s = 0;
        for (int i = 0; i < f; i++) { v[i] = near is null ? rng.NextDouble() - 0.3 : near[i] + eps * (rng.NextDouble() - 0.5); s += v[i] * v[i]; }
        s = Math.Sqrt(s);
        for (int i = 0; i < f; i++) v[i] /= s;
        return v;
    }

    [Theory]
    [InlineData(UleSimilarity.Distance, 1.0, 1e-7)]
    [InlineData(UleSimilarity.Distance, 1.0, 1e-3)]
    [InlineData(UleSimilarity.Cosine, 2.0, 1e-6)]
    public void ScreeningFindsTheExactBestOfEveryUle(UleSimilarity sim, double zeta, double eps)
    {
        var rng = new Random(3);
        const int F = 203, U = 67, N = 75;
        var centres = Enumerable.Range(0, 5).Select(_ => Unit(rng, F)).ToArray();
        // ULEs in five tight clusters (near-duplicates), rows near the same centres
        var index = new SimilarityIndex(F, sim, zeta);
        var ules = Enumerable.Range(0, U).Select(j => Unit(rng, F, centres[j % 5], eps)).ToArray();
        foreach (var u in ules) index.Add(u);
        index.Add(ules[10]); // an exact duplicate: the tie goes to the lower index
        var rows = Enumerable.Range(0, N).SelectMany(i => i == 7 ? ules[10] : Unit(rng, F, centres[i % 5], eps)).ToArray();
        var best1 = new int[N]; var m1 = new double[N]; var best2 = new int[N]; var m2 = new double[N];
        index.Best(rows, N, index.Count, 1, best1, m1);
        index.Best(rows, N, index.Count, 2, best2, m2);
        Assert.Equal(best1, best2);
        Assert.Equal(m1, m2);
        for (int i = 0; i < N; i++)
        {
            var row = rows.AsSpan(i * F, F);
            int bj = 0; double bm = double.NegativeInfinity;
            for (int j = 0; j < index.Count; j++)
            {
                double x = SimilarityIndex.Measure(row, index.Vector(j), sim, zeta);
                if (x > bm) { bm = x; bj = j; }
            }
            Assert.Equal(bj, best1[i]);
            Assert.Equal(bm, m1[i]);
        }
        Assert.Equal(10, best1[7]);
        // a prefix of the ULEs (as during clustering)
        index.Best(rows, N, 13, 2, best1, m1);
        for (int i = 0; i < N; i++)
            Assert.Equal(Enumerable.Range(0, 13).Select(j => SimilarityIndex.Measure(rows.AsSpan(i * F, F), index.Vector(j), sim, zeta)).Max(), m1[i]);
    }
}
