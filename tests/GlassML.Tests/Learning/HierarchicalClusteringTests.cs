using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

public class HierarchicalClusteringTests
{
    /// <summary>Same partition up to relabelling: a bijection between label sets.</summary>
    private static void SamePartition(int[] expected, int[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var fwd = new Dictionary<int, int>(); var back = new Dictionary<int, int>();
        for (int i = 0; i < expected.Length; i++)
        {
            if (fwd.TryGetValue(expected[i], out int a)) Assert.True(a == actual[i], $"{what}: observation {i}");
            else fwd[expected[i]] = actual[i];
            if (back.TryGetValue(actual[i], out int e)) Assert.True(e == expected[i], $"{what}: observation {i}");
            else back[actual[i]] = expected[i];
        }
    }

    [Fact]
    public void LinkageAndFclusterEqualScipy()
    {
        var g = LoadGlass();
        var sc = Standardizer.Fit(g.Slice(0, 400), 400, 6);
        var x = sc.Transform(g.Slice(0, 150));
        var lines = Lines("linkage.txt.gz");
        int li = 1, methods = 0;
        while (li < lines.Length)
        {
            string m = lines[li++].Split(' ')[1];
            var hc = HierarchicalClustering.Fit(x, 150, 6, m switch { "ward" => Linkage.Ward, "average" => Linkage.Average, _ => Linkage.Complete });
            for (int k = 0; k < 149; k++)
            {
                var t = lines[li++].Split(' ');
                var mg = hc.Merges[k];
                Assert.Equal(int.Parse(t[0]), mg.A); Assert.Equal(int.Parse(t[1]), mg.B);
                Close(D(t[2]), mg.Height, 1e-12, 1e-13, $"{m} height {k}");
                Assert.Equal(int.Parse(t[3]), mg.Size);
            }
            var fd = lines[li++].Split(' ');
            SamePartition(fd[2..].Select(int.Parse).ToArray(), hc.CutByDistance(D(fd[1])), $"{m} distance cut");
            var fm = lines[li++].Split(' ');
            var labels = hc.CutByCount(int.Parse(fm[1]));
            Assert.Equal(int.Parse(fm[1]), labels.Max());
            SamePartition(fm[2..].Select(int.Parse).ToArray(), labels, $"{m} maxclust");
            methods++;
        }
        Assert.Equal(3, methods);
    }

    [Fact]
    public void TwoWellSeparatedGroupsMergeLast()
    {
        // 1-D points {0, 1} and {10, 12}: complete linkage heights 1, 2, 12
        var hc = HierarchicalClustering.Fit([0.0, 1, 10, 12], 4, 1, Linkage.Complete);
        Assert.Equal([1.0, 2.0, 12.0], hc.Merges.Select(m => m.Height));
        Assert.Equal([1, 1, 2, 2], hc.CutByCount(2));
        // Ward: merging {0,1} and {10,12}: sqrt(2·n_a·n_b/(n_a+n_b))·|mean_a − mean_b| = sqrt(2)·10.5
        var w = HierarchicalClustering.Fit([0.0, 1, 10, 12], 4, 1, Linkage.Ward);
        Assert.Equal(Math.Sqrt(2) * 10.5, w.Merges[2].Height, 12);
    }
}
