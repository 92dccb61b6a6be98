using System.Globalization;
using System.Text.RegularExpressions;
using GlassML.Cli;
using GlassML.Dynamics;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Cli;

/// <summary>
/// <c>glassml vflex</c> end to end on the committed NVE fixture of glass s1 (tests/fixtures/dynamics/nve: 96 runs of
/// 5 frames + nve_start): numpy reference per atom (vflex_ref.csv.gz), scipy split-half correlations
/// (vflex_split_half.csv), voro++ face neighbours for a_i, and user errors.
/// </summary>
[Collection("Console")]
public class VflexCommandTests
{
    /// <summary>First minimum of the total g(r) of glass s1: the cutoff of the numpy reference's a_i.</summary>
    private const string FirstMinimum = "3.775";

    /// <summary>Runs <c>glassml vflex ARGS</c>.</summary>
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        try { return (Program.Main(["vflex", .. args]), o.ToString(), e.ToString()); }
        finally { Console.SetOut(so); Console.SetError(se); }
    }

    private static string TempDir()
    {
        string d = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"glassml-vflex-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    private static string[] Runs(int count) => Enumerable.Range(1, count).Select(k => Path("nve", $"nve_{k}.dump.gz")).ToArray();
    private static string Start => Path("nve", "nve_start.dump.gz");

    /// <summary>Our CSV output: header and rows (id, type, species, then numbers).</summary>
    private static (string[] Header, List<string[]> Rows) ReadOut(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static double Printed(string text, string pattern) =>
        D(Regex.Match(text, pattern).Groups[1].Value is { Length: > 0 } g ? g : throw new Xunit.Sdk.XunitException($"'{pattern}' not in output:\n{text}"));

    [Fact]
    public void AllRunsWithCutoffNeighborsEqualNumpyAndScipy()
    {
        string dir = TempDir(), outp = System.IO.Path.Combine(dir, "vflex.csv");
        var (code, stdout, err) = Run([.. Runs(96), "--start", Start, "--types", "1:Cu,2:Zr", "--neighbors", "cutoff", "--cutoff", FirstMinimum, "--out", outp]);
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        var (header, rows) = ReadOut(outp);
        Assert.Equal(["id", "type", "species", "msd_vib", "a_mean", "v_flex", "ln_v_flex"], header);
        var reference = ReadCsv("vflex_ref.csv.gz");
        Assert.Equal(reference.Count, rows.Count);
        var perSpecies = new Dictionary<string, List<double>>();
        long previous = long.MinValue;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            long id = long.Parse(r[0], CultureInfo.InvariantCulture);
            Assert.True(id > previous, "rows in id order");
            previous = id;
            var refRow = reference.Single(x => (long)x["id"] == id);
            Assert.Equal(r[1] == "1" ? "Cu" : "Zr", r[2]);
            Close(refRow["msd_vib"], D(r[3]), 1e-14, 1e-9, $"msd_vib of {id}");
            Close(refRow["a_mean"], D(r[4]), 1e-12, 1e-12, $"a_mean of {id}");
            Close(refRow["v_flex"], D(r[5]), 1e-14, 1e-9, $"v_flex of {id}");
            Close(Math.Log(refRow["v_flex"]), D(r[6]), 1e-9, 0, $"ln_v_flex of {id}");
            (perSpecies.TryGetValue(r[2], out var l) ? l : perSpecies[r[2]] = []).Add(refRow["v_flex"]);
        }
        // summary: counts, per-species mean/median of the numpy v_flex, split-half correlations equal to scipy's
        Assert.Contains("96 run(s), 5 frames per run, 500 atoms", stdout);
        foreach (var (sp, v) in perSpecies)
        {
            v.Sort();
            double median = 0.5 * (v[v.Count / 2 - 1] + v[v.Count / 2]); // 250 atoms each
            Close(v.Average(), Printed(stdout, $@"{sp}: {v.Count} atoms, v_flex mean ([0-9.eE+-]+) "), 0, 5.1e-5, $"mean v_flex {sp}");
            Close(median, Printed(stdout, $@"{sp}: {v.Count} atoms, v_flex mean \S+ Å³, median ([0-9.eE+-]+) "), 0, 5.1e-5, $"median v_flex {sp}");
        }
        var scipy = ReadCsv("vflex_split_half.csv").Single();
        Close(scipy["pearson"], Printed(stdout, @"Pearson ([0-9.]+)"), 5.1e-5, 0, "split-half Pearson vs scipy");
        Close(scipy["spearman"], Printed(stdout, @"Spearman ([0-9.]+)"), 5.1e-5, 0, "split-half Spearman vs scipy");
        Assert.DoesNotContain("below 0.9", stdout); // 0.935 / 0.933
        Directory.Delete(dir, true);
    }

    [Fact]
    public void FewRunsAreFlaggedWithThePythonScriptsSplitHalfAndThreadCountDoesNotMatter()
    {
        // tools/vflex_split_half.py on nve_start + nve_1..16 (fixture README): Pearson 0.713, Spearman 0.750
        string dir = TempDir(), a = System.IO.Path.Combine(dir, "a.csv"), b = System.IO.Path.Combine(dir, "b.csv");
        var (code, stdout, err) = Run([.. Runs(16), "--start", Start, "--neighbors", "cutoff", "--cutoff", FirstMinimum, "--out", a]);
        Assert.True(code == 0, err);
        Close(0.713, Printed(stdout, @"Pearson ([0-9.]+)"), 5.1e-4, 0, "16-run Pearson vs vflex_split_half.py");
        Close(0.750, Printed(stdout, @"Spearman ([0-9.]+)"), 5.1e-4, 0, "16-run Spearman vs vflex_split_half.py");
        Assert.Contains("below 0.9", stdout);
        var (code1, _, err1) = Run([.. Runs(16), "--start", Start, "--neighbors", "cutoff", "--cutoff", FirstMinimum, "--threads", "1", "--out", b]);
        Assert.True(code1 == 0, err1);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        // fewer than 4 runs: no split half
        var (code3, stdout3, err3) = Run([.. Runs(3), "--start", Start, "--neighbors", "cutoff", "--out", a]);
        Assert.True(code3 == 0, err3);
        Assert.Contains("needs ≥ 4 runs", stdout3);
        Assert.DoesNotContain("Pearson", stdout3);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VoronoiNeighborsGiveTheMeanVoroPlusPlusFaceDistance(bool radical)
    {
        // START = glass s1 at full precision (tests/fixtures/voronoi/s1o.atoms.dump.gz, the positions voro++ tessellated;
        // the NVE runs start from the same glass, same ids). a_i must be the mean over voro++'s faces of |r_j + image − r_i|,
        // and the mean of GlassML's own VoronoiTessellation face distances; msd_vib the library's VibrationalMsd over the runs.
        string dir = TempDir(), outp = System.IO.Path.Combine(dir, "vflex.xyz");
        string start = VoronoiFixtures.PathOf("s1o.atoms.dump.gz");
        string[] args = [.. Runs(8), "--start", start, "--types", "1:Cu,2:Zr", "--out", outp];
        if (radical) args = [.. args, "--radii", "Cu=1.28,Zr=1.60"];
        var (code, stdout, err) = Run(args);
        Assert.True(code == 0, err);
        Assert.Contains(radical ? "radical Voronoi" : "a_i over Voronoi", stdout);

        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var voroPP = VoronoiFixtures.ReadVoroReference($"s1o.voro++-{(radical ? "radical" : "plain")}.txt.gz");
        var at = new Dictionary<long, int>();
        for (int i = 0; i < frame.Count; i++) at[frame.Ids[i]] = i;
        var ours = new VoronoiTessellation(new VoronoiOptions { Radii = radical ? VoronoiFixtures.Radii : null }).Compute(frame);
        var msd = new VibrationalMsd().Compute(Runs(8).Select(f => (IEnumerable<Frame>)Trajectory.Open(f, null, CuZr)));
        var written = GlassML.Io.StructureReader.ReadFrame(outp);
        Assert.Equal(frame.Count, written.Count);
        var box = frame.Box;
        for (int w = 0; w < written.Count; w++)
        {
            long id = written.Ids[w];
            int i = at[id];
            var ri = frame.Position(i);
            double sum = 0;
            var cell = voroPP[id];
            foreach (var f in cell.Faces)
            {
                var rj = frame.Position(at[f.J]) + f.Na * box.A + f.Nb * box.B + f.Nc * box.C;
                sum += (rj - ri).Length;
            }
            double voroPPMean = sum / cell.Faces.Count;
            double ourMean = 0;
            for (int p = ours.FaceOffsets[i]; p < ours.FaceOffsets[i + 1]; p++) ourMean += ours.FaceDistance[p];
            ourMean /= ours.FacesOf(i);
            double a = written.Columns["a_mean"][w], m = written.Columns["msd_vib"][w], v = written.Columns["v_flex"][w];
            Close(voroPPMean, a, 1e-9, 1e-9, $"a_mean of {id} vs voro++");
            Close(ourMean, a, 1e-12, 1e-12, $"a_mean of {id} vs VoronoiTessellation");
            Close(msd.Msd[Array.IndexOf(msd.Ids, id)], m, 1e-15, 1e-12, $"msd_vib of {id}");
            Close(m * a, v, 1e-15, 1e-12, $"v_flex of {id}");
            Close(Math.Log(m * a), written.Columns["ln_v_flex"][w], 1e-12, 0, $"ln_v_flex of {id}");
        }
        Directory.Delete(dir, true);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        // case, file the message must name
        { "missing run", "missing.dump" },
        { "missing start", "missing_start.dump" },
        { "one frame", "one.dump" },
        { "fewer atoms", "fewer.dump" },
        { "other ids", "otherid.dump" },
        { "start with other atoms", "fewer.dump" },
        { "radii species unknown", "START" },
        { "radii species missing", "START" },
        { "bad radii text", "--radii" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineNamingTheFileExitTwoAndNoOutput(string problem, string named)
    {
        string dir = TempDir(), outp = System.IO.Path.Combine(dir, "vflex.csv");
        string F(string name) => System.IO.Path.Combine(dir, name);
        var run2 = Fixtures.ReadLines("dynamics", "nve", "nve_2.dump.gz");
        // one frame: the first 509 lines (9 header lines + 500 atoms); fewer: atom 500 dropped from every frame
        File.WriteAllLines(F("one.dump"), run2.Take(509));
        var fewer = new List<string>();
        for (int k = 0; k < run2.Length; k++)
        {
            if (run2[k].StartsWith("500 ", StringComparison.Ordinal)) continue;
            fewer.Add(k > 0 && run2[k - 1] == "ITEM: NUMBER OF ATOMS" ? "499" : run2[k]);
        }
        File.WriteAllLines(F("fewer.dump"), fewer);
        File.WriteAllLines(F("otherid.dump"), run2.Select(l => l.StartsWith("500 ", StringComparison.Ordinal) ? "501" + l[3..] : l));
        string[] runs = [Path("nve", "nve_1.dump.gz"), Path("nve", "nve_3.dump.gz")];
        string[] args = problem switch
        {
            "missing run" => [runs[0], F("missing.dump"), "--start", Start],
            "missing start" => [.. runs, "--start", F("missing_start.dump")],
            "one frame" => [runs[0], F("one.dump"), runs[1], "--start", Start],
            "fewer atoms" => [.. runs, F("fewer.dump"), "--start", Start],
            "other ids" => [runs[0], F("otherid.dump"), "--start", Start],
            "start with other atoms" => [.. runs, "--start", F("fewer.dump")],
            "radii species unknown" => [.. runs, "--start", Start, "--types", "1:Cu,2:Zr", "--radii", "Cu=1.28,Zr=1.60,Al=1.43"],
            "radii species missing" => [.. runs, "--start", Start, "--types", "1:Cu,2:Zr", "--radii", "Cu=1.28"],
            "bad radii text" => [.. runs, "--start", Start, "--radii", "Cu~1.28"],
            _ => throw new ArgumentException(problem),
        };
        var (code, _, err) = Run([.. args, "--out", outp]);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", err);
        Assert.Contains(named == "START" ? Start : named.StartsWith("--", StringComparison.Ordinal) ? named : F(named), err);
        Assert.False(File.Exists(outp));
        Assert.DoesNotContain(Directory.GetFiles(dir), f => !f.EndsWith(".dump", StringComparison.Ordinal));
        Directory.Delete(dir, true);
    }
}
