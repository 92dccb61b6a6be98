using System.Globalization;
using System.Text.Json;
using GlassML.Learning;
using GlassML.Workflows.Softness;
using static GlassML.Tests.Workflows.Softness.SoftnessTestData;

namespace GlassML.Tests.Workflows.Softness;

/// <summary>
/// One planted-signal training run shared by the tests below: three MD glasses (g1, g2 train; g3 test), each compressed
/// affinely by up to 5 % along z with the 5 % of atoms of largest <see cref="Feature"/> displaced by 1 Å at 4 % strain.
/// </summary>
public sealed class PlantedRun : IDisposable
{
    /// <summary>The planted feature.</summary>
    public const string Feature = "dist_voro_std";

    public PlantedRun()
    {
        Dir = TempDir("planted");
        var lines = new List<string> { "file,role,condition" };
        foreach (var (g, role) in new[] { ("g1", "train"), ("g2", "train"), ("g3", "test") })
        {
            var glass = Glass(g);
            var feats = SoftnessModel.ComputeFeatures(glass, "seed", 0);
            Planted[g] = Top(feats.Column(Feature), 0.05);
            Ids[g] = glass.Ids;
            WriteTrajectory(glass, Planted[g], Path.Combine(Dir, g + ".dump.gz"), seed: (ulong)g[1]);
            lines.Add($"{g}.dump.gz,{role},planted");
        }
        File.WriteAllLines(Path.Combine(Dir, "samples.csv"), lines);
        Run1 = Path.Combine(Dir, "run1");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Result1 = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(Dir, "samples.csv"), "--out", Run1, "--types", "1:Cu,2:Zr",
            "--plastic-fraction", "0.05", "--strain", "0.04", "--seed", "3", "--threads", "1", "--bootstrap", "200");
        Seconds = sw.Elapsed.TotalSeconds;
    }

    public string Dir { get; }
    public string Run1 { get; }
    public (int Code, string Out, string Err) Result1 { get; }
    public double Seconds { get; }
    public Dictionary<string, bool[]> Planted { get; } = new();
    public Dictionary<string, long[]> Ids { get; } = new();

    public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
}

[Collection("Console")]
public class SoftnessPlantedTests(PlantedRun run) : IClassFixture<PlantedRun>
{
    private string R(string f) => Path.Combine(run.Run1, f);

    [Fact]
    public void TrainSucceeds()
    {
        Assert.True(run.Result1.Code == 0, run.Result1.Err + run.Result1.Out);
        Assert.True(File.Exists(R("model.json")) && File.Exists(R("report.html")));
    }

    [Fact]
    public void LabelsAreThePlantedAtoms()
    {
        Assert.Equal(0, run.Result1.Code);
        foreach (var g in new[] { "g1", "g2", "g3" })
        {
            var plastic = Column(R($"{g}.softness.csv"), "plastic");
            var ids = Column(R($"{g}.softness.csv"), "id");
            for (int i = 0; i < ids.Length; i++) Assert.Equal(run.Planted[g][i] ? 1.0 : 0.0, plastic[i]);
            Assert.Equal(run.Ids[g].Select(x => (double)x), ids);
        }
    }

