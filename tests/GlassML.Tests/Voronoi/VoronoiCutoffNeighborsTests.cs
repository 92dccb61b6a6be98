using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Tests.Neighbors;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// <see cref="VoronoiOptions.CutoffNeighbors"/>: the cutoff list collected from the tessellation's candidate queries must be
/// <see cref="NeighborSearch.Ball"/>'s list bit for bit, and asking for it must not change the tessellation.
/// </summary>
public class VoronoiCutoffNeighborsTests
{
    public static TheoryData<string, double, bool, int> Cases() => new()
    {
        { "s1o.atoms.dump.gz", 3.8, false, 1 },   // orthogonal glass, cutoff inside the first candidate shell
        { "s1t.atoms.dump.gz", 3.8, true, 2 },    // triclinic, radical, two threads
        { "s1t.atoms.dump.gz", 6.5, false, 2 },   // cutoff beyond the default first shell (the shell grows to it)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsNeighborSearchBallBitForBit(string fixture, double cutoff, bool radical, int threads)
    {
        var frame = VoronoiFixtures.ReadAtoms(fixture).Frame;
        var radii = radical ? new Dictionary<string, double> { ["Cu"] = 1.28, ["Zr"] = 1.60 } : null;
        var plain = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads }).Compute(frame);
        var with = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads, CutoffNeighbors = cutoff }).Compute(frame);
        Assert.Null(plain.CutoffNeighbors);
        NeighborListAssert.Identical(new NeighborSearch(threads).Ball(frame, cutoff), with.CutoffNeighbors!);
        // the tessellation itself is unchanged
        Assert.Equal(plain.Volume, with.Volume);
        Assert.Equal(plain.FaceOffsets, with.FaceOffsets);
        Assert.Equal(plain.FaceNeighbor, with.FaceNeighbor);
        Assert.Equal(plain.FaceArea, with.FaceArea);
        Assert.Equal(plain.FaceDx, with.FaceDx);
        Assert.Equal(plain.FaceSubVolume, with.FaceSubVolume);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompactDisplacementsAreRecomputedBitForBit(string fixture, double cutoff, bool radical, int threads)
    {
        // the compact result keeps (neighbour, image) per face and cutoff pair; its displacements, read per atom before any
        // whole array is asked for and then as whole arrays, are those of the plain tessellation and of NeighborSearch.Ball
        var frame = VoronoiFixtures.ReadAtoms(fixture).Frame;
        var radii = radical ? new Dictionary<string, double> { ["Cu"] = 1.28, ["Zr"] = 1.60 } : null;
        var plain = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads }).Compute(frame);
        var compact = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads, CutoffNeighbors = cutoff, CompactDisplacements = true }).Compute(frame);
        var ball = new NeighborSearch(threads).Ball(frame, cutoff);
        AssertGeometryPerAtom(plain.Neighbors, compact.Neighbors);
        AssertGeometryPerAtom(ball, compact.CutoffNeighbors!);
        NeighborListAssert.Identical(plain.Neighbors, compact.Neighbors);
        NeighborListAssert.Identical(ball, compact.CutoffNeighbors!);
        Assert.Equal(plain.FaceOffsets, compact.FaceOffsets);
        Assert.Equal(plain.FaceNeighbor, compact.FaceNeighbor);
        foreach (var (a, b) in new[] { (plain.FaceDx, compact.FaceDx), (plain.FaceDy, compact.FaceDy), (plain.FaceDz, compact.FaceDz), (plain.FaceDistance, compact.FaceDistance), (plain.FaceArea, compact.FaceArea), (plain.FaceSubVolume, compact.FaceSubVolume) })
            Assert.Equal(a.Select(BitConverter.DoubleToInt64Bits), b.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(plain.FaceEdges, compact.FaceEdges);
    }

    // NeighborList.Geometry of every atom of a compact list (not yet expanded) against the arrays of the eager one
    private static void AssertGeometryPerAtom(NeighborList eager, NeighborList compact)
    {
        Assert.Equal(eager.Offsets, compact.Offsets);
        var buffer = new PairBuffer();
        Assert.False(compact.StoresDisplacements);
        for (int i = 0; i < eager.AtomCount; i++)
        {
            compact.Geometry(i, buffer, out var dx, out var dy, out var dz, out var d);
            int p0 = eager.Offsets[i], c = eager.CountOf(i);
            Assert.True(dx.SequenceEqual(eager.Dx.AsSpan(p0, c)) && dy.SequenceEqual(eager.Dy.AsSpan(p0, c)) && dz.SequenceEqual(eager.Dz.AsSpan(p0, c)) && d.SequenceEqual(eager.Distance.AsSpan(p0, c)), $"atom {i}");
        }
        Assert.False(compact.StoresDisplacements, "per-atom reads recompute; they do not expand the arrays");
    }

    [Fact]
    public void ThinCellAndOpenDirection_EqualNeighborSearchBall()
    {
        // a cell thinner than the cutoff (several images of each atom and of the centre itself) ...
        var thin = Lattices.RandomGas(new Box(Vec3.Zero, new Vec3(2.5, 0, 0), new Vec3(0.7, 2.2, 0), new Vec3(0.4, -0.3, 2.8)), 3, 2);
        NeighborListAssert.Identical(new NeighborSearch(1).Ball(thin, 4.0), new VoronoiTessellation(new VoronoiOptions { CutoffNeighbors = 4.0 }).Compute(thin).CutoffNeighbors!);
        // ... and a slab with an open, tilted direction (walls)
        var slab = Lattices.RandomGas(new Box(Vec3.Zero, new Vec3(12, 0, 0), new Vec3(3, 11, 0), new Vec3(-2, 4, 9), true, true, false), 400, 9);
        NeighborListAssert.Identical(new NeighborSearch(2).Ball(slab, 3.0), new VoronoiTessellation(new VoronoiOptions { CutoffNeighbors = 3.0, Threads = 2 }).Compute(slab).CutoffNeighbors!);
    }

    [Fact]
    public void FeaturizerTableIsUnchanged()
    {
        // Featurizer with both neighbour sources takes the cutoff list from the tessellation; a separate search gives the same
        // table (the cut-list families computed here from NeighborSearch.Ball).
        var frame = VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz").Frame;
        var table = new Featurizer(new FeaturizeOptions { Families = ["steinhardt", "csro", "distance"], Neighbors = NeighborSource.Both, Threads = 2 }).Compute(frame);
        var cut = new NeighborSearch(2).Ball(frame, new FeaturizeOptions().Cutoff);
        var blocks = new[]
        {
            new Steinhardt(new SteinhardtOptions { Threads = 2 }).Compute(frame, cut),
            new ChemicalOrder(new ChemicalOrderOptions { Threads = 2 }).Compute(frame, cut),
            new DistanceStatistics(new DistanceStatisticsOptions { Threads = 2 }).Compute(frame, cut),
        };
        int compared = 0;
        foreach (var block in blocks)
            foreach (var name in block.Names) { Assert.Equal(block.Column(name).ToArray(), table.Column(name).ToArray()); compared++; }
        Assert.True(compared >= 25, $"{compared} columns compared");
    }

    [Fact]
    public void NegativeCutoffThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiTessellation(new VoronoiOptions { CutoffNeighbors = -1 }));
}
