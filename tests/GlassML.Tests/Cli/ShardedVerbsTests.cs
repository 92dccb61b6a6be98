using System.IO.Compression;
using System.Text.RegularExpressions;
using GlassML.Workflows.Demo;
using GlassML.Workflows.Sharding;
using GlassML.Workflows.Ule;

namespace GlassML.Tests.Cli;

/// <summary>
/// Every sharded verb besides featurize (strain, displacements, each method's apply, ule encode and both passes of ule
/// build): 1, 2 and 4 shards merged give the bytes of a single-process run (side outputs too), and after a lost part a
/// rerun of all shards recomputes that unit alone. Inputs: committed fixtures and the shipped demo models.
/// </summary>
[Collection("Console")]
public partial class ShardedVerbsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-shardverbs-{Guid.NewGuid():N}");

    public ShardedVerbsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private int _runs;

    private static readonly string[] CuZr = ["--types", "1:Cu,2:Zr"];

    [GeneratedRegex(@"(\d+) computed, (\d+) already done")]
    private static partial Regex Done();

    private static (int Computed, int Skipped) Counts(string stdout)
    {
        var m = Done().Match(stdout);
        Assert.True(m.Success, stdout);
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }

    private static (int Code, string Out, string Err) Ok((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        return r;
    }

    /// <summary>
    /// The single run of <paramref name="cmd"/> against 1, 2 and 4 shards merged (output and sibling side outputs byte for
    /// byte), then a lost unit redone alone.
    /// </summary>
    private void ShardsEqualSingle(string[] cmd, string ext, int units, params string[] siblings)
    {
        string run = $"r{++_runs}-";
        string single = P(run + "single" + ext);
        Ok(CliRunner.Run([.. cmd, "--out", single]));
        foreach (int n in new[] { 1, 2, 4 })
        {
            string o = P($"{run}s{n}{ext}");
            int computed = 0;
            for (int k = 1; k <= n; k++) computed += Counts(Ok(CliRunner.Run([.. cmd, "--out", o, "--shard", $"{k}/{n}"])).Out).Computed;
            Assert.Equal(units, computed);
            Assert.False(File.Exists(o));
            Ok(CliRunner.Run("merge", o + ".parts", "--out", o));
            Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(o));
            foreach (var x in siblings) Assert.Equal(File.ReadAllBytes(ShardParts.SiblingPath(single, x)), File.ReadAllBytes(ShardParts.SiblingPath(o, x)));
        }
        // a task killed while writing the last unit leaves no part: the rerun redoes it alone
        string o4 = P($"{run}s4{ext}");
        File.Delete(ShardParts.PartPath(o4, units - 1));
        File.Delete(o4);
        int again = 0, skipped = 0;
        for (int k = 1; k <= 4; k++)
        {
            var (c, s) = Counts(Ok(CliRunner.Run([.. cmd, "--out", o4, "--shard", $"{k}/4"])).Out);
            again += c; skipped += s;
        }
        Assert.Equal((1, units - 1), (again, skipped));
        Ok(CliRunner.Run("merge", o4 + ".parts", "--out", o4));
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(o4));
    }

    private static string Fx(params string[] p) => Fixtures.Path(p);

    private string Model(string method)
    {
        string p = P($"{method}.model.json");
        if (!File.Exists(p)) File.WriteAllBytes(p, DemoJob.ShippedModel(method)!);
        return p;
    }

    private string Resource(string name, string file)
    {
        string p = P(file);
        using var s = typeof(DemoJob).Assembly.GetManifestResourceStream(name)!;
        using var f = File.Create(p);
        s.CopyTo(f);
        return p;
    }

    private string DemoGlassFile() => Resource(GlassML.DemoGlass.ResourceName, "demo.data.gz");

    [Fact]
    public void StrainFramesJoinSideBySideInCsvAndFrameAfterFrameInXyz()
    {
        string traj = Fx("dynamics", "compression_ortho.dump.gz");
        ShardsEqualSingle(["strain", traj, traj, "--frame", "all", "--cutoff", "4.5", .. CuZr], ".csv", 5);
        ShardsEqualSingle(["strain", traj, traj, "--frame", "all", "--previous", "--cutoff", "4.5", .. CuZr], ".xyz", 4);
    }

    [Fact]
    public void StrainOfOneFrameAndDisplacementsAreOneUnit()
    {
        string traj = Fx("dynamics", "compression_ortho.dump.gz");
        ShardsEqualSingle(["strain", traj, traj, "--frame", "2", "--cutoff", "4.5", .. CuZr], ".csv", 1);
        ShardsEqualSingle(["displacements", Fx("dynamics", "isothermal_1500K.dump.gz"), "--lags", "0.01,0.5", "--temperature", "1500", "--dt", "0.001", .. CuZr], ".csv", 1);
    }

    [Fact]
    public void SfApplyOverFramesJoinsColumnsAndTheMeansTable()
    {
        string traj = ShardingTests.MakeTrajectory(_dir, 6);
        string[] cmd = ["sf", "apply", traj, "--model", Model("sf"), "--frame", "all", .. CuZr];
        ShardParts.MaxOpenParts = 4; // 6 side-by-side parts are joined in groups of at most 4, then the groups
        try { ShardsEqualSingle(cmd, ".csv", 6, ".means.csv"); }
        finally { ShardParts.MaxOpenParts = 200; }
        ShardsEqualSingle(cmd, ".xyz", 6, ".means.csv");
    }

    [Fact]
    public void SoftnessBondsAndTmlApplyAreOneUnitEach()
    {
        string glass = DemoGlassFile();
        ShardsEqualSingle(["softness", "apply", glass, "--model", Model("softness"), .. CuZr], ".csv", 1);
        ShardsEqualSingle(["bonds", "apply", glass, "--model", Model("bonds"), .. CuZr], ".csv", 1);
        string traj = Resource(TmlDemoTrajectory, "tml.dump.gz");
        ShardsEqualSingle(["tml", "apply", traj, "--model", Model("tml"), "--temperature", "500", "--dt", "0.002", "--starts", "1", .. CuZr], ".csv", 1);
    }

    private const string TmlDemoTrajectory = "GlassML.Resources.tml_demo_trajectory.dump.gz";

    private string UleManifest(int rows) => UleManifest(_dir, rows);

    /// <summary>The first <paramref name="rows"/> rows of the committed ULE manifest, with absolute paths, written into <paramref name="into"/>.</summary>
    internal static string UleManifest(string into, int rows)
    {
        string dir = Path.GetDirectoryName(Fx("ule", "samples.csv"))!;
        var lines = File.ReadAllLines(Fx("ule", "samples.csv"));
        var o = new List<string> { lines[0] };
        foreach (var l in lines.Skip(1).Take(rows))
        {
            var c = l.Split(',');
            c[0] = Path.Combine(dir, c[0]);
            if (c[2].StartsWith("log:", StringComparison.Ordinal)) c[2] = "log:" + Path.Combine(dir, c[2][4..]);
            o.Add(string.Join(',', c));
        }
        string p = Path.Combine(into, $"samples{rows}.csv");
        File.WriteAllLines(p, o);
        return p;
    }

    [Fact]
    public void UleEncodeAndApplyShardBySample()
    {
        string model = Model("ule"), dict = P("dict.json");
        UleModel.Load(model).Dictionary.Save(dict);
        ShardsEqualSingle(["ule", "encode", "--dict", dict, "--samples", UleManifest(6), .. CuZr], ".csv", 6);
        ShardsEqualSingle(["ule", "apply", "--model", model, Fx("ule", "is", "qa.is.dump.gz"), Fx("ule", "is", "qc.is.dump.gz"), Fx("ule", "is", "qa5.is.dump.gz"), .. CuZr], ".csv", 3);
    }

    [Fact]
    public void UleBuildFromShardedSoapRowsIsTheSingleRunDictionary()
    {
        // pass 1 (sharded): each training row's SOAP rows; pass 2 (glassml merge): the leader clustering, threshold
        // bisection, curve and final assignment over all rows in manifest order, exactly as one process does them
        ShardsEqualSingle(["ule", "build", "--samples", UleManifest(6), "--soap", "n_max=4,l_max=4", "--target-count", "20", .. CuZr], ".json", 6);
        var d = UleDictionary.Load(P("r1-s4.json"));
        Assert.True(d.Count > 1);
    }

    [Fact]
    public void SlurmScriptsShardEachVerbAndMergeItsParts()
    {
        foreach (var (verb, name) in new[] { (new[] { "ule", "build", "--samples", "m.csv" }, "ule-build"), (["sf", "apply", "t.dump", "--model", "m.json"], "sf-apply"), (["strain", "a.dump", "a.dump", "--frame", "all"], "strain") })
        {
            string scripts = P("jobs-" + name);
            var r = Ok(CliRunner.Run(["slurm", "--array", "4", "--scripts", scripts, "--", .. verb, "--out", P("o.x")]));
            string array = File.ReadAllText(Path.Combine(scripts, $"glassml-{name}.sbatch"));
            string merge = File.ReadAllText(Path.Combine(scripts, $"glassml-{name}-merge.sbatch"));
            Assert.Contains("#SBATCH --array=0-3", array);
            Assert.Contains(string.Join(' ', verb) + " --out " + P("o.x") + " --shard slurm", array);
            Assert.Contains($"merge {P("o.x.parts")} --out {P("o.x")}", merge);
            Assert.Contains(name, r.Out);
        }
    }
}
