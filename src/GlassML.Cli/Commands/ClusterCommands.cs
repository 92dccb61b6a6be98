using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GlassML.Io;
using GlassML.Workflows.Sharding;

namespace GlassML.Cli.Commands;

/// <summary>Sharded batch runs: the <c>--shard</c> option, <c>glassml merge</c> and <c>glassml slurm</c>.</summary>
public static class ClusterCommands
{
    /// <summary>A fresh <c>--shard</c> option.</summary>
    public static Option<string?> ShardOption() => new("--shard")
    {
        Description = "Do only shard K of N (K/N, e.g. 2/4; or 'slurm' for SLURM_ARRAY_TASK_ID/COUNT): each unit (frame) is written to OUT.parts/ atomically, units already done with the same inputs and options are skipped; join with 'glassml merge OUT.parts --out OUT'.",
    };

    private static readonly HashSet<string> NeutralOptions = new(StringComparer.Ordinal) { "--shard", "--threads", "--out", "--quiet", "--no-clobber" };

    /// <summary>The command's arguments without the options that do not change its results (shard, threads, out).</summary>
    public static IEnumerable<string> ResultArguments()
    {
        var a = CliSupport.Arguments;
        for (int i = 0; i < a.Count; i++)
        {
            string name = a[i].Split('=')[0];
            if (NeutralOptions.Contains(name))
            {
                if (!a[i].Contains('=') && name != "--quiet" && name != "--no-clobber") i++;
                continue;
            }
            yield return a[i];
        }
    }

