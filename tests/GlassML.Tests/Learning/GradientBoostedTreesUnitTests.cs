using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Hand-computed XGBoost formulas on tiny tables, determinism, early stopping, growth limits, model files.</summary>
public class GradientBoostedTreesUnitTests
{
    private static FeatureTable Tiny(double[] x, double[] y) => new(["x"], x.Length, x, y);

    private static GradientBoostedTreesParameters Stump => new()
    {
        Objective = GbdtObjective.SquaredError, NEstimators = 1, MaxDepth = 1, LearningRate = 1, Lambda = 1, MinChildWeight = 0, BaseScore = 0.5,
    };

    [Fact]
    public void StumpHasXGBoostWeightsAndGain()
    {
        // g = 0.5 − y, h = 1. Left {1,2}: G = 1, H = 2 → w = −1/3; right {3,4}: G = −19, H = 2 → w = 19/3.
        var m = new GradientBoostedTrees(Stump).Fit(Tiny([1, 2, 3, 4], [0, 0, 10, 10]));
        var t = m.Trees[0];
        Assert.Equal(3, t.NodeCount);
        Assert.Equal(3.0, t.Threshold[0]);
        Assert.Equal(0.5 - 1.0 / 3, m.PredictRow([1.5]), 1e-12);
        Assert.Equal(0.5 + 19.0 / 3, m.PredictRow([3.5]), 1e-12);
        // gain = 1/3 + 361/3 − 18²/5
        Assert.Equal(1.0 / 3 + 361.0 / 3 - 324.0 / 5, t.Gain[0], 1e-12);
        Assert.Equal(4.0, t.Cover[0]);
    }

