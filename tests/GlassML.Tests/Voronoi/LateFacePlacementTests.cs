using GlassML.Descriptors;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// <see cref="VoronoiOptions.PlaceFacesLate"/>: the faces stay in the workers' slabs, each atom's run read in place by
/// <see cref="VoronoiResult.FacesAt"/>, and the atom-ordered arrays are made on their first read. Both readings must be those of
/// the eager placement, bit for bit, for any slab size and thread count; the per-atom statistics must not make the arrays.
/// </summary>
public class LateFacePlacementTests
{
    // 8,192 atoms: four chunks, so that a worker's slab holds runs of several chunks (and, with small slabs, runs move mid-chunk)
    private static GlassML.Structure.Frame Glass() => DemoGlass.Load().Replicate(2, 2, 1);

    private static readonly VoronoiOptions Compact = new() { CompactDisplacements = true };

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 3)]
    [InlineData(1, 1000)]
    public void FacesAt_ReadsTheEagerArrays(int threads, int slabRecords)
    {
        var frame = Glass();
        var eager = new VoronoiTessellation(Compact with { Threads = 1 }).Compute(frame);
        var late = new VoronoiTessellation(Compact with { Threads = threads, SlabRecords = slabRecords, PlaceFacesLate = true }).Compute(frame);
        Assert.True(eager.FacesPlaced);
        Assert.False(late.FacesPlaced);
        Assert.Equal(eager.FaceCount, late.FaceCount);
        for (int i = 0; i < frame.Count; i++)
        {
            var f = late.FacesAt(i);
            int o = eager.FaceOffsets[i], m = eager.FacesOf(i);
            Assert.Equal(m, f.Count);
            Assert.Equal(m, late.FacesOf(i));
            Assert.True(f.Neighbor.SequenceEqual(eager.FaceNeighbor.AsSpan(o, m)), $"neighbours of atom {i}");
            Assert.True(f.Edges.SequenceEqual(eager.FaceEdges.AsSpan(o, m)), $"edge counts of atom {i}");
            Assert.True(f.Area.SequenceEqual(eager.FaceArea.AsSpan(o, m)), $"areas of atom {i}");
            Assert.True(f.SubVolume.SequenceEqual(eager.FaceSubVolume.AsSpan(o, m)), $"sub-volumes of atom {i}");
            Assert.Equal(eager.Index(i), late.Index(i));
        }
        // reading per atom made nothing
        Assert.False(late.FacesPlaced);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FirstRead_PlacesTheEagerArrays(int threads)
    {
        var frame = Glass();
        var eager = new VoronoiTessellation(Compact with { Threads = 1 }).Compute(frame);
        var late = new VoronoiTessellation(Compact with { Threads = threads, SlabRecords = 1000, PlaceFacesLate = true }).Compute(frame);
        Assert.Equal(VoronoiHashTests.Hash(eager), VoronoiHashTests.Hash(late));
        Assert.True(late.FacesPlaced);
        // after the placement, FacesAt reads the atom-ordered arrays: the same spans
        for (int i = 0; i < frame.Count; i += 97)
            Assert.True(late.FacesAt(i).Area.SequenceEqual(eager.FaceArea.AsSpan(eager.FaceOffsets[i], eager.FacesOf(i))));
        var a = eager.Neighbors; var b = late.Neighbors;
        Assert.Equal(a.Offsets, b.Offsets);
        Assert.Equal(a.Index, b.Index);
        Assert.Equal(a.Distance, b.Distance);
        Assert.Equal(a.Weight, b.Weight);
    }

    [Fact]
    public void PlacementOnTwoThreadsAtOnce_GivesOneSetOfArrays()
    {
        var frame = Glass();
        var late = new VoronoiTessellation(Compact with { Threads = 2, PlaceFacesLate = true }).Compute(frame);
        int[]? first = null, second = null;
        Parallel.Invoke(() => first = late.FaceOffsets, () => second = late.FaceOffsets);
        Assert.Same(first, second);
    }

    [Fact]
    public void IgnoredWithoutCompactDisplacementsOrWithVertices()
    {
        var frame = Glass();
        Assert.True(new VoronoiTessellation(new VoronoiOptions { PlaceFacesLate = true }).Compute(frame).FacesPlaced);
        Assert.True(new VoronoiTessellation(Compact with { PlaceFacesLate = true, KeepVertices = true }).Compute(frame).FacesPlaced);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void StreamedVoronoiAndMotifs_LeaveTheFacesInTheSlabs_SameValues(int threads)
    {
        var frame = Glass();
        var options = new FeaturizeOptions { Families = ["voronoi", "motifs"], Threads = threads };
        var whole = new Featurizer(options).Compute(frame);
        var streamed = new Featurizer(options).ComputeStreamed(frame);
        var order = GlassML.Io.WriterSupport.OrderById(frame);
        foreach (int i in order)
            Assert.True(streamed.Row(i).SequenceEqual(whole.Values.AsSpan(i * whole.FeatureCount, whole.FeatureCount)), $"row of atom {i}");
    }
}
