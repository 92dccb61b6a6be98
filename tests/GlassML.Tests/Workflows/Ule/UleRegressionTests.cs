using System.Globalization;
using GlassML.Learning;
using GlassML.Workflows;
using GlassML.Workflows.Ule;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>
/// The ULE regression: GBDT against XGBoost 1.7 on a fraction table (tools/make_ule_xgb_fixture.py), SHAP ranking of
/// known relevant fractions with pooled grouped CV, pooled metrics against a hand computation, heterogeneity contrast.
/// </summary>
public class UleRegressionTests
{
    private static (List<UleSampleVector> Rows, string[] Columns) ReadTable(string file, SampleRole role)
    {
        var lines = Fixtures.ReadLines("ule", "xgboost", file);
        var head = lines[0].Split(',');
        int u = head.Length - 1;
        var rows = lines.Skip(1).Select((l, i) =>
        {
            var v = l.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return new UleSampleVector($"s{i}", "", 0, $"g{i % 5}", role, 1000, v[u], 0, v[..u]);
        }).ToList();
        return (rows, head[..u]);
    }

    [Fact]
    public void GbdtTestRmseIsWithinOnePercentOfXgboost()
    {
        var (train, cols) = ReadTable("train.csv.gz", SampleRole.Train);
        var (test, _) = ReadTable("test.csv.gz", SampleRole.Test);
        var xgbLines = File.ReadAllLines(Fixtures.Path("ule", "xgboost", "xgb.csv")).Where(l => !l.StartsWith('#')).ToArray();
        double xgbRmse = double.Parse(xgbLines[0].Split(',')[1], CultureInfo.InvariantCulture);
        var model = UleRegression.Fit(UleRegression.Table(train, cols), UleTrainOptions.DefaultGbdt, 0);
        var pred = model.Predict(UleRegression.Table(test, cols));
        double rmse = Math.Sqrt(test.Select((r, i) => (pred[i] - r.EnergyPerAtom) * (pred[i] - r.EnergyPerAtom)).Average());
        Assert.True(Math.Abs(rmse / xgbRmse - 1) <= 0.01, $"test RMSE {rmse:R} vs XGBoost {xgbRmse:R}");
        // and the model is not trivial: far better than predicting the mean
        double mean = train.Average(r => r.EnergyPerAtom);
        double rmse0 = Math.Sqrt(test.Select(r => (mean - r.EnergyPerAtom) * (mean - r.EnergyPerAtom)).Average());
        Assert.True(rmse < 0.5 * rmse0);
    }

    [Fact]
    public void ShapRanksTheFiveRelevantFractionsFirstWithPooledCvR2Above095()
    {
        var rng = new Random(42);
        const int U = 25, N = 640;
        int[] relevant = [3, 7, 12, 18, 21];
        double[] weight = [0.03, -0.025, 0.02, -0.015, 0.012];
        var rows = new List<UleSampleVector>();
        for (int i = 0; i < N; i++)
        {
            var f = new double[U];
            double s = 0;
            for (int j = 0; j < U; j++) { f[j] = -Math.Log(1 - rng.NextDouble()); s += f[j]; }
            for (int j = 0; j < U; j++) f[j] /= s;
            double e = -5.6;
            for (int k = 0; k < relevant.Length; k++) e += weight[k] * f[relevant[k]] * U;
            rows.Add(new UleSampleVector($"s{i}", "", 0, $"traj{i % 8}", SampleRole.Train, 500, e, 0, f));
        }
        var cols = Enumerable.Range(0, U).Select(j => $"ule_{j}").ToArray();
        var groups = rows.Select(r => int.Parse(r.Group[4..], CultureInfo.InvariantCulture)).ToArray();
        var table = UleRegression.Table(rows, cols, groups);
        var atoms = rows.Select(r => r.Atoms).ToArray();
        var p = UleTrainOptions.DefaultGbdt with { NEstimators = 500, MaxDepth = 2, LearningRate = 0.15 };
        var cv = UleRegression.CrossValidate(table, groups, atoms, p, 5, 1, 0);
        Assert.True(cv.Pooled.R2 > 0.95, $"pooled CV R² {cv.Pooled.R2}");
        // the pooled metric is computed from the out-of-fold predictions (checked by hand here)
        var y = table.Labels!;
        double ym = y.Average(), ssr = 0, sst = 0;
        for (int i = 0; i < y.Length; i++) { ssr += (y[i] - cv.OutOfFold[i]) * (y[i] - cv.OutOfFold[i]); sst += (y[i] - ym) * (y[i] - ym); }
        Assert.Equal(1 - ssr / sst, cv.Pooled.R2, 12);
        Assert.Equal(1000 * Math.Sqrt(ssr / y.Length), cv.Pooled.RmseMeVPerAtom, 9);
        var model = UleRegression.Fit(table, p, 0);
        var shap = TreeShap.Explain(model, table).MeanAbsolute();
        var top5 = Enumerable.Range(0, U).OrderByDescending(j => shap[j]).Take(5).OrderBy(j => j).ToArray();
        Assert.Equal(relevant, top5);
    }

    [Fact]
    public void BayesianSearchScoresArePooledCvAndTheBestIsReturned()
    {
        var (train, cols) = ReadTable("train.csv.gz", SampleRole.Train);
        train = train.Take(120).ToList();
        var groups = train.Select(r => int.Parse(r.Group[1..], CultureInfo.InvariantCulture)).ToArray();
        var atoms = train.Select(r => r.Atoms).ToArray();
        var table = UleRegression.Table(train, cols, groups);
        var start = UleTrainOptions.DefaultGbdt with { NEstimators = 40 };
        var (best, res) = UleRegression.Search(table, groups, atoms, start, 4, 5, 3, 0);
        Assert.Equal(4, res.Trials.Count);
        Assert.Equal(res.Trials.Max(t => t.Score), res.Best.Score);
        // the score of the best trial is minus the pooled CV RMSE of the parameters returned (gamma scaled by var(y))
        var cv = UleRegression.CrossValidate(table, groups, atoms, best, 5, 3, 0);
        Assert.Equal(-cv.Pooled.RmseMeVPerAtom, res.Best.Score, 12);
        var y = table.Labels!; double m = y.Average(), v = y.Sum(x => (x - m) * (x - m)) / y.Length;
        Assert.Equal(res.Best.Parameters[2] * v, best.Gamma, 15);
        Assert.Equal((int)Math.Round(res.Best.Parameters[0]), best.MaxDepth);
    }

    [Fact]
    public void ContrastTakesReferencesWithinTheWindow()
    {
        var bc = new UleBarcode([0, 2], [1, 0.5], [true, false]);
        UleSampleVector V(string n, double e, params double[] f) => new(n, "", 0, "g", SampleRole.Test, 10, e, 0, f);
        var probe = V("p", -5.0, 0.5, 0.1, 0.5);
        var refs = new[] { V("r1", -5.0005, 0.2, 0.3, 0.6), V("r2", -4.9995, 0.4, 0.2, 0.4), V("far", -4.99, 0.9, 0, 0.1) };
        var c = UleWorkflow.Contrast([probe], refs, bc, 0.001).Single();
        Assert.Equal(2, c.References);
        // renormalised barcodes: probe (0.5, 0.5); r1 (0.25, 0.75); r2 (0.5, 0.5); mean (0.375, 0.625); δs = (−0.125, 0.125)
        Assert.Equal(-0.125, c.DeltaS[0], 15);
        Assert.Equal(0.125, c.DeltaS[1], 15);
        Assert.Equal(0.125, c.StdDeltaS, 15);
    }
}
