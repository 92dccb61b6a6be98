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
        const int U = 25;
        int[] relevant = [3, 7, 12, 18, 21];
        var (table, groups, atoms) = Planted(U, 640, relevant, 8, 0, 42);
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
    public void BayesianSearchScoresArePooledCvWithInnerEarlyStoppingAndTheBestIsReturned()
    {
        var (train, cols) = ReadTable("train.csv.gz", SampleRole.Train);
        train = train.Take(120).ToList();
        var groups = train.Select(r => int.Parse(r.Group[1..], CultureInfo.InvariantCulture)).ToArray();
        var atoms = train.Select(r => r.Atoms).ToArray();
        var table = UleRegression.Table(train, cols, groups);
        var start = UleTrainOptions.DefaultGbdt with { NEstimators = 40 };
        var (best, res, rounds) = UleRegression.Search(table, groups, atoms, start, 4, 5, 3, 0, earlyStopping: 5);
        Assert.Equal(4, res.Trials.Count);
        Assert.Equal(4, rounds.Length);
        Assert.Equal(res.Trials.Max(t => t.Score), res.Best.Score);
        // the score of the best trial is minus the pooled CV RMSE (inner early stopping) of the parameters returned (gamma scaled by var(y))
        var cv = UleRegression.CrossValidate(table, groups, atoms, best, 5, 3, 0, earlyStopping: 5);
        Assert.Equal(-cv.Pooled.RmseMeVPerAtom, res.Best.Score, 12);
        Assert.Equal(rounds[res.Trials.ToList().IndexOf(res.Best)], cv.Rounds.Average(), 12);
        var y = table.Labels!; double m = y.Average(), v = y.Sum(x => (x - m) * (x - m)) / y.Length;
        Assert.Equal(res.Best.Parameters[2] * v, best.Gamma, 15);
        Assert.Equal((int)Math.Round(res.Best.Parameters[0]), best.MaxDepth);
        // and without early stopping the scores differ (the inner split is really used)
        var plain = UleRegression.CrossValidate(table, groups, atoms, best, 5, 3, 0);
        Assert.All(plain.Rounds, r => Assert.Equal(40, r));
    }

    /// <summary>
    /// Planted table of N samples: exponential fractions of U ULEs normalised to 1; energy per atom = −5.6 eV + Σ w·U·fraction
    /// of the relevant ULEs (w = 0.03, −0.025, 0.02, −0.015, 0.012) + Gaussian noise of the given size (eV/atom, drawn only
    /// when non-zero); group = row mod <paramref name="groups"/>.
    /// </summary>
    private static (FeatureTable Table, int[] Groups, int[] Atoms) Planted(int u, int n, int[] relevant, int groups, double noise, int seed)
    {
        var rng = new Random(seed);
        double[] weight = [0.03, -0.025, 0.02, -0.015, 0.012];
        var rows = new List<UleSampleVector>();
        for (int i = 0; i < n; i++)
        {
            var f = new double[u];
            double s = 0;
            for (int j = 0; j < u; j++) { f[j] = -Math.Log(1 - rng.NextDouble()); s += f[j]; }
            for (int j = 0; j < u; j++) f[j] /= s;
            double e = -5.6;
            for (int k = 0; k < relevant.Length; k++) e += weight[k] * f[relevant[k]] * u;
            if (noise != 0) e += noise * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            rows.Add(new UleSampleVector($"s{i}", "", 0, $"g{i % groups}", SampleRole.Train, 500, e, 0, f));
        }
        var g = rows.Select(r => int.Parse(r.Group[1..], CultureInfo.InvariantCulture)).ToArray();
        return (UleRegression.Table(rows, Enumerable.Range(0, u).Select(j => $"ule_{j}").ToArray(), g), g, rows.Select(r => r.Atoms).ToArray());
    }

    private static (FeatureTable Table, int[] Groups, int[] Atoms) Planted(double noise, int seed) => Planted(20, 320, [1, 4, 9, 13, 17], 16, noise, seed);

    [Fact]
    public void EarlyStoppingOnAnInnerGroupedSplitPicksFewerRoundsOnANoisyTable()
    {
        var p = UleTrainOptions.DefaultGbdt with { NEstimators = 400, LearningRate = 0.1, MaxDepth = 4 };
        const int Patience = 15;
        var (clean, cg, ca) = Planted(0, 7);
        var (noisy, ng, na) = Planted(0.08, 7); // noise of 80 meV/atom, larger than the planted signal's spread (≈ 50 meV/atom)
        var cvClean = UleRegression.CrossValidate(clean, cg, ca, p, 5, 1, 0, Patience);
        var cvNoisy = UleRegression.CrossValidate(noisy, ng, na, p, 5, 1, 0, Patience);
        Assert.True(cvNoisy.Rounds.Average() < 0.5 * cvClean.Rounds.Average(),
            $"rounds noisy {string.Join(",", cvNoisy.Rounds)} vs clean {string.Join(",", cvClean.Rounds)}");
        Assert.All(cvNoisy.Rounds, r => Assert.InRange(r, 1, 100));
        // on the noisy table early stopping beats the full 400 rounds (which overfit the noise)
        var full = UleRegression.CrossValidate(noisy, ng, na, p, 5, 1, 0);
        Assert.True(cvNoisy.Pooled.RmseMeVPerAtom < full.Pooled.RmseMeVPerAtom, $"{cvNoisy.Pooled.RmseMeVPerAtom} vs {full.Pooled.RmseMeVPerAtom}");

        // the rule, checked independently on the first outer fold: the inner split holds out whole groups; the full
        // inner-validation RMSE curve (all 400 rounds) cut by the patience rule gives the rounds; the model is then
        // refitted on the whole training fold with that many rounds
        var outer = Splits.GroupKFold(ng, 5, 1)[0];
        var (tr, _) = Splits.Apply(noisy, outer);
        var trGroups = outer.Train.Select(i => ng[i]).ToArray();
        var inner = Splits.HoldOutGroups(trGroups, 1.0 / 5, 1);
        Assert.Empty(inner.Train.Select(i => trGroups[i]).Intersect(inner.Test.Select(i => trGroups[i])));
        var (itr, iva) = Splits.Apply(tr, inner);
        var curve = UleRegression.Fit(itr, p, 0, iva).ValidationHistory;
        Assert.Equal(400, curve.Count);
        int bestT = 0, t = 0;
        for (; t < curve.Count; t++)
        {
            if (curve[t] < curve[bestT]) bestT = t;
            if (t - bestT >= Patience) break;
        }
        Assert.Equal(bestT + 1, cvNoisy.Rounds[0]);
        var (model, rounds) = UleRegression.FitEarlyStopped(tr, trGroups, p, Patience, 5, 1, 0);
        Assert.Equal(bestT + 1, rounds);
        Assert.Equal(rounds, model.Trees.Count);
        Assert.Equal(UleRegression.Fit(tr, p with { NEstimators = rounds }, 0).Predict(noisy), model.Predict(noisy));
    }

    [Fact]
    public void SearchWithEarlyStoppingIsIdenticalForOneAndTwoThreads()
    {
        var (noisy, g, a) = Planted(0.005, 11);
        var start = UleTrainOptions.DefaultGbdt with { NEstimators = 60, Subsample = 0.8 };
        var one = UleRegression.Search(noisy, g, a, start, 3, 4, 5, 1, earlyStopping: 5);
        var two = UleRegression.Search(noisy, g, a, start, 3, 4, 5, 2, earlyStopping: 5);
        Assert.Equal(one.Result.Trials.Select(t => t.Score), two.Result.Trials.Select(t => t.Score));
        Assert.Equal(one.MeanRounds, two.MeanRounds);
        Assert.Equal(one.Best, two.Best);
        var cv1 = UleRegression.CrossValidate(noisy, g, a, one.Best, 4, 5, 1, 5);
        var cv2 = UleRegression.CrossValidate(noisy, g, a, one.Best, 4, 5, 2, 5);
        Assert.Equal(cv1.OutOfFold, cv2.OutOfFold);
        Assert.Equal(cv1.Rounds, cv2.Rounds);
    }

    [Fact]
    public void StrainHeterogeneityIsZeroForAnAffineShearAndPositiveOtherwise()
    {
        var f = GlassML.Io.StructureReader.ReadFrame(Fixtures.Path("ule", "is", "qa.is.dump.gz"), 0,
            new GlassML.Io.ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        const double Gamma = 0.05;
        GlassML.Structure.Vec3 Shear(GlassML.Structure.Vec3 p) => new(p.X + Gamma * p.Y, p.Y, p.Z);
        int n = f.Count;
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++) { var p = Shear(f.Position(i)); x[i] = p.X; y[i] = p.Y; z[i] = p.Z; }
        var b = f.Box;
        var box = new GlassML.Structure.Box(Shear(b.Origin), Shear(b.A), Shear(b.B), Shear(b.C));
        var sheared = new GlassML.Structure.Frame(box, f.Species.Clone(), f.Ids.ToArray(), f.SpeciesIndex.ToArray(), x, y, z);
        Assert.InRange(UleWorkflow.StrainHeterogeneity(f, sheared, 4.5, 0), 0, 1e-12);
        // displacing half the atoms makes the strain heterogeneous
        var x2 = (double[])x.Clone();
        for (int i = 0; i < n; i += 2) x2[i] += 0.1 * Math.Sin(i);
        var rough = new GlassML.Structure.Frame(box, f.Species.Clone(), f.Ids.ToArray(), f.SpeciesIndex.ToArray(), x2, y, z);
        Assert.True(UleWorkflow.StrainHeterogeneity(f, rough, 4.5, 0) > 1e-3);
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
