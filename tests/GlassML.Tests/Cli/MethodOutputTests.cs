using GlassML.Io;
using GlassML.Workflows.Demo;
using static GlassML.Tests.Cli.CliRunner;

namespace GlassML.Tests.Cli;

/// <summary>
/// Issue 18: the method verbs (sf/softness apply) and energy/modes write their per-atom output through PerAtomOutput, so
/// .csv, .parquet, .dump and .xyz hold the same values and --keep carries the input's columns; progress on stderr
/// (plain periodic lines when stderr is not a terminal, none with --quiet) never mixes with standard output.
/// </summary>
[Collection("Console")]
public sealed class MethodOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("glassml-method-out").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private string Resource(string name, string file)
    {
        string path = P(file);
        using var s = typeof(DemoGlass).Assembly.GetManifestResourceStream(name)!;
        using var f = File.Create(path);
        s.CopyTo(f);
        return path;
    }

    private static void Ok((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, r.Err);

    private static double[] Column(string path, string name) => ParquetTable.Read(path).Single(c => c.Name == name).Values switch
    {
        double[] d => d,
        long[] l => l.Select(v => (double)v).ToArray(),
        var v => throw new InvalidOperationException(v.GetType().Name),
    };

    private static double[] CsvColumn(string path, string name)
    {
        using var csv = CsvTableReader.Open(path);
        int c = csv.Column(name);
        Assert.True(c >= 0, $"{path}: no column {name}: {string.Join(",", csv.Header)}");
        var v = new List<double>();
        while (csv.Read()) v.Add(csv.Number(c));
        return [.. v];
    }

    [Fact]
    public void EnergyWritesEveryPerAtomFormatWithKeptColumns()
    {
        string glass = Fixtures.Path("glasses", "tilted500", "glass.data.gz"), pot = Fixtures.Path("eam", "CuZr_mm.eam.fs.gz");
        string[] common = ["energy", glass, "--potential", pot, "--types", "1:Cu,2:Zr", "--threads", "1"];
        Ok(Run([.. common, "--out", P("e.csv")]));
        Ok(Run([.. common, "--keep", "vx", "--out", P("e.parquet")]));
        Ok(Run([.. common, "--keep", "none", "--out", P("e.dump")]));
        Ok(Run([.. common, "--out", P("e.xyz")]));
        var pe = CsvColumn(P("e.csv"), "pe");
        Assert.Equal(pe, Column(P("e.parquet"), "pe"));
        Assert.Equal(CsvColumn(P("e.csv"), "vx"), Column(P("e.parquet"), "vx")); // the data file's velocities, kept
        Assert.DoesNotContain(ParquetTable.Read(P("e.parquet")), c => c.Name == "vy");
        var dump = StructureReader.ReadFrame(P("e.dump"));
        dump.SortById();
        Assert.Equal(pe, dump.Columns["pe"]);
        Assert.False(dump.Columns.ContainsKey("vx"));
        var xyz = StructureReader.ReadFrame(P("e.xyz"));
        xyz.SortById();
        Assert.Equal(pe, xyz.Columns["pe"]);
        Assert.Equal(CsvColumn(P("e.csv"), "fx"), xyz.Columns["fx"]);
    }

    [Fact]
    public void ModesWritesParquetAndDump()
    {
        string[] common = ["modes", Fixtures.Path("eam", "small32.data.gz"), "--potential", Fixtures.Path("eam", "CuNi.eam.alloy.gz"), "--types", "1:Cu,2:Ni", "--fraction", "0.1", "--threads", "1"];
        Ok(Run([.. common, "--out", P("m.csv")]));
        Ok(Run([.. common, "--out", P("m.parquet"), "--modes-out", P("f.parquet")]));
        Ok(Run([.. common, "--out", P("m.dump")]));
        var part = CsvColumn(P("m.csv"), "participation");
        Assert.Equal(part, Column(P("m.parquet"), "participation"));
        var dump = StructureReader.ReadFrame(P("m.dump"));
        dump.SortById();
        Assert.Equal(part, dump.Columns["participation"]);
        Assert.Equal(CsvColumn(P("m_frequencies.csv"), "frequency_thz"), Column(P("f.parquet"), "frequency_thz"));
    }

    [Fact]
    public void MethodApplyVerbsWriteParquetAndDump()
    {
        string glass = Resource(DemoGlass.ResourceName, "demo.data.gz");
        string sf = Resource(DemoJob.ModelResource("sf"), "sf.json"), soft = Resource(DemoJob.ModelResource("softness"), "soft.json");
        Ok(Run("sf", "apply", glass, "--model", sf, "--out", P("sf.csv")));
        Ok(Run("sf", "apply", glass, "--model", sf, "--out", P("sf.parquet")));
        Ok(Run("sf", "apply", glass, "--model", sf, "--out", P("sf.dump")));
        var want = CsvColumn(P("sf.csv"), "sf");
        Assert.Equal(want, Column(P("sf.parquet"), "sf"));
        var d = StructureReader.ReadFrame(P("sf.dump"));
        d.SortById();
        Assert.Equal(want, d.Columns["sf"]);

        Ok(Run("softness", "apply", glass, "--model", soft, "--out", P("s.csv")));
        Ok(Run("softness", "apply", glass, "--model", soft, "--out", P("s.parquet")));
        Assert.Equal(CsvColumn(P("s.csv"), "softness"), Column(P("s.parquet"), "softness"));
        Assert.Equal(CsvColumn(P("s.csv"), "x"), Column(P("s.parquet"), "x"));
    }

    [Fact]
    public void ProgressGoesToStderrAsPlainLinesAndQuietSilencesIt()
    {
        string dump = GlassML.Tests.Dynamics.DynamicsFixtures.Path("compression_ortho.dump.gz");
        string[] rdf = ["rdf", dump, "--rmax", "6", "--bins", "60", "--types", "1:Cu,2:Zr"];
        Environment.SetEnvironmentVariable("GLASSML_PROGRESS_SECONDS", "0.001");
        try
        {
            var loud = Run([.. rdf, "--out", P("g1.csv")]);
            Ok(loud);
            Assert.Matches(@"glassml: rdf: frame \d \(timestep \d+\)", loud.Err);
            Assert.Contains("glassml: rdf: done in", loud.Err);
            Assert.DoesNotContain("glassml: rdf:", loud.Out); // results and summary on stdout, progress never
            var quiet = Run(["--quiet", .. rdf, "--out", P("g2.csv")]);
            Ok(quiet);
            Assert.Equal("", quiet.Err);
            var quietAfter = Run([.. rdf, "--out", P("g3.csv"), "-q"]);
            Ok(quietAfter);
            Assert.Equal("", quietAfter.Err);
            Assert.Equal(File.ReadAllText(P("g1.csv")), File.ReadAllText(P("g2.csv")));
        }
        finally { Environment.SetEnvironmentVariable("GLASSML_PROGRESS_SECONDS", null); }
        var normal = Run([.. rdf, "--out", P("g4.csv")]); // default interval 10 s: a short run prints nothing
        Ok(normal);
        Assert.Equal("", normal.Err);
    }
}
