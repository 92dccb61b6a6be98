using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class NeighborCoarseGrainingTests
{
    // MRO columns against a direct (LINQ) recomputation over the neighbours.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesDirectRecomputation(bool includeSelf)
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var sro = PerAtomFeatures.Concat([
            new DistanceStatistics().Compute(frame, nl),
            new Steinhardt(new SteinhardtOptions { L = [6], Average = false }).Compute(frame, nl)]);
        var mro = new NeighborCoarseGraining(new() { IncludeSelf = includeSelf }).Compute(sro, nl);
        Assert.Equal(sro.FeatureCount * 6, mro.FeatureCount);
        Assert.Equal("cn_cut__nn_mean", mro.Names[0]);
        Assert.Equal("w6_cut__nn_diff", mro.Names[^1]);
        for (int i = 0; i < frame.Count; i += 5)
        {
            var who = nl.IndicesOf(i).ToArray().ToList();
            if (includeSelf) who.Insert(0, i);
            foreach (var col in sro.Names)
            {
                var vals = who.Select(j => sro[j, sro.IndexOf(col)]).ToArray();
                double mean = vals.Average();
                double std = Math.Sqrt(vals.Select(x => (x - mean) * (x - mean)).Average());
                Assert.Equal(mean, mro[i, mro.IndexOf(col + "__nn_mean")], 12);
                Assert.Equal(std, mro[i, mro.IndexOf(col + "__nn_std")], 12);
                Assert.Equal(vals.Min(), mro[i, mro.IndexOf(col + "__nn_min")]);
                Assert.Equal(vals.Max(), mro[i, mro.IndexOf(col + "__nn_max")]);
                Assert.Equal(vals.Sum(), mro[i, mro.IndexOf(col + "__nn_sum")], 10);
                Assert.Equal(mean - sro[i, sro.IndexOf(col)], mro[i, mro.IndexOf(col + "__nn_diff")], 12);
            }
        }
    }

    // NaN, infinities and signed zeros in 7 columns (the vector lanes and the scalar tail): a NaN among the neighbours' values
    // makes every statistic NaN, min/max are those of the values in neighbour order, sums add in neighbour order (bit for bit).
    [Fact]
    public void NaNInfinityAndSignedZeroInEveryLaneAndTheTail()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        int n = frame.Count, f = 7;
        var v = new double[n * f];
        var rnd = new Random(5);
        double[] odd = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0];
        for (int k = 0; k < v.Length; k++) v[k] = rnd.Next(12) == 0 ? odd[rnd.Next(odd.Length)] : rnd.NextDouble() * 4 - 2;
        var sro = new PerAtomFeatures(Enumerable.Range(0, f).Select(c => $"x{c}").ToArray(), n, v);
        var mro = new NeighborCoarseGraining(new() { Stats = [MroStat.Sum, MroStat.Min, MroStat.Max, MroStat.Std] }).Compute(sro, nl);
        int nanMin = 0;
        for (int i = 0; i < n; i++)
        {
            var who = nl.IndicesOf(i).ToArray();
            for (int c = 0; c < f; c++)
            {
                var vals = who.Select(j => v[j * f + c]).ToArray();
                double sum = 0;
                foreach (double x in vals) sum += x;
                bool nan = vals.Any(double.IsNaN);
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (double x in vals) { if (x < min) min = x; if (x > max) max = x; }
                if (nan) { min = max = double.NaN; nanMin++; }
                if (vals.Length == 0) { sum = min = max = double.NaN; }
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(mro[i, 4 * c]));
                Assert.Equal(double.IsNaN(min) ? "NaN" : BitConverter.DoubleToInt64Bits(min).ToString(), double.IsNaN(mro[i, 4 * c + 1]) ? "NaN" : BitConverter.DoubleToInt64Bits(mro[i, 4 * c + 1]).ToString());
                Assert.Equal(double.IsNaN(max) ? "NaN" : BitConverter.DoubleToInt64Bits(max).ToString(), double.IsNaN(mro[i, 4 * c + 2]) ? "NaN" : BitConverter.DoubleToInt64Bits(mro[i, 4 * c + 2]).ToString());
                if (nan) Assert.True(double.IsNaN(mro[i, 4 * c + 3]));
            }
        }
        Assert.True(nanMin > 0);
    }

    [Fact]
    public void StatsSubsetOrderParsingAndThreads()
    {
        var stats = NeighborCoarseGraining.ParseStats("mean, std,min,max,sum");
        Assert.Equal([MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max, MroStat.Sum], stats);
        Assert.Equal(6, NeighborCoarseGraining.ParseStats("all").Count);
        Assert.Throws<FormatException>(() => NeighborCoarseGraining.ParseStats("mean,median"));
        var frame = SroFixtures.ReadData("s1_ortho.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var sro = new DistanceStatistics().Compute(frame, nl);
        var a = new NeighborCoarseGraining(new() { Stats = stats, Threads = 1 }).Compute(sro, nl);
        var b = new NeighborCoarseGraining(new() { Stats = stats, Threads = 4 }).Compute(sro, nl);
        Assert.Equal(["cn_cut__nn_mean", "cn_cut__nn_std", "cn_cut__nn_min", "cn_cut__nn_max", "cn_cut__nn_sum"], a.Names.Take(5));
        Assert.Equal(a.Values, b.Values);
    }

    // RowInto with a column map (the seed set's work table): input column c's statistics go where the map says, a column mapped to
    // −1 is coarse-grained with the others but written nowhere — for an atom with neighbours and for one without (its statistics
    // NaN) — and every value equals the plain coarse-graining's.
    [Fact]
    public void RowIntoWithAColumnMapWritesOnlyTheMappedColumns()
    {
        // atom 0 has neighbours 1 and 2, atom 1 has neighbour 0, atom 2 has none
        var nl = new NeighborList([0, 2, 3, 3], [1, 2, 0], [1.0, 0.0, -1.0], [0.0, 1.0, 0.0], [0, 0, 0], [1, 1, 1], null, "voro");
        int n = 3, f = 6;
        var v = new double[n * f];
        for (int k = 0; k < v.Length; k++) v[k] = Math.Sin(k + 1) * 3;
        MroStat[] stats = [MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max];
        var cg = new NeighborCoarseGraining(new() { Stats = stats });
        var plain = cg.Compute(new PerAtomFeatures(Enumerable.Range(0, f).Select(c => $"x{c}").ToArray(), n, v), nl);
        // columns 1 .. 5 of the input, in the order 3, −, 0, −, 1 of the output's column groups
        int[] map = [3 * 4, -1, 0, -1, 1 * 4];
        const double Untouched = 12345.5;
        var a = new NeighborCoarseGraining.Accumulator(map.Length);
        for (int i = 0; i < n; i++)
        {
            var dest = new double[2 + 4 * 4 + 2];
            Array.Fill(dest, Untouched);
            cg.RowInto(i, v, f, 1, map.Length, nl.Offsets, nl.Index, dest, 2, a, map);
            var written = new bool[dest.Length];
            for (int c = 0; c < map.Length; c++)
            {
                if (map[c] < 0) continue;
                for (int t = 0; t < stats.Length; t++)
                {
                    double want = plain[i, (1 + c) * stats.Length + t];
                    Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits(dest[2 + map[c] + t]));
                    written[2 + map[c] + t] = true;
                }
            }
            for (int p = 0; p < dest.Length; p++) if (!written[p]) Assert.Equal(Untouched, dest[p]);
            if (i == 2) Assert.True(double.IsNaN(dest[2]));
        }
    }

    // Perfect FCC: every neighbour has the same value → std 0, min = max = mean, diff 0, sum = 12 × value.
    [Fact]
    public void UniformCrystal()
    {
        var frame = Lattices.Fcc(3, 4.0);
        var nl = new NeighborSearch(1).Ball(frame, 3.4);
        var sro = new DistanceStatistics().Compute(frame, nl);
        var mro = new NeighborCoarseGraining().Compute(sro, nl);
        Assert.Equal(12, mro[5, mro.IndexOf("cn_cut__nn_mean")]);
        Assert.Equal(144, mro[5, mro.IndexOf("cn_cut__nn_sum")]);
        Assert.Equal(0, mro[5, mro.IndexOf("cn_cut__nn_std")]);
        Assert.Equal(0, mro[5, mro.IndexOf("cn_cut__nn_diff")]);
    }

    [Fact]
    public void AverageIFoldFromNeighbourMeanVoronoiIndex()
    {
        // two atoms, each the other's only neighbour; Voronoi-index columns given directly
        var names = new[] { "voro_n3", "voro_n4", "voro_n5", "voro_n6", "voro_n7" };
        var sro = new PerAtomFeatures(names, 2, [0, 2, 8, 4, 0, 0, 0, 12, 0, 0]);
        var nl = new NeighborList([0, 1, 2], [1, 0], [1.0, -1.0], [0, 0], [0, 0], [1, 1], null, "voro");
        var mro = new NeighborCoarseGraining(new() { Stats = [MroStat.Mean] }).Compute(sro, nl);
        var avg = NeighborCoarseGraining.AverageIFold(mro);
        Assert.Equal("voro_ifold_5__nn_avgidx", avg.Names[2]);
        Assert.Equal(1.0, avg[0, 2]);               // atom 0 sees ⟨0,0,12,0⟩
        Assert.Equal(8.0 / 14.0, avg[1, 2], 15);    // atom 1 sees ⟨0,2,8,4⟩
    }
}
