using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
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

    /// <summary>amlearn's own neighbours (its Voronoi with the default 5 % small-face filter) and its features on them.</summary>
    private static readonly Lazy<(Frame Frame, VoronoiResult Voro, Dictionary<long, HashSet<long>> Nbrs, Dictionary<long, double[]> Ref, string[] Header)> Seed = new(() =>
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var lines = Fixtures.ReadLines("amlearn", "s1o.amlearn-seed.csv.gz");
        var header = lines[0].Split(',');
        var nbrs = new Dictionary<long, HashSet<long>>();
        var rows = new Dictionary<long, double[]>();
        foreach (var l in lines.Skip(1).Where(l => l.Length > 0))
        {
            var t = l.Split(',');
            long id = long.Parse(t[0], CultureInfo.InvariantCulture);
            nbrs[id] = [.. t[1].Split(';').Select(x => long.Parse(x, CultureInfo.InvariantCulture))];
            rows[id] = [.. t.Select((x, k) => k == 1 ? double.NaN : double.Parse(x, CultureInfo.InvariantCulture))];
        }
        return (frame, new VoronoiTessellation().Compute(frame), nbrs, rows, header);
    });

    [Fact]
    public void AmlearnSmallFaceRule_OnOurTessellation_GivesAmlearnsNeighbours()
    {
        var (frame, v, nbrs, _, _) = Seed.Value;
        var nl = AmlearnNeighbors.SmallFaceFiltered(frame, v);
        int changed = 0;
        for (int i = 0; i < frame.Count; i++)
        {
            var ours = nl.IndicesOf(i).ToArray().Select(j => frame.Ids[j]).ToHashSet();
            Assert.True(nbrs[frame.Ids[i]].SetEquals(ours), $"atom id {frame.Ids[i]}: amlearn {string.Join(' ', nbrs[frame.Ids[i]].Order())}, ours {string.Join(' ', ours.Order())}");
            if (nl.CountOf(i) != v.Neighbors.CountOf(i)) changed++;
        }
        Assert.InRange(changed, 100, 400); // the filter matters: it removes faces around ~45 % of the atoms of s1
        Assert.Equal(v.Neighbors.Index, AmlearnNeighbors.SmallFaceFiltered(frame, v, 0).Index);
        Assert.Throws<ArgumentOutOfRangeException>(() => AmlearnNeighbors.SmallFaceFiltered(frame, v, -1));
    }

    public static TheoryData<string, string> SeedColumns() => Columns();

    [Theory]
    [MemberData(nameof(SeedColumns))]
    public void Glass_AmlearnNeighbours_Column_EqualsAmlearnSeedPipeline(string ours, string theirs)
    {
        var (frame, v, nbrs, rows, header) = Seed.Value;
        // amlearn's own neighbour sets, taken from the fixture (not from our filter)
        var nl = v.Neighbors.Filter((i, p) => nbrs[frame.Ids[i]].Contains(frame.Ids[v.Neighbors.Index[p]]));
        var t = new IntersticeDistribution(Featurizer.MiracleRadii).Compute(frame, nl, v.Volume);
        int c = t.IndexOf(ours), k = Array.IndexOf(header, theirs);
        Assert.True(k > 1, $"{theirs} not in the fixture");
        for (int i = 0; i < frame.Count; i++)
        {
            double e = rows[frame.Ids[i]][k], a = t[i, c];
            Assert.True(Math.Abs(e - a) / (Math.Abs(e) + 1e-2) <= 1e-8, $"{ours} atom id {frame.Ids[i]}: amlearn {e:R}, GlassML {a:R}");
        }
    }
}

