using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

// the figure goes to the test's own output, not Console.Out: the CLI tests capture the process-wide console while they run
public class LinearSvmTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double MaxRelDiff(double[] expected, double[] actual)
    {
        double scale = expected.Max(Math.Abs), m = 0;
        for (int i = 0; i < expected.Length; i++) m = Math.Max(m, Math.Abs(expected[i] - actual[i]) / scale);
        return m;
    }

    [Fact]
    public void SvrAndSvcWeightsEqualLiblinear23()
    {
        var g = LoadGlass();
        var x = g.Slice(0, 400);
        var pe = g.Pe.Take(400).ToArray();
        var type = g.Type.Take(400).Select(t => (double)t).ToArray();
        // tertiles of the training pe (numpy quantile, linear interpolation)
        var sorted = pe.OrderBy(v => v).ToArray();
        double Q(double q) { double h = (sorted.Length - 1) * q; int lo = (int)Math.Floor(h); return sorted[lo] + (h - lo) * (sorted[Math.Min(lo + 1, sorted.Length - 1)] - sorted[lo]); }
        double t1 = Q(1.0 / 3), t2 = Q(2.0 / 3);
        var tert = pe.Select(v => v >= t2 ? 2.0 : v >= t1 ? 1.0 : 0.0).ToArray();
        int checkedVectors = 0; double worst = 0;
        var cache = new Dictionary<(string, double, double), LinearSvc>();
        foreach (var line in Lines("liblinear_weights.txt.gz").Skip(1))
        {
            var t = line.Split(' ');
            string kind = t[0]; double c = D(t[1]), p = D(t[2]), b = D(t[3]); int posLabel = int.Parse(t[4]);
            var wRef = t[5..].Select(D).ToArray();
            var opt = new LinearSvmOptions(C: c, Epsilon: p, Bias: b, Tolerance: 1e-10);
            double[] w;
            if (kind == "svr")
            {
                var m = LinearSvr.Fit(opt, x, 400, 6, pe);
                w = [.. m.Weights, m.BiasWeight];
            }
            else
            {
                if (!cache.TryGetValue((kind, c, b), out var m))
                    cache[(kind, c, b)] = m = LinearSvc.Fit(opt, x, 400, 6, kind == "svc2" ? type : tert);
                if (kind == "svc2")
                {
                    // ours: positive class = larger label (2); LIBLINEAR's: its first label
                    double sgn = posLabel == 2 ? 1 : -1;
                    w = [.. m.Weights[0].Select(v => sgn * v), sgn * m.BiasWeights[0]];
                }
                else
                {
                    int v = Array.IndexOf(m.Classes, (double)posLabel);
                    w = [.. m.Weights[v], m.BiasWeights[v]];
                }
            }
            double rel = MaxRelDiff(wRef, w);
            worst = Math.Max(worst, rel);
            Assert.True(rel < 1e-5, $"{line[..30]}: max relative weight difference {rel:E2}");
            checkedVectors++;
        }
        Assert.Equal(8 + 4 + 12, checkedVectors);
        output.WriteLine($"LIBLINEAR weights: worst relative difference {worst:E2}");
    }

    [Fact]
    public void ThreadCountDoesNotChangeWeightsAndPredictUsesBias()
    {
        var g = LoadGlass();
        var x = g.Slice(0, 500);
        var m1 = LinearSvr.Fit(new LinearSvmOptions(C: 1, Epsilon: 0.01, Bias: 2, Threads: 1), x, 500, 6, g.Pe);
        var m2 = LinearSvr.Fit(new LinearSvmOptions(C: 1, Epsilon: 0.01, Bias: 2, Threads: 2), x, 500, 6, g.Pe);
        Assert.Equal(m1.Weights, m2.Weights);
        Assert.Equal(m1.BiasWeight, m2.BiasWeight);
        var p = m1.Predict(x.AsSpan(0, 6));
        double expect = 2 * m1.BiasWeight; for (int c = 0; c < 6; c++) expect += m1.Weights[c] * x[c];
        Assert.Equal(expect, p[0], 12);
    }

    [Fact]
    public void ManyBlocksAreThreadCountIndependentAndBothHessianModesAgree()
    {
        // 40,000 rows: 40 row blocks and 3 Gram groups, so the per-block partial sums and their ordered reduction matter
        const int rows = 40_000, cols = 12;
        var rng = new Random(11);
        var x = new double[rows * cols]; var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double t = 0.3;
            for (int c = 0; c < cols; c++) { double v = rng.NextDouble() * (c + 1); x[r * cols + c] = v; t += (c % 3 - 1) * 0.2 * v; }
            y[r] = t + 0.5 * (rng.NextDouble() - 0.5);
        }
        LinearSvr Fit(int threads, bool? explicitHessian) =>
            LinearSvr.Fit(new LinearSvmOptions(C: 0.01, Epsilon: 0.05, Bias: 1, Tolerance: 1e-10, Threads: threads), x, rows, cols, y, explicitHessian);
        var e1 = Fit(1, null); var e2 = Fit(2, null);
        Assert.Equal(e1.Weights, e2.Weights);
        Assert.Equal(e1.BiasWeight, e2.BiasWeight);
        var r1 = Fit(1, false); var r2 = Fit(2, false);
        Assert.Equal(r1.Weights, r2.Weights);
        Assert.Equal(r1.BiasWeight, r2.BiasWeight);
        // the explicit Gram-matrix Hessian and the row-wise Hessian-vector products reach the same optimum
        double[] we = [.. e1.Weights, e1.BiasWeight], wr = [.. r1.Weights, r1.BiasWeight];
        Assert.True(MaxRelDiff(wr, we) < 1e-7, $"explicit vs row-wise Hessian: {MaxRelDiff(wr, we):E2}");
        Assert.True(we.Max(Math.Abs) > 0.05, "weights are not trivially small");
    }
}
