using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// The per-atom Parquet table streamed one row group at a time from frames whose feature blocks stand side by side
/// (<see cref="ParquetTable.WriteBlocks"/>: rows scattered into the row group's columns as they are taken, streamed tables
/// computed block by block; whole row groups of whole tables gathered from them) is byte for byte the file that the plain
/// column writer makes from the whole columns assembled here by hand: several frames in shuffled id order, several blocks per row (one streamed, pipelined or not), row groups that
/// end inside a frame, at a frame's end and after the last row, and a table with no rows.
/// </summary>
public class ParquetStreamTests
{
    // a frame of n atoms in shuffled id order over three species
    private static Frame MakeFrame(int n, int seed) => TestFrames.Shuffled(n, seed, ["Cu", "Zr", "Ö,\"x\""], i => (long)i * 5 + 11);

    // the value of column c of atom i in a frame made with this seed (NaN, −0, subnormals and random bit patterns among them)
    private static double Value(int seed, int i, int c)
    {
        // SplitMix64 of (seed, i, c): the same values in every run
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)i * 0xBF58476D1CE4E5B9UL + (ulong)c * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z & 15) switch
        {
            0 => double.NaN,
            1 => -0.0,
            2 => double.Epsilon * (double)(z >> 40),
            _ => BitConverter.Int64BitsToDouble((long)z),
        };
    }

    private static PerAtomFeatures Whole(int n, int seed, string[] names)
    {
        var v = new double[n * names.Length];
        for (int i = 0; i < n; i++) for (int c = 0; c < names.Length; c++) v[i * names.Length + c] = Value(seed, i, c);
        return new PerAtomFeatures(names, n, v);
    }

    // a streamed table of the same values: rows computed `blockRows` at a time (ahead in the background when pipelined)
    private static PerAtomFeatures Streamed(Frame f, int seed, string[] names, int blockRows, bool pipelined) =>
        new(names, f.Count, (rows, dest) =>
        {
            for (int k = 0; k < rows.Count; k++)
                for (int c = 0; c < names.Length; c++) dest[k * names.Length + c] = Value(seed, rows.Atom(k), c);
        }, WriterSupport.SharedOrderById(f), blockRows, pipelined);

    // the expected file: the whole columns, built from the frames' rows in id order, by the column writer
    private static void WriteExpected(string path, IReadOnlyList<(Frame Frame, int Seed)> frames, string[] a, string[] b, bool frameColumn, int rowGroupRows)
    {
        var frame = new List<long>(); var id = new List<long>(); var type = new List<long>(); var species = new List<string>();
        var values = a.Concat(b).Select(_ => new List<double>()).ToArray();
        for (int k = 0; k < frames.Count; k++)
        {
            var (f, seed) = frames[k];
            foreach (int i in Enumerable.Range(0, f.Count).OrderBy(i => f.Ids[i]))
            {
                frame.Add(k); id.Add(f.Ids[i]); type.Add(f.SpeciesIndex[i] + 1); species.Add(f.Species[f.SpeciesIndex[i]].Name);
                for (int c = 0; c < a.Length; c++) values[c].Add(Value(seed, i, c));
                for (int c = 0; c < b.Length; c++) values[a.Length + c].Add(Value(seed + 1000, i, c));
            }
        }
        var columns = new List<(string, Array)>();
        if (frameColumn) columns.Add(("frame", frame.ToArray()));
        columns.Add(("id", id.ToArray()));
        columns.Add(("type", type.ToArray()));
        columns.Add(("species", species.ToArray()));
        string[] names = [.. a, .. b];
        for (int c = 0; c < names.Length; c++) columns.Add((names[c], values[c].ToArray()));
        ParquetTable.Write(path, columns, rowGroupRows);
    }

    [Theory]
    [InlineData(700, true, false, true)]    // row groups ending inside frames and at a frame's end (1,400 = 1,000 + 400)
    [InlineData(700, true, true, true)]
    [InlineData(1000, true, false, true)]   // a row group ending exactly at the first frame's end, none left empty at the end
    [InlineData(100000, false, true, true)] // one row group; no frame column
    // every table whole: whole row groups of a frame gathered from the tables, the rest row by row
    [InlineData(500, true, false, false)]   // two gathered row groups, then rows of four frames
    [InlineData(700, true, false, false)]   // one gathered row group, then rows
    [InlineData(1000, true, false, false)]  // the first frame one gathered row group exactly
    [InlineData(1000, false, false, false)] // one frame, one gathered row group, no frame column
    [InlineData(100000, false, false, false)] // one frame gathered whole
    [InlineData(700, false, false, false)]    // one frame: a gathered row group, then the gathered rest
    public async Task StreamedRowGroupsAreTheWholeColumnsBytes(int rowGroupRows, bool severalFrames, bool pipelined, bool streamed)
    {
        using var tmp = new TempDir();
        string[] a = ["a0", "a1", "a2"], b = ["b0", "b1", "b2", "b3", "b4"];
        var frames = new List<(Frame, int)> { (MakeFrame(1000, 1), 10) };
        if (severalFrames) { frames.Add((MakeFrame(400, 2), 20)); frames.Add((MakeFrame(1, 3), 30)); frames.Add((MakeFrame(1399, 4), 40)); }
        string expected = tmp.File("expected.parquet"), got = tmp.File("got.parquet");
        WriteExpected(expected, frames, a, b, severalFrames, rowGroupRows);
        // the first block whole, the second streamed (or whole): each frame's blocks made as the frames are enumerated
        var source = frames.Select(fs => (fs.Item1, (IReadOnlyList<PerAtomFeatures>)[Whole(fs.Item1.Count, fs.Item2, a),
            streamed ? Streamed(fs.Item1, fs.Item2 + 1000, b, 97, pipelined) : Whole(fs.Item1.Count, fs.Item2 + 1000, b)]));
        ParquetTable.WriteBlocks(got, source, frameColumn: severalFrames, rowGroupRows);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(got));
        int rows = frames.Sum(f => f.Item1.Count);
        await using var reader = await Parquet.ParquetReader.CreateAsync(got);
        Assert.Equal((rows + rowGroupRows - 1) / rowGroupRows, reader.RowGroupCount);
    }

    /// <summary>
    /// Without a frame column, frames of whole tables: a frame's last rows are gathered into a row group of their own only when
    /// no frame follows; otherwise they share one with the next frame's rows, as in the column writer's file.
    /// </summary>
    [Fact]
    public void WholeFramesWithoutAFrameColumnShareRowGroups()
    {
        using var tmp = new TempDir();
        string expected = tmp.File("expected.parquet"), got = tmp.File("got.parquet");
        var frames = new List<(Frame, int)> { (MakeFrame(900, 7), 70), (MakeFrame(650, 8), 80) };
        WriteExpected(expected, frames, ["a", "b"], ["c"], frameColumn: false, rowGroupRows: 400);
        ParquetTable.WriteBlocks(got, frames.Select(fs => (fs.Item1, (IReadOnlyList<PerAtomFeatures>)[Whole(fs.Item1.Count, fs.Item2, ["a", "b"]),
            Whole(fs.Item1.Count, fs.Item2 + 1000, ["c"])])), frameColumn: false, groupRows: 400);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(got));
    }

    /// <summary>
    /// The feature-table reader moves the feature columns into its row-major table eight at a time per row group: 21 features
    /// (doubles and integers, a target and ids between them) in row groups of 37 rows (the last one short) read back bit for bit.
    /// </summary>
    [Fact]
    public void FeatureTableReadsManyColumnsOverRowGroupsBitForBit()
    {
        using var tmp = new TempDir();
        string p = tmp.File("t.parquet");
        int n = 100, nf = 21;
        var columns = new List<(string, Array)>();
        var expected = new double[n * nf];
        for (int c = 0; c < nf; c++)
        {
            if (c == 3) columns.Add(("id", Enumerable.Range(0, n).Select(i => 10L * i + 7).ToArray()));
            if (c == 11) columns.Add(("y", Enumerable.Range(0, n).Select(i => Value(99, i, 0) is var v && double.IsNaN(v) ? 1.5 : v).ToArray()));
            if (c % 5 == 2)
            {
                var l = Enumerable.Range(0, n).Select(i => (long)(Value(c, i, 1) is var v && double.IsFinite(v) ? i * 1000 - c : -i)).ToArray();
                for (int i = 0; i < n; i++) expected[i * nf + c] = l[i];
                columns.Add(($"f{c}", l));
            }
            else
            {
                var d = Enumerable.Range(0, n).Select(i => Value(c, i, 2)).ToArray();
                for (int i = 0; i < n; i++) expected[i * nf + c] = d[i];
                columns.Add(($"f{c}", d));
            }
        }
        ParquetTable.Write(p, columns, rowGroupRows: 37);
        var t = GlassML.Learning.FeatureTableCsv.ReadParquet(p, "y");
        Assert.Equal(Enumerable.Range(0, nf).Select(c => $"f{c}"), t.Columns);
        Assert.Equal(Enumerable.Range(0, n).Select(i => 10L * i + 7), t.Ids!);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < nf; c++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i * nf + c]), BitConverter.DoubleToInt64Bits(t[i, c]));
    }

    /// <summary>A per-atom table's row groups hold at most 10⁶ rows and 128 MiB of values (8 bytes per column and row).</summary>
    [Fact]
    public void PerAtomRowGroupsHoldAtMost128MiB()
    {
        Assert.Equal(1_000_000, ParquetTable.PerAtomRowGroupRows(4));
        Assert.Equal(1_000_000, ParquetTable.PerAtomRowGroupRows(16));
        Assert.Equal(128 * 1024 * 1024 / (8 * 17), ParquetTable.PerAtomRowGroupRows(17));
        Assert.Equal(140_985, ParquetTable.PerAtomRowGroupRows(119));   // featurize --features all: 4 + 115 columns
        Assert.Equal(22_369, ParquetTable.PerAtomRowGroupRows(750));    // the seed set: 4 + 746
        Assert.Equal(1, ParquetTable.PerAtomRowGroupRows(int.MaxValue));
    }

    [Fact]
    public void FramesWithoutAtomsMakeOneEmptyRowGroupAsTheColumnWriterDoes()
    {
        using var tmp = new TempDir();
        string expected = tmp.File("expected.parquet"), got = tmp.File("got.parquet");
        var empty = MakeFrame(0, 5);
        WriteExpected(expected, [(empty, 1), (empty, 2)], ["a"], ["b"], frameColumn: true, rowGroupRows: 10);
        ParquetTable.WriteBlocks(got, [(empty, [Whole(0, 1, ["a"]), Whole(0, 1001, ["b"])]), (empty, [Whole(0, 2, ["a"]), Whole(0, 1002, ["b"])])], frameColumn: true, groupRows: 10);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(got));
    }

    [Fact]
    public void FramesWithOtherColumnsAreRefusedWithoutAFile()
    {
        using var tmp = new TempDir();
        string got = tmp.File("got.parquet");
        var f = MakeFrame(50, 6);
        var e = Assert.Throws<ArgumentException>(() => ParquetTable.WriteBlocks(got,
            [(f, [Whole(50, 1, ["a", "b"])]), (f, [Whole(50, 2, ["a", "c"])])], frameColumn: true, groupRows: 20));
        Assert.Contains("different columns", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
