using System.Diagnostics;

namespace GlassML.Tests.Cli;

/// <summary>
/// On a real single-node SLURM cluster (tools/slurm_up.sh; .ci/run installs slurm-wlm and munge): a 4-task array over a
/// 16-frame trajectory and its dependent merge job give the single-run bytes; a cancelled task is redone alone on
/// resubmission. Skipped on a developer machine without SLURM; required in CI.
/// </summary>
[Collection("Slurm")]
public class SlurmIntegrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"glassml-slurm-{Guid.NewGuid():N}");

    public SlurmIntegrationTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "GlassML.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private static (int Code, string Out) Sh(string cmd, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(cmd);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); return (-1, o + "timeout"); }
        return (p.ExitCode, o + err.Result);
    }

    private static void EnsureCluster()
    {
        bool ci = Environment.GetEnvironmentVariable("CI") is not null;
        bool haveSlurm = File.Exists("/usr/sbin/slurmctld") && File.Exists("/usr/sbin/munged");
        if (!haveSlurm && !ci) throw new SkipException("SLURM is not installed (CI installs slurm-wlm and munge)");
        if (Environment.UserName != "root" && !ci) throw new SkipException("starting a SLURM cluster needs root");
        var (code, o) = Sh($"bash {Path.Combine(RepoRoot(), "tools", "slurm_up.sh")}", 300);
        Assert.True(code == 0, "tools/slurm_up.sh failed: " + o);
    }

    private static void WaitForQueueToDrain(string name, int seconds = 300)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            var (_, o) = Sh($"squeue -h -n {name} -o %i");
            if (o.Trim().Length == 0) return;
            Thread.Sleep(500);
        }
        throw new TimeoutException($"jobs named {name} still queued after {seconds} s");
    }

    private static readonly string[] Featurize = ["featurize", "traj.dump", "--types", "1:Cu,2:Zr", "--features", "voronoi,steinhardt", "--frame", "all", "--out", "F.csv"];

    [SkippableFact]
    public void AJobArrayAndItsMergeJobGiveTheSingleRunBytesAndACancelledTaskIsRedoneAlone()
    {
        EnsureCluster();
        ShardingTests.MakeTrajectory(_dir, 16);
        var (code, _, err) = ShardingTests.Cli(_dir, ["featurize", "traj.dump", "--types", "1:Cu,2:Zr", "--features", "voronoi,steinhardt", "--frame", "all", "--out", "single.csv"]);
        Assert.True(code == 0, err);

        // 1. write the scripts, submit the array held, cancel task 2, release the rest: units 8-11 are never made
        (code, _, err) = ShardingTests.Cli(_dir, ["slurm", "--array", "4", "--scripts", "jobs", "--", .. Featurize]);
        Assert.True(code == 0, err);
        string arrayScript = Path.Combine(_dir, "jobs", "glassml-featurize.sbatch");
        Assert.Contains("#SBATCH --array=0-3", File.ReadAllText(arrayScript));
        var (sc, job) = Sh($"cd {_dir} && sbatch --hold --parsable {arrayScript}");
        Assert.True(sc == 0, job);
        job = job.Trim().Split(';')[0];
        Assert.Equal(0, Sh($"scancel {job}_2").Code);
        Assert.Equal(0, Sh($"scontrol release {job}").Code);
        WaitForQueueToDrain("glassml-featurize");
        var parts = Directory.GetFiles(Path.Combine(_dir, "F.csv.parts"), "unit-*.csv").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(12, parts.Length);
        Assert.DoesNotContain("unit-000008.csv", parts);

        // 2. resubmit the whole array with its merge job: only the cancelled task's units are computed
        var logs = SubmitAndCompare(Featurize, "glassml-featurize", "F.csv", "single.csv");
        Assert.Contains(logs, l => l.Contains("shard 3/4: units 8…11 of 16: 4 computed, 0 already done"));
        Assert.Equal(3, logs.Count(l => l.Contains("0 computed, 4 already done")));
    }

    /// <summary>Submits a 4-task array of <paramref name="command"/> with its merge job, waits, checks the merged output equals <paramref name="single"/>; returns the tasks' logs.</summary>
    private string[] SubmitAndCompare(string[] command, string job, string output, string single)
    {
        var (code, o, err) = ShardingTests.Cli(_dir, ["slurm", "--array", "4", "--scripts", "jobs", "--submit", "--", .. command]);
        Assert.True(code == 0, err);
        Assert.Contains("submitted array job", o);
        WaitForQueueToDrain(job);
        WaitForQueueToDrain(job + "-merge");
        Assert.True(File.Exists(Path.Combine(_dir, output)), $"the merge job did not write {output}: " + string.Join("\n", Directory.GetFiles(Path.Combine(_dir, "jobs"), "*.log").Select(File.ReadAllText)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, single)), File.ReadAllBytes(Path.Combine(_dir, output)));
        return Directory.GetFiles(Path.Combine(_dir, "jobs"), job + "-*_*.log").Select(File.ReadAllText).ToArray();
    }

    [SkippableFact]
    public void ATwoPassUleBuildRunsAsAnArrayWhoseMergeJobRunsTheFinalPass()
    {
        EnsureCluster();
        string manifest = ShardedVerbsTests.UleManifest(_dir, 8);
        string[] build = ["ule", "build", "--samples", manifest, "--soap", "n_max=4,l_max=4", "--target-count", "20", "--types", "1:Cu,2:Zr"];
        var (code, _, err) = ShardingTests.Cli(_dir, [.. build, "--out", "single.json"]);
        Assert.True(code == 0, err);
        var logs = SubmitAndCompare([.. build, "--out", "D.json"], "glassml-ule-build", "D.json", "single.json");
        Assert.Equal(4, logs.Count(l => l.Contains("2 computed, 0 already done")));
    }
}
