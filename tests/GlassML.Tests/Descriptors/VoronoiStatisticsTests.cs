using GlassML.Descriptors;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

public class VoronoiStatisticsTests
{
    private static void Near(double expected, double actual, double rel = 1e-10, double abs = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= abs + rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void FeatureNames_FollowTheCatalogue()
    {
        var s = new VoronoiStatistics();
        Assert.Equal(82, s.FeatureCount);
        Assert.Equal("voro_cn", s.FeatureNames[0]);
        Assert.Contains("voro_n8plus", s.FeatureNames);
        Assert.Contains("voro_ifold_area_7", s.FeatureNames);
        Assert.Contains("voro_subvol_n5_sum", s.FeatureNames);
        Assert.Equal(s.FeatureCount, s.FeatureNames.Distinct().Count());
    }

    [Fact]
    public void Bcc_AnalyticTruncatedOctahedron()
    {
        double a = 3.1;
        var f = Lattices.Bcc(3, a);
        var t = new VoronoiStatistics(1).Compute(f, new VoronoiTessellation().Compute(f));
        double sq = a * a / 8, hex = 3 * Math.Sqrt(3) * a * a / 16;
        double total = 6 * sq + 8 * hex;
        for (int i = 0; i < f.Count; i++)
        {
            Near(14, t[i, t.IndexOf("voro_cn")]);
            Near(6, t[i, t.IndexOf("voro_n4")]);
            Near(8, t[i, t.IndexOf("voro_n6")]);
            Near(0, t[i, t.IndexOf("voro_n5")]);
            Near(a * a * a / 2, t[i, t.IndexOf("voro_volume")]);
            Near(total, t[i, t.IndexOf("voro_area")]);
            Near(total / 14, t[i, t.IndexOf("voro_facet_area_mean")]);
            double mean = total / 14;
            Near(Math.Sqrt((6 * sq * sq + 8 * hex * hex) / 14 - mean * mean), t[i, t.IndexOf("voro_facet_area_std")], 1e-8);
            Near(sq, t[i, t.IndexOf("voro_facet_area_min")]);
            Near(hex, t[i, t.IndexOf("voro_facet_area_max")]);
            Near(a * a * a / 48, t[i, t.IndexOf("voro_subvol_min")]);
            Near(3 * a * a * a / 64, t[i, t.IndexOf("voro_subvol_max")]);
            Near(6.0 / 14, t[i, t.IndexOf("voro_ifold_4")]);
            Near(8.0 / 14, t[i, t.IndexOf("voro_ifold_6")]);
            Near(6 * sq / total, t[i, t.IndexOf("voro_ifold_area_4")]);
            Near(8 * hex / total, t[i, t.IndexOf("voro_ifold_area_6")]);
            Near(hex, t[i, t.IndexOf("voro_facet_area_n6_mean")]);
            Near(0, t[i, t.IndexOf("voro_facet_area_n6_std")], 0, 1e-7);
            Near(8 * hex, t[i, t.IndexOf("voro_facet_area_n6_sum")]);
            Near(6 * a * a * a / 48, t[i, t.IndexOf("voro_subvol_n4_sum")]);
            Near(0, t[i, t.IndexOf("voro_subvol_n5_max")]);
        }
    }

    [Fact]
    public void Glass_EqualsStatisticsOfLammpsFacesAndVoroPlusPlusIndices()
    {
        var (frame, lam) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var local = VoronoiFixtures.ReadLocal("s1o.plain.local.gz");
        var vol = VoronoiFixtures.ReadVoroVol("s1o.voro++-plain.vol.gz");
        var t = new VoronoiStatistics().Compute(frame, new VoronoiTessellation().Compute(frame));
        for (int i = 0; i < frame.Count; i++)
        {
            var areas = local[frame.Ids[i]].Select(x => x.Area).ToArray();
            Near(lam[1][i], t[i, t.IndexOf("voro_cn")]);
            Near(lam[0][i], t[i, t.IndexOf("voro_volume")], 1e-8);
            Near(areas.Sum(), t[i, t.IndexOf("voro_area")], 1e-8);
            double mean = areas.Average();
            Near(mean, t[i, t.IndexOf("voro_facet_area_mean")], 1e-8);
            Near(Math.Sqrt(areas.Select(x => (x - mean) * (x - mean)).Average()), t[i, t.IndexOf("voro_facet_area_std")], 1e-7, 1e-9);
            Near(areas.Min(), t[i, t.IndexOf("voro_facet_area_min")], 1e-8);
            Near(areas.Max(), t[i, t.IndexOf("voro_facet_area_max")], 1e-8);
            var freq = vol[frame.Ids[i]].Freq;
            int F(int e) => e < freq.Length ? freq[e] : 0;
            for (int e = 3; e <= 7; e++) Near(F(e), t[i, t.IndexOf($"voro_n{e}")]);
            int n8 = 0; for (int e = 8; e < freq.Length; e++) n8 += freq[e];
            Near(n8, t[i, t.IndexOf("voro_n8plus")]);
            int n37 = F(3) + F(4) + F(5) + F(6) + F(7);
            for (int e = 3; e <= 7; e++) Near((double)F(e) / n37, t[i, t.IndexOf($"voro_ifold_{e}")]);
        }
    }

    [Fact]
    public void ThreadCount_DoesNotChangeAnyBit()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz");
        var v = new VoronoiTessellation().Compute(frame);
        Assert.Equal(new VoronoiStatistics(1).Compute(frame, v).Values, new VoronoiStatistics(2).Compute(frame, v).Values);
    }
}
