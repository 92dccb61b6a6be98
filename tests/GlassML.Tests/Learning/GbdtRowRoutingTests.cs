using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// The tree builder's row partition (chunked, two buffers) and the per-row leaves it reports, checked against an
/// independent walk of each finished tree: with squared error (h = 1) every leaf's cover must equal the number of training
/// rows the walk sends to it, and its value −η·ΣG/(count + λ) with G = margin − y from the margins of the earlier trees
/// (recomputed here by walking them). Tables of 30,000 rows (several partition chunks per node) with NaN in some columns,
/// depthwise and lossguide growth, 1, 2 and 3 threads (the trees must also be identical across thread counts).
/// </summary>
public class GbdtRowRoutingTests
{
    private static FeatureTable Table(int n, int nf, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * nf];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            double s = 0;
            for (int f = 0; f < nf; f++)
            {
                double v = f % 3 == 0 ? rng.Next(7) : rng.NextDouble() * 10;
                if (f % 4 == 1 && rng.NextDouble() < 0.15) v = double.NaN;
                x[r * nf + f] = v;
                if (!double.IsNaN(v)) s += (f + 1) * Math.Sin(v);
            }
            y[r] = s + rng.NextDouble();
        }
        return new FeatureTable(Enumerable.Range(0, nf).Select(f => $"f{f}").ToArray(), n, x, y);
    }

    private static int Leaf(DecisionTree t, ReadOnlySpan<double> row)
    {
        int node = 0;
        while (t.Left[node] >= 0)
        {
            double v = row[t.Feature[node]];
            bool left = double.IsNaN(v) ? t.DefaultLeft[node] : v < t.Threshold[node];
            node = left ? t.Left[node] : t.Right[node];
        }
        return node;
    }

    [Theory]
    [InlineData(GbdtGrowPolicy.Depthwise)]
    [InlineData(GbdtGrowPolicy.LossGuide)]
    public void LeavesHoldTheRowsAnIndependentWalkSendsThere(GbdtGrowPolicy policy)
    {
        var t = Table(30_000, 9, 11);
        var p = new GradientBoostedTreesParameters
        {
            Objective = GbdtObjective.SquaredError, NEstimators = 4, MaxDepth = policy == GbdtGrowPolicy.Depthwise ? 6 : 0,
            MaxLeaves = policy == GbdtGrowPolicy.LossGuide ? 40 : 0, GrowPolicy = policy, LearningRate = 0.3, MaxBin = 64, Threads = 1,
        };
        var model = new GradientBoostedTrees(p).Fit(t);
        var margin = new double[t.Rows];
        Array.Fill(margin, p.BaseMargin);
        foreach (var tree in model.Trees)
        {
            var count = new long[tree.NodeCount];
            var g = new double[tree.NodeCount];
            var leafOf = new int[t.Rows];
            for (int r = 0; r < t.Rows; r++)
            {
                int leaf = Leaf(tree, t.Row(r));
                leafOf[r] = leaf;
                count[leaf]++;
                g[leaf] += margin[r] - t.Labels![r];
            }
            int leaves = 0;
            for (int k = 0; k < tree.NodeCount; k++)
            {
                if (tree.Left[k] >= 0) continue;
                leaves++;
                Assert.Equal(count[k], tree.Cover[k]);
                double expected = -p.LearningRate * g[k] / (count[k] + p.Lambda);
                Assert.Equal(expected, tree.Value[k], Math.Abs(expected) * 1e-9 + 1e-12);
            }
            Assert.True(leaves > 8);
            for (int r = 0; r < t.Rows; r++) margin[r] += tree.Value[leafOf[r]];
        }
        foreach (int threads in new[] { 2, 3 })
        {
            var other = new GradientBoostedTrees(p with { Threads = threads }).Fit(t);
            Assert.Equal(model.PredictMargin(t, 1), other.PredictMargin(t, 1));
            for (int k = 0; k < model.Trees.Count; k++)
            {
                Assert.Equal(model.Trees[k].Value.ToArray(), other.Trees[k].Value.ToArray());
                Assert.Equal(model.Trees[k].Threshold.ToArray(), other.Trees[k].Threshold.ToArray());
                Assert.Equal(model.Trees[k].Gain.ToArray(), other.Trees[k].Gain.ToArray());
            }
        }
    }

    [Fact]
    public void TeamRunsEveryItemOnceAndPassesErrorsOn()
    {
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var team = new WorkerTeam(threads);
            for (int rep = 0; rep < 200; rep++)
            {
                int n = rep % 37;
                var hits = new int[n];
                team.For(n, i => Interlocked.Increment(ref hits[i]));
                Assert.All(hits, h => Assert.Equal(1, h));
            }
            var e = Assert.Throws<InvalidOperationException>(() => team.For(10, i => { if (i == 7) throw new InvalidOperationException("item 7"); }));
            Assert.Equal("item 7", e.Message);
        }
    }
}
