using GlassML.Descriptors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// amlearn's small-face rule applied as the cells are built (<c>VoronoiOptions.AmlearnSmallFaceThreshold</c>, what the seed
/// featurizer uses) against the rule applied afterwards (<see cref="AmlearnNeighbors.SmallFaceFilteredTessellation"/>).
/// </summary>
public class VoronoiAmlearnFilterTests
{
    private static void AssertSame(VoronoiResult a, VoronoiResult b)
    {
        Assert.Equal(a.Volume, b.Volume); Assert.Equal(a.Area, b.Area);
        Assert.Equal(a.FaceOffsets, b.FaceOffsets); Assert.Equal(a.FaceNeighbor, b.FaceNeighbor);
        Assert.Equal(a.FaceDx, b.FaceDx); Assert.Equal(a.FaceDy, b.FaceDy); Assert.Equal(a.FaceDz, b.FaceDz);
        Assert.Equal(a.FaceDistance, b.FaceDistance); Assert.Equal(a.FaceArea, b.FaceArea);
        Assert.Equal(a.FaceEdges, b.FaceEdges); Assert.Equal(a.FaceSubVolume, b.FaceSubVolume);
        Assert.Equal(a.FaceVertexOffsets, b.FaceVertexOffsets); Assert.Equal(a.VertexX, b.VertexX); Assert.Equal(a.VertexZ, b.VertexZ);
        Assert.Equal(a.HasWalls, b.HasWalls);
        Assert.Equal(a.CutoffNeighbors is null, b.CutoffNeighbors is null);
        if (a.CutoffNeighbors is { } ca) { Assert.Equal(ca.Offsets, b.CutoffNeighbors!.Offsets); Assert.Equal(ca.Index, b.CutoffNeighbors.Index); }
    }

    [Theory]
    [InlineData(0.05, false)]
    [InlineData(0.05, true)]
    [InlineData(0.3, false)]
    public void FilteredAsBuiltIsTheFilteredTessellation(double threshold, bool radical)
    {
        // 13,500 atoms of a Cu–Zr glass: several chunks per worker, faces dropped around many atoms
        var (small, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var frame = small.Replicate(3, 3, 3);
        var radii = radical ? frame.Species.All.ToDictionary(s => s.Name, s => s.Name == "Cu" ? 1.28 : 1.6) : null;
        foreach (int threads in new[] { 1, 2 })
        {
            var all = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads, CutoffNeighbors = 4 }).Compute(frame);
            var expected = AmlearnNeighbors.SmallFaceFilteredTessellation(frame, all, threshold, threads);
            Assert.True(expected.FaceCount < all.FaceCount);
            var asBuilt = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = threads, CutoffNeighbors = 4, AmlearnSmallFaceThreshold = threshold })
                .Compute(frame);
            AssertSame(expected, asBuilt);
        }
    }

    [Fact]
    public void FilteredAsBuiltKeepsTheVerticesOfTheKeptFaces()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var all = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true }).Compute(frame);
        var asBuilt = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true, AmlearnSmallFaceThreshold = 0.05 }).Compute(frame);
        AssertSame(AmlearnNeighbors.SmallFaceFilteredTessellation(frame, all), asBuilt);
    }

    [Fact]
    public void WallsKeepEveryFace()
    {
        var box = new Box(Vec3.Zero, new Vec3(12, 0, 0), new Vec3(3, 11, 0), new Vec3(-2, 4, 9), true, true, false);
        var gas = Lattices.RandomGas(box, 400, 9);
        var all = new VoronoiTessellation(new VoronoiOptions()).Compute(gas);
        var asBuilt = new VoronoiTessellation(new VoronoiOptions { AmlearnSmallFaceThreshold = 0.3 }).Compute(gas);
        Assert.True(all.HasWalls);
        AssertSame(all, asBuilt);
    }

    [Fact]
    public void NegativeThresholdIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiTessellation(new VoronoiOptions { AmlearnSmallFaceThreshold = -1 }));
}
