using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Tests.Io;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// SOAP without a neighbour list (issue 20, round 7): <see cref="Soap.Compute(Frame)"/> and its streamed table (blocks computed
/// several at once, each on one thread) give the values of <see cref="Soap.Compute(Frame, NeighborList)"/> with
/// <see cref="NeighborSearch.Ball"/>'s list, bit for bit, for any thread count, block size, averaging and weighting; and
/// <c>featurize</c>'s soap file is that table's, byte for byte.
/// </summary>
public class SoapListFreeTests
{
    private static readonly string[] CuZr = ["Cu", "Zr"];

    public static TheoryData<string> Variants => new() { "plain", "crossover-off", "weighted", "outer", "inner" };

    private static SoapOptions Options(string variant, int threads)
    {
        var o = new SoapOptions { RCut = 4.5, NMax = 5, LMax = 4, Sigma = 0.5, Species = CuZr, Threads = threads };
        return variant switch
        {
            "crossover-off" => o with { Crossover = false },
            "weighted" => o with { Weighting = new SoapPolyWeighting(4.5, 1, 2), W0 = 0.5, Normalize = true },
            "outer" => o with { Average = SoapAverage.Outer },
            "inner" => o with { Average = SoapAverage.Inner },
            _ => o,
        };
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void WithoutAListEqualsWithBallsList(string variant)
    {
        var f = SoapTestData.Glass;
        var reference = new Soap(Options(variant, 1));
        var expected = Bits(reference.Compute(f, new NeighborSearch(1).Ball(f, reference.RequiredCutoff)).Values);
        foreach (int threads in new[] { 1, 2, 3 })
            Assert.Equal(expected, Bits(new Soap(Options(variant, threads)).Compute(f).Values));
    }

    [Theory]
    [InlineData(1, 37)]
    [InlineData(2, 37)]
    [InlineData(3, 1)]
    [InlineData(3, 64)]
    [InlineData(2, 1000)]
    public void StreamedBlocksEqualTheWholeTable(int threads, int blockRows)
    {
        var f = Shuffled(SoapTestData.Glass);
        var soap = new Soap(Options("plain", threads));
        var whole = new Soap(Options("plain", 1)).Compute(f, new NeighborSearch(1).Ball(f, soap.RequiredCutoff));
        var streamed = soap.ComputeStreamed(f, blockRows);
        Assert.Equal(threads > 1, streamed.IsPipelined);
        foreach (int i in WriterSupport.OrderById(f))
            Assert.Equal(Bits(whole.Row(i).ToArray()), Bits(streamed.Row(i).ToArray()));
        Assert.True(streamed.IsStreamed, "the rows were read in id order: no whole table");
        // a table read out of order is computed whole, with the same values
        var again = soap.ComputeStreamed(f, blockRows);
        Assert.Equal(Bits(whole.Values), Bits(again.Values));
    }

    [Fact]
    public void ManyThreadsTakeSmallerBlocks_TheBuffersStayBounded_TheRowsTheSame()
    {
        // 3,289 columns (26 kB a row): 2 threads keep the asked 318-row blocks (5 buffers of 8.4 MB); 64 threads (128 blocks
        // under way) take blocks of 19 rows, so that the 129 buffers hold ≤ 64 MiB
        var f = SoapTestData.Glass;
        var options = new SoapOptions { RCut = 5, NMax = 11, LMax = 12, Sigma = 0.5, Species = CuZr };
        var whole = new Soap(options with { Threads = 1 }).Compute(f, new NeighborSearch(1).Ball(f, 6.9));
        Assert.Equal(318, new Soap(options with { Threads = 2 }).ComputeStreamed(f, 318).BlockRows);
        Assert.Equal(318, new Soap(options with { Threads = 1 }).ComputeStreamed(f, 318).BlockRows);
        var many = new Soap(options with { Threads = 64 }).ComputeStreamed(f, 318);
        Assert.Equal(19, many.BlockRows);
        foreach (int i in WriterSupport.OrderById(f))
            Assert.Equal(Bits(whole.Row(i).ToArray()), Bits(many.Row(i).ToArray()));
        Assert.True(many.IsStreamed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FeaturizeSoapFileEqualsTheListTablesFile(int threads)
    {
        var f = Shuffled(SoapTestData.Glass);
        var options = new FeaturizeOptions
        {
            Families = ["soap"], Threads = threads,
            Parameters = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["soap"] = new Dictionary<string, string> { ["rcut"] = "4.5", ["nmax"] = "5", ["lmax"] = "4", ["sigma"] = "0.5" } },
        };
        var soap = new Soap(Options("plain", 1));
        var list = soap.Compute(f, new NeighborSearch(1).Ball(f, soap.RequiredCutoff));
        using var dir = new TempDir();
        string a = dir.File("list.npy"), b = dir.File("streamed.npy"), c = dir.File("whole.npy");
        PerAtomOutput.Write(a, f, list, KeepColumns.Everything);
        PerAtomOutput.Write(b, f, new Featurizer(options) { StreamBlockRows = 50 }.ComputeStreamed(f), KeepColumns.Everything);
        PerAtomOutput.Write(c, f, new Featurizer(options).Compute(f), KeepColumns.Everything);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CoincidentAtomsAreRefusedAsByBall(int threads)
    {
        var f = SoapTestData.GlassCopy();
        f.X[7] = f.X[3]; f.Y[7] = f.Y[3]; f.Z[7] = f.Z[3] + 0.001;
        var soap = new Soap(Options("plain", threads));
        var ball = Assert.Throws<ArgumentException>(() => new NeighborSearch(threads).Ball(f, soap.RequiredCutoff));
        Assert.Equal(ball.Message, Assert.Throws<ArgumentException>(() => soap.Compute(f)).Message);
        var streamed = soap.ComputeStreamed(f, 16);
        var order = WriterSupport.OrderById(f);
        Assert.Equal(ball.Message, Assert.Throws<ArgumentException>(() => { foreach (int i in order) streamed.Row(i); }).Message);
    }

    private static long[] Bits(double[] v) => v.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static Frame Shuffled(Frame f)
    {
        var ids = f.Ids.ToArray();
        new Random(7).Shuffle(ids);
        return new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
    }
}
