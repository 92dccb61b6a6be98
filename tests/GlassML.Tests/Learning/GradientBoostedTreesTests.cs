using System.Text.Json;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// GBDT against XGBoost 1.7 hist on the committed MD glass table (tests/fixtures/learning/README.md):
/// same rows, same split (group % 5 == 4 is test), same parameters.
/// </summary>
public class GradientBoostedTreesTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "learning", name);

    private static readonly Lazy<FeatureTable> Table = new(() => FeatureTableCsv.Read(Fixture("gbdt_glass_table.csv.gz"), "high_pe"));

    /// <summary>The committed glass table (read once) with <paramref name="target"/> ("high_pe" or "pe") as labels; the other target is dropped.</summary>
    internal static FeatureTable GlassTable(string target)
    {
        var t = Table.Value;
        int pe = t.Columns.ToList().IndexOf("pe");
        var keep = Enumerable.Range(0, t.ColumnCount).Where(c => c != pe).ToArray();
        var features = t.SelectColumns(keep);
        if (target == "high_pe") return features;
        var y = new double[t.Rows];
        for (int r = 0; r < t.Rows; r++) y[r] = t[r, pe];
        return features.WithLabels(y);
    }

    private static readonly Lazy<(FeatureTable Binary, FeatureTable Regression)> Glass = new(() => (GlassTable("high_pe"), GlassTable("pe")));

    internal static (FeatureTable Train, FeatureTable Test) SplitByGroup(FeatureTable t)
    {
        var test = new List<int>(); var train = new List<int>();
        for (int i = 0; i < t.Rows; i++) (t.Groups![i] % 5 == 4 ? test : train).Add(i);
        return (t.SelectRows(train.ToArray()), t.SelectRows(test.ToArray()));
    }

    private static JsonElement Reference() => JsonDocument.Parse(File.ReadAllText(Fixture("gbdt_xgboost_reference.json"))).RootElement;

    private static GradientBoostedTreesParameters XgbParams(GbdtObjective objective, int rounds) => new()
    {
        Objective = objective, NEstimators = rounds, LearningRate = 0.1, MaxDepth = 6, MaxBin = 256,
        MinChildWeight = 1, Lambda = 1, Alpha = 0, Gamma = 0, BaseScore = 0.5,
    };

    [Fact]
    public void BinaryAucMatchesXGBoost()
    {
        var refer = Reference().GetProperty("binary");
        var (train, test) = SplitByGroup(Glass.Value.Binary);
        Assert.Equal(Reference().GetProperty("train_rows").GetInt32(), train.Rows);
        var model = new GradientBoostedTrees(XgbParams(GbdtObjective.BinaryLogistic, refer.GetProperty("rounds").GetInt32())).Fit(train);
        double auc = Metrics.RocAuc(test.Labels, model.Predict(test));
        double xgb = refer.GetProperty("test_auc").GetDouble();
        Assert.True(Math.Abs(auc - xgb) < 0.005, $"AUC {auc} vs XGBoost {xgb}");
    }

    [Fact]
    public void RegressionRmseMatchesXGBoost()
    {
        var refer = Reference().GetProperty("regression");
        var (train, test) = SplitByGroup(Glass.Value.Regression);
        var model = new GradientBoostedTrees(XgbParams(GbdtObjective.SquaredError, refer.GetProperty("rounds").GetInt32())).Fit(train);
        double rmse = Metrics.Rmse(test.Labels, model.Predict(test));
        double xgb = refer.GetProperty("test_rmse").GetDouble();
        Assert.True(Math.Abs(rmse - xgb) < 0.01 * xgb, $"RMSE {rmse} vs XGBoost {xgb}");
    }
}
