using System.Text.Json;
using GlassML.Learning;
using GlassML.Workflows.Demo;
using GlassML.Workflows.Softness;
using static GlassML.Tests.Workflows.Softness.SoftnessTestData;

namespace GlassML.Tests.Workflows.Softness;

/// <summary>The training run of tools/train_demo_models/softness.sh on the committed MD fixture (g1, g2 train; g3 test).</summary>
public sealed class MdFixtureRun : IDisposable
{
    public MdFixtureRun()
    {
        Dir = TempDir("md");
        Run = Path.Combine(Dir, "run");
        Result = SoftnessTestData.Run("softness", "train", "--samples", Fixtures.Path("softness", "samples.csv"), "--out", Run, "--types", "1:Cu,2:Zr", "--seed", "1", "--threads", "2");
    }

    public string Dir { get; }
    public string Run { get; }
    public (int Code, string Out, string Err) Result { get; }
    public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
}

[Collection("Console")]
public class SoftnessDemoModelTests(MdFixtureRun md) : IClassFixture<MdFixtureRun>
{
    [Fact]
    public void HeldOutAucOnTheMdFixtureIsReportedWithItsBootstrapIntervalAndAboveChance()
    {
        Assert.True(md.Result.Code == 0, md.Result.Err + md.Result.Out);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(md.Run, "model.json")));
        var m = doc.RootElement.GetProperty("metrics");
        double auc = m.GetProperty("test_auc").GetDouble(), lo = m.GetProperty("test_auc_ci_low").GetDouble(), hi = m.GetProperty("test_auc_ci_high").GetDouble();
        Assert.True(auc > 0.6, $"held-out AUC {auc}");
        Assert.True(lo <= auc && auc <= hi && hi - lo > 0, $"interval {lo}–{hi} around {auc}");
        Assert.Contains("held-out AUC", md.Result.Out);
        // recomputed from the per-atom output of the test glass
        string g3 = Path.Combine(md.Run, "g3.softness.csv");
        Assert.Equal(Metrics.RocAuc(Column(g3, "plastic"), Column(g3, "softness")), auc, 12);
        // the label strain: frame 20 of 0.2 % steps
        Assert.All(Column(Path.Combine(md.Run, "samples.csv"), "label_strain"), s => Assert.InRange(s, 0.039, 0.041));
    }

    [Fact]
    public void RetrainingReproducesTheShippedModelByteForByte()
    {
        Assert.True(md.Result.Code == 0, md.Result.Err);
        var shipped = DemoJob.ShippedModel("softness");
        Assert.NotNull(shipped);
        Assert.True(shipped!.SequenceEqual(File.ReadAllBytes(Path.Combine(md.Run, "model.json"))), "retrained model.json differs from src/GlassML/Resources/softness.model.json (rerun tools/train_demo_models/softness.sh)");
    }

    [Fact]
    public void AModelWithColumnsOfTheEarlierSeedSet_FailsNamingSeedAmlearn()
    {
        var text = System.Text.Encoding.UTF8.GetString(DemoJob.ShippedModel("softness")!).Replace("\"dist_cut_std\"", "\"interstice_dist_voro_std\"");
        var model = SoftnessModel.Load(System.Text.Encoding.UTF8.GetBytes(text), "old");
        var ex = Assert.Throws<ArgumentException>(() => model.Apply(GlassML.DemoGlass.Load(), "demo", 0));
        Assert.Contains("'interstice_dist_voro_std'", ex.Message);
        Assert.Contains("seed-amlearn", ex.Message);
    }

    [Fact]
    public void ApplyComputesOnlyTheModelsColumns_BitForBitAsFromTheFullTable()
    {
        var model = SoftnessModel.Load(DemoJob.ShippedModel("softness")!, "shipped");
        var md = GlassML.Io.StructureReader.ReadFrame(Fixtures.Path("softness", "g1.dump.gz"), 0, GlassML.Cli.Commands.CliSupport.ParseTypes("1:Cu,2:Zr"));
        md.SortById();
        foreach (var glass in new[] { GlassML.DemoGlass.Load(), md })
        {
            var (raw, soft) = model.Apply(glass, "glass", 1);
            var full = SoftnessModel.ComputeFeatures(glass, "seed", 2, seedCutoff: model.SeedCutoff);
            Assert.Equal(746, full.FeatureCount);
            var fullRaw = model.RawScores(full, 2);
            var fullSoft = model.Softness(fullRaw);
            for (int i = 0; i < glass.Count; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(fullRaw[i]), BitConverter.DoubleToInt64Bits(raw[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(fullSoft[i]), BitConverter.DoubleToInt64Bits(soft[i]));
            }
        }
    }

    [Fact]
    public void TheModelRecordsItsSeedCutoff_OlderFilesMeanTheFormer3Point8()
    {
        var bytes = DemoJob.ShippedModel("softness")!;
        Assert.Equal(4.0, SoftnessModel.Load(bytes, "shipped").SeedCutoff);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"seed_cutoff\": 4,", text);
        var old = SoftnessModel.Load(System.Text.Encoding.UTF8.GetBytes(text.Replace("\"seed_cutoff\": 4,", "")), "old");
        Assert.Equal(3.8, old.SeedCutoff);
    }

    [Fact]
    public void TheShippedModelAppliesToTheDemoGlass()
    {
        var bytes = DemoJob.ShippedModel("softness")!;
        var model = SoftnessModel.Load(bytes, "shipped");
        var glass = GlassML.DemoGlass.Load();
        var (raw, soft) = model.Apply(glass, "demo", 0);
        Assert.Equal(glass.Count, soft.Length);
        Assert.All(soft, s => Assert.InRange(s, 0, 1));
        Assert.True(soft.Distinct().Count() > 5);
        var entry = DemoJob.Methods.Single(x => x.Method == "softness");
        Assert.NotNull(entry.Apply);
    }
}
