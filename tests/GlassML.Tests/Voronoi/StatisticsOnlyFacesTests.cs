using GlassML.Descriptors;
using GlassML.Numerics;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// <see cref="VoronoiOptions.StatisticsOnly"/>: the faces stay in the workers' slabs with only what the per-atom statistics
/// read (edge count, area, sub-volume), each atom's run read in place by <see cref="VoronoiResult.FacesAt"/>. Every value read
/// must be that of the eager placement, bit for bit, for any slab size and thread count; the face arrays are not made and
/// reading them fails loudly; the featurizer's streamed rows equal the whole table's.
/// </summary>
public class StatisticsOnlyFacesTests
{
    // 8,192 atoms: four chunks, so that a worker's slab holds runs of several chunks (and, with small slabs, runs move mid-chunk)
    private static Frame Glass() => DemoGlass.Load().Replicate(2, 2, 1);

    private static readonly VoronoiOptions Compact = new() { CompactDisplacements = true };

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 3)]
    [InlineData(1, 1000)]
    public void FacesAt_ReadsTheEagerValues(int threads, int slabRecords)
    {
        var frame = Glass();
        var eager = new VoronoiTessellation(Compact with { Threads = 1 }).Compute(frame);
        var stats = new VoronoiTessellation(Compact with { Threads = threads, SlabRecords = slabRecords, StatisticsOnly = true }).Compute(frame);
        Assert.True(eager.FacesPlaced);
        Assert.False(stats.FacesPlaced);
        Assert.Equal(eager.FaceCount, stats.FaceCount);
        Assert.Equal(eager.Volume, stats.Volume);
        Assert.Equal(eager.Area, stats.Area);
        for (int i = 0; i < frame.Count; i++)
        {
            var f = stats.FacesAt(i);
            int o = eager.FaceOffsets[i], m = eager.FacesOf(i);
            Assert.Equal(m, f.Count);
            Assert.Equal(m, stats.FacesOf(i));
            Assert.True(f.Area.SequenceEqual(eager.FaceArea.AsSpan(o, m)), $"areas of atom {i}");
            Assert.True(f.SubVolume.SequenceEqual(eager.FaceSubVolume.AsSpan(o, m)), $"sub-volumes of atom {i}");
            for (int p = 0; p < m; p++)
            {
                Assert.False(f.IsWall(p));
                Assert.Equal(eager.FaceEdges[o + p], f.Edges(p));
            }
            Assert.Equal(eager.Index(i), stats.Index(i));
        }
    }

    [Fact]
    public void FaceArrays_AreNotMade_AndReadingThemThrows()
    {
        var stats = new VoronoiTessellation(Compact with { StatisticsOnly = true }).Compute(Glass());
        Assert.Throws<InvalidOperationException>(() => stats.FaceOffsets);
        Assert.Throws<InvalidOperationException>(() => stats.FaceNeighbor);
        Assert.Throws<InvalidOperationException>(() => stats.FaceDistance);
        var e = Assert.Throws<InvalidOperationException>(() => stats.Neighbors);
        Assert.Contains("StatisticsOnly", e.Message);
    }

    [Fact]
    public void Ignored_WithoutCompactDisplacements_WithVertices_OrWithWalls()
    {
        var frame = Glass();
        Assert.True(new VoronoiTessellation(new VoronoiOptions { StatisticsOnly = true }).Compute(frame).FacesPlaced);
        Assert.True(new VoronoiTessellation(Compact with { StatisticsOnly = true, KeepVertices = true }).Compute(frame).FacesPlaced);
        var walls = Lattices.RandomGas(new Box(Vec3.Zero, new Vec3(12, 0, 0), new Vec3(3, 11, 0), new Vec3(-2, 4, 9), true, true, false), 400, 9);
        var v = new VoronoiTessellation(Compact with { StatisticsOnly = true }).Compute(walls);
        Assert.True(v.FacesPlaced);
        Assert.True(v.HasWalls);
        // wall faces read as walls through FacesAt, and the statistics skip them as they do for any placed result
        int wallFaces = 0;
        for (int i = 0; i < walls.Count; i++)
        {
            var f = v.FacesAt(i);
            for (int p = 0; p < f.Count; p++) if (f.IsWall(p)) { wallFaces++; Assert.True(v.FaceNeighbor[v.FaceOffsets[i] + p] < 0); }
        }
        Assert.True(wallFaces > 0);
    }

    [Theory]
    [InlineData(1, "voronoi,motifs")]
    [InlineData(2, "voronoi,motifs")]
    [InlineData(2, "voronoi,steinhardt")]
    public void Streamed_RowsEqualTheWholeTable(int threads, string families)
    {
        var frame = Glass();
        // steinhardt over the cutoff shell: the tessellation still serves the voronoi statistics only
        var options = new FeaturizeOptions { Families = [.. families.Split(',')], Threads = threads, Neighbors = NeighborSource.Cutoff };
        var whole = new Featurizer(options).Compute(frame);
        var streamed = new Featurizer(options).ComputeStreamed(frame);
        var order = GlassML.Io.WriterSupport.OrderById(frame);
        foreach (int i in order)
            Assert.True(streamed.Row(i).SequenceEqual(whole.Values.AsSpan(i * whole.FeatureCount, whole.FeatureCount)), $"row of atom {i}");
    }
}
