using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

public class HyperparameterSearchTests
{
    // Branin–Hoo on [−5, 10] × [0, 15]: global minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475).
    private static double Branin(double[] p)
    {
        double x = p[0], y = p[1];
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.Cos(x) + 10;
    }

    [Fact]
    public void BayesianOptimisationFindsTheBraninOptimumRegion()
    {
        var space = new SearchSpace([-5, 0], [10, 15]);
        int calls = 0;
        double Obj(double[] p) { calls++; return -Branin(p); }
        var bo = HyperparameterSearch.Bayesian(space, Obj, new BayesianSearchOptions(Evaluations: 40, InitialPoints: 6, Seed: 2, Candidates: 600));
        Assert.Equal(40, calls);
        Assert.True(-bo.Best.Score < 0.45, $"BO best Branin value {-bo.Best.Score} (optimum 0.397887)");
        (double, double)[] minima = [(-Math.PI, 12.275), (Math.PI, 2.275), (9.42478, 2.475)];
        double near = minima.Min(m => Math.Sqrt(Math.Pow(bo.Best.Parameters[0] - m.Item1, 2) + Math.Pow(bo.Best.Parameters[1] - m.Item2, 2)));
        Assert.True(near < 0.3, $"best point {bo.Best.Parameters[0]}, {bo.Best.Parameters[1]} is {near} from a minimum");
        // same budget of random search does clearly worse; a rerun with the same seed is identical
        var rs = HyperparameterSearch.Random(space, Obj, 40, seed: 2);
        Assert.True(bo.Best.Score > rs.Best.Score);
        var again = HyperparameterSearch.Bayesian(space, Obj, new BayesianSearchOptions(Evaluations: 40, InitialPoints: 6, Seed: 2, Candidates: 600));
        Assert.Equal(bo.Trials.Select(t => t.Score), again.Trials.Select(t => t.Score));
    }

    [Fact]
    public void ExpectedImprovementClosedForm()
    {
        // μ = f*, ξ = 0: EI = σ φ(0) = σ/√(2π)
        Assert.Equal(2 / Math.Sqrt(2 * Math.PI), HyperparameterSearch.ExpectedImprovement(1, 2, 1, 0), 14);
        Assert.Equal(0.5, HyperparameterSearch.ExpectedImprovement(1.5, 0, 1, 0), 14);
    }

    [Fact]
    public void TunesSvrCostByCrossValidationOnGlassData()
    {
        // 4-fold CV RMSE of a linear SVR of c_pe on the per-atom glass features, C on a log scale
        var g = LoadGlass();
        var sc = Standardizer.Fit(g.Features, 500, 6);
        var x = sc.Transform(g.Features);
        double Cv(double[] p)
        {
            double sse = 0;
            for (int f = 0; f < 4; f++)
            {
                var tr = Enumerable.Range(0, 500).Where(r => r % 4 != f).ToArray();
                var te = Enumerable.Range(0, 500).Where(r => r % 4 == f).ToArray();
                var m = LinearSvr.Fit(new LinearSvmOptions(C: p[0], Epsilon: 0.0, Tolerance: 1e-6),
                    tr.SelectMany(r => x[(r * 6)..(r * 6 + 6)]).ToArray(), tr.Length, 6, tr.Select(r => g.Pe[r]).ToArray());
                var pr = m.Predict(te.SelectMany(r => x[(r * 6)..(r * 6 + 6)]).ToArray());
                for (int i = 0; i < te.Length; i++) sse += Math.Pow(pr[i] - g.Pe[te[i]], 2);
            }
            return -Math.Sqrt(sse / 500);
        }
        var res = HyperparameterSearch.Bayesian(new SearchSpace([1e-4], [1e2], [true]), Cv, new BayesianSearchOptions(Evaluations: 12, InitialPoints: 4, Seed: 1));
        // the CV error decreases with C until the regularisation no longer matters: tiny C must lose
        Assert.True(res.Best.Score > Cv([1e-4]) + 0.1, $"best C {res.Best.Parameters[0]} score {res.Best.Score}");
        Assert.True(res.Best.Parameters[0] > 1e-2);
    }
}
