using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Cross-validation pools out-of-fold predictions (scikit-learn cross_val_predict), folds kept whole by group.</summary>
public class CrossValidationTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "learning", name);

    private static readonly Dictionary<string, string> Knn5 = new() { ["k"] = "5", ["rule"] = "mean", ["standardize"] = "true" };

    [Fact]
    public void GroupedFoldsPoolOutOfFoldPredictionsLikeScikitLearn()
    {
        var table = FeatureTableCsv.Read(Fixture("cv_grouped.csv.gz"), "y");
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture("cv_grouped_sklearn.json")));
        var r = doc.RootElement;
        var cv = CrossValidation.Run(LearnerRegistry.Get("knn"), table, Knn5, k: 4, seed: 7, classifier: false, threads: 2);

        Assert.True(cv.Grouped);
        Assert.Equal(4, cv.GroupCount);
        Assert.Equal("group k-fold", cv.Scheme);
        var oof = r.GetProperty("oof").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < oof.Length; i++) Assert.Equal(oof[i], cv.OutOfFold.Prediction[i], 1e-12);
        // every fold holds out exactly one whole group
        for (int f = 0; f < 4; f++) Assert.Single(Enumerable.Range(0, table.Rows).Where(i => cv.FoldOf[i] == f).Select(i => table.Groups![i]).Distinct());

        var pooled = cv.Pooled.ToDictionary(m => m.Name, m => m.Value);
        foreach (var name in new[] { "r2", "rmse", "mae", "pearson" })
            Assert.Equal(r.GetProperty("pooled").GetProperty(name).GetDouble(), pooled[name], 1e-10);
        foreach (var fold in cv.PerFold)
        {
            int g = table.Groups![Array.IndexOf(cv.FoldOf, fold.Fold)];
            double want = r.GetProperty("per_group_r2").GetProperty(g.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble();
            Assert.Equal(want, fold.Metrics.First(m => m.Name == "r2").Value, 1e-9);
        }
        // the point of the fix: a mean of per-fold R² is very negative while the pooled R² is positive
        Assert.True(cv.MeanOverFolds("r2") < -5, $"mean per-fold R² {cv.MeanOverFolds("r2")}");
        Assert.Equal(r.GetProperty("mean_per_fold_r2").GetDouble(), cv.MeanOverFolds("r2"), 1e-9);
        Assert.True(pooled["r2"] > 0.3, $"pooled R² {pooled["r2"]}");
    }

    [Fact]
    public void UngroupedFoldsAreIndependentOfThreadsAndStratifiedForClassifiers()
    {
        var table = FeatureTableCsv.Read(Fixture("cv_grouped.csv.gz"), "y");
        var plain = new FeatureTable(table.Columns, table.Rows, table.Values, table.Labels);
        var a = CrossValidation.Run(LearnerRegistry.Get("svr"), plain, new Dictionary<string, string>(), 5, 1, false, threads: 1);
        var b = CrossValidation.Run(LearnerRegistry.Get("svr"), plain, new Dictionary<string, string>(), 5, 1, false, threads: 2);
        Assert.False(a.Grouped);
        Assert.Equal("k-fold", a.Scheme);
        Assert.Equal(a.OutOfFold.Prediction, b.OutOfFold.Prediction);
        // the pooled value is the metric of the concatenated out-of-fold predictions, not a mean over folds
        Assert.Equal(Metrics.R2(plain.Labels, a.OutOfFold.Prediction), a.Pooled.First(m => m.Name == "r2").Value);

        var cls = plain.WithLabels(plain.Labels!.Select(v => v > 3 ? 1.0 : 0.0).ToArray());
        var c = CrossValidation.Run(LearnerRegistry.Get("gbdt"), cls, new Dictionary<string, string> { ["n_estimators"] = "10" }, 3, 1, true);
        Assert.Equal("stratified k-fold", c.Scheme);
        Assert.Equal(Metrics.RocAuc(cls.Labels, c.OutOfFold.Probability!), c.Pooled.First(m => m.Name == "auc").Value);
    }
}
