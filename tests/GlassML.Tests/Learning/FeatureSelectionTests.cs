using GlassML.Learning;

namespace GlassML.Tests.Learning;

public class FeatureSelectionTests
{
    private static double[] Uniform(int rows, int cols, int seed)
    {
        var rng = new Random(seed); var x = new double[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble();
        return x;
    }

    [Fact]
    public void VarianceAndCorrelationFiltersAndTopK()
    {
        // columns: a, constant, 2a+1 (ρ = 1 with a), b, −a + tiny (|ρ| ≈ 1), var(b) = 1/4 exactly for b ∈ {0,1} balanced
        int n = 8; var x = new double[n * 5];
        for (int r = 0; r < n; r++)
        {
            double a = r * 0.5, b = r % 2;
            x[r * 5 + 0] = a; x[r * 5 + 1] = 3; x[r * 5 + 2] = 2 * a + 1; x[r * 5 + 3] = b; x[r * 5 + 4] = -a + (r == 3 ? 0.01 : 0);
        }
        Assert.Equal([0, 2, 3, 4], FeatureSelection.VarianceThreshold(x, n, 5));
        Assert.Equal([0, 2, 4], FeatureSelection.VarianceThreshold(x, n, 5, 0.25)); // var(b) = 0.25 is not > 0.25
        Assert.Equal([0, 1, 3], FeatureSelection.CorrelationFilter(x, n, 5, 0.95));
        Assert.Equal([1, 2, 3], FeatureSelection.CorrelationFilter(x, n, 5, 0.95, [2, 3, 1, 0, 4]));
        Assert.Equal([3, 0, 2], FeatureSelection.TopK([0.5, 0.1, 0.5, 0.9], 3));
    }

    [Fact]
    public void RecursiveEliminationKeepsTheInformativeFeatures()
    {
        int n = 300, d = 6;
        var x = Uniform(n, d, 11);
        var rng = new Random(3);
        var y = Enumerable.Range(0, n).Select(r => 3 * x[r * d] - 2 * x[r * d + 1] + 0.05 * (rng.NextDouble() - 0.5)).ToArray();
        double[] Sub(int[] cols, int from, int to) { var o = new List<double>(); for (int r = from; r < to; r++) foreach (int c in cols) o.Add(x[r * d + c]); return o.ToArray(); }
        var opt = new LinearSvmOptions(C: 10, Epsilon: 0, Bias: 1, Tolerance: 1e-8);
        double Cv(int[] cols)
        {
            double sse = 0;
            for (int f = 0; f < 3; f++)
            {
                int lo = f * 100, hi = lo + 100;
                var trainRows = Enumerable.Range(0, n).Where(r => r < lo || r >= hi).ToArray();
                var xt = trainRows.SelectMany(r => cols.Select(c => x[r * d + c])).ToArray();
                var m = LinearSvr.Fit(opt, xt, trainRows.Length, cols.Length, trainRows.Select(r => y[r]).ToArray());
                var p = m.Predict(Sub(cols, lo, hi));
                for (int r = lo; r < hi; r++) sse += (p[r - lo] - y[r]) * (p[r - lo] - y[r]);
            }
            return -Math.Sqrt(sse / n);
        }
        double[] Imp(int[] cols) => LinearSvr.Fit(opt, Sub(cols, 0, n), n, cols.Length, y).Weights.Select(Math.Abs).ToArray();
        var res = FeatureSelection.RecursiveElimination(d, Imp, Cv);
        Assert.Equal(d, res.Subsets.Count);
        Assert.Equal(1, res.Ranking[0]);           // the strongest feature survives last
        Assert.Equal(2, res.Ranking[1]);
        Assert.Contains(0, res.Best); Assert.Contains(1, res.Best);
        Assert.True(res.Scores[d - 2] > res.Scores[d - 1] + 0.1, "two features must beat one by far");
    }

    [Fact]
    public void ReliefFRanksTheXorFeaturesFirst()
    {
        // y = (x0 > ½) XOR (x1 > ½): each feature alone is uninformative (a univariate filter fails),
        // ReliefF's nearest hits/misses detect the interaction.
        int n = 600, d = 8;
        var x = Uniform(n, d, 7);
        var y = Enumerable.Range(0, n).Select(r => (x[r * d] > 0.5) ^ (x[r * d + 1] > 0.5) ? 1.0 : 0.0).ToArray();
        var w = ReliefF.Weights(x, n, d, y, new ReliefFOptions(Neighbors: 10));
        var rank = FeatureSelection.TopK(w, d);
        Assert.Equal([0, 1], rank[..2].Order());
        Assert.True(w[0] > 0.1 && w[1] > 0.1, $"weights {w[0]}, {w[1]}");
        for (int c = 2; c < d; c++) Assert.True(Math.Abs(w[c]) < 0.05, $"noise feature {c} weight {w[c]}");
        // sampled, multi-threaded, three classes along x3: deterministic and informative feature first
        var y3 = Enumerable.Range(0, n).Select(r => Math.Floor(3 * x[r * d + 3])).ToArray();
        var a = ReliefF.Weights(x, n, d, y3, new ReliefFOptions(Neighbors: 5, Samples: 200, Seed: 1, Threads: 1));
        var b = ReliefF.Weights(x, n, d, y3, new ReliefFOptions(Neighbors: 5, Samples: 200, Seed: 1, Threads: 2));
        Assert.Equal(a, b);
        Assert.Equal(3, FeatureSelection.TopK(a, 1)[0]);
    }
    // The definition written out plainly: every distance, a stable sort by (distance, row), the first k rows per class.
    private static double[] NaiveReliefF(double[] x, int rows, int cols, double[] y, int k, int[] sample)
    {
        var act = Enumerable.Range(0, cols).Where(c => Enumerable.Range(0, rows).Select(r => x[r * cols + c]).Distinct().Count() > 1).ToArray();
        var range = act.Select(c => Enumerable.Range(0, rows).Max(r => x[r * cols + c]) - Enumerable.Range(0, rows).Min(r => x[r * cols + c])).ToArray();
        double S(int r, int a) => x[r * cols + act[a]] / range[a];
        var classes = y.Distinct().Order().ToArray();
        var prior = new double[classes.Length];
        foreach (var v in y) prior[Array.IndexOf(classes, v)] += 1.0 / rows;
        var w = new double[cols];
        var per = new double[sample.Length, act.Length];
        for (int s = 0; s < sample.Length; s++)
        {
            int ri = sample[s], own = Array.IndexOf(classes, y[ri]);
            double Dist(int j) { double d = 0; for (int a = 0; a < act.Length; a++) d += Math.Abs(S(j, a) - S(ri, a)); return d; }
            var order = Enumerable.Range(0, rows).Where(j => j != ri).OrderBy(Dist).ThenBy(j => j).ToArray();
            for (int c = 0; c < classes.Length; c++)
            {
                var near = order.Where(j => y[j] == classes[c]).Take(k).ToArray();
                if (near.Length == 0) continue;
                double factor = (c == own ? -1.0 : prior[c] / (1 - prior[own])) / near.Length;
                foreach (int j in near) for (int a = 0; a < act.Length; a++) per[s, a] += factor * Math.Abs(S(ri, a) - S(j, a));
            }
        }
        for (int s = 0; s < sample.Length; s++) for (int a = 0; a < act.Length; a++) w[act[a]] += per[s, a];
        return w.Select(v => v / sample.Length).ToArray();
    }

    [Fact]
    public void ReliefFEqualsTheDefinitionWithTiesAndBlocks()
    {
        // integer features (many exactly equal distances), a constant column, three classes of unequal size, one with
        // fewer than k rows; more rows than one scan chunk (2048) and more samples than one sample block
        int n = 2600, d = 5;
        var rng = new Random(5);
        var x = new double[n * d];
        var y = new double[n];
        for (int r = 0; r < n; r++)
        {
            y[r] = r < 6 ? 2 : rng.Next(2);
            for (int c = 0; c < d; c++) x[r * d + c] = c == 2 ? 7 : rng.Next(4) + (c == 0 ? y[r] : 0);
        }
        var all = ReliefF.Weights(x, n, d, y, new ReliefFOptions(Neighbors: 10, Samples: 0, Threads: 1));
        var sampled = ReliefF.Weights(x, n, d, y, new ReliefFOptions(Neighbors: 10, Samples: 37, Seed: 4, Threads: 2));
        var perm = Enumerable.Range(0, n).ToArray();
        new Random(4).Shuffle(perm);
        Assert.Equal(NaiveReliefF(x, n, d, y, 10, perm[..37]), sampled);
        Assert.Equal(sampled, ReliefF.Weights(x, n, d, y, new ReliefFOptions(Neighbors: 10, Samples: 37, Seed: 4, Threads: 1)));
        Assert.Equal(0.0, all[2]);
        Assert.True(all[0] > 0.05 && all[0] > 3 * Math.Abs(all[1]), $"weights {string.Join(", ", all)}");
    }
}
