using System.IO.Compression;
using System.Text.Json;
using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Metrics against scikit-learn 1.2 / scipy on committed vectors with many ties (tools/make_gbdt_fixtures.py metrics).</summary>
public class MetricsTests
{
    /// <summary>The committed scikit-learn/scipy reference values (also read by the Statistics tests).</summary>
    internal static readonly Lazy<JsonElement> Ref = new(() =>
    {
        using var gz = new GZipStream(File.OpenRead(GradientBoostedTreesTests.Fixture("gbdt_metrics_sklearn.json.gz")), CompressionMode.Decompress);
        return JsonDocument.Parse(gz).RootElement.Clone();
    });

    internal static double[] V(string name) => Ref.Value.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
    internal static double S(string name) => Ref.Value.GetProperty(name).GetDouble();

    [Fact]
    public void RocAucWithTiesEqualsSklearn()
    {
        Assert.Equal(S("auc"), Metrics.RocAuc(V("labels"), V("scores")), 1e-12);
        Assert.Equal(S("auc2"), Metrics.RocAuc(V("labels2"), V("scores2")), 1e-12);
    }

    [Fact]
    public void RocCurveEqualsSklearn()
    {
        var roc = Metrics.Roc(V("labels"), V("scores"));
        var fpr = V("roc_fpr"); var tpr = V("roc_tpr"); var th = V("roc_thresholds");
        Assert.Equal(fpr.Length, roc.FalsePositiveRate.Length);
        for (int i = 0; i < fpr.Length; i++)
        {
            Assert.Equal(fpr[i], roc.FalsePositiveRate[i], 1e-12);
            Assert.Equal(tpr[i], roc.TruePositiveRate[i], 1e-12);
        }
        Assert.True(double.IsPositiveInfinity(roc.Thresholds[0]));
        Assert.Equal(th, roc.Thresholds[1..]);
        // trapezoid area = AUC
        double area = 0;
        for (int i = 1; i < fpr.Length; i++) area += (roc.FalsePositiveRate[i] - roc.FalsePositiveRate[i - 1]) * (roc.TruePositiveRate[i] + roc.TruePositiveRate[i - 1]) / 2;
        Assert.Equal(S("auc"), area, 1e-12);
    }

    [Fact]
    public void RegressionMetricsEqualSklearnAndScipy()
    {
        var y = V("y"); var p = V("pred");
        Assert.Equal(S("r2"), Metrics.R2(y, p), 1e-12);
        Assert.Equal(S("mae"), Metrics.Mae(y, p), 1e-12);
        Assert.Equal(S("rmse"), Metrics.Rmse(y, p), 1e-12);
        Assert.Equal(S("pearson"), Metrics.Pearson(y, p), 1e-12);
        Assert.Equal(S("spearman"), Metrics.Spearman(y, p), 1e-12);
        Assert.Equal(S("spearman_ties"), Metrics.Spearman(V("scores"), p), 1e-12);
    }

    [Fact]
    public void AccuracyEqualsSklearn()
    {
        Assert.Equal(S("accuracy"), Metrics.AccuracyAt(V("labels"), V("scores"), S("accuracy_threshold")), 1e-15);
        var pred = V("scores").Select(s => s >= S("accuracy_threshold") ? 1.0 : 0.0).ToArray();
        Assert.Equal(S("accuracy"), Metrics.Accuracy(V("labels"), pred), 1e-15);
    }

    [Fact]
    public void AnalyticCases()
    {
        Assert.Equal(0.5, Metrics.RocAuc([0, 1, 0, 1], [1, 1, 1, 1]));          // all tied
        Assert.Equal(1.0, Metrics.RocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]));
        Assert.Equal(0.875, Metrics.RocAuc([0, 1, 0, 1], [0.1, 0.5, 0.5, 0.9])); // 3 won pairs + one tie counted ½, of 4
        Assert.Equal([1.5, 1.5, 3, 4.5, 4.5], Metrics.AverageRanks([2, 2, 5, 7, 7]));
        Assert.Equal(1.0, Metrics.R2([1, 1, 1], [1, 1, 1]));
        Assert.Equal(0.0, Metrics.R2([1, 1, 1], [1, 2, 1]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([1, 1], [0.2, 0.3]));
        Assert.Throws<ArgumentException>(() => Metrics.Rmse([1, 2], [1]));
    }
}
