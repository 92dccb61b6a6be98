using System.Text.Json;
using Xunit.Abstractions;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// GBDT against XGBoost 1.7 hist on the full MD glass table (160,500 rows = 321 NVT frames × 500 atoms of the
/// Cu50Zr50 glass s1, features computed from the committed trajectory; tests/fixtures/learning/README.md):
/// same rows, same split (group % 5 == 4 is test: 128,500 train / 32,000 test), same parameters.
/// </summary>
public class GradientBoostedTreesTests(ITestOutputHelper output)
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "learning", name);

    /// <summary>
    /// The first 40 frames (20,000 rows) of the MD glass table with <paramref name="target"/> ("high_pe" or "pe") as
    /// labels: the data of the smaller learning tests.
    /// </summary>
    internal static FeatureTable GlassTable(string target) => GlassMdTable.Full.Table(target, 20000);

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

    /// <summary>The C# features equal the numpy features of the script on sample rows (incl. missing dmean_*), and the table has the same shape.</summary>
    [Fact]
    public void FeatureTableEqualsPythonTable()
    {
        var root = Reference();
        var data = GlassMdTable.Full;
        Assert.Equal(root.GetProperty("rows").GetInt32(), data.Rows);
        Assert.Equal(root.GetProperty("features").EnumerateArray().Select(e => e.GetString()!), GlassMdTable.FeatureNames);
        int nf = GlassMdTable.FeatureNames.Length;
        Assert.Equal(root.GetProperty("missing_values").GetInt32(), data.X.Count(double.IsNaN));
        Assert.Equal(root.GetProperty("positives").GetInt32(), (int)data.HighPe.Sum());
        Assert.Equal(root.GetProperty("pe_sum").GetDouble(), data.Pe.Sum(), 1e-6);
        // every row: per-column sums over the whole table (NaN skipped); one shell count off would change a sum by 1
        var sums = root.GetProperty("column_sums").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int c = 0; c < nf; c++)
        {
            double sum = 0;
            for (int r = 0; r < data.Rows; r++) { double v = data.X[(long)r * nf + c]; if (!double.IsNaN(v)) sum += v; }
            Assert.True(Math.Abs(sum - sums[c]) <= 1e-10 * Math.Abs(sums[c]), $"{GlassMdTable.FeatureNames[c]}: column sum {sum} vs numpy {sums[c]}");
        }
        var s = root.GetProperty("sample");
        int[] I(string n) => s.GetProperty(n).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var rows = I("rows"); var group = I("group"); var id = I("id"); var high = I("high_pe");
        var pe = s.GetProperty("pe").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var x = s.GetProperty("features").EnumerateArray().Select(r => r.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble()).ToArray()).ToArray();
        Assert.Contains(x, r => r.Any(double.IsNaN));
        for (int k = 0; k < rows.Length; k++)
        {
            int r = rows[k];
            Assert.Equal(group[k], data.Group[r]);
            Assert.Equal(id[k], data.Ids[r]);
            Assert.Equal(pe[k], data.Pe[r]);
            Assert.Equal(high[k], data.HighPe[r]);
            for (int c = 0; c < nf; c++)
            {
                double want = x[k][c], got = data.X[(long)r * nf + c];
                if (double.IsNaN(want)) Assert.True(double.IsNaN(got), $"row {r} {GlassMdTable.FeatureNames[c]}: {got} vs NaN");
                else Assert.True(Math.Abs(got - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"row {r} {GlassMdTable.FeatureNames[c]}: {got} vs {want}");
            }
        }
    }

    [Fact]
    public void BinaryAucMatchesXGBoost()
    {
        var refer = Reference().GetProperty("binary");
        var (train, test) = SplitByGroup(GlassMdTable.Full.Table("high_pe", GlassMdTable.Full.Rows));
        Assert.Equal(Reference().GetProperty("train_rows").GetInt32(), train.Rows);
        Assert.Equal(Reference().GetProperty("test_rows").GetInt32(), test.Rows);
        var model = new GradientBoostedTrees(XgbParams(GbdtObjective.BinaryLogistic, refer.GetProperty("rounds").GetInt32())).Fit(train);
        double auc = Metrics.RocAuc(test.Labels, model.Predict(test));
        double xgb = refer.GetProperty("test_auc").GetDouble();
        output.WriteLine($"test AUC {auc:F6}, XGBoost {xgb:F6} ({train.Rows} train / {test.Rows} test rows)");
        Assert.True(Math.Abs(auc - xgb) < 0.005, $"AUC {auc} vs XGBoost {xgb}");
    }

    [Fact]
    public void RegressionRmseMatchesXGBoost()
    {
        var refer = Reference().GetProperty("regression");
        var (train, test) = SplitByGroup(GlassMdTable.Full.Table("pe", GlassMdTable.Full.Rows));
        var model = new GradientBoostedTrees(XgbParams(GbdtObjective.SquaredError, refer.GetProperty("rounds").GetInt32())).Fit(train);
        double rmse = Metrics.Rmse(test.Labels, model.Predict(test));
        double xgb = refer.GetProperty("test_rmse").GetDouble();
        output.WriteLine($"test RMSE {rmse:F6} eV, XGBoost {xgb:F6} eV ({train.Rows} train / {test.Rows} test rows)");
        Assert.True(Math.Abs(rmse - xgb) < 0.01 * xgb, $"RMSE {rmse} vs XGBoost {xgb}");
    }
}
