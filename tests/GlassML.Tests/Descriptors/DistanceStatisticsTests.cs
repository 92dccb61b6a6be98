using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class DistanceStatisticsTests
{
    [Fact]
    public void FccFirstShell()
    {
        var frame = Lattices.Fcc(3, 4.0);
        var nl = new NeighborSearch(1).Ball(frame, 3.4);
        var res = new DistanceStatistics(new() { IncludeSum = true }).Compute(frame, nl);
        Assert.Equal(["cn_cut", "dist_cut_mean", "dist_cut_std", "dist_cut_min", "dist_cut_max", "dist_cut_sum"], res.Names);
        double d = 4.0 / Math.Sqrt(2);
        for (int i = 0; i < frame.Count; i++)
        {
            Assert.Equal(12, res[i, 0]);
            Assert.Equal(d, res[i, 1], 12); Assert.Equal(0, res[i, 2], 7);
            Assert.Equal(d, res[i, 3], 12); Assert.Equal(d, res[i, 4], 12); Assert.Equal(12 * d, res[i, 5], 11);
        }
    }

    // Against brute-force minimum-image distances (box 20.8 Å > 2 × 3.8 Å), population std.
    [Fact]
    public void GlassMatchesBruteForce()
    {
        var frame = SroFixtures.ReadData("s1_ortho.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var res = new DistanceStatistics().Compute(frame, nl);
        double L = frame.Box.A.X;
        for (int i = 0; i < frame.Count; i += 3)
        {
            var ds = new List<double>();
            for (int j = 0; j < frame.Count; j++)
            {
                if (j == i) continue;
                double dx = frame.X[j] - frame.X[i], dy = frame.Y[j] - frame.Y[i], dz = frame.Z[j] - frame.Z[i];
                dx -= L * Math.Round(dx / L); dy -= L * Math.Round(dy / L); dz -= L * Math.Round(dz / L);
                double r = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                if (r < 3.8) ds.Add(r);
            }
            double mean = ds.Average();
            Assert.Equal(ds.Count, res[i, 0]);
            Assert.Equal(mean, res[i, 1], 12);
            Assert.Equal(Math.Sqrt(ds.Sum(x => (x - mean) * (x - mean)) / ds.Count), res[i, 2], 12);
            Assert.Equal(ds.Min(), res[i, 3], 12);
            Assert.Equal(ds.Max(), res[i, 4], 12);
        }
    }

    [Fact]
    public void ThreadCountBitIdentical()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz").Replicate(2, 1, 2);
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var a = new DistanceStatistics(new() { Threads = 1, IncludeSum = true }).Compute(frame, nl);
        var b = new DistanceStatistics(new() { Threads = 3, IncludeSum = true }).Compute(frame, nl);
        Assert.Equal(a.Values, b.Values);
    }

    [Fact]
    public void NoNeighboursGivesZeroAndNaN()
    {
        var frame = Lattices.Fcc(2, 4.0);
        var nl = new NeighborSearch(1).Ball(frame, 1.0);
        var res = new DistanceStatistics().Compute(frame, nl);
        Assert.Equal(0, res[0, 0]);
        for (int k = 1; k < 5; k++) Assert.True(double.IsNaN(res[0, k]));
    }
}