    [Fact]
    public void DuplicatedLastFeature_GivesTheSameModel_OddAndEvenFeatureCounts()
    {
        // histograms are built two features per pass (an odd last feature paired with itself); a copy of the last column
        // has exactly the same splits, and ties keep the lower feature index, so 3 and 4 columns must give the same trees
        var rng = new Random(5);
        int n = 3000;
        var x3 = new double[n * 3]; var x4 = new double[n * 4]; var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextDouble(), b = rng.NextDouble(), c = rng.NextDouble();
            x3[3 * i] = a; x3[3 * i + 1] = b; x3[3 * i + 2] = c;
            x4[4 * i] = a; x4[4 * i + 1] = b; x4[4 * i + 2] = c; x4[4 * i + 3] = c;
            y[i] = Math.Sin(6 * a) + b * b + 3 * c + 0.1 * rng.NextDouble();
        }
        var p = new GradientBoostedTreesParameters { Objective = GbdtObjective.SquaredError, NEstimators = 20, MaxDepth = 4, Threads = 2 };
        var m3 = new GradientBoostedTrees(p).Fit(new FeatureTable(["a", "b", "c"], n, x3, y));
        var m4 = new GradientBoostedTrees(p).Fit(new FeatureTable(["a", "b", "c", "c2"], n, x4, y));
        for (int t = 0; t < m3.Trees.Count; t++)
        {
            Assert.Equal(m3.Trees[t].Feature.ToArray(), m4.Trees[t].Feature.ToArray());
            Assert.Equal(m3.Trees[t].Threshold.ToArray(), m4.Trees[t].Threshold.ToArray());
            Assert.Equal(m3.Trees[t].Gain.ToArray(), m4.Trees[t].Gain.ToArray());
        }
        Assert.Contains(m3.Trees.SelectMany(t => t.Feature.ToArray()), f => f == 2); // the odd (self-paired) feature is used
    }

    [Fact]
    public void L1GammaAndMinChildWeight()
    {
        var data = Tiny([1, 2, 3, 4], [0, 0, 10, 10]);
        var l1 = new GradientBoostedTrees(Stump with { Alpha = 2 }).Fit(data);
        Assert.Equal(0.5 + 0, l1.PredictRow([1]), 1e-12);            // |G| = 1 < α → 0
        Assert.Equal(0.5 + 17.0 / 3, l1.PredictRow([4]), 1e-12);     // −(−19 + 2)/3
        var gamma = new GradientBoostedTrees(Stump with { Gamma = 56 }).Fit(data); // gain 55.87 < γ
        Assert.Equal(1, gamma.Trees[0].NodeCount);
        Assert.Equal(0.5 + 18.0 / 5, gamma.PredictRow([1]), 1e-12);
        var gammaOk = new GradientBoostedTrees(Stump with { Gamma = 55 }).Fit(data);
        Assert.Equal(3, gammaOk.Trees[0].NodeCount);
        var mcw = new GradientBoostedTrees(Stump with { MinChildWeight = 3 }).Fit(data);
        Assert.Equal(1, mcw.Trees[0].NodeCount);
    }

    [Fact]
    public void MissingValuesTakeTheBetterDefaultDirection()
    {
        // NaN rows have y = 10 like x = 3: missing joins the right side (forward enumeration, default right)
        var a = new GradientBoostedTrees(Stump).Fit(Tiny([1, 2, 3, double.NaN], [0, 0, 10, 10]));
        Assert.False(a.Trees[0].DefaultLeft[0]);
        Assert.Equal(a.PredictRow([3]), a.PredictRow([double.NaN]));
        // NaN rows have y = 0 like x = 1: best split {1, NaN} | {2, 3} → default left
        var b = new GradientBoostedTrees(Stump).Fit(Tiny([1, 2, 3, double.NaN], [0, 10, 10, 0]));
        Assert.True(b.Trees[0].DefaultLeft[0]);
        Assert.Equal(2.0, b.Trees[0].Threshold[0]);
        Assert.Equal(b.PredictRow([1]), b.PredictRow([double.NaN]));
        Assert.Equal(0.5 - 1.0 / 3, b.PredictRow([1]), 1e-12); // G = 1, H = 2
    }

    [Fact]
    public void LogisticFirstRoundWeights()
    {
        // base_score 0.5 → margin 0, p = 0.5: g = 0.5 − y, h = 0.25. One leaf of 2 positives: G = −1, H = 0.5 → w = 1/1.5.
        var p = new GradientBoostedTreesParameters { NEstimators = 1, MaxDepth = 1, LearningRate = 1, MinChildWeight = 0 };
        var m = new GradientBoostedTrees(p).Fit(Tiny([1, 2, 3, 4], [0, 0, 1, 1]));
        Assert.Equal(1 / 1.5, m.PredictMarginRow([4]), 1e-12);
        Assert.Equal(-1 / 1.5, m.PredictMarginRow([1]), 1e-12);
        Assert.Equal(1 / (1 + Math.Exp(-1 / 1.5)), m.PredictRow([4]), 1e-12);
    }

    private static FeatureTable Glass(string target, int rows)
    {
        return GradientBoostedTreesTests.GlassTable(target).SelectRows(Enumerable.Range(0, rows).ToArray());
    }

    [Fact]
    public void IdenticalForAnyThreadCount()
    {
        var t = Glass("high_pe", 3000);
        var p = new GradientBoostedTreesParameters { NEstimators = 10, MaxDepth = 5, Subsample = 0.8, ColsampleBytree = 0.7, Seed = 42 };
        var a = new GradientBoostedTrees(p with { Threads = 1 }).Fit(t).PredictMargin(t, 1);
        var b = new GradientBoostedTrees(p with { Threads = 2 }).Fit(t).PredictMargin(t, 2);
        var c = new GradientBoostedTrees(p with { Threads = 4 }).Fit(t).PredictMargin(t, 3);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        var d = new GradientBoostedTrees(p with { Seed = 43 }).Fit(t).PredictMargin(t);
        Assert.NotEqual(a, d);
    }

    [Fact]
    public void EarlyStoppingKeepsBestRound()
    {
        var t = Glass("high_pe", 5000);
        var (train, valid) = GradientBoostedTreesTests.SplitByGroup(t);
        var p = new GradientBoostedTreesParameters { NEstimators = 300, LearningRate = 0.6, MaxDepth = 6, EarlyStoppingRounds = 5 };
        var m = new GradientBoostedTrees(p).Fit(train, valid);
        Assert.True(m.ValidationHistory.Count < 300);
        Assert.Equal(m.BestIteration + 1, m.Trees.Count);
        Assert.Equal(m.ValidationHistory.Min(), m.ValidationHistory[m.BestIteration]);
        Assert.Equal(m.BestIteration + 6, m.ValidationHistory.Count);
        Assert.Equal(m.ValidationHistory[m.BestIteration], Metrics.LogLoss(valid.Labels, m.Predict(valid)), 1e-9);
    }

    [Fact]
    public void LossGuideRespectsMaxLeavesAndDepthwiseRespectsDepth()
    {
        var t = Glass("high_pe", 4000);
        var lg = new GradientBoostedTrees(new GradientBoostedTreesParameters
        { NEstimators = 5, MaxDepth = 0, MaxLeaves = 7, GrowPolicy = GbdtGrowPolicy.LossGuide }).Fit(t);
        Assert.All(lg.Trees, tr => Assert.Equal(7, Enumerable.Range(0, tr.NodeCount).Count(tr.IsLeaf)));
        Assert.Contains(lg.Trees, tr => tr.Depth > 3); // not a balanced tree
        var dw = new GradientBoostedTrees(new GradientBoostedTreesParameters { NEstimators = 5, MaxDepth = 3 }).Fit(t);
        Assert.All(dw.Trees, tr => Assert.Equal(3, tr.Depth));
        var imp = dw.TotalGainImportance();
        Assert.Equal(dw.Trees.Sum(tr => Enumerable.Range(0, tr.NodeCount).Sum(i => tr.Gain[i])), imp.Sum(), 1e-6);
    }

    [Fact]
    public void ModelFileRoundTripIsBitIdenticalAndRefusesOtherColumns()
    {
        var t = Glass("high_pe", 3000);
        var m = new GradientBoostedTrees(new GradientBoostedTreesParameters { NEstimators = 10, MaxDepth = 4, Subsample = 0.9, Seed = 3 }).Fit(t)
            .WithMetrics(new Dictionary<string, double> { ["test_auc"] = 0.9, ["nan_metric"] = double.NaN });
        string dir = Path.Combine(Path.GetTempPath(), "glassml-gbdt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "model.json");
            m.Save(path);
            var back = GradientBoostedTreesModel.Load(path);
            Assert.Equal(m.PredictMargin(t), back.PredictMargin(t));
            Assert.Equal(m.FeatureNames, back.FeatureNames);
            Assert.Equal(m.Parameters, back.Parameters);
            Assert.Equal(0.9, back.Metrics["test_auc"]);
            Assert.True(double.IsNaN(back.Metrics["nan_metric"]));
            Assert.Contains("\"schema_version\":1", File.ReadAllText(path));
            // columns in another order are matched by name; a missing column is refused with its name
            var reversed = t.SelectColumns(Enumerable.Range(0, t.ColumnCount).Reverse().ToArray());
            Assert.Equal(m.PredictMargin(t), back.PredictMargin(reversed));
            var fewer = t.SelectColumns(Enumerable.Range(1, t.ColumnCount - 1).ToArray());
            var e = Assert.Throws<ArgumentException>(() => back.Predict(fewer));
            Assert.Contains("missing " + t.Columns[0], e.Message);
            var user = Assert.Throws<InputFormatException>(() => back.Align(fewer, "new.csv"));
            Assert.StartsWith("new.csv:1: table columns do not match", user.Message);
            // broken files are user errors naming the file
            File.WriteAllText(path, "{\"format\": \"glassml-model\", \"schema_version\": 1,\n \"model\": ");
            var bad = Assert.Throws<InputFormatException>(() => GradientBoostedTreesModel.Load(path));
            Assert.Equal(path, bad.File);
            File.WriteAllText(path, "{\"format\": \"glassml-model\", \"schema_version\": 99}");
            Assert.Contains("schema_version 99", Assert.Throws<InputFormatException>(() => GradientBoostedTreesModel.Load(path)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ParametersParseXGBoostNames()
    {
        var p = GradientBoostedTreesParameters.Parse("n_estimators=300, eta=0.05,max_depth=8,lambda=2,alpha=0.5,gamma=0.1,subsample=0.8,colsample_bytree=0.5,max_bin=64,objective=regression,early_stopping_rounds=10,seed=7,min_child_weight=3,max_leaves=31,grow_policy=lossguide");
        Assert.Equal(300, p.NEstimators); Assert.Equal(0.05, p.LearningRate); Assert.Equal(8, p.MaxDepth);
        Assert.Equal(2, p.Lambda); Assert.Equal(0.5, p.Alpha); Assert.Equal(0.1, p.Gamma); Assert.Equal(0.8, p.Subsample);
        Assert.Equal(0.5, p.ColsampleBytree); Assert.Equal(64, p.MaxBin); Assert.Equal(GbdtObjective.SquaredError, p.Objective);
        Assert.Equal(10, p.EarlyStoppingRounds); Assert.Equal(7UL, p.Seed); Assert.Equal(3, p.MinChildWeight);
        Assert.Equal(31, p.MaxLeaves); Assert.Equal(GbdtGrowPolicy.LossGuide, p.GrowPolicy);
        Assert.Equal(p, GradientBoostedTreesParameters.FromDictionary(p.ToDictionary()));
        Assert.Contains("unknown gbdt parameter 'depth'", Assert.Throws<ArgumentException>(() => GradientBoostedTreesParameters.Parse("depth=3")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostedTrees(p with { Subsample = 0 }));
        Assert.Throws<ArgumentException>(() => new GradientBoostedTrees(new GradientBoostedTreesParameters()).Fit(Tiny([1, 2], [0, 2])));
        Assert.Contains("infinite", Assert.Throws<ArgumentException>(() => new GradientBoostedTrees(new GradientBoostedTreesParameters()).Fit(Tiny([1, double.PositiveInfinity], [0, 1]))).Message);
    }
}
