using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// The workers' slabs (faces, vertices and cutoff pairs written in place, one run per chunk of atoms) give the same result
/// whatever their size: with slabs far too small for a chunk, every run outgrows its slab and moves to a new one, often
/// several times, at any point of a cell's faces or vertices.
/// </summary>
public class VoronoiSlabTests
{
    [Theory]
    [MemberData(nameof(VoronoiHashTests.Recorded), MemberType = typeof(VoronoiHashTests))]
    public void TinySlabs_GiveTheRecordedHash(string name, string expected)
    {
        var (frame, options) = VoronoiHashTests.Case(name);
        foreach (int threads in new[] { 1, 2 })
        {
            var r = new VoronoiTessellation(options with { Threads = threads, SlabRecords = 3 }).Compute(frame);
            Assert.Equal(expected, VoronoiHashTests.Hash(r));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SlabSize_DoesNotChangeAManyChunkTessellation(bool compact)
    {
        // 8,192 atoms: four chunks, so that a worker's slab holds runs of several chunks and runs move mid-chunk
        var frame = DemoGlass.Load().Replicate(2, 2, 1);
        var options = new VoronoiOptions { KeepVertices = true, CutoffNeighbors = 3.8, CompactDisplacements = compact };
        string expected = VoronoiHashTests.Hash(new VoronoiTessellation(options with { Threads = 1 }).Compute(frame));
        foreach (int records in new[] { 3, 1000, 40_000 })
            foreach (int threads in new[] { 1, 2 })
            {
                var r = new VoronoiTessellation(options with { Threads = threads, SlabRecords = records }).Compute(frame);
                Assert.Equal(expected, VoronoiHashTests.Hash(r));
            }
    }
}
