using System.Globalization;
using System.Text.Json;
using GlassML.Learning;
using GlassML.Structure;
using GlassML.Workflows.Softness;
using static GlassML.Tests.Workflows.Softness.SoftnessTestData;

namespace GlassML.Tests.Workflows.Softness;

/// <summary>
/// One training run with two conditions, free surfaces, <c>--inner</c> and <c>--search</c>: the three MD glasses as slabs
/// (z not periodic, 2 Å of vacuum on each face), compressed affinely along z; condition A plants its 5 % displaced atoms on
/// the largest <see cref="FeatureA"/>, condition B on the largest <see cref="FeatureB"/>. A: g1 train, g2 test;
/// B: g3 train, g2 test (the same glass, planted the other way).
/// </summary>
public sealed class TwoConditionsRun : IDisposable
{
    /// <summary>Planted feature of condition A.</summary>
    public const string FeatureA = "dist_voro_std";
    /// <summary>Planted feature of condition B.</summary>
    public const string FeatureB = "q6_cut";
    /// <summary>The --inner distance (Å).</summary>
    public const double Inner = 3.0;

    public TwoConditionsRun()
    {
        Dir = TempDir("conditions");
        var lines = new List<string> { "file,role,condition" };
        var feats = new Dictionary<string, GlassML.Descriptors.PerAtomFeatures>();
        foreach (var (name, g, role, cond, feature) in new[]
                 {
                     ("A_g1", "g1", "train", "A", FeatureA), ("A_g2", "g2", "test", "A", FeatureA),
                     ("B_g3", "g3", "train", "B", FeatureB), ("B_g2", "g2", "test", "B", FeatureB),
                 })
        {
            var slab = Slab(Glass(g), 2.0);
            if (!feats.TryGetValue(g, out var f)) feats[g] = f = SoftnessModel.ComputeFeatures(slab, "seed", 0);
            Frames[name] = slab;
            WriteTrajectory(slab, Top(f.Column(feature), 0.05), Path.Combine(Dir, name + ".dump.gz"), seed: (ulong)(name[0] * 10 + g[1]));
            lines.Add($"{name}.dump.gz,{role},{cond}");
        }
        File.WriteAllLines(Path.Combine(Dir, "samples.csv"), lines);
        Run1 = Path.Combine(Dir, "run");
        Result = SoftnessTestData.Run("softness", "train", "--samples", Path.Combine(Dir, "samples.csv"), "--out", Run1, "--types", "1:Cu,2:Zr",
            "--plastic-fraction", "0.05", "--strain", "0.04", "--inner", Inner.ToString(CultureInfo.InvariantCulture), "--search", "random:3",
            "--seed", "5", "--threads", "2", "--bootstrap", "100");
    }

    public string Dir { get; }
    public string Run1 { get; }
    public (int Code, string Out, string Err) Result { get; }
    public Dictionary<string, Frame> Frames { get; } = new();
    public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
}

[Collection("Console")]
public class SoftnessConditionsTests(TwoConditionsRun run) : IClassFixture<TwoConditionsRun>
{
    private string R(string f) => Path.Combine(run.Run1, f);

    [Fact]
    public void GeneralisationMatrix_OwnConditionHigh_OtherConditionLower_RatiosToTheDiagonal()
    {
        Assert.True(run.Result.Code == 0, run.Result.Err + run.Result.Out);
        var (h, rows) = Csv(R("generalization.csv"));
        int ct = Array.IndexOf(h, "trained_on"), cs = Array.IndexOf(h, "tested_on"), ca = Array.IndexOf(h, "auc"), cr = Array.IndexOf(h, "ratio_to_diagonal");
        Assert.Equal(4, rows.Length);
        double Auc(string a, string b) => double.Parse(rows.Single(r => r[ct] == a && r[cs] == b)[ca], CultureInfo.InvariantCulture);
        foreach (var a in new[] { "A", "B" })
        {
            string b = a == "A" ? "B" : "A";
            Assert.True(Auc(a, a) > 0.9, $"model {a} on its own held-out sample: AUC {Auc(a, a)}");
            Assert.True(Auc(a, b) < Auc(b, b) - 0.15, $"model {a} on condition {b}: AUC {Auc(a, b)} vs {b}'s own {Auc(b, b)}");
        }
        foreach (var r in rows)
        {
            double ratio = double.Parse(r[cr], CultureInfo.InvariantCulture);
            Assert.Equal(Auc(r[ct], r[cs]) / Auc(r[cs], r[cs]), ratio, 12);
        }
        Assert.Contains("generalization_auc", File.ReadAllText(R("report.html")));
    }

