using System.Text.Json;
using GlassML.Io;
using GlassML.Workflows;

namespace GlassML.Tests.Workflows;

/// <summary>The conventions every method shares: manifests, model files, run directories.</summary>
public class ConventionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-conv-{Guid.NewGuid():N}");

    public ConventionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "runs"));
        File.WriteAllText(Path.Combine(_dir, "runs", "a.dump"), "x");
        File.WriteAllText(Path.Combine(_dir, "b c.dump"), "y");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void ManifestReadsQuotedHeadersBomCrlfCommentsAndResolvesPathsAgainstItsFolder()
    {
        string m = Write("samples.csv", "\uFEFF\"file\",\"frame\",role,group,temperature\r\n# a comment\r\nruns/a.dump,last,train,g1,300\r\n\"b c.dump\",,test,,1500.5\r\n");
        var man = Manifest.Load(m, ["temperature"]);
        Assert.Equal(2, man.Rows.Count);
        var a = man.Rows[0]; var b = man.Rows[1];
        Assert.Equal(Path.Combine(_dir, "runs", "a.dump"), a.File);
        Assert.Equal("last", a.Frame);
        Assert.Equal(SampleRole.Train, a.Role);
        Assert.Equal("g1", a.Group);
        Assert.Equal(300, a.Number("temperature"));
        Assert.Equal("0", b.Frame);
        Assert.Equal(SampleRole.Test, b.Role);
        Assert.Equal("b c.dump", b.Group); // default group: the file
        Assert.Equal(1500.5, b.Number("temperature"));
        Assert.Equal(3, a.Line); // line 2 is a comment
        Assert.Equal(4, b.Line);
        Assert.Single(man.Of(SampleRole.Test));
    }

    [Theory]
    [InlineData("frame,role\n0,train\n", 1, "no 'file' column")]
    [InlineData("file,temperature\nruns/a.dump,300\nmissing.dump,400\n", 3, "'missing.dump' not found")]
    [InlineData("file,role\nruns/a.dump,validate\n", 2, "role 'validate'")]
    [InlineData("file,frame\nruns/a.dump,-3\n", 2, "frame '-3'")]
    [InlineData("file,temperature\nruns/a.dump,300\nruns/a.dump,hot\n", 3, "'hot' is not a finite number")]
    [InlineData("file,file\nruns/a.dump,runs/a.dump\n", 1, "appears twice")]
    [InlineData("file\nruns\n", 2, "is a directory")]
    [InlineData("file,temperature\nruns/a.dump\n", 2, "malformed CSV")]
    public void ManifestErrorsNameFileAndLine(string text, int line, string problem)
    {
        string m = Write("bad.csv", text);
        var e = Assert.Throws<InputFormatException>(() =>
        {
            foreach (var r in Manifest.Load(m, text.Contains("temperature") ? ["temperature"] : null).Rows) r.Number("temperature");
        });
        Assert.Equal(m, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void ManifestWithoutARequiredMethodColumnIsRefused()
    {
        string m = Write("s.csv", "file\nruns/a.dump\n");
        var e = Assert.Throws<InputFormatException>(() => Manifest.Load(m, ["energy"]));
        Assert.Contains("no 'energy' column", e.Message);
    }

    private static MethodModelHeader Header(string method, params string[] species) =>
        new(method, 1, species, new Dictionary<string, double> { ["r2"] = 0.875, ["nan"] = double.NaN }, [new InputHash("a.dump", new string('0', 64))]);

    [Fact]
    public void MethodModelRoundTripsBitForBitAndRefusesOtherMethodsSchemasAndTruncation()
    {
        string p = Path.Combine(_dir, "model.json");
        double w = 0.1 + 0.2; // not representable in short decimal
        MethodModelFile.Save(p, Header("sf", "Cu", "Zr"), r => r.WriteNumber("rp", 2.5), m => JsonSupport.Array(m, "w", [w, -1e-300, double.PositiveInfinity]));
        using (var loaded = MethodModelFile.Load(p, "sf", 1))
        {
            Assert.Equal(["Cu", "Zr"], loaded.Header.Species);
            Assert.Equal(0.875, loaded.Header.Metrics["r2"]);
            Assert.True(double.IsNaN(loaded.Header.Metrics["nan"]));
            var ws = loaded.Read(l => JsonSupport.ReadArray(l.Model.GetProperty("w")));
            Assert.Equal(BitConverter.DoubleToInt64Bits(w), BitConverter.DoubleToInt64Bits(ws[0]));
            Assert.Equal(-1e-300, ws[1]);
            Assert.Equal(double.PositiveInfinity, ws[2]);
            var e = Assert.Throws<InputFormatException>(() => loaded.Read(l => l.Model.GetProperty("missing").GetDouble()));
            Assert.Contains("malformed sf model file", e.Message);
        }
        Assert.Contains("is a 'sf' model, not a 'bonds' model", Assert.Throws<InputFormatException>(() => MethodModelFile.Load(p, "bonds", 1)).Message);
        string text = File.ReadAllText(p);
        string newer = Write("newer.json", text.Replace("\"schema\": 1", "\"schema\": 9"));
        Assert.Contains("schema 9 is not supported", Assert.Throws<InputFormatException>(() => MethodModelFile.Load(newer, "sf", 1)).Message);
        string truncated = Write("trunc.json", text[..(text.Length / 2)]);
        Assert.Contains("malformed or truncated", Assert.Throws<InputFormatException>(() => MethodModelFile.Load(truncated, "sf", 1)).Message);
        string learn = Write("learn.json", "{\"format\": \"glassml-model\", \"schema_version\": 1, \"model\": \"gbdt\"}");
        Assert.Contains("table model of 'glassml learn'", Assert.Throws<InputFormatException>(() => MethodModelFile.Load(learn, "sf", 1)).Message);
        Assert.Contains("file not found", Assert.Throws<InputFormatException>(() => MethodModelFile.Load(Path.Combine(_dir, "nope.json"), "sf", 1)).Message);
    }

    [Fact]
    public void ModelRefusesAStructureWithAForeignSpeciesButAcceptsOtherCompositions()
    {
        var cuzr = Header("sf", "Cu", "Zr");
        var glass = DemoGlass.Load(); // Cu64Zr36
        cuzr.CheckSpecies(glass, "demo");
        Assert.Equal([0, 1], cuzr.SpeciesMap(glass));
        var cual = Header("sf", "Cu", "Al");
        var e = Assert.Throws<InputFormatException>(() => cual.CheckSpecies(glass, "demo.data"));
        Assert.Contains("species 'Zr'", e.Message);
        Assert.StartsWith("demo.data: ", e.Message);
    }

    [Fact]
    public void RunDirectoryAppearsOnlyWhenCommittedAndNeverReplacesAForeignFolder()
    {
        string outDir = Path.Combine(_dir, "run1");
        using (var run = RunDirectory.Begin(outDir, new RunRecord("sf", "train", ["sf", "train"], 1), "t"))
        {
            run.WriteTable("t.csv", new ResultTable().Add("a", [1.0, 2.0]));
            Assert.False(Directory.Exists(outDir));
            // no commit: an exception in the middle of a run leaves nothing behind
        }
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_dir, ".run1*"));

        using (var run = RunDirectory.Begin(outDir, new RunRecord("sf", "train", ["sf", "train"], 1), "t"))
        {
            run.Record.AddInput("runs/a.dump", Path.Combine(_dir, "runs", "a.dump"));
            run.WriteTable("t.csv", new ResultTable().Add("a", [1.0, 2.0]).Add("s", ["x", "y,z"]), "Tables", "a table");
            run.AddFigure("Plots", GlassML.Reporting.Plots.Line("l", "t", "x", "y", [new GlassML.Reporting.Series("s", [1.0, 2.0], [3.0, 4.0])]));
            run.Commit();
        }
        Assert.Equal("a,s\n1,x\n2,\"y,z\"\n", File.ReadAllText(Path.Combine(outDir, "t.csv")));
        foreach (var f in new[] { "run.json", "report.json", "report.html", "plots/l.svg", "plots/l.csv" }) Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json"))))
            Assert.Equal("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", doc.RootElement.GetProperty("inputs")[0].GetProperty("sha256").GetString()); // sha256 of "x"
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=\"http", html);

        // an earlier run is replaced; a folder that is not a run is refused before any work
        using (var run = RunDirectory.Begin(outDir, new RunRecord("sf", "train", [], 1), "t")) run.Commit();
        Assert.False(File.Exists(Path.Combine(outDir, "t.csv")));
        string foreign = Path.Combine(_dir, "runs");
        Assert.Throws<ArgumentException>(() => RunDirectory.Begin(foreign, new RunRecord("sf", "train", [], 1), "t"));
        Assert.True(File.Exists(Path.Combine(foreign, "a.dump")));
    }

    [Fact]
    public void ReportRebuildsTheSameHtmlFromTheDirectoryAlone()
    {
        string outDir = Path.Combine(_dir, "run2");
        using (var run = RunDirectory.Begin(outDir, new RunRecord("sf", "train", ["sf"], 1), "t"))
        {
            run.Record.Metrics["auc"] = 0.75;
            run.WriteTable("m.csv", new ResultTable().Add("k", ["a"]).Add("v", [0.5]), "Metrics", "m");
            run.AddFigure("Plots", GlassML.Reporting.Plots.Bars("b", "t", "v", ["a", "b"], [("s", [1.0, 2.0])]));
            run.Commit();
        }
        string html = Path.Combine(outDir, "report.html");
        byte[] first = File.ReadAllBytes(html);
        File.Delete(html);
        GlassML.Reporting.HtmlReport.Build(outDir);
        Assert.Equal(first, File.ReadAllBytes(html));
        File.Delete(Path.Combine(outDir, "plots", "b.svg"));
        Assert.Contains("figure listed in report.json is missing", Assert.Throws<InputFormatException>(() => GlassML.Reporting.HtmlReport.Build(outDir)).Message);
    }
}
