using System.Globalization;
using GlassML.Descriptors;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// The interstice and packing-efficiency columns against amlearn's own featurizers (the seed authors' code) run on glass s1
/// with the same Voronoi neighbours and amlearn's default (Miracle) radii: tests/fixtures/amlearn/s1o.amlearn-packing.csv.gz
/// from tools/make_amlearn_packing_fixture.py.
/// </summary>
public class IntersticeAmlearnTests
{
    private static readonly (string Ours, string Theirs)[] Map =
    [
        .. new[] { "sum", "mean", "std", "min", "max" }.SelectMany(s => new[]
        {
            ($"interstice_dist_voro_{s}", $"Dist_interstice_{s}_voro"),
            ($"interstice_area_voro_{s}", $"Area_interstice_{s}_voro"),
            ($"interstice_vol_voro_{s}", $"Volume_interstice_{s}_voro"),
        }),
        ("cpe_voro", "Cluster_packing_efficiency_miracle_voro"),
        ("ape_voro", "Atomic_packing_efficiency_miracle_voro"),
    ];

    private static readonly Lazy<(PerAtomFeatures Ours, long[] Ids, Dictionary<long, double[]> Ref, string[] Header)> Data = new(() =>
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var ours = new IntersticeDistribution(Featurizer.MiracleRadii).Compute(frame, new VoronoiTessellation().Compute(frame));
        var lines = Fixtures.ReadLines("amlearn", "s1o.amlearn-packing.csv.gz");
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray())
            .ToDictionary(v => (long)v[0]);
        return (ours, frame.Ids, rows, header);
    });

    public static TheoryData<string, string> Columns()
    {
        var d = new TheoryData<string, string>();
        foreach (var (o, t) in Map) d.Add(o, t);
        return d;
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void Glass_Column_EqualsAmlearn(string ours, string theirs)
    {
        var (t, ids, rows, header) = Data.Value;
        int c = t.IndexOf(ours), k = Array.IndexOf(header, theirs);
        Assert.True(k > 0, $"{theirs} not in the fixture");
        Assert.Equal(ids.Length, rows.Count);
        for (int i = 0; i < ids.Length; i++)
        {
            double e = rows[ids[i]][k], a = t[i, c];
            // relative 1e-8; for values near 0 (sums/minima that cancel) an absolute 1e-10
            double err = Math.Abs(e - a) / (Math.Abs(e) + 1e-2);
            Assert.True(err <= 1e-8, $"{ours} atom id {ids[i]}: amlearn {e:R}, GlassML {a:R}");
        }
    }

    [Fact]
    public void NeighborListOverload_EqualsTessellationOverload()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var v = new VoronoiTessellation().Compute(frame);
        var d = new IntersticeDistribution(Featurizer.MiracleRadii);
        Assert.Equal(d.Compute(frame, v).Values, d.Compute(frame, v.Neighbors, v.Volume).Values);
        var noVol = d.Compute(frame, v.Neighbors);
        Assert.All(noVol.Column("interstice_packing"), x => Assert.True(double.IsNaN(x)));
        Assert.Throws<ArgumentException>(() => d.Compute(frame, v.Neighbors, [1.0, 2.0]));
    }
}
