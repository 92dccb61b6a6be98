using System.Globalization;
using GlassML.Descriptors;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

public class IntersticeDistributionTests
{
    private static void Near(double expected, double actual, double tol = 1e-10) =>
        Assert.True(Math.Abs(expected - actual) <= tol * (1 + Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Fcc_TouchingSpheres_AnalyticInterstices()
    {
        double a = 3.6, r = a / (2 * Math.Sqrt(2));
        var f = Lattices.Fcc(2, a);
        var t = new IntersticeDistribution(new Dictionary<string, double> { ["A"] = r }).Compute(f, new VoronoiTessellation().Compute(f));
        double tri = 1 - Math.PI / (2 * Math.Sqrt(3)), half = 1 - Math.PI / 4;
        for (int i = 0; i < f.Count; i++)
        {
            for (int k = 0; k < 4; k++) Near(0, t[i, k]);                      // all bonds touch
            Near((8 * tri + 12 * half) / 20, t[i, t.IndexOf("interstice_area_voro_mean")]); // 8 triangles + 6 squares split in two
            Near(tri, t[i, t.IndexOf("interstice_area_voro_min")]);
            Near(half, t[i, t.IndexOf("interstice_area_voro_max")]);
            Near(1 - Math.Sqrt(2) * Math.Acos(23.0 / 27), t[i, t.IndexOf("interstice_vol_voro_min")]); // regular tetrahedron
            Near(Math.PI / (3 * Math.Sqrt(2)), t[i, t.IndexOf("interstice_packing")]);
        }
    }

    [Fact]
    public void Bcc_PackingFraction()
    {
        double a = 3.2;
        var f = Lattices.Bcc(2, a);
        var t = new IntersticeDistribution(new Dictionary<string, double> { ["A"] = Math.Sqrt(3) * a / 4 }).Compute(f, new VoronoiTessellation().Compute(f));
        Near(Math.PI * Math.Sqrt(3) / 8, t[0, t.IndexOf("interstice_packing")]);
        Near(0, t[0, t.IndexOf("interstice_dist_voro_min")]);
    }

    private static readonly string[] RefColumns = new[] { "dist", "area", "vol" }
        .SelectMany(a => new[] { "mean", "std", "min", "max" }.Select(st => $"interstice_{a}_voro_{st}")).Append("interstice_packing").ToArray();

    [Fact]
    public void Glass_EqualsScipyHullReference()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var t = new IntersticeDistribution(VoronoiFixtures.Radii).Compute(frame, new VoronoiTessellation().Compute(frame));
        var rows = VoronoiFixtures.Lines("s1o.interstice.csv.gz").Skip(1)
            .Select(l => l.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray())
            .ToDictionary(v => (long)v[0]);
        for (int i = 0; i < frame.Count; i++)
        {
            var refRow = rows[frame.Ids[i]];
            for (int k = 0; k < 13; k++) Near(refRow[k + 1], t[i, t.IndexOf(RefColumns[k])], 1e-8);
        }
    }

    [Fact]
    public void ThreadCount_DoesNotChangeAnyBit_AndMissingRadiusThrows()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz");
        var v = new VoronoiTessellation().Compute(frame);
        Assert.Equal(new IntersticeDistribution(VoronoiFixtures.Radii, 1).Compute(frame, v).Values,
            new IntersticeDistribution(VoronoiFixtures.Radii, 2).Compute(frame, v).Values);
        Assert.Throws<ArgumentException>(() => new IntersticeDistribution(new Dictionary<string, double> { ["Cu"] = 1.28 }).Compute(frame, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntersticeDistribution(new Dictionary<string, double> { ["Cu"] = -1 }));
    }
}
