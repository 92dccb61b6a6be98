using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

public class NearestNeighborsTests
{
    [Fact]
    public void MatchesScikitLearnOnGlassFeatures()
    {
        var g = LoadGlass();
        var train = g.Slice(0, 400); var test = g.Slice(400, 500);
        var type = g.Type.Take(400).Select(t => (double)t).ToArray();
        var pe = g.Pe.Take(400).ToArray();
        var lines = Lines("knn.txt.gz");
        int li = 1, cases = 0;
        while (li < lines.Length)
        {
            int k = int.Parse(lines[li++].Split(' ')[1]);
            var opt = new NearestNeighborsOptions(K: k, Standardize: true, Threads: 2);
            var clf = NearestNeighbors.Fit(opt, train, 400, 6, type);
            var reg = NearestNeighbors.Fit(opt, train, 400, 6, pe);
            var nb = clf.Query(test);
            var vote = clf.VoteLabels(nb);
            var mean = clf.MeanLabels(nb);
            var pr = reg.PredictMean(test);
            for (int r = 0; r < 100; r++)
            {
                var t = lines[li++].Split(' ');
                Assert.Equal(D(t[0]), vote[r]);
                Close(D(t[1]), mean[r], 1e-12, 1e-12, $"k={k} mean type row {r}");
                Close(D(t[2]), pr[r], 1e-12, 1e-12, $"k={k} regression row {r}");
                for (int j = 0; j < k; j++) Assert.Equal(int.Parse(t[3 + j]), nb.Indices[r * k + j]);
            }
            cases++;
        }
        Assert.Equal(3, cases);
    }

    [Fact]
    public void KdTreeEqualsBruteForceAndIsThreadIndependent()
    {
        var rng = new Random(5);
        int n = 3000, d = 4, q = 200, k = 17;
        var x = new double[n * d]; for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() * (1 + i % d);
        var qs = new double[q * d]; for (int i = 0; i < qs.Length; i++) qs[i] = rng.NextDouble() * 3;
        var labels = new double[n];
        var nn1 = NearestNeighbors.Fit(new NearestNeighborsOptions(k, false, 8, 1), x, n, d, labels).Query(qs);
        var nn2 = NearestNeighbors.Fit(new NearestNeighborsOptions(k, false, 8, 2), x, n, d, labels).Query(qs);
        Assert.Equal(nn1.Indices, nn2.Indices);
        Assert.Equal(nn1.Distances, nn2.Distances);
        for (int r = 0; r < q; r++)
        {
            var all = Enumerable.Range(0, n).Select(i =>
            {
                double s = 0; for (int c = 0; c < d; c++) { double t = x[i * d + c] - qs[r * d + c]; s += t * t; }
                return (s: Math.Sqrt(s), i);
            }).OrderBy(p => p.s).ThenBy(p => p.i).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(all[j].i, nn1.Indices[r * k + j]);
                Assert.Equal(all[j].s, nn1.Distances[r * k + j], 12);
            }
        }
    }
}
