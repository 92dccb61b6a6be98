using GlassML.Workflows.Demo;

namespace GlassML.Tests.Cli;

/// <summary>
/// <c>--out -</c> (CSV) and <c>--out -.EXT</c> (that text format) write the result to standard output: byte for byte the
/// file the same command writes, with every message on standard error; folders, binary formats, a second standard
/// output and outputs with side files are refused with one line.
/// </summary>
[Collection("Console")]
public class StandardOutputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-stdout-{Guid.NewGuid():N}");
    private readonly string _glass, _pot, _traj;

    public StandardOutputTests()
    {
        Directory.CreateDirectory(_dir);
        _glass = Path.Combine(_dir, "g.data.gz");
        File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), _glass);
        _pot = Path.Combine(_dir, "pot.eam.fs.gz");
        File.Copy(Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"), _pot);
        _traj = Path.Combine(_dir, "t.dump.gz");
        File.Copy(Fixtures.Path("dynamics", "isothermal_1500K.dump.gz"), _traj);
        foreach (var m in new[] { "sf", "softness", "bonds" }) File.WriteAllBytes(Path.Combine(_dir, m + ".json"), DemoJob.ShippedModel(m)!);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string[] Args(string[] spec, string output) =>
        spec.Select(a => a.Replace("GLASS", _glass).Replace("POT", _pot).Replace("TRAJ", _traj).Replace("DIR", _dir).Replace("OUT", output)).ToArray();

    public static TheoryData<string, string[]> Verbs() => new()
    {
        { "csv", ["rdf", "GLASS", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "csv", ["featurize", "GLASS", "--types", "1:Cu,2:Zr", "--features", "voronoi", "--out", "OUT"] },
        { "xyz", ["featurize", "GLASS", "--types", "1:Cu,2:Zr", "--features", "voronoi", "--out", "OUT"] },
        { "dump", ["featurize", "GLASS", "--types", "1:Cu,2:Zr", "--features", "xtal", "--out", "OUT"] },
        { "csv", ["strain", "TRAJ", "TRAJ", "--reference-frame", "0", "--frame", "last", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "csv", ["displacements", "TRAJ", "--lags", "0.2", "--dt", "0.002", "--temperature", "1500", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "xyz", ["energy", "GLASS", "--potential", "POT", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "csv", ["sf", "apply", "GLASS", "--model", "DIR/sf.json", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "csv", ["softness", "apply", "GLASS", "--model", "DIR/softness.json", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
        { "csv", ["bonds", "apply", "GLASS", "--model", "DIR/bonds.json", "--types", "1:Cu,2:Zr", "--out", "OUT"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void DashWritesTheFileBytesToStandardOutputAndMessagesToStandardError(string format, string[] spec)
    {
        string file = Path.Combine(_dir, "result." + format);
        var (code, fileOut, err) = CliRunner.Run(Args(spec, file));
        Assert.True(code == 0, err);
        Assert.NotEqual("", fileOut.Trim());   // the verb prints a summary, which must move to stderr with --out -
        string dash = format == "csv" ? "-" : "-." + format;
        var before = Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Order().ToArray();
        var (code2, stdout, err2) = CliRunner.Run(Args(spec, dash));
        Assert.True(code2 == 0, err2);
        Assert.Equal(File.ReadAllText(file), stdout);
        Assert.Contains(fileOut.Trim().Split('\n')[0].Split(' ')[0], err2);   // the summary went to stderr
        // and names standard output, not a file called '-'
        Assert.DoesNotMatch($@"(?m)(to|→) {System.Text.RegularExpressions.Regex.Escape(dash)}(\s|$)", err2);
        Assert.Contains("standard output", err2);
        Assert.Equal(before, Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Order().ToArray()); // no file named '-'
    }

    [Theory]
    [InlineData("--out -.parquet: parquet is a binary format", "rdf", "GLASS", "--types", "1:Cu,2:Zr", "--out", "-.parquet")]
    [InlineData("--out -.npy: npy is a binary format", "featurize", "GLASS", "--types", "1:Cu,2:Zr", "--out", "-.npy")]
    [InlineData("--out -.csv.gz: gz is a binary format", "rdf", "GLASS", "--types", "1:Cu,2:Zr", "--out", "-.csv.gz")]
    [InlineData("cannot go to standard output", "sf", "train", "--samples", "DIR/none.csv", "--out", "-")]
    [InlineData("cannot go to standard output", "demo", "--out", "-")]
    [InlineData("cannot go to standard output", "ule", "build", "--samples", "DIR/none.csv", "--vectors", "-", "--out", "DIR/d.json")]
    [InlineData("only one output can", "featurize", "GLASS", "--types", "1:Cu,2:Zr", "--features", "xtal", "--bonds", "-", "--out", "-")]
    [InlineData("give --modes-out FILE", "modes", "GLASS", "--potential", "POT", "--types", "1:Cu,2:Zr", "--out", "-")]
    [InlineData("part files", "featurize", "GLASS", "--types", "1:Cu,2:Zr", "--shard", "1/2", "--out", "-")]
    [InlineData("array tasks write files", "slurm", "--array", "2", "--scripts", "DIR/s", "--", "featurize", "GLASS", "--out", "-")]
    public void StandardOutputIsRefusedWhereItCannotWork(string message, params string[] spec)
    {
        var (code, stdout, err) = CliRunner.Run(Args(spec, "unused"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "s")));
    }
}
