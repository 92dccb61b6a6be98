using GlassML.Statistics;
using GlassML.Tests.Learning;

namespace GlassML.Tests.Statistics;

/// <summary>Correlation against scipy 1.10 (pearsonr, spearmanr, rankdata) on the committed metric vectors with many ties (tools/make_gbdt_fixtures.py metrics).</summary>
public class CorrelationTests
{
    private static double[] V(string name) => MetricsTests.V(name);
    private static double S(string name) => MetricsTests.S(name);

    [Fact]
    public void PearsonAndSpearmanEqualScipy()
    {
        var y = V("y"); var p = V("pred");
        Assert.Equal(S("pearson"), Correlation.Pearson(y, p), 1e-12);
        Assert.Equal(S("spearman"), Correlation.Spearman(y, p), 1e-12);
        Assert.Equal(S("spearman_ties"), Correlation.Spearman(V("scores"), p), 1e-12);
    }

    [Fact]
    public void AnalyticCases()
    {
        Assert.Equal([4.5, 4.5, 3, 1.5, 1.5], Correlation.AverageRanks([7, 7, 5, 2, 2]));
        Assert.Equal(1.0, Correlation.Pearson([1, 2, 3], [10, 20, 30]), 1e-15);
        Assert.Equal(-1.0, Correlation.Pearson([1, 2, 3], [3, 2, 1]), 1e-15);
        Assert.Equal(1.0, Correlation.Spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1e-15); // monotone, not linear
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3])));          // constant vector
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Correlation.Spearman([], []));
        Assert.Throws<ArgumentException>(() => Correlation.AverageRanks([1, double.NaN]));
    }
}
