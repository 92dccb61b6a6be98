using System.IO.Compression;
using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// TreeSHAP against XGBoost 1.7 pred_contribs (same trees, loaded from XGBoost's JSON) and against brute-force
/// Shapley values of the path-dependent conditional expectation on small trees.
/// </summary>
public class TreeShapTests
{
    private static JsonElement XgbShap()
    {
        using var gz = new GZipStream(File.OpenRead(GradientBoostedTreesTests.Fixture("gbdt_shap_xgboost.json.gz")), CompressionMode.Decompress);
        return JsonDocument.Parse(gz).RootElement.Clone();
    }

    /// <summary>XGBoost JSON tree → DecisionTree (leaf values are in split_conditions; cover = sum_hessian).</summary>
    private static DecisionTree FromXgb(JsonElement t)
    {
        int[] I(string n) => t.GetProperty(n).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] D(string n) => t.GetProperty(n).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var left = I("left_children"); var right = I("right_children"); var feat = I("split_indices");
        var cond = D("split_conditions"); var hess = D("sum_hessian");
        var defl = I("default_left").Select(v => v != 0).ToArray();
        int n = left.Length;
        var value = new double[n]; var thr = new double[n]; var f = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (left[i] < 0) { value[i] = cond[i]; f[i] = -1; }
            else { thr[i] = cond[i]; f[i] = feat[i]; }
        }
        return new DecisionTree(left, right, f, thr, defl, value, hess, new double[n]);
    }

    /// <summary>XGBoost's trees and the fixture's own rows (numpy features of the script, NaN = missing).</summary>
    private static (FeatureTable Table, GradientBoostedTreesModel Model) XgbModel(JsonElement root)
    {
        var names = root.GetProperty("features").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var x = root.GetProperty("x").EnumerateArray().SelectMany(r => r.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble())).ToArray();
        var table = new FeatureTable(names, x.Length / names.Length, x);
        var trees = root.GetProperty("trees").EnumerateArray().Select(FromXgb).ToArray();
        var model = new GradientBoostedTreesModel(table.Columns, new GradientBoostedTreesParameters(), 0.0, trees, -1, [], new Dictionary<string, double>());
        return (table, model);
    }

    [Fact]
    public void MatchesXGBoostPredContribs()
    {
        var root = XgbShap();
        var (rows, model) = XgbModel(root);
        var margin = root.GetProperty("margin").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var contribs = root.GetProperty("contribs").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        var shap = TreeShap.Explain(model, rows);
        var pm = model.PredictMargin(rows);
        int nf = model.FeatureNames.Count;
        for (int r = 0; r < rows.Rows; r++)
        {
            Assert.Equal(margin[r], pm[r], 1e-5);                       // XGBoost works in float32
            for (int f = 0; f < nf; f++) Assert.Equal(contribs[r][f], shap[r, f], 1e-5);
            Assert.Equal(contribs[r][nf], shap.ExpectedValue, 1e-5);     // bias column
        }
    }

    /// <summary>E[f(x) | x_S] following the tree: features in S follow x, others split by cover.</summary>
    private static double CondExp(DecisionTree t, int n, ReadOnlySpan<double> x, HashSet<int> s)
    {
        if (t.IsLeaf(n)) return t.Value[n];
        int f = t.Feature[n];
        if (s.Contains(f)) return CondExp(t, t.Next(n, x[f]), x, s);
        int l = t.Left[n], r = t.Right[n];
        return (t.Cover[l] * CondExp(t, l, x, s) + t.Cover[r] * CondExp(t, r, x, s)) / t.Cover[n];
    }

    private static double[] BruteForce(IReadOnlyList<DecisionTree> trees, ReadOnlySpan<double> x, int nf)
    {
        var used = trees.SelectMany(t => Enumerable.Range(0, t.NodeCount).Where(i => !t.IsLeaf(i)).Select(i => t.Feature[i])).Distinct().OrderBy(f => f).ToArray();
        int m = used.Length;
        Assert.True(m <= 12, "too many features for brute force");
        var fact = new double[m + 1]; fact[0] = 1; for (int i = 1; i <= m; i++) fact[i] = fact[i - 1] * i;
        var v = new double[1 << m];
        for (int mask = 0; mask < (1 << m); mask++)
        {
            var s = new HashSet<int>();
            for (int j = 0; j < m; j++) if ((mask & (1 << j)) != 0) s.Add(used[j]);
            double sum = 0;
            foreach (var t in trees) sum += CondExp(t, 0, x, s);
            v[mask] = sum;
        }
        var phi = new double[nf];
        for (int j = 0; j < m; j++)
            for (int mask = 0; mask < (1 << m); mask++)
            {
                if ((mask & (1 << j)) != 0) continue;
                int size = System.Numerics.BitOperations.PopCount((uint)mask);
                phi[used[j]] += fact[size] * fact[m - size - 1] / fact[m] * (v[mask | (1 << j)] - v[mask]);
            }
        return phi;
    }

    [Theory]
    [InlineData(GbdtObjective.BinaryLogistic, 3, 4)]
    [InlineData(GbdtObjective.SquaredError, 4, 2)]
    public void EqualsBruteForceShapleyAndSumsToMargin(GbdtObjective objective, int depth, int rounds)
    {
        var table = GradientBoostedTreesTests.GlassTable(objective == GbdtObjective.BinaryLogistic ? "high_pe" : "pe");
        // a handful of features (including dmean_zr, which has missing values) keeps the subset enumeration small
        string[] names = ["zr", "cn_3.6", "dmean_cu", "dmean_zr", "dmin", "g2_zr_3.25", "n2_cu", "density_6"];
        var cols = names.Select(n => table.Columns.ToList().IndexOf(n)).ToArray();
        var sub = table.SelectColumns(cols);
        // 2,900 ordinary rows plus the rows whose dmean_cu or dmean_zr is missing (NaN: no such neighbour within 3.6 Å)
        var rows = Enumerable.Range(0, sub.Rows).Where(r => r < 2900 || double.IsNaN(sub[r, 2]) || double.IsNaN(sub[r, 3])).ToArray();
        var small = sub.SelectRows(rows);
        var p = new GradientBoostedTreesParameters { Objective = objective, NEstimators = rounds, MaxDepth = depth, LearningRate = 0.3 };
        var model = new GradientBoostedTrees(p).Fit(small);
        var shap = TreeShap.Explain(model, small);
        var margin = model.PredictMargin(small);
        int nf = names.Length;
        var check = Enumerable.Range(0, small.Rows).Where(r => r % 150 == 0 || r >= 2900).Take(40);
        foreach (int r in check)
        {
            var bf = BruteForce(model.Trees, small.Row(r), nf);
            double sum = shap.ExpectedValue;
            for (int f = 0; f < nf; f++) { Assert.Equal(bf[f], shap[r, f], 1e-9); sum += shap[r, f]; }
            Assert.Equal(margin[r], sum, 1e-9);
        }
        // every row: Σφ = margin − E
        for (int r = 0; r < small.Rows; r++)
        {
            double sum = shap.ExpectedValue;
            for (int f = 0; f < nf; f++) sum += shap[r, f];
            Assert.Equal(margin[r], sum, 1e-9);
        }
        // a row with a missing value follows the default direction
        Assert.Contains(Enumerable.Range(0, small.Rows), r => double.IsNaN(small[r, 2]) || double.IsNaN(small[r, 3]));
        var ranking = shap.Ranking();
        Assert.Equal(nf, ranking.Count);
        Assert.True(ranking[0].MeanAbsShap >= ranking[^1].MeanAbsShap);
    }

    [Fact]
    public void ExpectedValueIsCoverWeightedMeanPrediction()
    {
        // With cover = row counts (squared error, h = 1), E = mean of training-set margins when no subsampling.
        var table = GradientBoostedTreesTests.GlassTable("pe");
        var small = table.SelectRows(Enumerable.Range(0, 2000).ToArray());
        var model = new GradientBoostedTrees(new GradientBoostedTreesParameters { Objective = GbdtObjective.SquaredError, NEstimators = 5, MaxDepth = 3 }).Fit(small);
        double e = TreeShap.ExpectedValue(model.Trees, model.BaseMargin);
        Assert.Equal(model.PredictMargin(small).Average(), e, 1e-9);
    }
}