    [Fact]
    public void HeldOutAucAndSoftnessSeparatePlantedAtoms()
    {
        Assert.Equal(0, run.Result1.Code);
        var soft = Column(R("g3.softness.csv"), "softness");
        var plastic = Column(R("g3.softness.csv"), "plastic");
        double auc = Metrics.RocAuc(plastic, soft);
        Assert.True(auc >= 0.95, $"held-out AUC {auc}");
        double Median(IEnumerable<double> v) { var a = v.OrderBy(x => x).ToArray(); return a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]); }
        double mp = Median(soft.Where((_, i) => plastic[i] == 1)), mr = Median(soft.Where((_, i) => plastic[i] == 0));
        Assert.True(mp >= 0.8, $"median softness of plastic atoms {mp}");
        Assert.True(mr <= 0.2, $"median softness of the rest {mr}");
    }

    [Fact]
    public void PlantedFeatureOrACorrelatedPartnerSurvivesTheCascade()
    {
        Assert.Equal(0, run.Result1.Code);
        var model = SoftnessModel.Load(R("model.json"));
        Assert.Equal(13, model.Columns.Count);
        if (model.Columns.Contains(PlantedRun.Feature)) return;
        // otherwise one kept column must correlate with it at |ρ| > 0.99 on the training glasses
        var feats = new[] { "g1", "g2" }.Select(g => SoftnessModel.ComputeFeatures(Glass(g), "seed", 0)).ToArray();
        var f = feats.SelectMany(x => x.Column(PlantedRun.Feature)).ToArray();
        double best = model.Columns.Max(c => Math.Abs(Metrics.Pearson(f, feats.SelectMany(x => x.Column(c)).ToArray())));
        Assert.True(best > 0.99, $"planted feature dropped; best |ρ| of a kept column {best}; kept: {string.Join(" ", model.Columns)}");
    }

    [Fact]
    public void ReportAucsEqualThoseFromPerAtomFiles()
    {
        Assert.Equal(0, run.Result1.Code);
        // per-sample AUC at the label strain
        var (h, rows) = Csv(R("samples.csv"));
        int cs = Array.IndexOf(h, "sample"), ca = Array.IndexOf(h, "auc");
        foreach (var row in rows)
        {
            string g = row[cs];
            double auc = Metrics.RocAuc(Column(R($"{g}.softness.csv"), "plastic"), Column(R($"{g}.softness.csv"), "softness"));
            Assert.Equal(auc, double.Parse(row[ca], CultureInfo.InvariantCulture), 12);
        }
        // held-out AUC in model.json metrics and in the recall/precision table
        using var doc = JsonDocument.Parse(File.ReadAllBytes(R("model.json")));
        double testAuc = doc.RootElement.GetProperty("metrics").GetProperty("test_auc").GetDouble();
        double g3 = Metrics.RocAuc(Column(R("g3.softness.csv"), "plastic"), Column(R("g3.softness.csv"), "softness"));
        Assert.Equal(g3, testAuc, 12);
        Assert.Equal(g3, Column(R("recall_precision.csv"), "auc")[0], 12);
        // AUC vs strain from the per-frame plastic flags
        var frames = Column(R("auc_vs_strain.csv"), "frame");
        var aucs = Column(R("auc_vs_strain.csv"), "auc_test");
        var soft = Column(R("g3.softness.csv"), "softness");
        for (int k = 1; k < frames.Length; k++)
        {
            var lab = Column(R("g3.plastic_frames.csv"), $"plastic_f{k}");
            if (lab.All(v => v == 0)) { Assert.True(double.IsNaN(aucs[k])); continue; }
            Assert.Equal(Metrics.RocAuc(lab, soft), aucs[k], 12);
        }
    }

    [Fact]
    public void SoftnessIsNonDecreasingInTheRawScore()
    {
        Assert.Equal(0, run.Result1.Code);
        foreach (var g in new[] { "g1", "g2", "g3" })
        {
            var raw = Column(R($"{g}.softness.csv"), "raw_score");
            var soft = Column(R($"{g}.softness.csv"), "softness");
            var idx = Enumerable.Range(0, raw.Length).OrderBy(i => raw[i]).ToArray();
            for (int j = 1; j < idx.Length; j++) Assert.True(soft[idx[j]] >= soft[idx[j - 1]], $"{g}: softness decreases between raw {raw[idx[j - 1]]} and {raw[idx[j]]}");
            Assert.All(soft, s => Assert.InRange(s, 0, 1));
        }
    }

    [Fact]
    public void UndersamplingBalancesTheClasses()
    {
        Assert.Equal(0, run.Result1.Code);
        // printed counts: "balanced by undersampling: A + B"
        var line = run.Result1.Out.Split('\n').Single(l => l.Contains("balanced by undersampling"));
        var parts = line[(line.LastIndexOf(':') + 1)..].Split('+', StringSplitOptions.TrimEntries);
        Assert.Equal(parts[0], parts[1]);
        // and the library's undersampler on these labels
        var labels = new[] { "g1", "g2" }.SelectMany(g => Column(R($"{g}.softness.csv"), "plastic")).ToArray();
        var keep = Sampling.Undersample(labels, 3);
        Assert.Equal(keep.Count(i => labels[i] == 1), keep.Count(i => labels[i] == 0));
        Assert.Equal(labels.Count(v => v == 1), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ApplyOnATrainingGlassReproducesItsSoftnessBitForBit()
    {
        Assert.Equal(0, run.Result1.Code);
        string outp = Path.Combine(run.Dir, "g1.apply.csv");
        var (code, _, err) = SoftnessTestData.Run("softness", "apply", "--model", R("model.json"), Path.Combine(run.Dir, "g1.dump.gz"), "--types", "1:Cu,2:Zr", "--out", outp, "--threads", "2");
        Assert.True(code == 0, err);
        var a = Column(outp, "softness"); var b = Column(R("g1.softness.csv"), "softness");
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(a[i]));
        Assert.Equal(Column(R("g1.softness.csv"), "raw_score"), Column(outp, "raw_score"));
    }

    [Fact]
    public void SeedCutoffOptionIsRecordedAndReusedByApply()
    {
        Assert.Equal(0, run.Result1.Code);
        string run3 = Path.Combine(run.Dir, "run_cut35");
        var (code, _, err) = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(run.Dir, "samples.csv"), "--out", run3, "--types", "1:Cu,2:Zr",
            "--plastic-fraction", "0.05", "--strain", "0.04", "--seed", "3", "--threads", "2", "--bootstrap", "0", "--cv", "2", "--seed-cutoff", "3.5");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run3, "model.json"))))
            Assert.Equal(3.5, doc.RootElement.GetProperty("recipe").GetProperty("seed_cutoff").GetDouble());
        var model = SoftnessModel.Load(Path.Combine(run3, "model.json"));
        Assert.Equal(3.5, model.SeedCutoff);
        // the _cut columns of the training table are those of the 3.5 Å shell, not the default 4.0 Å one
        var glass = Glass("g1");
        var at35 = SoftnessModel.ComputeFeatures(glass, "seed", 0, seedCutoff: 3.5);
        var at40 = SoftnessModel.ComputeFeatures(glass, "seed", 0);
        Assert.NotEqual(at35.Column("dist_cut_mean"), at40.Column("dist_cut_mean"));
        // apply recomputes the features with the model's cutoff: the training glass's softness comes back bit for bit
        string outp = Path.Combine(run.Dir, "g1.apply35.csv");
        (code, _, err) = SoftnessTestData.Run("softness", "apply", "--model", Path.Combine(run3, "model.json"), Path.Combine(run.Dir, "g1.dump.gz"), "--types", "1:Cu,2:Zr", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Equal(Column(Path.Combine(run3, "g1.softness.csv"), "raw_score"), Column(outp, "raw_score"));
        foreach (var (bad, expect) in new[] { ("-1", "--seed-cutoff"), ("nan", "--seed-cutoff") })
        {
            string run4 = Path.Combine(run.Dir, "run_bad");
            (code, _, err) = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(run.Dir, "samples.csv"), "--out", run4, "--types", "1:Cu,2:Zr", "--seed-cutoff", bad);
            Assert.Equal(2, code);
            Assert.Contains(expect, err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.False(Directory.Exists(run4));
        }
        (code, _, err) = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(run.Dir, "samples.csv"), "--out", Path.Combine(run.Dir, "run_bad"), "--types", "1:Cu,2:Zr", "--features", "seed-amlearn", "--seed-cutoff", "3.5");
        Assert.Equal(2, code);
        Assert.Contains("seed only", err);
    }

    [Fact]
    public void ApplyRefusesAnUnknownSpecies()
    {
        Assert.Equal(0, run.Result1.Code);
        string outp = Path.Combine(run.Dir, "bad.csv");
        // the MD fixture's dump has no element column, so --types names the species
        var (code, _, err) = SoftnessTestData.Run("softness", "apply", "--model", R("model.json"), Fixtures.Path("softness", "g1.dump.gz"), "--types", "1:Cu,2:Al", "--out", outp);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("Al", err);
        Assert.False(File.Exists(outp));
    }

    [Fact]
    public void TrainingIsDeterministicForAnyThreadCount()
    {
        Assert.Equal(0, run.Result1.Code);
        string run2 = Path.Combine(run.Dir, "run2");
        var (code, _, err) = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(run.Dir, "samples.csv"), "--out", run2, "--types", "1:Cu,2:Zr",
            "--plastic-fraction", "0.05", "--strain", "0.04", "--seed", "3", "--threads", "2", "--bootstrap", "200");
        Assert.True(code == 0, err);
        foreach (var f in new[] { "model.json", "g3.softness.csv", "samples.csv", "cascade.csv", "auc_vs_strain.csv", "report.json" })
            Assert.True(File.ReadAllBytes(R(f)).SequenceEqual(File.ReadAllBytes(Path.Combine(run2, f))), $"{f} differs between 1 and 2 threads");
    }
}
