using System.Diagnostics;
using System.IO.Compression;
using GlassML.Workflows.Sharding;

namespace GlassML.Tests.Cli;

/// <summary>Sharded batch runs: 1, 2 and 4 shards merge into the bytes of a single run; a lost unit is redone alone; mixed or incomplete parts are refused.</summary>
public class ShardingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-shard-{Guid.NewGuid():N}");
    private readonly string _traj;

    public ShardingTests()
    {
        Directory.CreateDirectory(_dir);
        _traj = MakeTrajectory(_dir, 16);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A 16-frame trajectory: the first frame of each of 16 committed NVE runs of the 500-atom glass.</summary>
    public static string MakeTrajectory(string dir, int frames)
    {
        string p = Path.Combine(dir, "traj.dump");
        using var w = new StreamWriter(p);
        for (int i = 1; i <= frames; i++)
        {
            using var r = new StreamReader(new GZipStream(File.OpenRead(Fixtures.Path("dynamics", "nve", $"nve_{i}.dump.gz")), CompressionMode.Decompress));
            string? line; int timesteps = 0;
            while ((line = r.ReadLine()) is not null)
            {
                if (line.StartsWith("ITEM: TIMESTEP", StringComparison.Ordinal) && ++timesteps > 1) break;
                w.Write(line); w.Write('\n');
            }
        }
        return p;
    }

    /// <summary>Runs the CLI as its own process (as a batch job does) in <paramref name="cwd"/>.</summary>
    public static (int Code, string Out, string Err) Cli(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(GlassML.Cli.Program).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o, err.Result);
    }

    private static readonly string[] Featurize = ["featurize", "traj.dump", "--types", "1:Cu,2:Zr", "--features", "voronoi,steinhardt", "--frame", "all"];

    [Fact]
    public void OneTwoAndFourShardsMergeIntoTheSingleRunBytes()
    {
        var (code, _, err) = Cli(_dir, [.. Featurize, "--out", "single.csv"]);
        Assert.True(code == 0, err);
        byte[] single = File.ReadAllBytes(Path.Combine(_dir, "single.csv"));
        foreach (int n in new[] { 1, 2, 4 })
        {
            string outName = $"s{n}.csv";
            for (int k = 1; k <= n; k++)
            {
                (code, var o, err) = Cli(_dir, [.. Featurize, "--out", outName, "--shard", $"{k}/{n}", "--threads", k % 2 == 0 ? "1" : "2"]);
                Assert.True(code == 0, err);
                Assert.Contains($"{16 / n} computed, 0 already done", o);
            }
            Assert.False(File.Exists(Path.Combine(_dir, outName)));
            (code, _, err) = Cli(_dir, "merge", outName + ".parts", "--out", outName);
            Assert.True(code == 0, err);
            Assert.Equal(single, File.ReadAllBytes(Path.Combine(_dir, outName)));
        }
    }

    [Fact]
    public void ALostUnitIsRedoneAloneAndMixedOrIncompletePartsAreRefused()
    {
        for (int k = 1; k <= 2; k++) Assert.Equal(0, Cli(_dir, [.. Featurize, "--out", "r.csv", "--shard", $"{k}/2"]).Code);
        string parts = Path.Combine(_dir, "r.csv.parts");
        File.Delete(ShardParts.PartPath(Path.Combine(_dir, "r.csv"), 5)); // a task killed while writing unit 5 leaves no part
        var stamp = File.GetLastWriteTimeUtc(ShardParts.PartPath(Path.Combine(_dir, "r.csv"), 4));

        var (code, _, err) = Cli(_dir, "merge", "r.csv.parts", "--out", "r.csv");
        Assert.Equal(2, code);
        Assert.Contains("1 of 16 units are missing (first: 5)", err);
        Assert.False(File.Exists(Path.Combine(_dir, "r.csv")));

        (code, var o, err) = Cli(_dir, [.. Featurize, "--out", "r.csv", "--shard", "1/2"]);
        Assert.True(code == 0, err);
        Assert.Contains("1 computed, 7 already done", o);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(ShardParts.PartPath(Path.Combine(_dir, "r.csv"), 4)));
        Assert.Equal(0, Cli(_dir, "merge", "r.csv.parts", "--out", "r.csv").Code);
        Assert.Equal(0, Cli(_dir, [.. Featurize, "--out", "single.csv"]).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "single.csv")), File.ReadAllBytes(Path.Combine(_dir, "r.csv")));

        // other options into the same parts: the shard recomputes its units, and merge refuses the mixture
        (code, o, err) = Cli(_dir, ["featurize", "traj.dump", "--types", "1:Cu,2:Zr", "--features", "voronoi", "--frame", "all", "--out", "r.csv", "--shard", "2/2"]);
        Assert.True(code == 0, err);
        Assert.Contains("8 computed, 0 already done", o);
        (code, _, err) = Cli(_dir, "merge", "r.csv.parts", "--out", "m.csv");
        Assert.Equal(2, code);
        Assert.Contains("made with other inputs or options", err);
        Assert.True(Directory.Exists(parts));
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("a/b")]
    [InlineData("slurm")]
    public void BadShardSpecsAreOneLineErrors(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => ShardSpec.Parse(spec, _ => null));
        Assert.Contains("--shard", e.Message);
    }

    [Fact]
    public void ShardRangesCoverEveryUnitOnce()
    {
        foreach (int units in new[] { 0, 1, 7, 16, 1001 })
            foreach (int n in new[] { 1, 2, 3, 4, 16, 40 })
            {
                var covered = new List<int>();
                for (int k = 0; k < n; k++) { var (a, b) = new ShardSpec(k, n).Range(units); covered.AddRange(Enumerable.Range(a, b - a)); }
                Assert.Equal(Enumerable.Range(0, units), covered);
            }
        var s = ShardSpec.Parse("slurm", v => v switch { "SLURM_ARRAY_TASK_ID" => "3", "SLURM_ARRAY_TASK_COUNT" => "4", "SLURM_ARRAY_TASK_MIN" => "1", _ => null });
        Assert.Equal(new ShardSpec(2, 4), s);
    }
}