/// <summary>
/// The seed feature set end to end (<c>Featurizer</c> with <c>seed</c>, default options = amlearn's defaults: plain Voronoi, 5 %
/// small-face rule, Miracle radii) against amlearn's own pipeline on glass s1 (tests/fixtures/amlearn/s1o.amlearn-seed.csv.gz).
/// </summary>
public class SeedAmlearnPipelineTests
{
    [Fact]
    public void SeedSet_ShellAndPackingColumns_EqualAmlearnsPipeline()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var seed = new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"] }).Compute(frame);
        var lines = Fixtures.ReadLines("amlearn", "s1o.amlearn-seed.csv.gz");
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToDictionary(t => long.Parse(t[0], CultureInfo.InvariantCulture));
        int cn = seed.IndexOf("voro_cn");
        var cols = new List<(int Ours, int Theirs, string Name)>();
        foreach (var s in new[] { "sum", "mean", "std", "min", "max" })
        {
            cols.Add((seed.IndexOf($"interstice_dist_voro_{s}"), Array.IndexOf(header, $"Dist_interstice_{s}_voro"), $"interstice_dist_voro_{s}"));
            cols.Add((seed.IndexOf($"interstice_area_voro_{s}"), Array.IndexOf(header, $"Area_interstice_{s}_voro"), $"interstice_area_voro_{s}"));
            cols.Add((seed.IndexOf($"interstice_vol_voro_{s}"), Array.IndexOf(header, $"Volume_interstice_{s}_voro"), $"interstice_vol_voro_{s}"));
        }
        cols.Add((seed.IndexOf("cpe_voro"), Array.IndexOf(header, "Cluster_packing_efficiency_miracle_voro"), "cpe_voro"));
        cols.Add((seed.IndexOf("ape_voro"), Array.IndexOf(header, "Atomic_packing_efficiency_miracle_voro"), "ape_voro"));
        Assert.True(cn >= 0);
        int present = cols.Count(c => c.Ours >= 0 && c.Theirs > 1);
        Assert.True(present >= 5, $"only {present} packing/interstice columns of the seed set found in both tables");
        for (int i = 0; i < frame.Count; i++)
        {
            var t = rows[frame.Ids[i]];
            Assert.Equal(t[1].Split(';').Length, (int)seed[i, cn]);
            foreach (var (o, k, name) in cols)
            {
                if (o < 0 || k <= 1) continue;
                double e = double.Parse(t[k], CultureInfo.InvariantCulture), a = seed[i, o];
                Assert.True(Math.Abs(e - a) / (Math.Abs(e) + 1e-2) <= 1e-8, $"{name} atom id {frame.Ids[i]}: amlearn {e:R}, GlassML seed {a:R}");
            }
        }
    }

    [Fact]
    public void KeepFaces_SubsetsFacesAndKeepsCells()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var v = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true }).Compute(frame);
        var all = v.KeepFaces(Enumerable.Repeat(true, v.FaceCount).ToArray());
        Assert.Equal(v.FaceOffsets, all.FaceOffsets); Assert.Equal(v.FaceArea, all.FaceArea); Assert.Equal(v.VertexX, all.VertexX);
        var keep = AmlearnNeighbors.SmallFaceMask(frame, v);
        Assert.Contains(false, keep); // the rule drops some faces of this glass
        Assert.Equal(keep, AmlearnNeighbors.SmallFaceMask(frame, v, threads: 2)); // chunks in parallel: the same mask
        var k = v.KeepFaces(keep);
        Assert.Equal(v.Volume, k.Volume); Assert.Equal(v.Area, k.Area);
        Assert.Equal(keep.Count(b => b), k.FaceCount);
        for (int i = 0, q = 0; i < frame.Count; i++)
            for (int p = v.FaceOffsets[i]; p < v.FaceOffsets[i + 1]; p++)
            {
                if (!keep[p]) continue;
                Assert.Equal(v.FaceNeighbor[p], k.FaceNeighbor[q]);
                Assert.Equal(v.FaceSubVolume[p], k.FaceSubVolume[q]);
                Assert.Equal(v.FaceVertexOffsets![p + 1] - v.FaceVertexOffsets[p], k.FaceVertexOffsets![q + 1] - k.FaceVertexOffsets[q]);
                Assert.Equal(v.VertexX![v.FaceVertexOffsets[p]], k.VertexX![k.FaceVertexOffsets[q]]);
                q++;
            }
        Assert.Equal(AmlearnNeighbors.SmallFaceFiltered(frame, v).Index, k.Neighbors.Index);
        Assert.Throws<ArgumentException>(() => v.KeepFaces(new bool[3]));
    }

    [Fact]
    public void KeepFaces_OnSeveralRangesOfAtomsIsTheInOrderSubsetForAnyThreadCount()
    {
        // 13,500 atoms: four ranges of 4,096 atoms, the last one partial
        var (small, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var frame = small.Replicate(3, 3, 3);
        var v = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true, Threads = 2 }).Compute(frame);
        var keep = AmlearnNeighbors.SmallFaceMask(frame, v, threads: 2);
        // the subset written out here face by face
        var off = new List<int> { 0 }; var nb = new List<int>(); var sv = new List<double>(); var vOff = new List<int> { 0 }; var vz = new List<double>();
        for (int i = 0; i < frame.Count; i++)
        {
            for (int p = v.FaceOffsets[i]; p < v.FaceOffsets[i + 1]; p++)
            {
                if (!keep[p]) continue;
                nb.Add(v.FaceNeighbor[p]); sv.Add(v.FaceSubVolume[p]);
                for (int q = v.FaceVertexOffsets![p]; q < v.FaceVertexOffsets[p + 1]; q++) vz.Add(v.VertexZ![q]);
                vOff.Add(vz.Count);
            }
            off.Add(nb.Count);
        }
        foreach (int threads in new[] { 1, 2, 4 })
        {
            var k = v.KeepFaces(keep, threads);
            Assert.Equal(off, k.FaceOffsets); Assert.Equal(nb, k.FaceNeighbor); Assert.Equal(sv, k.FaceSubVolume);
            Assert.Equal(vOff, k.FaceVertexOffsets); Assert.Equal(vz, k.VertexZ);
        }
    }
}
