using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Tests.Io;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// A streamed table written with its next block computed ahead (pipelined, issue 20): the rows come in the writer's order with
/// the values of their atoms, the files are those of the whole table and of the unpipelined stream byte for byte, at most one
/// block is computed ahead into at most two buffers, and an exception of a block computed in the background reaches the
/// writer's caller with no output file left behind.
/// </summary>
public class PipelinedStreamTests
{
    private const int Width = 5;

    // the row of atom i: values of the atom alone (its coordinates, its index, a function of both)
    private static void RowOf(Frame f, int i, Span<double> row)
    {
        row[0] = f.X[i]; row[1] = f.Y[i]; row[2] = f.Z[i]; row[3] = i; row[4] = Math.Sin(f.X[i] * i);
    }

    private static double[] WholeTable(Frame f)
    {
        var v = new double[f.Count * Width];
        for (int i = 0; i < f.Count; i++) RowOf(f, i, v.AsSpan(i * Width, Width));
        return v;
    }

    private static readonly string[] Names = ["x", "y", "z", "index", "s"];

    /// <summary>A streamed table of <see cref="RowOf"/>, with a hook called at the start of every block's fill.</summary>
    private static PerAtomFeatures Stream(Frame f, int blockRows, bool pipelined, Action<AtomRows, double[]>? onFill = null) =>
        new(Names, f.Count, (rows, dest) =>
        {
            onFill?.Invoke(rows, dest);
            for (int k = 0; k < rows.Count; k++) RowOf(f, rows.Atom(k), dest.AsSpan(k * Width, Width));
        }, WriterSupport.OrderById(f), blockRows, pipelined);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    [InlineData(5000)]
    public void PipelinedFilesEqualTheWholeTableAndTheUnpipelinedStreamBytewise(int blockRows)
    {
        var f = Shuffled(DemoGlass.Load());
        var whole = new PerAtomFeatures(Names, f.Count, WholeTable(f));
        using var dir = new TempDir();
        foreach (var ext in new[] { ".npy", ".csv" })
        {
            string a = dir.File("whole" + ext), b = dir.File("pipelined" + ext), c = dir.File("serial" + ext);
            PerAtomOutput.Write(a, f, whole, KeepColumns.Everything);
            var pipelined = Stream(f, blockRows, pipelined: true);
            PerAtomOutput.Write(b, f, pipelined, KeepColumns.Everything);
            Assert.True(pipelined.IsStreamed, "rows were read in id order: no whole table");
            PerAtomOutput.Write(c, f, Stream(f, blockRows, pipelined: false), KeepColumns.Everything);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
        }
    }

