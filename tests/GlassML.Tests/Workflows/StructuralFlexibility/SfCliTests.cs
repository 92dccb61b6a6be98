using System.Globalization;
using System.Text.RegularExpressions;
using GlassML.Io;
using GlassML.Statistics;
using static GlassML.Tests.Workflows.StructuralFlexibility.SfTests;

namespace GlassML.Tests.Workflows.StructuralFlexibility;

/// <summary>
/// <c>glassml sf train|apply|report</c> end to end on the committed NVE fixture: run directory contents, apply
/// reproducing the training SF byte for byte, refusals with one line, trajectories, and the decile report on synthetic
/// properties (top atoms in the top decile, equal-count bins, ties by id, thread independence).
/// </summary>
[Collection("Console")]
public class SfCliTests
{
    private static string[] TrainArgs(string outDir, int threads = 0) =>
        ["sf", "train", "--data", $"{Start}:{VflexRef}", "--types", "1:Cu,2:Zr", "--out", outDir, "--threads", threads.ToString(CultureInfo.InvariantCulture)];

    private static Dictionary<string, string[]> CsvById(string path, string column)
    {
        var lines = File.ReadAllLines(path);
        var h = lines[0].Split(',');
        int c = Array.IndexOf(h, column), id = Array.IndexOf(h, "id");
        Assert.True(c >= 0, $"{column} not in {lines[0]}");
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[id], p => new[] { p[c] });
    }

    [Fact]
    public void TrainWritesRunDirectoryAndApplyReproducesItByteForByte()
    {
        string dir = TempDir(), run = Path.Combine(dir, "run");
        var (code, stdout, err) = RunCli(TrainArgs(run));
        Assert.True(code == 0, err);
        foreach (var f in new[] { "model.json", "parity.csv", "weights.csv", "metrics.csv", "rp.csv", "atoms.xyz", "atoms.csv", "report.html", "run.json", "plots/weights.svg", "plots/parity_Cu.svg", "plots/sf_slab.svg" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        Assert.Matches(new Regex(@"Cu\s+test\s+50\s+0\.\d{4}"), stdout);
        Assert.Contains("r_p (Å): Cu-Cu=", stdout, StringComparison.Ordinal);
        Assert.Equal(2 * 99 + 1, File.ReadAllLines(Path.Combine(run, "weights.csv")).Length);

        string outCsv = Path.Combine(dir, "sf.csv");
        (code, _, err) = RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), Start, "--types", "1:Cu,2:Zr", "--out", outCsv, "--threads", "1");
        Assert.True(code == 0, err);
        var applied = CsvById(outCsv, "sf");
        var trained = CsvById(Path.Combine(run, "parity.csv"), "sf");
        Assert.Equal(500, applied.Count);
        foreach (var (id, v) in trained) Assert.Equal(v[0], applied[id][0]); // shortest round-trip text: bit for bit

        // extended XYZ and LAMMPS dump carry the same column
        string xyz = Path.Combine(dir, "sf.xyz"), dump = Path.Combine(dir, "sf.dump");
        Assert.Equal(0, RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), Start, "--types", "1:Cu,2:Zr", "--out", xyz).Code);
        Assert.Equal(0, RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), Start, "--types", "1:Cu,2:Zr", "--out", dump).Code);
        var fx = StructureReader.ReadFrame(xyz);
        var fd = StructureReader.ReadFrame(dump, 0, CuZr);
        fx.SortById(); fd.SortById();
        for (int i = 0; i < fx.Count; i++)
        {
            double expected = double.Parse(trained[fx.Ids[i].ToString(CultureInfo.InvariantCulture)][0], CultureInfo.InvariantCulture);
            Assert.Equal(expected, fx.Columns["sf"][i]);
            Assert.Equal(expected, fd.Columns["sf"][i]);
        }
    }

    [Fact]
    public void SameBytesForOneAndTwoThreads()
    {
        string dir = TempDir(), a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        Assert.Equal(0, RunCli(TrainArgs(a, 1)).Code);
        Assert.Equal(0, RunCli(TrainArgs(b, 2)).Code);
        foreach (var f in Directory.GetFiles(a, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(a, f);
            if (rel is "run.json" or "report.html" or "report.json") continue; // timings and command line
            Assert.True(File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, rel))), rel);
        }
    }

    [Fact]
    public void ModelsOfAnotherMethodOrSchemaFailWithOneLine()
    {
        string dir = TempDir(), run = Path.Combine(dir, "run");
        Assert.Equal(0, RunCli(TrainArgs(run)).Code);
        string text = File.ReadAllText(Path.Combine(run, "model.json"));
        var cases = new (string Name, string Text, string Expect)[]
        {
            ("bonds.json", text.Replace("\"method\": \"sf\"", "\"method\": \"bonds\"", StringComparison.Ordinal), "is a 'bonds' model, not a 'sf' model"),
            ("schema.json", text.Replace("\"schema\": 1", "\"schema\": 2", StringComparison.Ordinal), "schema 2 is not supported"),
            ("cut.json", text[..(text.Length / 2)], "malformed or truncated"),
            ("norp.json", Regex.Replace(text, "\"r_p\": \\[", "\"rp\": ["), "malformed sf model file"),
        };
        Assert.Contains("\"method\": \"sf\"", text, StringComparison.Ordinal);
        foreach (var (name, t, expect) in cases)
        {
            string p = Path.Combine(dir, name), o = Path.Combine(dir, name + ".csv");
            File.WriteAllText(p, t);
            var (code, stdout, err) = RunCli("sf", "apply", "--model", p, Start, "--types", "1:Cu,2:Zr", "--out", o);
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.StartsWith($"glassml: error: {p}", err, StringComparison.Ordinal);
            Assert.Contains(expect, err, StringComparison.Ordinal);
            Assert.False(File.Exists(o));
        }
        // a species the model does not know
        var (c2, _, e2) = RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), Start, "--out", Path.Combine(dir, "x.csv"));
        Assert.Equal(2, c2);
        Assert.Contains("species '1' is not one the sf model was trained on", e2, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameAllGivesOneColumnPerFrameAndMeans()
    {
        string dir = TempDir(), run = Path.Combine(dir, "run");
        Assert.Equal(0, RunCli(TrainArgs(run)).Code);
        string traj = Dyn("compression_ortho.dump.gz"), o = Path.Combine(dir, "traj.csv");
        var (code, stdout, err) = RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), traj, "--frame", "all", "--types", "1:Cu,2:Zr", "--keep", "none", "--out", o);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(o);
        Assert.Equal("id,type,species,sf_0,sf_1,sf_2,sf_3,sf_4", lines[0]);
        var means = File.ReadAllLines(Path.Combine(dir, "traj.means.csv"));
        Assert.Equal("frame,file,timestep,mean_Cu,mean_Zr,mean_all", means[0]);
        Assert.Equal(6, means.Length);
        // the means are those of the columns; compression changes SF
        var cols = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        for (int k = 0; k < 5; k++)
        {
            double cu = cols.Where(c => c[2] == "Cu").Average(c => double.Parse(c[3 + k], CultureInfo.InvariantCulture));
            Assert.Equal(cu, double.Parse(means[k + 1].Split(',')[3], CultureInfo.InvariantCulture), 12);
        }
        Assert.NotEqual(means[1].Split(',')[5], means[5].Split(',')[5]);
        // several frames need a file for the means table: standard output is refused with one line, nothing written
        (code, stdout, err) = RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), traj, "--frame", "all", "--types", "1:Cu,2:Zr", "--out", "-");
        Assert.Equal(2, code);
        var errors = err.Split('\n').Where(l => l.StartsWith("glassml: error:", StringComparison.Ordinal)).ToArray(); // progress lines aside
        Assert.StartsWith("glassml: error: --out -: 5 frames", Assert.Single(errors), StringComparison.Ordinal);
        Assert.DoesNotContain("sf_0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportPutsTopAtomsOfARisingPropertyInTheTopDecile()
    {
        string dir = TempDir(), run = Path.Combine(dir, "run");
        Assert.Equal(0, RunCli(TrainArgs(run)).Code);
        string sfCsv = Path.Combine(dir, "sf.csv");
        Assert.Equal(0, RunCli("sf", "apply", "--model", Path.Combine(run, "model.json"), Start, "--types", "1:Cu,2:Zr", "--out", sfCsv).Code);
        // synthetic property rising with SF: 3·exp(SF) + 1
        var lines = File.ReadAllLines(sfCsv);
        File.WriteAllLines(Path.Combine(dir, "prop.csv"), new[] { "id,rising" }.Concat(lines.Skip(1).Select(l =>
        {
            var p = l.Split(',');
            return $"{p[0]},{(3 * Math.Exp(double.Parse(p[3], CultureInfo.InvariantCulture)) + 1).ToString("R", CultureInfo.InvariantCulture)}";
        })));
        string r1 = Path.Combine(dir, "rep1"), r2 = Path.Combine(dir, "rep2");
        string[] common = ["sf", "report", "--model", Path.Combine(run, "model.json"), "--structure", Start, "--types", "1:Cu,2:Zr", "--property", $"{Path.Combine(dir, "prop.csv")}:rising"];
        var (code, stdout, err) = RunCli([.. common, "--out", r1, "--threads", "1"]);
        Assert.True(code == 0, err);
        Assert.Equal(0, RunCli([.. common, "--out", r2, "--threads", "2"]).Code);
        foreach (var f in new[] { "deciles_rising.csv", "summary_rising.csv", "atoms.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(r1, f)), File.ReadAllBytes(Path.Combine(r2, f)));
        var summary = File.ReadAllLines(Path.Combine(r1, "summary_rising.csv")).Select(l => l.Split(',')).ToArray();
        var head = summary[0];
        foreach (var row in summary.Skip(1).Where(r => r[1] == "sf"))
        {
            Assert.Equal("1", row[Array.IndexOf(head, "top_bin_share")]);
            Assert.Equal(1.0, double.Parse(row[Array.IndexOf(head, "spearman")], CultureInfo.InvariantCulture), 12);
        }
        Assert.Equal(2, summary.Skip(1).Count(r => r[1] == "sf"));
        Assert.Equal(2, summary.Skip(1).Count(r => r[1] == "voronoi_volume"));
        Assert.Equal(2, summary.Skip(1).Count(r => r[1] == "ico_fraction"));
        var bins = File.ReadAllLines(Path.Combine(r1, "deciles_rising.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        foreach (var g in bins.GroupBy(b => (b[0], b[1])))
        {
            var n = g.Select(b => int.Parse(b[3], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(10, n.Length);
            Assert.True(n.Max() - n.Min() <= 1, $"{g.Key}: sizes {string.Join(" ", n)}");
        }
        Assert.True(File.Exists(Path.Combine(r1, "plots", "deciles_rising_sf_top_share.svg")));
        Assert.Contains("sf", stdout, StringComparison.Ordinal);
        // without --property: rebuild an existing run's report
        File.Delete(Path.Combine(r1, "report.html"));
        Assert.Equal(0, RunCli("sf", "report", r1).Code);
        Assert.True(File.Exists(Path.Combine(r1, "report.html")));
    }

    [Fact]
    public void BinnedProfileSizesTopAtomsAndTies()
    {
        // 23 atoms, 4 bins: sizes 5 or 6; x all equal -> bins by id order; y rising with id
        int n = 23;
        var ids = Enumerable.Range(0, n).Select(i => (long)(100 - i)).ToArray(); // ids decreasing with index
        var x = Enumerable.Repeat(1.0, n).ToArray();
        var y = ids.Select(id => (double)id).ToArray();
        var r = BinnedProfile.Compute(x, y, ids, 4, 10);
        Assert.Equal([6, 6, 6, 5], r.Bins.Select(b => b.Count).ToArray());
        // ties in x broken by increasing id: the smallest ids (largest index) are in bin 0
        Assert.Equal(0, r.BinOf[n - 1]);
        Assert.Equal(3, r.BinOf[0]);
        // top 10 % of y = ceil(2.3) = 3 atoms, the largest ids, all in the last bin
        Assert.Equal(3, r.TopAtoms);
        Assert.Equal(1.0, r.Bins[3].TopShare);
        Assert.Equal(1.0 / (5.0 / n), r.Bins[3].Enrichment, 12);
        Assert.Equal(0, r.Bins[0].TopCount);
        // ties in y broken by id too: equal y, the 3 smallest ids are "top"
        var flat = BinnedProfile.Compute(y, Enumerable.Repeat(2.0, n).ToArray(), ids, 4, 10);
        Assert.Equal(new long[] { 78, 79, 80 }, Enumerable.Range(0, n).Where(i => flat.IsTop[i]).Select(i => ids[i]).OrderBy(v => v).ToArray());
        // medians: bin 3 holds y = 96..100 (ids 96..100): median 98
        Assert.Equal(98.0, r.Bins[3].YMedian);
        Assert.Equal(new[] { 1.0, 1.0 }, new[] { r.Bins[0].XMin, r.Bins[3].XMax });
        Assert.Throws<ArgumentException>(() => BinnedProfile.Compute(x, y, ids, 24, 5));
    }
}
