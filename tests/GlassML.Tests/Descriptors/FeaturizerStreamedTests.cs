using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Tests.Io;
using GlassML.Tests.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// <c>featurize</c> streams its table (issue 20): <see cref="Featurizer.ComputeStreamed"/> computes the row-local columns one
/// block of rows at a time while the writer reads them in id order. The files it makes must be, byte for byte, those of the
/// whole table (<see cref="Featurizer.Compute"/>, checked against the families' own outputs by <see cref="FeaturizerInPlaceTests"/>),
/// for small blocks (1,024 rows, so the demo glass spans two blocks and the s1t glass one short block), any thread count and
/// ids in any order.
/// </summary>
public class FeaturizerStreamedTests
{
    public static TheoryData<string, int, bool> Cases => new()
    {
        { "demo", 1024, false }, { "demo", 1024, true }, { "demo", 7, true }, { "s1t", 1024, false }, { "s1t", 100, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamedFilesEqualTheWholeTableFilesBytewise(string glass, int blockRows, bool shuffledIds)
    {
        var f = Load(glass, shuffledIds);
        var families = glass == "s1t" ? new[] { "all", "xtal", "rsf" } : ["all"];
        var options = new FeaturizeOptions { Families = families, Neighbors = NeighborSource.Both, Threads = 2 };
        var whole = new Featurizer(options).Compute(f);
        using var dir = new TempDir();
        foreach (var ext in new[] { ".npy", ".csv" })
        {
            string a = dir.File("whole" + ext), b = dir.File("streamed" + ext), c = dir.File("one" + ext);
            PerAtomOutput.Write(a, f, whole, KeepColumns.Everything);
            var streamed = new Featurizer(options) { StreamBlockRows = blockRows, PoisonOutput = true }.ComputeStreamed(f);
            Assert.True(streamed.IsStreamed);
            PerAtomOutput.Write(b, f, streamed, KeepColumns.Everything);
            Assert.True(streamed.IsStreamed, "the writer read the rows in id order, so the whole table was never built");
            // the writer ended the stream (its inputs let go): the table cannot be read again
            Assert.Throws<InvalidOperationException>(() => streamed.Values);
            // one thread, one block of every row
            var single = new Featurizer(options with { Threads = 1 }) { StreamBlockRows = 1 << 20 }.ComputeStreamed(f);
            PerAtomOutput.Write(c, f, single, KeepColumns.Everything);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
        }
    }

    // Steinhardt's rows come with the row blocks (each atom's q_lm held from the first to the last block that needs it) unless
    // the atoms held at once would take more than StreamedQlmBytes: then from the side table computed first; both files are the
    // whole table's, byte for byte
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(0L, 2)]
    [InlineData(1L << 30, 1)]
    public void SteinhardtRowsWithTheBlocksOrFromTheSideTableEqualTheWholeTable(long qlmBytes, int threads)
    {
        var f = Load("demo", shuffled: true);
        var options = new FeaturizeOptions { Families = ["steinhardt", "distance"], Neighbors = NeighborSource.Both, Threads = threads };
        var whole = new Featurizer(options).Compute(f);
        using var dir = new TempDir();
        string a = dir.File("whole.npy"), b = dir.File("streamed.npy");
        PerAtomOutput.Write(a, f, whole, KeepColumns.Everything);
        var streamed = new Featurizer(options) { StreamBlockRows = 500, StreamedQlmBytes = qlmBytes, PoisonOutput = true }.ComputeStreamed(f);
        PerAtomOutput.Write(b, f, streamed, KeepColumns.Everything);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    // one thread: blocks of at most 2,048 rows whatever StreamBlockRows allows (no block computed ahead, so a small block costs
    // nothing and stays in the caches); the pipelined table (two threads) keeps StreamBlockRows. Both files are the whole table's.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void OneThreadStreamsInBlocksOfAtMost2048Rows(int threads)
    {
        bool pipelined = threads > 1 && Environment.ProcessorCount > 1;
        var f = DemoGlass.Load().Replicate(2, 2, 2);   // 16,384 atoms
        var options = new FeaturizeOptions { Families = ["voronoi", "steinhardt", "csro"], Neighbors = NeighborSource.Both, Threads = threads };
        var whole = new Featurizer(options).Compute(f);
        var streamed = new Featurizer(options) { StreamBlockRows = 16384 }.ComputeStreamed(f);
        Assert.Equal(pipelined ? 16384 : 2048, streamed.BlockRows);
        Assert.Equal(pipelined, streamed.IsPipelined);
        using var dir = new TempDir();
        string a = dir.File("whole.npy"), b = dir.File("streamed.npy");
        PerAtomOutput.Write(a, f, whole, KeepColumns.Everything);
        PerAtomOutput.Write(b, f, streamed, KeepColumns.Everything);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void RowsOutOfIdOrderAndValuesGiveTheWholeTable()
    {
        var f = Load("demo", shuffled: true);
        var options = new FeaturizeOptions { Families = ["all"], Neighbors = NeighborSource.Both };
        var whole = new Featurizer(options).Compute(f);
        var streamed = new Featurizer(options) { StreamBlockRows = 300 }.ComputeStreamed(f);
        var order = WriterSupport.OrderById(f);
        // the first rows in id order come block by block, then a row out of order builds the whole table
        for (int k = 0; k < 700; k++) AssertRow(whole, streamed, order[k]);
        Assert.True(streamed.IsStreamed);
        AssertRow(whole, streamed, order[5]);
        Assert.False(streamed.IsStreamed);
        Assert.Equal(whole.Values.Select(BitConverter.DoubleToInt64Bits), streamed.Values.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void StreamedTableKeepsTheWholeTableWhenMroStatisticsNeedIt()
    {
        var f = Load("demo", shuffled: false);
        var options = new FeaturizeOptions { Families = ["steinhardt", "csro"], Mro = [MroStat.Mean] };
        var streamed = new Featurizer(options) { StreamBlockRows = 100 }.ComputeStreamed(f);
        Assert.False(streamed.IsStreamed);
        Assert.Equal(new Featurizer(options).Compute(f).Values.Select(BitConverter.DoubleToInt64Bits), streamed.Values.Select(BitConverter.DoubleToInt64Bits));
    }

    // the seed set (746 columns) is streamed too: its files, written as the rows are computed (blocks of 300 rows, ids in and
    // out of index order, 1 and 2 threads), equal those of the whole table
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void StreamedSeedFilesEqualTheWholeTableFilesBytewise(bool shuffledIds, int threads)
    {
        var f = Load("demo", shuffledIds);
        var voro = new GlassML.Voronoi.VoronoiTessellation(new GlassML.Voronoi.VoronoiOptions { Threads = threads, CutoffNeighbors = 4.0 }).Compute(f);
        voro = AmlearnNeighbors.SmallFaceFilteredTessellation(f, voro, AmlearnNeighbors.DefaultSmallFaceThreshold, threads);
        var whole = SeedFeatureSets.ComputeInBlocks(f, voro, voro.CutoffNeighbors!, threads, 300);
        var table = new PerAtomFeatures(whole.Names, whole.AtomCount, whole.Values);
        Assert.False(whole.IsStreamed);
        using var dir = new TempDir();
        foreach (var ext in new[] { ".npy", ".csv" })
        {
            string a = dir.File("whole" + ext), b = dir.File("streamed" + ext);
            PerAtomOutput.Write(a, f, table, KeepColumns.Everything);
            var streamed = SeedFeatureSets.ComputeInBlocks(f, voro, voro.CutoffNeighbors!, threads, 300);
            PerAtomOutput.Write(b, f, streamed, KeepColumns.Everything);
            Assert.True(streamed.IsStreamed, "the writer read the rows in id order, so the whole table was never built");
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }
    }

    private static void AssertRow(PerAtomFeatures whole, PerAtomFeatures streamed, int i)
    {
        var a = whole.Row(i).ToArray().Select(BitConverter.DoubleToInt64Bits);
        var b = streamed.Row(i).ToArray().Select(BitConverter.DoubleToInt64Bits);
        Assert.Equal(a, b);
    }

    /// <summary>The glass; with <paramref name="shuffled"/> its ids are a fixed permutation, so id order is not index order.</summary>
    private static Frame Load(string glass, bool shuffled)
    {
        var f = glass == "demo" ? DemoGlass.Load() : VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz").Frame;
        if (!shuffled) return f;
        var ids = Enumerable.Range(1, f.Count).Select(i => (long)i).ToArray();
        new Random(20).Shuffle(ids);
        return new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
    }
}
