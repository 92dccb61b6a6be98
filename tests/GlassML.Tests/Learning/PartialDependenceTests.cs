using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// Partial dependence of an additive model (depth-1 trees): in margin space PD_j(v) = base + Σ_{trees on j} t(v) +
/// Σ_{other trees} mean_rows t(x), and the two-way PD is the sum of the one-way parts minus the mean margin.
/// </summary>
public class PartialDependenceTests
{
    private static (FeatureTable, GradientBoostedTreesModel) Additive()
    {
        var t = GradientBoostedTreesTests.GlassTable("high_pe");
        string[] names = ["zr", "cn_3.6", "dmin", "g2_zr_3.25", "dmean_cu"];
        var cols = names.Select(n => t.Columns.ToList().IndexOf(n)).ToArray();
        var small = t.SelectColumns(cols).SelectRows(Enumerable.Range(0, 2000).ToArray());
        var m = new GradientBoostedTrees(new GradientBoostedTreesParameters { NEstimators = 30, MaxDepth = 1, LearningRate = 0.3 }).Fit(small);
        return (small, m);
    }

    private static double AdditivePd(GradientBoostedTreesModel m, FeatureTable t, int f, double v)
    {
        double s = m.BaseMargin;
        foreach (var tree in m.Trees)
        {
            if (tree.Feature[0] == f) { var row = new double[t.ColumnCount]; row[f] = v; s += tree.Predict(row); }
            else { double mean = 0; for (int r = 0; r < t.Rows; r++) mean += tree.Predict(t.Row(r)); s += mean / t.Rows; }
        }
        return s;
    }

    [Fact]
    public void OneWayMatchesAdditiveDecomposition()
    {
        var (t, m) = Additive();
        foreach (string name in new[] { "cn_3.6", "dmin", "zr" })
        {
            int f = t.Columns.ToList().IndexOf(name);
            var pd = PartialDependence.OneWay(m, t, name, points: 12, margin: true);
            Assert.True(pd.Grid.Length >= 2);
            for (int k = 1; k < pd.Grid.Length; k++) Assert.True(pd.Grid[k] > pd.Grid[k - 1]);
            for (int k = 0; k < pd.Grid.Length; k++) Assert.Equal(AdditivePd(m, t, f, pd.Grid[k]), pd.Average[k], 1e-9);
        }
        Assert.Equal([0.0, 1.0], PartialDependence.OneWay(m, t, "zr").Grid); // ≤ points distinct values: the values
    }

    [Fact]
    public void TwoWayIsSumOfOneWayForAdditiveModel()
    {
        var (t, m) = Additive();
        var pd2 = PartialDependence.TwoWay(m, t, "cn_3.6", "dmin", points: 6, margin: true);
        double meanMargin = m.PredictMargin(t).Average();
        int a = t.Columns.ToList().IndexOf("cn_3.6"), b = t.Columns.ToList().IndexOf("dmin");
        for (int i = 0; i < pd2.GridX.Length; i++)
            for (int j = 0; j < pd2.GridY.Length; j++)
                Assert.Equal(AdditivePd(m, t, a, pd2.GridX[i]) + AdditivePd(m, t, b, pd2.GridY[j]) - meanMargin, pd2.Average[i * pd2.GridY.Length + j], 1e-9);
        // probability space: mean of sigmoids of the modified rows
        var p = PartialDependence.OneWay(m, t, "dmin", points: 4);
        int fd = t.Columns.ToList().IndexOf("dmin");
        double expect = 0;
        for (int r = 0; r < t.Rows; r++) { var row = t.Row(r).ToArray(); row[fd] = p.Grid[2]; expect += m.PredictRow(row); }
        Assert.Equal(expect / t.Rows, p.Average[2], 1e-12);
    }
}