    [Fact]
    public void Inner_LeavesOutAtomsNearTheFreeSurfaces_AndTheAucsUseOnlyTheRest()
    {
        Assert.True(run.Result.Code == 0, run.Result.Err + run.Result.Out);
        var (h, rows) = Csv(R("samples.csv"));
        int cs = Array.IndexOf(h, "sample"), ci = Array.IndexOf(h, "included"), cn = Array.IndexOf(h, "atoms"), ca = Array.IndexOf(h, "auc");
        foreach (var row in rows)
        {
            string name = row[cs];
            var f = run.Frames[name];
            double lo = f.Z.Min(), hi = f.Z.Max();
            var inner = Column(R($"{name}.softness.csv"), "inner");
            var ids = Column(R($"{name}.softness.csv"), "id");
            for (int i = 0; i < f.Count; i++)
            {
                Assert.Equal((double)f.Ids[i], ids[i]);
                bool keep = f.Z[i] - lo >= TwoConditionsRun.Inner && hi - f.Z[i] >= TwoConditionsRun.Inner;
                Assert.Equal(keep ? 1.0 : 0.0, inner[i]);
            }
            int included = (int)inner.Sum();
            Assert.True(included < f.Count && included > f.Count / 2, $"{name}: {included} of {f.Count} included");
            Assert.Equal(included, int.Parse(row[ci], CultureInfo.InvariantCulture));
            Assert.Equal(f.Count, int.Parse(row[cn], CultureInfo.InvariantCulture));
            // the per-sample AUC is over the included atoms only
            var plastic = Column(R($"{name}.softness.csv"), "plastic");
            var soft = Column(R($"{name}.softness.csv"), "softness");
            var keepIdx = Enumerable.Range(0, f.Count).Where(i => inner[i] == 1).ToArray();
            Assert.Equal(Metrics.RocAuc(keepIdx.Select(i => plastic[i]).ToArray(), keepIdx.Select(i => soft[i]).ToArray()),
                double.Parse(row[ca], CultureInfo.InvariantCulture), 12);
            // no excluded atom is labelled plastic
            Assert.All(Enumerable.Range(0, f.Count).Where(i => inner[i] == 0), i => Assert.Equal(0.0, plastic[i]));
        }
        // the held-out AUC pools the included atoms of both test samples
        var l = new List<double>(); var s = new List<double>();
        foreach (var name in new[] { "A_g2", "B_g2" })
        {
            var inner = Column(R($"{name}.softness.csv"), "inner");
            var plastic = Column(R($"{name}.softness.csv"), "plastic");
            var soft = Column(R($"{name}.softness.csv"), "softness");
            for (int i = 0; i < inner.Length; i++) if (inner[i] == 1) { l.Add(plastic[i]); s.Add(soft[i]); }
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(R("model.json")));
        Assert.Equal(Metrics.RocAuc(l.ToArray(), s.ToArray()), doc.RootElement.GetProperty("metrics").GetProperty("test_auc").GetDouble(), 12);
    }

    [Fact]
    public void Search_TriesNCandidates_AndTheModelUsesTheBestByCvAuc()
    {
        Assert.True(run.Result.Code == 0, run.Result.Err + run.Result.Out);
        var (h, rows) = Csv(R("search.csv"));
        Assert.Equal(3, rows.Length);
        int cauc = Array.IndexOf(h, "cv_auc");
        var aucs = rows.Select(r => double.Parse(r[cauc], CultureInfo.InvariantCulture)).ToArray();
        // (CV is grouped by sample: with one training sample per condition it scores across conditions, near chance)
        Assert.All(aucs, a => Assert.InRange(a, 0.0, 1.0));
        Assert.True(aucs.Distinct().Count() > 1, "every candidate scored the same");
        var best = rows[Array.IndexOf(aucs, aucs.Max())];
        double V(string c) => double.Parse(best[Array.IndexOf(h, c)], CultureInfo.InvariantCulture);
        var p = SoftnessModel.Load(R("model.json")).Trees.Parameters;
        Assert.Equal(V("learning_rate"), p.LearningRate, 12);
        Assert.Equal((int)V("max_depth"), p.MaxDepth);
        Assert.Equal((int)V("n_estimators"), p.NEstimators);
        Assert.Equal(V("min_child_weight"), p.MinChildWeight, 12);
        Assert.Contains("search: best of 3", run.Result.Out);
    }
}
