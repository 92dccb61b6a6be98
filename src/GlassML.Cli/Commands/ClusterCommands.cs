using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows.Sharding;

namespace GlassML.Cli.Commands;

/// <summary>Sharded batch runs: the <c>--shard</c> option, <c>glassml merge</c> and <c>glassml slurm</c>.</summary>
public static class ClusterCommands
{
    /// <summary>A fresh <c>--shard</c> option.</summary>
    public static Option<string?> ShardOption() => new("--shard")
    {
        Description = "Do only shard K of N (K/N, e.g. 2/4; or 'slurm' for SLURM_ARRAY_TASK_ID/COUNT): each unit (frame, manifest row or file; docs/cluster.md) is written to OUT.parts/ atomically, units already done with the same inputs and options are skipped; join with 'glassml merge OUT.parts --out OUT'.",
    };

    private static readonly HashSet<string> NeutralOptions = new(StringComparer.Ordinal) { "--shard", "--threads", "--out", "--quiet", "--no-clobber", "--from-parts" };

    /// <summary>The command's arguments without the options that do not change its results (shard, threads, out).</summary>
    public static IEnumerable<string> ResultArguments()
    {
        var a = CliSupport.Arguments;
        for (int i = 0; i < a.Count; i++)
        {
            string name = a[i].Split('=')[0];
            if (NeutralOptions.Contains(name))
            {
                if (name == "--from-parts") { while (i + 1 < a.Count && !a[i + 1].StartsWith('-')) i++; continue; }
                if (!a[i].Contains('=') && name != "--quiet" && name != "--no-clobber") i++;
                continue;
            }
            yield return a[i];
        }
    }

