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

    // lag-feature-like rows lg(Δr²/T) at 10 lags: strongly correlated columns, rounded to 3 decimals (exact ties),
    // duplicated rows and rows one ulp apart (near-ties)
    private static double[] LagRows(Random rng, int n, double shift)
    {
        double[] lags = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
        int d = lags.Length;
        var x = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double t = 100 + 400 * rng.Next(4), amp = 0.02 * t / 300 * (0.7 + 0.6 * rng.NextDouble());
            double dif = 1e-3 * Math.Exp(-2000 / t) * Math.Exp(rng.NextDouble() * 2 - 1);
            for (int c = 0; c < d; c++)
            {
                double r2 = amp * (1 - Math.Exp(-lags[c] / 0.05)) + 6 * dif * lags[c];
                x[i * d + c] = Math.Round(Math.Log10(r2 / t) + shift + 0.05 * (rng.NextDouble() - 0.5), 3);
            }
        }
        for (int i = 0; i < n / 10; i++) // duplicates and one-ulp neighbours of earlier rows
        {
            int src = rng.Next(n / 2), dst = n / 2 + rng.Next(n / 2);
            for (int c = 0; c < d; c++) x[dst * d + c] = i % 2 == 0 ? x[src * d + c] : Math.BitIncrement(x[src * d + c]);
        }
        return x;
    }

    private static (int[] Idx, double[] Dist) BruteForce(double[] x, int n, int d, ReadOnlySpan<double> q, int k)
    {
        var s = new (double S, int I)[n];
        for (int i = 0; i < n; i++)
        {
            double a = 0;
            for (int c = 0; c < d; c++) { double t = x[i * d + c] - q[c]; a += t * t; }
            s[i] = (a, i);
        }
        var top = s.OrderBy(p => p.S).ThenBy(p => p.I).Take(k).ToArray();
        return (top.Select(p => p.I).ToArray(), top.Select(p => Math.Sqrt(p.S)).ToArray());
    }

    [Theory]
    [InlineData(50, 64)]
    [InlineData(7, 8)]
    [InlineData(1, 4)]
    public void PrincipalAxisSearchEqualsBruteForceBitForBitWithNearTies(int k, int leaf)
    {
        var rng = new Random(11);
        int n = 4000, d = 10;
        var x = LagRows(rng, n, 0);
        // queries: training rows, their one-ulp neighbours, midpoints of two training rows (ties), and shifted rows far
        // from the training cloud (as trajectories under load are)
        var far = LagRows(rng, 100, 0.4);
        var qs = new double[400 * d];
        for (int r = 0; r < 400; r++)
        {
            int a = rng.Next(n), b = rng.Next(n);
            for (int c = 0; c < d; c++)
                qs[r * d + c] = (r % 4) switch
                {
                    0 => x[a * d + c],
                    1 => Math.BitDecrement(x[a * d + c]),
                    2 => 0.5 * (x[a * d + c] + x[b * d + c]),
                    _ => far[(r / 4) * d + c],
                };
        }
        var labels = new double[n];
        var fast = NearestNeighbors.Fit(new NearestNeighborsOptions(k, false, leaf, 2), x, n, d, labels).Query(qs);
        var plain = NearestNeighbors.Fit(new NearestNeighborsOptions(k, false, leaf, 1, PrincipalAxes: false), x, n, d, labels).Query(qs);
        Assert.Equal(plain.Indices, fast.Indices);
        Assert.Equal(plain.Distances, fast.Distances);
        int ties = 0;
        for (int r = 0; r < 400; r++)
        {
            var (idx, dist) = BruteForce(x, n, d, qs.AsSpan(r * d, d), k);
            Assert.Equal(idx, fast.Indices.AsSpan(r * k, k).ToArray());
            for (int j = 0; j < k; j++) Assert.Equal(BitConverter.DoubleToInt64Bits(dist[j]), BitConverter.DoubleToInt64Bits(fast.Distances[r * k + j]));
            for (int j = 1; j < k; j++) if (dist[j] == dist[j - 1]) ties++;
        }
        if (k > 1) Assert.True(ties > 50, $"only {ties} exact ties: the test would not exercise the tie rule");
    }

    [Fact]
    public void PrincipalAxisSearchStandardisedAndNonFiniteQueriesEqualThePlainTree()
    {
        var rng = new Random(3);
        int n = 3000, d = 10, k = 20;
        var x = LagRows(rng, n, 0);
        var qs = LagRows(rng, 64, 0.2);
        qs[5 * d + 3] = double.NegativeInfinity; // lg(0): an atom that did not move at the printed precision
        var labels = Enumerable.Range(0, n).Select(i => (double)(i % 7)).ToArray();
        var a = NearestNeighbors.Fit(new NearestNeighborsOptions(k, true, 64, 2), x, n, d, labels);
        var b = NearestNeighbors.Fit(new NearestNeighborsOptions(k, true, 64, 1, PrincipalAxes: false), x, n, d, labels);
        var na = a.Query(qs); var nb = b.Query(qs);
        Assert.Equal(nb.Indices, na.Indices);
        Assert.Equal(nb.Distances, na.Distances);
        Assert.Equal(b.MeanLabels(nb), a.MeanLabels(na));
    }
}
