using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

public class IsotonicRegressionTests
{
    [Fact]
    public void EqualsScikitLearnOnGlassData()
    {
        var g = LoadGlass();
        double[] Col(int c) => Enumerable.Range(0, 500).Select(r => g.Features[r * 6 + c]).ToArray();
        var cases = new Dictionary<string, (double[] x, double[] y, double[]? w)>
        {
            ["q6_type"] = (Col(3), g.Type.Select(t => t == 2 ? 1.0 : 0.0).ToArray(), null),
            ["faces_pe"] = (Col(1), g.Pe, null),
            ["vol_pe_w"] = (Col(0), g.Pe, Enumerable.Range(0, 500).Select(i => 0.5 + i % 3).ToArray()),
        };
        var lines = Lines("isotonic.txt.gz");
        int li = 1, n = 0;
        while (li < lines.Length)
        {
            var h = lines[li++].Split(' ');
            var (x, y, w) = cases[h[1]];
            var iso = IsotonicRegression.Fit(x[..400], y[..400], w is null ? default : w[..400]);
            double[] q = [x.Min() - 1, x.Max() + 1, Median(x)];
            var p = iso.Predict([.. x[400..], .. q]);
            for (int r = 0; r < p.Length; r++) Close(D(lines[li++]), p[r], 1e-12, 1e-12, $"{h[1]} row {r}");
            for (int i = 1; i < iso.Y.Length; i++) Assert.True(iso.Y[i] >= iso.Y[i - 1]);
            n++;
        }
        Assert.Equal(3, n);
    }

    private static double Median(double[] v) { var s = v.OrderBy(t => t).ToArray(); return (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }

    [Fact]
    public void PoolsViolatorsAnalytically()
    {
        // y = 1, 3, 2, 4: the violating pair pools to 2.5
        var iso = IsotonicRegression.Fit([0.0, 1, 2, 3], [1.0, 3, 2, 4]);
        Assert.Equal([1.0, 2.5, 2.5, 4.0], iso.Y);
        Assert.Equal(1.75, iso.Predict(0.5), 14);
        Assert.Equal(4.0, iso.Predict(10), 14);
        var dec = IsotonicRegression.Fit([0.0, 1, 2], [3.0, 1, 2], increasing: false);
        Assert.Equal([3.0, 1.5, 1.5], dec.Y);
    }
}