    [Fact]
    public void RowsComeInTheWritersOrder_OneBlockIsComputedAhead_IntoAtMostTwoBuffers()
    {
        var f = Shuffled(DemoGlass.Load());
        var order = WriterSupport.OrderById(f);
        const int blockRows = 100;
        int reading = -1;                       // the position in order of the row the reader asks for
        int fills = 0, running = 0, maxRunning = 0, lastStart = -1, violations = 0;
        var buffers = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        var table = Stream(f, blockRows, pipelined: true, (rows, dest) =>
        {
            int now = Interlocked.Increment(ref running);
            lock (buffers)
            {
                maxRunning = Math.Max(maxRunning, now);
                buffers.Add(dest);
                int start = Array.IndexOf(order, rows.Atom(0));
                // blocks in order, never more than one block past the one being read
                if (start != lastStart + blockRows && !(lastStart < 0 && start == 0)) violations++;
                if (start > Volatile.Read(ref reading) / blockRows * blockRows + blockRows) violations++;
                lastStart = start;
                fills++;
            }
            Interlocked.Decrement(ref running);
        });
        var expected = new double[Width];
        for (int k = 0; k < order.Length; k++)
        {
            Volatile.Write(ref reading, k);
            var row = table.Row(order[k]).ToArray();
            RowOf(f, order[k], expected);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), row.Select(BitConverter.DoubleToInt64Bits));
            if (k == 0)
            {
                // the second block is computed without being asked for
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref fills) >= 2, TimeSpan.FromSeconds(30)), "the next block was not computed ahead");
                lock (buffers) Assert.Equal(2, fills);
            }
        }
        table.EndStream();
        Assert.Equal((order.Length + blockRows - 1) / blockRows, fills);
        Assert.Equal(0, violations);
        Assert.Equal(1, maxRunning);
        Assert.Equal(2, buffers.Count);
    }

    [Theory]
    [InlineData(2, 100)]
    [InlineData(3, 7)]
    public void SeveralBlocksAhead_ComeInOrder_AtMostThatManyAtOnce_IntoAtMostOneMoreBuffer(int ahead, int blockRows)
    {
        var f = Shuffled(DemoGlass.Load());
        var order = WriterSupport.OrderById(f);
        int reading = -1, fills = 0, running = 0, maxRunning = 0, violations = 0;
        var starts = new List<int>();
        var buffers = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        var table = new PerAtomFeatures(Names, f.Count, (rows, dest) =>
        {
            int now = Interlocked.Increment(ref running);
            lock (buffers)
            {
                maxRunning = Math.Max(maxRunning, now);
                buffers.Add(dest);
                int start = Array.IndexOf(order, rows.Atom(0));
                starts.Add(start);
                // never more than `ahead` blocks past the one being read
                if (start > Volatile.Read(ref reading) / blockRows * blockRows + ahead * blockRows) violations++;
                fills++;
            }
            Thread.Sleep(1);   // let the blocks overlap
            for (int k = 0; k < rows.Count; k++) RowOf(f, rows.Atom(k), dest.AsSpan(k * Width, Width));
            Interlocked.Decrement(ref running);
        }, order, blockRows, aheadBlocks: ahead);
        Assert.True(table.IsPipelined);
        var expected = new double[Width];
        for (int k = 0; k < order.Length; k++)
        {
            Volatile.Write(ref reading, k);
            var row = table.Row(order[k]).ToArray();
            RowOf(f, order[k], expected);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), row.Select(BitConverter.DoubleToInt64Bits));
        }
        table.EndStream();
        int blocks = (order.Length + blockRows - 1) / blockRows;
        Assert.Equal(blocks, fills);
        // every block once; started in order
        Assert.Equal(Enumerable.Range(0, blocks).Select(b => b * blockRows), starts.Order());
        Assert.Equal(0, violations);
        Assert.InRange(maxRunning, 1, ahead);
        Assert.InRange(buffers.Count, 2, ahead + 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void AnExceptionOfOneOfSeveralBlocksAheadReachesTheCaller_AndLeavesNoFile(int failingBlock)
    {
        var f = DemoGlass.Load();
        const int blockRows = 100;
        var order = WriterSupport.OrderById(f);
        var table = new PerAtomFeatures(Names, f.Count, (rows, dest) =>
        {
            if (Array.IndexOf(order, rows.Atom(0)) == failingBlock * blockRows) throw new FillFailed();
            for (int k = 0; k < rows.Count; k++) RowOf(f, rows.Atom(k), dest.AsSpan(k * Width, Width));
        }, order, blockRows, aheadBlocks: 3);
        using var dir = new TempDir();
        string path = dir.File("out.npy");
        Assert.Throws<FillFailed>(() => PerAtomOutput.Write(path, f, table, KeepColumns.Everything));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ThePipelinedFirstBlocksAreComputedBeforeAnyRowIsRead(int ahead)
    {
        var f = DemoGlass.Load();
        int fills = 0;
        var table = new PerAtomFeatures(Names, f.Count, (_, _) => Interlocked.Increment(ref fills), WriterSupport.OrderById(f), 100, aheadBlocks: ahead);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref fills) == ahead, TimeSpan.FromSeconds(30)), "the first blocks were not started");
        Thread.Sleep(50);
        Assert.Equal(ahead, Volatile.Read(ref fills));
        table.EndStream();
    }

    [Fact]
    public void AnUnpipelinedStreamComputesNothingAhead()
    {
        var f = DemoGlass.Load();
        int fills = 0;
        var table = Stream(f, 100, pipelined: false, (_, _) => Interlocked.Increment(ref fills));
        var order = WriterSupport.OrderById(f);
        table.Row(order[0]);
        Thread.Sleep(50);
        Assert.Equal(1, fills);
        Assert.False(PerAtomFeatures.PipelineFor(1));
    }

    private sealed class FillFailed : Exception
    {
        public FillFailed() : base("block fill failed") { }
    }

    [Theory]
    [InlineData(".npy", 0)]
    [InlineData(".npy", 3)]
    [InlineData(".csv", 3)]
    [InlineData(".npy", 20)]
    public void AnExceptionOfABackgroundBlockReachesTheCaller_AndLeavesNoFile(string ext, int failingBlock)
    {
        var f = DemoGlass.Load();
        const int blockRows = 100;
        var order = WriterSupport.OrderById(f);
        var table = Stream(f, blockRows, pipelined: true, (rows, _) =>
        {
            if (Array.IndexOf(order, rows.Atom(0)) == failingBlock * blockRows) throw new FillFailed();
        });
        using var dir = new TempDir();
        string path = dir.File(Path.Combine("sub", "out" + ext));
        Assert.Throws<FillFailed>(() => PerAtomOutput.Write(path, f, table, KeepColumns.Everything));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    private static Frame Shuffled(Frame f)
    {
        var ids = Enumerable.Range(1, f.Count).Select(i => (long)i).ToArray();
        new Random(21).Shuffle(ids);
        return new Frame(f.Box, f.Species, ids, f.SpeciesIndex, f.X, f.Y, f.Z, f.Timestep);
    }
}
