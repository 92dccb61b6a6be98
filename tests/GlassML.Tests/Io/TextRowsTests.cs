using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// The CSV rows formatted in chunks on several threads (the text rows of <see cref="CsvWriter"/> (<see cref="TextRows"/>)) are the bytes that
/// <see cref="CsvRowWriter"/> writes cell by cell (CsvHelper's quoting, <see cref="WriterSupport.F"/>'s numbers), for any
/// thread count: awkward numbers, species names that need quotes, several frames with a frame column, several blocks per row
/// and row counts that are not a multiple of the chunk.
/// </summary>
public class TextRowsTests
{
    // a frame of n atoms in shuffled id order, species names that CSV must quote (a comma, a quote, a leading space)
    private static Frame MakeFrame(int n, int seed) => TestFrames.Shuffled(n, seed, ["Cu", "Zr,x", " Al", "A\"l"], i => (long)i * 7 - 3);

    private static readonly double[] Awkward =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
        double.MaxValue, double.MinValue, 1e-310, 0.1, 1.0 / 3, -2.5e21, 123456789012345678.0, Math.PI * 1e-5,
    ];

    private static PerAtomFeatures Block(int n, int width, int seed, string prefix)
    {
        var rng = new Random(seed);
        var v = new double[n * width];
        for (int k = 0; k < v.Length; k++)
            v[k] = rng.Next(4) == 0 ? Awkward[rng.Next(Awkward.Length)] : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30));
        return new PerAtomFeatures(Enumerable.Range(0, width).Select(c => $"{prefix}{c}").ToArray(), n, v);
    }

    // the table as CsvRowWriter writes it cell by cell (the writer before the chunked formatter)
    private static string Expected(IReadOnlyList<(Frame Frame, PerAtomFeatures[] Blocks)> frames, bool frameColumn, int firstFrame)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = new CsvRowWriter(sw))
        {
            var head = new List<string>(frameColumn ? ["frame", "id", "type", "species"] : ["id", "type", "species"]);
            head.AddRange(frames[0].Blocks.SelectMany(b => b.Names));
            w.Row(head);
            for (int k = 0; k < frames.Count; k++)
            {
                var (f, blocks) = frames[k];
                foreach (int i in Enumerable.Range(0, f.Count).OrderBy(i => f.Ids[i]))
                {
                    if (frameColumn) w.Integer(firstFrame + k);
                    w.Integer(f.Ids[i]);
                    w.Integer(f.SpeciesIndex[i] + 1);
                    w.Text(f.Species[f.SpeciesIndex[i]].Name);
                    foreach (var b in blocks) foreach (double v in b.Row(i)) w.Number(v);
                    w.EndRow();
                }
            }
        }
        return sw.ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(0)]
    public void ChunkedRowsAreTheCellByCellBytesForAnyThreadCount(int threads)
    {
        using var tmp = new TempDir();
        // one narrow frame (many rows per chunk: 1,500 rows end inside a round) and one wide (few rows per chunk), two blocks each
        var a = MakeFrame(1500, 1);
        var b = MakeFrame(333, 2);
        var frames = new List<(Frame, PerAtomFeatures[])>
        {
            (a, [Block(a.Count, 3, 11, "p"), Block(a.Count, 2, 12, "q")]),
            (b, [Block(b.Count, 3, 13, "p"), Block(b.Count, 2, 14, "q")]),
        };
        string stacked = tmp.File("s.csv");
        CsvWriter.WriteBlocks(stacked, frames.Select(f => (f.Item1, (IReadOnlyList<PerAtomFeatures>)f.Item2)), frameColumn: true, firstFrame: 5, threads: threads);
        Assert.Equal(Expected(frames, frameColumn: true, firstFrame: 5), File.ReadAllText(stacked));

        var wide = MakeFrame(777, 3);
        var wideBlocks = new[] { Block(wide.Count, 700, 15, "w") };
        string one = tmp.File("w.csv");
        CsvWriter.Write(one, wide, wideBlocks[0], threads);
        Assert.Equal(Expected([(wide, wideBlocks)], frameColumn: false, firstFrame: 0), File.ReadAllText(one));
    }

    [Fact]
    public void AFrameWithoutFeaturesOrAtomsWritesItsRowsOrNone()
    {
        using var tmp = new TempDir();
        var f = MakeFrame(50, 4);
        var none = new PerAtomFeatures([], f.Count, []);
        string path = tmp.File("n.csv");
        CsvWriter.Write(path, f, none, 2);
        Assert.Equal(Expected([(f, [none])], frameColumn: false, firstFrame: 0), File.ReadAllText(path));
        var empty = MakeFrame(0, 5);
        string e = tmp.File("e.csv");
        CsvWriter.Write(e, empty, Block(0, 3, 1, "p"), 2);
        Assert.Equal("id,type,species,p0,p1,p2\n", File.ReadAllText(e));
    }

    // a frame for the atom-line formats: names without spaces, images, an input column; its lines as the writers' one-string-
    // per-number loops wrote them
    private static Frame XyzFrame(int n, int seed)
    {
        var rng = new Random(seed);
        var ids = Enumerable.Range(1, n).Select(i => (long)i * 5 + 2).OrderBy(_ => rng.Next()).ToArray();
        var sp = Enumerable.Range(0, n).Select(_ => rng.Next(2)).ToArray();
        double[] Coord() => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 20 - 5).ToArray();
        var f = new Frame(Box.Orthogonal(new Vec3(-1, 0, 0), new Vec3(19, 20, 20)), new SpeciesTable(["Cu", "Zr"]), ids, sp, Coord(), Coord(), Coord());
        f.Images = [Enumerable.Range(0, n).Select(_ => rng.Next(-3, 4)).ToArray(), new int[n], Enumerable.Range(0, n).Select(_ => rng.Next(-1, 2)).ToArray()];
        f.Columns["vx"] = Block(n, 1, seed + 100, "v").Values;
        return f;
    }

    private static string Line(params object[] cells) =>
        string.Join(' ', cells.Select(c => c switch { double d => WriterSupport.F(d), long l => WriterSupport.I(l), int k => WriterSupport.I(k), _ => (string)c })) + "\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(0)]
    public void XyzAndDumpAtomLinesAreTheCellByCellTextForAnyThreadCount(int threads)
    {
        using var tmp = new TempDir();
        var f = XyzFrame(2100, 7);
        var feats = Block(f.Count, 40, 8, "c");
        string xyz = tmp.File("a.xyz"), dump = tmp.File("a.dump");
        ExtendedXyzWriter.Write(xyz, [(f, (PerAtomFeatures?)feats), (f, (PerAtomFeatures?)feats)], threads);
        LammpsDumpWriter.Write(dump, [(f, (PerAtomFeatures?)feats)], threads);
        var xyzLines = new System.Text.StringBuilder();
        var dumpLines = new System.Text.StringBuilder();
        for (int i = 0; i < f.Count; i++)
        {
            string sp = f.Species[f.SpeciesIndex[i]].Name;
            var extra = new object[] { f.Columns["vx"][i] }.Concat(feats.Row(i).ToArray().Cast<object>());
            xyzLines.Append(Line(new object[] { sp, f.X[i], f.Y[i], f.Z[i], f.Ids[i] }.Concat(extra).ToArray()));
            dumpLines.Append(Line(new object[] { f.Ids[i], f.SpeciesIndex[i] + 1, sp, f.X[i], f.Y[i], f.Z[i], f.Images![0][i], f.Images[1][i], f.Images[2][i] }.Concat(extra).ToArray()));
        }
        string xyzText = File.ReadAllText(xyz), dumpText = File.ReadAllText(dump);
        // the extended XYZ: two frames, each its count and comment lines, then the atom lines; the dump: 9 header lines
        string xyzAtoms = xyzLines.ToString();
        var xyzFrames = xyzText.Split(xyzAtoms);
        Assert.Equal(3, xyzFrames.Length);
        Assert.Equal("", xyzFrames[2]);
        Assert.Equal(2, xyzFrames[0].Split('\n').Length - 1);
        Assert.Equal(xyzFrames[0], xyzFrames[1]);
        Assert.EndsWith(dumpLines.ToString(), dumpText);
        Assert.Equal(9 + f.Count, dumpText.Split('\n').Length - 1);
    }

    [Fact]
    public void EveryNumberIsWrittenInTheShortestRoundTripForm()
    {
        // whole numbers take the integer path below 10^15: around every power of ten, the edge, ±0, and random ones; then
        // fractions, extremes and the non-finite values
        var values = new List<double> { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon,
            double.MaxValue, double.MinValue, 1e15, -1e15, 1e15 - 1, -(1e15 - 1), 1e15 + 2, 999999999999999.9, 0.5, -0.5, 1e-7 };
        for (int k = -2000; k <= 2000; k++) values.Add(k);
        for (double p = 1; p < 1e17; p *= 10)
            foreach (double d in new[] { p - 1, p, p + 1, p * 1.5, -p, -p + 1, -(p * 1.5) }) values.Add(d);
        var rng = new Random(3);
        for (int k = 0; k < 20000; k++)
        {
            values.Add(Math.Round((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(1, 17))));
            values.Add((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20)));
        }
        // the definition, independent of the writer: .NET's "R" in invariant culture, nan/inf/-inf for the non-finite
        static string Expected(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
            : v.ToString("R", CultureInfo.InvariantCulture);
        var buf = new char[64];
        foreach (double v in values)
        {
            int n = TextRows.Number(buf, v);
            Assert.Equal(Expected(v), new string(buf, 0, n));
            Assert.Equal(Expected(v), WriterSupport.F(v));
        }
    }
}
