using GlassML.Cli;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Cli;

/// <summary>Neighbour searches are refused before they start when they cannot fit (issue 17, item 2), and physically
/// impossible inputs are refused (item 3): the cases of the issue, run through the CLI in-process.</summary>
[Collection("Console")]
public class ResourceBudgetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-budget-{Guid.NewGuid():N}");
    private readonly string _glass;

    public ResourceBudgetTests()
    {
        Directory.CreateDirectory(_dir);
        _glass = Path.Combine(_dir, "g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), _glass);
    }

    public void Dispose() { SearchBudget.Reset(); Directory.Delete(_dir, true); }

    private string Dump(string name, double box, params string[] atoms)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, $"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{atoms.Length}\nITEM: BOX BOUNDS pp pp pp\n0 {box}\n0 {box}\n0 {box}\nITEM: ATOMS id type x y z\n"
            + string.Concat(atoms.Select((a, i) => $"{i + 1} 1 {a}\n")));
        return p;
    }

    private (int Code, string Err, double Seconds, long Bytes) Run(params string[] args)
    {
        var se = Console.Error; var so = Console.Out;
        var e = new StringWriter();
        Console.SetError(e); Console.SetOut(new StringWriter());
        long before = GC.GetTotalAllocatedBytes();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        try { return (Program.Main(args), e.ToString(), sw.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes() - before); }
        finally { Console.SetError(se); Console.SetOut(so); }
    }

    private void Refused(string text, params string[] args)
    {
        string outPath = Path.Combine(_dir, "out.csv");
        var (code, err, s, bytes) = Run([.. args, "--out", outPath]);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(text, err);
        Assert.False(File.Exists(outPath));
        Assert.True(s < 10, $"took {s:F1} s");
        Assert.True(bytes < 300L << 20, $"allocated {bytes >> 20} MB");
    }

    [Fact]
    public void TwoAtomsInATinyBoxAreRefusedForTheirDensity()
    {
        Refused("number density", "rdf", Dump("a.dump", 0.02, "0 0 0", "0.01 0.01 0.01"), "--rmax", "10");
        Refused("number density", "rdf", Dump("b.dump", 0.2, "0 0 0", "0.1 0.1 0.1"), "--rmax", "10");
    }

    [Fact]
    public void ASearchAboveMaxMemoryIsRefusedAndOneBelowRuns()
    {
        Refused("more than the limit", "--max-memory", "10M", "rdf", _glass, "--types", "1:Cu,2:Zr", "--rmax", "30");
        Refused("more than the limit", "--max-memory", "10M", "featurize", _glass, "--types", "1:Cu,2:Zr", "--neighbors", "cutoff", "--cutoff", "60");
        var (code, _, _, _) = Run("--max-memory", "1G", "rdf", _glass, "--types", "1:Cu,2:Zr", "--rmax", "8", "--out", Path.Combine(_dir, "ok.csv"));
        Assert.Equal(0, code);
        Refused("is not a memory size", "--max-memory", "lots", "rdf", _glass, "--types", "1:Cu,2:Zr");
    }

    [Fact]
    public void StrainChecksItsHalfCellConditionBeforeTheSearch()
        => Refused("half the smallest width", "strain", _glass, _glass, "--types", "1:Cu,2:Zr", "--cutoff", "50");

    [Fact]
    public void AbsurdCoordinatesBinsAndCoincidentAtomsAreRefused()
    {
        Refused("box lengths outside the box", "rdf", Dump("far.dump", 10, "0 0 0", "1e300 1 1", "5 5 5"));
        Refused("coincident atoms", "rdf", Dump("coin.dump", 10, "1 1 1", "1 1 1", "5 5 5"));
        Refused("--bins must be between", "rdf", _glass, "--types", "1:Cu,2:Zr", "--bins", "2000000000");
    }

    [Fact]
    public void TheEstimateFollowsDensityCutoffAndImages()
    {
        var f = StructureReaderFrame();
        double v = f.Box.Volume, n = f.Count;
        Assert.Equal(n * n * 4.0 / 3.0 * Math.PI * 125 / v, SearchBudget.ExpectedPairs(f, 5), 6);
        Assert.Equal(27, SearchBudget.StencilCells(Box.Cubic(20), 5));
        Assert.Equal(21 * 21 * 21, SearchBudget.StencilCells(Box.Cubic(1), 10));
        SearchBudget.MaxMemoryBytes = 1 << 20;
        Assert.Throws<ArgumentException>(() => new NeighborSearch(1).Ball(f, 10));
        SearchBudget.Reset();
        var list = new NeighborSearch(1).Ball(f, 10);
        // the estimate is within a few per cent of the real pair count of a glass
        Assert.InRange(list.PairCount / SearchBudget.ExpectedPairs(f, 10), 0.9, 1.1);
    }

    private Frame StructureReaderFrame() => GlassML.Io.StructureReader.ReadFrame(_glass, 0, new GlassML.Io.ReadOptions());
}

/// <summary>Messages name the thing (issue 17, item 4) and options without effect are errors (item 5).</summary>
[Collection("Console")]
public class NamingMessageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-naming-{Guid.NewGuid():N}");
    private readonly string _glass;

    public NamingMessageTests()
    {
        Directory.CreateDirectory(_dir);
        _glass = Path.Combine(_dir, "g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), _glass);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Error(params string[] args)
    {
        var se = Console.Error; var so = Console.Out;
        var e = new StringWriter();
        Console.SetError(e); Console.SetOut(new StringWriter());
        int code;
        try { code = Program.Main([.. args, "--out", Path.Combine(_dir, "out.csv")]); }
        finally { Console.SetError(se); Console.SetOut(so); }
        Assert.Equal(2, code);
        Assert.Single(e.ToString().TrimEnd('\n').Split('\n'));
        return e.ToString();
    }

    [Fact]
    public void ADirectoryGivenAsAnInputSaysSo()
        => Assert.Contains($"{_dir}: is a directory", Error("rdf", _dir));

    [Fact]
    public void StrainWithFilesThatDoNotMatchNamesBoth()
    {
        string six = Path.Combine(_dir, "six.dump");
        File.WriteAllText(six, "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 3 3 3\n");
        string err = Error("strain", _glass, six, "--types", "1:Cu,2:Zr");
        Assert.Contains(_glass, err);
        Assert.Contains(six, err);
    }

    [Fact]
    public void OptionsWithoutEffectAreErrors()
    {
        Assert.Contains("--soap has no effect without the soap family", Error("featurize", _glass, "--features", "voronoi", "--soap", "rcut=5", "--types", "1:Cu,2:Zr"));
        Assert.Contains("given twice as a run", Error("vflex", _glass, _glass, "--start", _glass, "--types", "1:Cu,2:Zr"));
    }
}