    /// <summary>
    /// Runs the units of a sharded verb: for each unit of this shard not yet done, <paramref name="compute"/> writes its
    /// part (and its side outputs, see <see cref="ShardParts.ExtraPath"/>). Prints what was done; returns 0.
    /// </summary>
    /// <param name="verb">The verb, e.g. "sf apply".</param>
    /// <param name="shardText">The --shard value.</param>
    /// <param name="output">The --out file of a single run.</param>
    /// <param name="inputs">Input files of the whole run (their hashes go into the fingerprint).</param>
    /// <param name="units">Number of units of the whole run.</param>
    /// <param name="compute">Computes unit u into the part path.</param>
    /// <param name="join">How the merge joins the parts.</param>
    /// <param name="extras">Suffixes of side outputs each unit writes.</param>
    /// <param name="unitInputs">Each unit's own input files (hashed into its record, so a changed file redoes only its unit).</param>
    public static int RunShard(string verb, string shardText, string output, IReadOnlyList<string> inputs, int units, Action<int, string> compute,
        ShardJoin join = ShardJoin.Rows, IReadOnlyList<string>? extras = null, Func<int, IEnumerable<string>>? unitInputs = null)
    {
        var spec = ShardSpec.Parse(shardText);
        if (OutputPath.IsStandardOutput(output)) throw new ArgumentException($"--out {output}: a shard writes part files next to its output, not to standard output; give a file name");
        string ext = ShardParts.OutputExtension(output);
        if (join != ShardJoin.Rerun && !(ext.StartsWith(".csv") || ext.StartsWith(".xyz") || ext.StartsWith(".extxyz") || ext.StartsWith(".dump")))
            throw new ArgumentException($"--shard: '{ext}' outputs cannot be merged; use .csv, .xyz/.extxyz or .dump (optionally .gz)");
        var args = ResultArguments().ToArray();
        var info = new PartInfo(verb, ShardParts.Fingerprint(verb, inputs, args), units, join, extras ?? [], join == ShardJoin.Rerun ? args : []);
        var (start, end) = spec.Range(units);
        int done = 0, skipped = 0;
        for (int u = start; u < end; u++)
        {
            string uh = ShardParts.UnitHash(unitInputs?.Invoke(u) ?? []);
            if (ShardParts.IsDone(output, u, info, uh)) { skipped++; continue; }
            ShardParts.WriteUnit(output, u, info, uh, part => compute(u, part));
            done++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {spec.Index + 1}/{spec.Count}: units {(start < end ? $"{start}…{end - 1}" : "none")} of {units}: {done} computed, {skipped} already done; parts in {ShardParts.Folder(output)} (join with 'glassml merge {ShardParts.Folder(output)} --out {output}')"));
        return 0;
    }

    /// <summary>
    /// A verb whose whole output is one unit (one frame, one trajectory): without --shard it runs <paramref name="body"/>
    /// on the --out path; with --shard, shard 1 writes the unit's part (others have nothing to do), resumable and merged
    /// like any other sharded output. With <paramref name="shardsItself"/> (a mode of the verb with many units) the body
    /// runs on --out and handles --shard itself.
    /// </summary>
    public static int Whole(ParseResult pr, string verb, IReadOnlyList<string> inputs, Func<string, int> body, bool shardsItself = false)
    {
        string output = pr.GetValue<string>("--out")!;
        if (shardsItself || pr.GetValue<string?>("--shard") is not string shard) return body(output);
        int code = 0;
        RunShard(verb, shard, output, inputs, 1, (_, part) => code = body(part));
        return code;
    }

    /// <summary>
    /// The units of a verb over the frames of several files: (file, frame index) for each selected frame, files in the
    /// given order; <paramref name="selector"/> is an index (0-based), 'last' or 'all'.
    /// </summary>
    /// <exception cref="InputFormatException">A file is missing.</exception>
    /// <exception cref="ArgumentException">A bad selector.</exception>
    public static IReadOnlyList<(string File, int Frame)> FrameUnits(IReadOnlyList<string> files, string selector, ReadOptions? read)
    {
        var units = new List<(string, int)>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
            if (selector == "all") units.AddRange(Enumerable.Range(0, StructureReader.CountFrames(f, read)).Select(k => (f, k)));
            else if (selector == "last") units.Add((f, StructureReader.CountFrames(f, read) - 1));
            else if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int k)) units.Add((f, k));
            else throw new ArgumentException($"--frame: '{selector}' is not an index, 'last' or 'all'");
        }
        return units;
    }

    /// <summary>Reads unit u of <paramref name="units"/>, streaming forward through each file (one frame in memory).</summary>
    public static Func<int, Frame> FrameReader(IReadOnlyList<(string File, int Frame)> units, ReadOptions? read)
    {
        IEnumerator<Frame>? cursor = null; string? file = null; int at = -1;
        return u =>
        {
            var (f, k) = units[u];
            if (cursor is null || f != file || k < at)
            {
                cursor?.Dispose();
                cursor = StructureReader.ReadFrames(f, read).GetEnumerator(); file = f; at = -1;
            }
            while (at < k)
            {
                if (!cursor.MoveNext()) throw new InputFormatException(f, 0, $"frame {k} not found");
                at++;
            }
            return cursor.Current;
        };
    }

    /// <summary>The value of --shard when the verb has that option and it was given.</summary>
    public static string? ShardOf(ParseResult pr) => pr.GetValue<string?>("--shard");

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
            var set = ShardParts.Collect(pr.GetValue(dirs)!);
            if (set.Info.Join == ShardJoin.Rerun) return FinalPass(set, pr.GetValue(dirs)!, pr.GetValue(output)!);
            int n = ShardParts.Join(set, pr.GetValue(output)!);
            Console.WriteLine($"{n} units merged into {pr.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>The option a verb's final pass reads its first-pass parts from (e.g. <c>ule build --from-parts</c>).</summary>
    public static Option<string[]> FromPartsOption() => new("--from-parts")
    {
        Description = "Final pass of a sharded run: read the units from these folders of parts (what 'glassml merge' runs; the other options must be those of the shards).",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>
    /// The parts a final pass reads (<see cref="FromPartsOption"/>), checked against this run's inputs and options;
    /// null without --from-parts.
    /// </summary>
    /// <exception cref="InputFormatException">Parts missing, or made with other inputs or options.</exception>
    public static PartSet? FromParts(ParseResult pr, string verb, IReadOnlyList<string> inputs)
    {
        var dirs = pr.GetValue<string[]?>("--from-parts");
        if (dirs is null || dirs.Length == 0) return null;
        var set = ShardParts.Collect(dirs);
        if (set.Info.Verb != verb || set.Info.Fingerprint != ShardParts.Fingerprint(verb, inputs, ResultArguments()))
            throw new InputFormatException(dirs[0], 0, $"these parts were not made by '{verb}' with these inputs and options");
        return set;
    }

    /// <summary>Runs the final pass of a two-pass verb over its parts: the recorded command with --from-parts.</summary>
    private static int FinalPass(PartSet set, string[] dirs, string output)
    {
        string[] args = [.. set.Info.Arguments, "--out", output, "--from-parts", .. dirs];
        var saved = CliSupport.Arguments;
        CliSupport.Arguments = args;
        try { return Program.BuildRoot().Parse(args).Invoke(); }
        finally { CliSupport.Arguments = saved; }
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
            // a method's action is part of the name (glassml-ule-build), a verb's file argument is not
            var top = Program.BuildRoot().Subcommands.FirstOrDefault(c => c.Name == args[0]);
            string name = top is not null && args.Length > 1 && top.Subcommands.Any(c => c.Name == args[1]) ? $"{args[0]}-{args[1]}" : args[0];
            string arrayScript = Path.Combine(dir, $"glassml-{name}.sbatch"), mergeScript = Path.Combine(dir, $"glassml-{name}-merge.sbatch");
            AtomicFile.WriteText(arrayScript, w =>
            {
                w.Write(header($"glassml-{name}", Path.Combine(dir, "%x-%A_%a.log"), $"#SBATCH --array=0-{n - 1}\n"));
                w.Write($"{exe} {string.Join(' ', args.Select(Quote))} --shard slurm\n");
            });
            AtomicFile.WriteText(mergeScript, w =>
            {
                w.Write(header($"glassml-{name}-merge", Path.Combine(dir, "%x-%j.log"), ""));
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
    /// <remarks>The entry assembly's file is found beside the app (<see cref="AppContext.BaseDirectory"/>), not by
    /// <c>Assembly.Location</c>, which is empty in a single-file or Native AOT publish (where the host is never dotnet).</remarks>
    private static string Executable()
    {
        string host = Environment.ProcessPath ?? "glassml";
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return Quote(host);
        string dll = Path.Combine(AppContext.BaseDirectory, typeof(ClusterCommands).Assembly.GetName().Name + ".dll");
        return $"{Quote(host)} {Quote(dll)}";
    }

    private static string Quote(string a) =>
        a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
