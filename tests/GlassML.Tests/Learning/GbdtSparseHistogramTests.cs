using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// Sparse histograms (the ULE regression's GBDT): on a table whose columns are mostly 0 (and some mostly another value,
/// some with NaN), the trees equal the dense ones — same split features, thresholds and default directions — and the
/// leaf values and predictions agree to rounding; identical for 1 and 2 threads; refused for binary:logistic.
/// </summary>
public class GbdtSparseHistogramTests
{
    private static FeatureTable Table(int n, int nf, ulong seed)
    {
        var rng = new Random((int)seed);
        var x = new double[n * nf];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            for (int f = 0; f < nf; f++)
            {
                double u = rng.NextDouble();
                // columns 0..nf-3 mostly 0; column nf-2 mostly 0.25; column nf-1 with NaN
                x[r * nf + f] = f == nf - 1 ? (u < 0.3 ? double.NaN : rng.Next(0, 20) / 20.0)
                              : f == nf - 2 ? (u < 0.7 ? 0.25 : rng.Next(0, 40) / 40.0)
                              : u < 0.8 ? 0 : rng.Next(1, 30) / 4000.0;
            }
            y[r] = -5.6 + 3 * x[r * nf] - 2 * x[r * nf + 3] + 0.01 * x[r * nf + nf - 2] + 0.001 * rng.NextDouble();
        }
        return new FeatureTable(Enumerable.Range(0, nf).Select(i => $"f{i}").ToArray(), n, x, y);
    }

    [Fact]
    public void SparseTreesEqualDenseTreesUpToRounding()
    {
        var t = Table(600, 40, 3);
        var p = new GradientBoostedTreesParameters
        {
            Objective = GbdtObjective.SquaredError, NEstimators = 60, LearningRate = 0.1, MaxDepth = 5, BaseScore = -5.6, Subsample = 0.8, ColsampleBytree = 0.7, Seed = 5,
        };
        var dense = new GradientBoostedTrees(p).Fit(t);
        var sparse = new GradientBoostedTrees(p) { SparseHistograms = true }.Fit(t);
        var sparse2 = new GradientBoostedTrees(p with { Threads = 2 }) { SparseHistograms = true }.Fit(t);
        Assert.Equal(dense.Trees.Count, sparse.Trees.Count);
        int splits = 0;
        for (int k = 0; k < dense.Trees.Count; k++)
        {
            var (a, b) = (dense.Trees[k], sparse.Trees[k]);
            Assert.Equal(a.Feature.ToArray(), b.Feature.ToArray());
            Assert.Equal(a.Threshold.ToArray(), b.Threshold.ToArray());
            Assert.Equal(a.Feature.ToArray(), sparse2.Trees[k].Feature.ToArray());
            Assert.Equal(b.Threshold.ToArray(), sparse2.Trees[k].Threshold.ToArray());
            splits += a.Feature.ToArray().Count(f => f >= 0);
        }
        Assert.True(splits > 100, $"{splits} splits");
        var pd = dense.Predict(t); var ps = sparse.Predict(t); var ps2 = sparse2.Predict(t);
        for (int i = 0; i < t.Rows; i++)
        {
            Assert.Equal(pd[i], ps[i], 1e-12);
            Assert.Equal(ps[i], ps2[i]);   // bit-identical for any thread count
        }
        // and the model learnt something
        Assert.True(Metrics.Rmse(t.Labels!, ps) < 0.5 * Metrics.Rmse(t.Labels!, t.Labels!.Select(_ => t.Labels!.Average()).ToArray()));
    }

    [Fact]
    public void SparseHistogramsNeedSquaredError()
    {
        var t = Table(50, 5, 1);
        var y = t.Labels!.Select(v => v > -5.6 ? 1.0 : 0.0).ToArray();
        var tb = new FeatureTable(t.Columns, t.Rows, t.Values, y);
        Assert.Throws<ArgumentException>(() => new GradientBoostedTrees(new GradientBoostedTreesParameters { Objective = GbdtObjective.BinaryLogistic }) { SparseHistograms = true }.Fit(tb));
    }
}
