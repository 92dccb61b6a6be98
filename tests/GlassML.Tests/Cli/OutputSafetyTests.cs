using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>Outputs never destroy anything: inputs, devices, duplicate outputs, symlinks, --no-clobber; parse errors exit 2.</summary>
[Collection("Console")]
public class OutputSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-out-{Guid.NewGuid():N}");
    private readonly string _glass;

    public OutputSafetyTests()
    {
        Directory.CreateDirectory(_dir);
        _glass = Path.Combine(_dir, "g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), _glass);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static (int Code, string Err) Run(params string[] args)
    {
        var se = Console.Error; var so = Console.Out;
        var e = new StringWriter();
        Console.SetError(e); Console.SetOut(new StringWriter());
        try { return (Program.Main(args), e.ToString()); }
        finally { Console.SetError(se); Console.SetOut(so); }
    }

    private static void AssertOneLineError(int code, string err, string text)
    {
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(text, err);
    }

    [Fact]
    public void AnOutputThatIsAnInputIsRefusedAndTheInputKept()
    {
        byte[] before = File.ReadAllBytes(_glass);
        var (code, err) = Run("rdf", _glass, "--out", _glass);
        AssertOneLineError(code, err, "is one of the command's inputs");
        Assert.Equal(before, File.ReadAllBytes(_glass));
        // also through a symbolic link to the input
        string link = Path.Combine(_dir, "link.data.gz");
        File.CreateSymbolicLink(link, _glass);
        (code, err) = Run("rdf", _glass, "--out", link);
        AssertOneLineError(code, err, "is one of the command's inputs");
        Assert.Equal(before, File.ReadAllBytes(_glass));
    }

    [Fact]
    public void DevicesAreNeverReplaced()
    {
        var (code, err) = Run("rdf", _glass, "--types", "1:Cu,2:Zr", "--out", "/dev/null");
        AssertOneLineError(code, err, "is a device");
        Assert.True(File.Exists("/dev/null"));
        Assert.Equal(GlassML.Io.OutputPath.Kind.Special, GlassML.Io.OutputPath.KindOf("/dev/null"));
        Assert.Throws<ArgumentException>(() => GlassML.Io.AtomicFile.WriteText("/dev/null", w => w.Write("x")));
    }

    [Fact]
    public void MissingParentFoldersAreCreatedAndRemovedAgainWhenTheRunFails()
    {
        // a file output: created with its parents on success
        string nested = Path.Combine(_dir, "a", "b", "g.csv");
        var (code, err) = Run("rdf", _glass, "--types", "1:Cu,2:Zr", "--out", nested);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(nested));
        // a failing write leaves no folder behind (only the ones it created; existing ones stay)
        string deep = Path.Combine(_dir, "a", "x", "y", "z.csv");
        Assert.Throws<InvalidDataException>(() => GlassML.Io.AtomicFile.WriteText(deep, _ => throw new InvalidDataException("boom")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "a", "x")));
        Assert.True(Directory.Exists(Path.Combine(_dir, "a")));
        // a run directory whose run fails: the staging folder and the parents it created are gone
        string samples = Path.Combine(_dir, "samples.csv");
        File.WriteAllText(samples, "file,frame,role,labels\nnothere.dump,0,train,l.csv\n");
        (code, err) = Run("bonds", "train", "--samples", samples, "--types", "1:Cu,2:Zr", "--out", Path.Combine(_dir, "p", "q", "run"));
        AssertOneLineError(code, err, "nothere.dump");
        Assert.False(Directory.Exists(Path.Combine(_dir, "p")));
        using (var run = GlassML.Workflows.RunDirectory.Begin(Path.Combine(_dir, "p", "q", "run"), new GlassML.Workflows.RunRecord("t", "t", [], 1), "t"))
            Assert.True(Directory.Exists(Path.Combine(_dir, "p", "q")));   // not committed: disposed as a failed run
        Assert.False(Directory.Exists(Path.Combine(_dir, "p")));
    }

    [Fact]
    public void TwoOutputsOfOneCommandMayNotBeTheSameFile()
    {
        string o = Path.Combine(_dir, "same.csv");
        var (code, err) = Run("featurize", _glass, "--types", "1:Cu,2:Zr", "--features", "xtal", "--cutoff", "3.5", "--bonds", o, "--out", o);
        AssertOneLineError(code, err, "is also the output of");
        Assert.False(File.Exists(o));
    }

    [Theory]
    [InlineData("outer")]
    [InlineData("inner")]
    public void AnAveragedSoapIsRefusedBeforeAnyWork(string average)
    {
        // one row for the whole structure cannot be a per-atom table: refused at once (it used to fail after computing every row)
        string o = Path.Combine(_dir, "soap.npy");
        var (code, err) = Run("featurize", _glass, "--types", "1:Cu,2:Zr", "--features", "soap", "--soap", $"rcut=4,nmax=4,lmax=4,average={average}", "--out", o);
        AssertOneLineError(code, err, $"average={average} describes the whole structure");
        Assert.False(File.Exists(o));
    }

    [Fact]
    public void ASymbolicLinkOutputIsWrittenThroughAndNoClobberRefuses()
    {
        string target = Path.Combine(_dir, "target.csv"), link = Path.Combine(_dir, "link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        var (code, err) = Run("rdf", _glass, "--types", "1:Cu,2:Zr", "--out", link);
        Assert.True(code == 0, err);
        Assert.NotNull(new FileInfo(link).LinkTarget); // still a link
        Assert.StartsWith("r,total", File.ReadAllText(target));
        File.WriteAllText(target, "keep");
        (code, err) = Run("rdf", _glass, "--types", "1:Cu,2:Zr", "--out", link, "--no-clobber");
        AssertOneLineError(code, err, "exists (--no-clobber)");
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Theory]
    [InlineData("rdf", "GLASS", "--bogus")]
    [InlineData("no-such-verb")]
    [InlineData("rdf", "GLASS", "--bins", "many", "--out", "x.csv")]
    public void ParseErrorsExitWithTwoAndOneLine(params string[] args)
    {
        var (code, err) = Run(args.Select(a => a == "GLASS" ? _glass : a).ToArray());
        AssertOneLineError(code, err, "--help");
    }
}