    /// <summary>
    /// Runs the units of a sharded verb: for each unit of this shard not yet done, <paramref name="compute"/> writes its
    /// part. Prints what was done; returns 0.
    /// </summary>
    public static int RunShard(string verb, string shardText, string output, IReadOnlyList<string> inputs, int units, Action<int, string> compute)
    {
        var spec = ShardSpec.Parse(shardText);
        if (OutputPath.IsStandardOutput(output)) throw new ArgumentException($"--out {output}: a shard writes part files next to its output, not to standard output; give a file name");
        string ext = ShardParts.OutputExtension(output);
        if (!(ext.StartsWith(".csv") || ext.StartsWith(".xyz") || ext.StartsWith(".extxyz") || ext.StartsWith(".dump")))
            throw new ArgumentException($"--shard: '{ext}' outputs cannot be merged; use .csv, .xyz/.extxyz or .dump (optionally .gz)");
        string fp = ShardParts.Fingerprint(verb, inputs, ResultArguments());
        var (start, end) = spec.Range(units);
        int done = 0, skipped = 0;
        for (int u = start; u < end; u++)
        {
            if (ShardParts.IsDone(output, u, fp)) { skipped++; continue; }
            ShardParts.WriteUnit(output, verb, u, units, fp, part => compute(u, part));
            done++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {spec.Index + 1}/{spec.Count}: units {start}…{end - 1} of {units}: {done} computed, {skipped} already done; parts in {ShardParts.Folder(output)} (join with 'glassml merge {ShardParts.Folder(output)} --out {output}')"));
        return 0;
    }

    /// <summary><c>glassml merge DIR… --out X</c>.</summary>
    public static Command Merge()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Folders of parts (OUT.parts) written by sharded runs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The merged output: exactly the file a single run writes.", Required = true };
        var cmd = new Command("merge", "Join the parts of sharded runs into the file a single run writes (byte for byte); refuses parts made with other inputs or options, and names missing units.");
        cmd.Arguments.Add(dirs);
        cmd.Options.Add(output);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int n = ShardParts.Merge(pr.GetValue(dirs)!, pr.GetValue(output)!);
            Console.WriteLine($"{n} units merged into {pr.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>glassml slurm --array N [--cpus-per-task C --mem M --time T --partition P] [--submit] -- VERB ARGS…</c>.</summary>
    public static Command Slurm()
    {
        var verb = new Argument<string[]>("COMMAND") { Description = "The glassml command to shard, after '--' (it must have --out).", Arity = ArgumentArity.OneOrMore };
        var array = new Option<int>("--array") { Description = "Number of array tasks (shards).", Required = true };
        var cpus = new Option<int>("--cpus-per-task") { Description = "CPUs per task (the tasks' thread count follows SLURM_CPUS_PER_TASK).", DefaultValueFactory = _ => 1 };
        var mem = new Option<string?>("--mem") { Description = "Memory per task, e.g. 4G." };
        var time = new Option<string?>("--time") { Description = "Time limit per task, e.g. 01:00:00." };
        var partition = new Option<string?>("--partition") { Description = "Partition." };
        var scripts = new Option<string>("--scripts") { Description = "Folder for the sbatch scripts and logs.", DefaultValueFactory = _ => "slurm" };
        var submit = new Option<bool>("--submit") { Description = "Submit the array and the dependent merge job with sbatch." };
        var cmd = new Command("slurm", "Write (and with --submit, submit) an sbatch job array that runs a batch verb's shards, and a merge job that runs after it (--dependency=afterok).");
        cmd.Arguments.Add(verb);
        foreach (var o in new Option[] { array, cpus, mem, time, partition, scripts, submit }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var args = pr.GetValue(verb)!;
            int n = pr.GetValue(array);
            if (n < 1 || n > 10000) throw new ArgumentException("--array: give 1 to 10000 tasks");
            int outAt = Array.IndexOf(args, "--out");
            if (outAt < 0 || outAt + 1 >= args.Length) throw new ArgumentException("the sharded command needs --out FILE");
            if (args.Contains("--shard")) throw new ArgumentException("the sharded command must not have --shard (the array sets it)");
            if (OutputPath.IsStandardOutput(args[outAt + 1])) throw new ArgumentException($"--out {args[outAt + 1]}: array tasks write files, not standard output; give a file name");
            string output = Path.GetFullPath(args[outAt + 1]);
            string dir = Path.GetFullPath(pr.GetValue(scripts)!);
            Directory.CreateDirectory(dir);
            string exe = Executable();
            string header(string name, string log, string extra) =>
                "#!/bin/bash\n" + $"#SBATCH --job-name={name}\n" + $"#SBATCH --output={log}\n" + $"#SBATCH --cpus-per-task={pr.GetValue(cpus)}\n" + extra +
                (pr.GetValue(mem) is string m ? $"#SBATCH --mem={m}\n" : "") + (pr.GetValue(time) is string t ? $"#SBATCH --time={t}\n" : "") +
                (pr.GetValue(partition) is string p ? $"#SBATCH --partition={p}\n" : "") + "set -euo pipefail\n" + $"cd {Quote(Environment.CurrentDirectory)}\n";
            string arrayScript = Path.Combine(dir, $"glassml-{args[0]}.sbatch"), mergeScript = Path.Combine(dir, $"glassml-{args[0]}-merge.sbatch");
            AtomicFile.WriteText(arrayScript, w =>
            {
                w.Write(header($"glassml-{args[0]}", Path.Combine(dir, "%x-%A_%a.log"), $"#SBATCH --array=0-{n - 1}\n"));
                w.Write($"{exe} {string.Join(' ', args.Select(Quote))} --shard slurm\n");
            });
            AtomicFile.WriteText(mergeScript, w =>
            {
                w.Write(header($"glassml-{args[0]}-merge", Path.Combine(dir, "%x-%j.log"), ""));
                w.Write($"{exe} merge {Quote(ShardParts.Folder(output))} --out {Quote(output)}\n");
            });
            Console.WriteLine($"wrote {arrayScript} ({n} tasks) and {mergeScript}");
            if (pr.GetValue(submit))
            {
                string job = Sbatch("--parsable", arrayScript).Split(';')[0].Trim();
                string merge = Sbatch("--parsable", $"--dependency=afterok:{job}", mergeScript).Split(';')[0].Trim();
                Console.WriteLine($"submitted array job {job} and merge job {merge}");
            }
            return 0;
        }));
        return cmd;
    }

    private static string Sbatch(params string[] args)
    {
        var psi = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new ArgumentException("--submit: sbatch is not on PATH (write the scripts without --submit and submit them on the cluster)"); }
        using (p)
        {
            string o = p.StandardOutput.ReadToEnd(), e = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new ArgumentException($"sbatch failed: {e.Trim()}");
            return o.Trim();
        }
    }

    /// <summary>How to start this glassml from a job script: the tool's own path, or <c>dotnet glassml.dll</c>.</summary>
    private static string Executable()
    {
        string host = Environment.ProcessPath ?? "glassml";
        string dll = typeof(ClusterCommands).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? $"{Quote(host)} {Quote(dll)}" : Quote(host);
    }

    private static string Quote(string a) =>
        a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
