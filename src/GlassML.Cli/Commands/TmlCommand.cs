using System.CommandLine;
using System.Globalization;
using GlassML.Io;
using GlassML.Workflows;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml tml train|apply|analyze|report</c>: the machine-learned temperature (kNN on lg(Δr²/T) of isothermal runs),
/// applied per atom and start time to trajectories under load, with the structure of liquid-like and solid-like atoms.
/// </summary>
public static class TmlCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create() => MethodCommand.Create("tml",
        "Machine-learned temperature: kNN on lg(Δr²/T) at several lags of isothermal runs; T_ML per atom of a trajectory under load, liquid-like atoms (T_ML > Tg) and their structure.",
        Train(), Apply(), Analyze(), Tg());

    private static Option<double> DtOption(bool required) => new("--dt") { Description = "MD timestep (ps) of the trajectories: frame time = timestep × dt.", Required = required };

    private static Command Train()
    {
        var runs = new Argument<string[]>("RUNS") { Description = "Isothermal trajectories as FILE@T (T in K), e.g. iso_300K.dump.gz@300; or use --samples.", Arity = ArgumentArity.ZeroOrMore };
        var samples = new Option<string?>("--samples") { Description = "Manifest CSV with columns file, temperature (K) and optionally group, role (train rows are used)." };
        var lags = new Option<string>("--lags") { Description = "Lags (ps), comma-separated, e.g. 0.01,0.02,0.05,0.1,0.2,0.5,1,2,5,10,20.", Required = true };
        var dt = DtOption(true);
        var starts = new Option<string>("--starts") { Description = "Window start times (ps), comma-separated, or 'all' (every frame; incomplete windows are skipped and counted).", DefaultValueFactory = _ => "all" };
        var k = new Option<int>("--k") { Description = "Neighbours of the kNN mean rule.", DefaultValueFactory = _ => 50 };
        var cv = new Option<int>("--cv") { Description = "Cross-validation folds (stratified by class).", DefaultValueFactory = _ => 10 };
        var groupBy = new Option<string>("--group-by") { Description = "'run' keeps every run (manifest group) in one fold; 'none' = stratified folds.", DefaultValueFactory = _ => "none" };
        var classes = new Option<string>("--classes") { Description = "'auto' (Ward clustering of the class means; classes joining below the RMS per-lag within-class std merged) or a list such as 300,700+900,1500 (+ merges, unlisted runs dropped).", DefaultValueFactory = _ => "auto" };
        var drop = new Option<string>("--drop-lags") { Description = "'auto' (drop the shortest lags while their ReliefF weight is below 20 % of the largest), 'none', or lags (ps) to drop.", DefaultValueFactory = _ => "auto" };
        var balance = new Option<bool>("--balance") { Description = "Subsample every class to the smallest class's size." };
        var maxPer = new Option<int>("--max-per-class") { Description = "Subsample every class to at most N instances (0 = all).", DefaultValueFactory = _ => 0 };
        var tg = new Option<double>("--tg") { Description = "Glass transition temperature (K) stored in the model: T_ML > Tg is liquid-like.", Required = true };
        var standardize = new Option<bool>("--standardize") { Description = "Standardise the features (StandardScaler) before the neighbour search." };
        var reliefSamples = new Option<int>("--relieff-samples") { Description = "Instances sampled for ReliefF (0 = all).", DefaultValueFactory = _ => 2000 };
        var modelCopy = new Option<string?>("--model") { Description = "Also write the model to this file." };
        var outDir = MethodCommand.OutDirOption();
        var types = CliSupport.TypesOption(); var seed = CliSupport.SeedOption(); var threads = CliSupport.ThreadsOption();
        var cmd = new Command("train", "Train a T_ML model on isothermal runs: instances (atom, window), features lg(Δr²/T) at the lags, label T; Ward class selection, ReliefF lag weights, k-fold CV, kNN (k = 50).");
        cmd.Arguments.Add(runs);
        foreach (var o in new Option[] { samples, lags, dt, starts, k, cv, groupBy, classes, drop, balance, maxPer, tg, standardize, reliefSamples, modelCopy, outDir, types, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            var runList = new List<TmlRun>();
            string? manifest = pr.GetValue(samples);
            if (manifest is not null)
            {
                var mf = Manifest.Load(manifest, ["temperature"]);
                foreach (var row in mf.Of(SampleRole.Train))
                {
                    double t = row.Number("temperature");
                    if (!(t > 0)) throw new InputFormatException(manifest, row.Line, $"column 'temperature': {t} is not a positive temperature (K)");
                    runList.Add(new TmlRun(row.Values["file"], row.File, t, row.Group));
                }
            }
            foreach (var a in pr.GetValue(runs) ?? [])
            {
                int at = a.LastIndexOf('@');
                if (at <= 0 || !double.TryParse(a[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !(t > 0) || !double.IsFinite(t))
                    throw new ArgumentException($"'{a}' is not FILE@T with a positive temperature T (K)");
                string f = a[..at];
                if (!File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
                runList.Add(new TmlRun(f, f, t, f));
            }
            if (runList.Count == 0) throw new ArgumentException("give isothermal runs as FILE@T or --samples MANIFEST");
            string? copyPath = pr.GetValue(modelCopy);
            if (copyPath is not null)
            {
                OutputPath.CheckFile(copyPath, "--model");
                string real = OutputPath.Resolve(copyPath);
                foreach (var r in runList.Select(r => r.Path).Append(manifest).OfType<string>())
                    if (OutputPath.Resolve(r) == real) throw new ArgumentException($"--model: '{copyPath}' is one of the command's inputs; writing it would destroy the input");
            }
            string st = pr.GetValue(starts)!;
            string dropText = pr.GetValue(drop)!.Trim().ToLowerInvariant();
            var o = new TmlTrainOptions
            {
                Lags = CliSupport.ParseDoubles(pr.GetValue(lags)!, "--lags"),
                Dt = pr.GetValue(dt),
                Starts = st.Trim().Equals("all", StringComparison.OrdinalIgnoreCase) ? null : CliSupport.ParseDoubles(st, "--starts"),
                K = pr.GetValue(k),
                Folds = pr.GetValue(cv),
                GroupByRun = pr.GetValue(groupBy)!.Trim().ToLowerInvariant() switch
                {
                    "run" => true,
                    "none" => false,
                    var g => throw new ArgumentException($"--group-by: '{g}' is not run or none"),
                },
                Classes = ParseClasses(pr.GetValue(classes)!),
                DropLags = dropText switch
                {
                    "auto" => TmlDropLags.Automatic,
                    "none" => TmlDropLags.None,
                    _ => new TmlDropLags(false, CliSupport.ParseDoubles(dropText, "--drop-lags")),
                },
                Balance = pr.GetValue(balance),
                MaxPerClass = pr.GetValue(maxPer),
                Tg = pr.GetValue(tg),
                Standardize = pr.GetValue(standardize),
                ReliefSamples = pr.GetValue(reliefSamples),
                Seed = pr.GetValue(seed),
                Threads = nthreads,
                ReadOptions = CliSupport.ParseTypes(pr.GetValue(types)),
            };
            if (!(o.Tg > 0) || !double.IsFinite(o.Tg)) throw new ArgumentException("--tg must be a positive temperature (K)");
            if (o.ReliefSamples < 0) throw new ArgumentException("--relieff-samples must be ≥ 0");
            using var run = MethodCommand.BeginRun("tml", "train", pr.GetValue(outDir)!, nthreads, "Machine-learned temperature: training");
            foreach (var (name, value) in new[] { ("lags", string.Join(",", o.Lags.Select(Inv))), ("dt", Inv(o.Dt)), ("starts", st), ("k", Inv(o.K)), ("cv", Inv(o.Folds)),
                ("group_by", o.GroupByRun ? "run" : "none"), ("classes", pr.GetValue(classes)!), ("drop_lags", dropText), ("balance", o.Balance ? "yes" : "no"),
                ("max_per_class", Inv(o.MaxPerClass)), ("tg", Inv(o.Tg)), ("standardize", o.Standardize ? "yes" : "no"), ("relieff_samples", Inv(o.ReliefSamples)), ("seed", Inv(o.Seed)) })
                run.Record.Set(name, value);
            var inputs = runList.Select(r => run.Record.AddInput(r.Name, r.Path)).ToArray();
            var res = run.Record.Time("train", () => TmlTraining.Train(runList, o, inputs));
            run.Record.Time("write", () => TmlRunFiles.WriteTrain(run, res));
            string? copy = pr.GetValue(modelCopy);
            string dir = run.Commit();
            if (copy is not null) res.Model.Save(copy);
            Console.WriteLine($"tml train: {res.Model.Rows} instances, {res.Model.Classes.Count} classes ({string.Join("; ", res.Model.Classes.Select(c => string.Join("+", c.Members.Select(Inv)) + " K"))}), lags kept {string.Join(",", res.Model.Lags.Select(Inv))} ps");
            foreach (var (key, v) in res.Metrics) Console.WriteLine($"  {key} = {v.ToString("G6", CultureInfo.InvariantCulture)}");
            var cs = res.ClassStats;
            for (int i = 0; i < cs.Rows; i++) Console.WriteLine($"  class {cs.Cell(i, 0)} K: CV mean T_ML {double.Parse(cs.Cell(i, 3), CultureInfo.InvariantCulture):F1} K, median {double.Parse(cs.Cell(i, 4), CultureInfo.InvariantCulture):F1} K");
            Console.WriteLine($"  stages (wall / CPU s): {string.Join(", ", res.Stages.Select(x => $"{x.Stage} {x.Wall:F1} / {x.Cpu:F1}"))}");
            Console.WriteLine($"  run directory: {dir}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Parses --classes: 'auto' (null) or a list such as 300,700+900,1500.</summary>
    public static IReadOnlyList<IReadOnlyList<double>>? ParseClasses(string text)
    {
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        var r = new List<IReadOnlyList<double>>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            r.Add(CliSupport.ParseDoubles(part.Replace('+', ','), "--classes"));
        if (r.Count == 0) throw new ArgumentException("--classes: give 'auto' or a list of temperatures");
        return r;
    }

    private static Command Apply()
    {
        var traj = new Argument<string>("TRAJ") { Description = "Trajectory (LAMMPS dump with xu yu zu or image flags) with frames at every start time and start + lag." };
        var model = new Option<string>("--model") { Description = "A tml model (RUN/model.json).", Required = true };
        var temp = new Option<double>("--temperature") { Description = "Temperature (K) of the trajectory (the T of lg(Δr²/T)).", Required = true };
        var dt = DtOption(true);
        var starts = new Option<string?>("--starts") { Description = "Start times (ps), comma-separated, e.g. 0,40,80." };
        var every = new Option<double?>("--every") { Description = "Also a start every E ps from the first start (or 0) to the end of the trajectory." };
        var affine = new Option<string>("--affine") { Description = "remove (map every frame into the start frame's cell) or keep (the cell deformation counts as motion).", DefaultValueFactory = _ => "remove" };
        var tg = new Option<double?>("--tg") { Description = "Tg (K) of the liquid-like flag (default: the model's)." };
        var output = new Option<string>("--out") { Description = "Output: a per-atom file — .csv, .xyz/.extxyz, .dump/.lammpstrj (each may end in .gz), .npy or .parquet — (columns tml, liquid_like, or tml_START, liquid_like_START for several starts), or a run directory (per-atom files, starts.csv, plots, report.html).", Required = true };
        var keep = CliSupport.KeepOption();
        var strainCut = new Option<double?>("--strain-cutoff") { Description = "Also the Pearson correlation of T_ML with D²min, von Mises strain and rotation angle (Falk–Langer, neighbours within this cutoff in Å of the start frame) against the lag." };
        var types = CliSupport.TypesOption(); var threads = CliSupport.ThreadsOption();
        var cmd = new Command("apply", "T_ML of every atom for each start time of a trajectory, the liquid-like flag (T_ML > Tg) and per-start statistics. A window past the end is reported, never shortened.");
        cmd.Arguments.Add(traj);
        foreach (var o in new Option[] { model, temp, dt, starts, every, affine, tg, output, strainCut, types, threads, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() => ClusterCommands.Whole(pr, "tml apply", [pr.GetValue(traj)!, pr.GetValue(model)!], outPath =>
        {
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            string path = pr.GetValue(traj)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            var m = TmlModel.Load(pr.GetValue(model)!);
            string? st = pr.GetValue(starts);
            double? ev = pr.GetValue(every);
            if (st is null && ev is null) throw new ArgumentException("give --starts and/or --every");
            double t = pr.GetValue(temp);
            if (!(t > 0) || !double.IsFinite(t)) throw new ArgumentException("--temperature must be a positive temperature (K)");
            var o = new TmlApplyOptions
            {
                Temperature = t,
                Dt = pr.GetValue(dt),
                Starts = st is null ? [] : CliSupport.ParseDoubles(st, "--starts"),
                Every = ev ?? double.NaN,
                Affine = pr.GetValue(affine)!.Trim().ToLowerInvariant() switch
                {
                    "remove" => AffineMode.Remove,
                    "keep" => AffineMode.Keep,
                    var a => throw new ArgumentException($"--affine: '{a}' is not remove or keep"),
                },
                Tg = pr.GetValue(tg) ?? double.NaN,
                StrainCutoff = pr.GetValue(strainCut) ?? double.NaN,
                Threads = nthreads,
                ReadOptions = CliSupport.ParseTypes(pr.GetValue(types)),
            };
            string lower = outPath.ToLowerInvariant().Replace(".gz", "");
            bool file = lower == "-" || lower.EndsWith(".csv") || lower.EndsWith(".xyz") || lower.EndsWith(".extxyz") || lower.EndsWith(".dump")
                        || lower.EndsWith(".lammpstrj") || lower.EndsWith(".npy") || lower.EndsWith(".parquet");
            TmlApplyResult res;
            if (file)
            {
                res = TmlApplication.Apply(path, m, o);
                var (frame, values) = TmlRunFiles.PerAtom(res);
                PerAtomOutput.Write(outPath, frame, values, KeepColumns.Parse(pr.GetValue(keep)), nthreads);
            }
            else
            {
                using var run = MethodCommand.BeginRun("tml", "apply", outPath, nthreads, "Machine-learned temperature: apply");
                run.Record.AddInput(path, path);
                run.Record.AddInput(pr.GetValue(model)!, pr.GetValue(model)!);
                run.Record.Set("temperature", Inv(t)); run.Record.Set("dt", Inv(o.Dt)); run.Record.Set("starts", st ?? ""); run.Record.Set("every", ev is null ? "" : Inv(ev.Value));
                run.Record.Set("affine", o.Affine.ToString().ToLowerInvariant());
                if (!double.IsNaN(o.StrainCutoff)) run.Record.Set("strain_cutoff", Inv(o.StrainCutoff));
                res = run.Record.Time("apply", () => TmlApplication.Apply(path, m, o));
                run.Record.Set("tg", Inv(res.Tg));
                TmlRunFiles.WriteApply(run, res, m);
                outPath = run.Commit();
            }
            var s = res.Summary;
            Console.WriteLine($"tml apply: {res.Ids.Length} atoms, Tg = {Inv(res.Tg)} K, affine {o.Affine.ToString().ToLowerInvariant()}");
            var la = s.Numbers("liquid_like_fraction"); var mean = s.Numbers("tml_mean"); var t0 = s.Numbers("start_ps");
            for (int i = 0; i < s.Rows; i++)
                Console.WriteLine(double.IsFinite(mean[i])
                    ? $"  t0 = {Inv(t0[i])} ps: liquid-like {la[i] * 100:F1} %, mean T_ML {mean[i]:F1} K"
                    : $"  t0 = {Inv(t0[i])} ps: {s.Cell(i, 1)}");
            if (res.StrainCorrelation is { } sc)
            {
                var lagc = sc.Numbers("lag_ps"); var stc = sc.Numbers("start_ps"); var pd = sc.Numbers("pearson_d2min");
                for (int i = 0; i < sc.Rows; i++)
                    if (i + 1 == sc.Rows || stc[i + 1] != stc[i])
                        Console.WriteLine($"  t0 = {Inv(stc[i])} ps, Δt = {Inv(lagc[i])} ps: Pearson(T_ML, D²min) {pd[i]:F3}");
            }
            Console.WriteLine($"  wrote {OutputPath.Describe(outPath)}");
            return 0;
        })));
        return cmd;
    }

    private static Command Analyze()
    {
        var frameArg = new Argument<string>("FRAME") { Description = "The structure at the start time (any structure file; with --frame for a trajectory)." };
        var frameOpt = CliSupport.FrameOption();
        var tmlOpt = new Option<string>("--tml") { Description = "Per-atom CSV written by 'tml apply' (columns id, tml or tml_START, liquid_like…), matched by id.", Required = true };
        var start = new Option<double?>("--start") { Description = "Start time (ps) selecting the column tml_START when the CSV has several." };
        var top = new Option<double>("--top") { Description = "Fraction f of atoms in the most-LA and most-SA groups (exactly round(f·N), ties by id).", DefaultValueFactory = _ => 0.1 };
        var tg = new Option<double>("--tg") { Description = "Tg (K): liquid-like atoms have T_ML > Tg.", Required = true };
        var cutoff = new Option<double?>("--cutoff") { Description = "Neighbour shell: all atoms within this cutoff (Å); default Voronoi neighbours." };
        var radii = new Option<string?>("--radii") { Description = "Radical Voronoi radii, e.g. Cu:1.28,Zr:1.60 (default plain Voronoi)." };
        var outDir = MethodCommand.OutDirOption();
        var types = CliSupport.TypesOption(); var threads = CliSupport.ThreadsOption();
        var cmd = new Command("analyze", "Structure of all, liquid-like, solid-like, most-LA and most-SA atoms: composition, Voronoi propensity and d5, q6–ŵ6, s(i,j), Warren–Cowley α and η.");
        cmd.Arguments.Add(frameArg);
        foreach (var o in new Option[] { frameOpt, tmlOpt, start, top, tg, cutoff, radii, outDir, types, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            string path = pr.GetValue(frameArg)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            string fsel = pr.GetValue(frameOpt)!;
            if (fsel == "all") throw new ArgumentException("--frame: give one frame (an index or 'last')");
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            var frame = fsel == "last" ? StructureReader.ReadFrames(path, ro).Last()
                : StructureReader.ReadFrame(path, int.TryParse(fsel, NumberStyles.None, CultureInfo.InvariantCulture, out int fi) ? fi : throw new ArgumentException($"--frame: '{fsel}' is not an index or 'last'"), ro);
            frame.SortById();
            string csv = pr.GetValue(tmlOpt)!;
            var table = TmlAnalysis.ReadCsv(csv, pr.GetValue(start) ?? double.NaN);
            var tml = new double[frame.Count];
            for (int i = 0; i < frame.Count; i++)
                tml[i] = table.TryGetValue(frame.Ids[i], out var v) ? v.Tml : throw new InputFormatException(csv, 0, $"no row for atom id {frame.Ids[i]} of {path}");
            if (table.Count != frame.Count) throw new InputFormatException(csv, 0, $"{table.Count} rows, {path} has {frame.Count} atoms");
            double tgv = pr.GetValue(tg);
            if (!(tgv > 0) || !double.IsFinite(tgv)) throw new ArgumentException("--tg must be a positive temperature (K)");
            double? rc = pr.GetValue(cutoff);
            if (rc is double c && (!(c > 0) || !double.IsFinite(c))) throw new ArgumentException("--cutoff must be a positive distance (Å)");
            var opts = new GroupStatisticsOptions { Cutoff = rc, Radii = FeaturizeCommand.ParseRadii(pr.GetValue(radii)?.Replace('=', ':')), Threads = nthreads };
            using var run = MethodCommand.BeginRun("tml", "analyze", pr.GetValue(outDir)!, nthreads, "Machine-learned temperature: structure of liquid-like and solid-like atoms");
            run.Record.AddInput(path, path); run.Record.AddInput(csv, csv);
            run.Record.Set("tg", Inv(tgv)); run.Record.Set("top", Inv(pr.GetValue(top)));
            var res = run.Record.Time("analyze", () => TmlAnalysis.Write(run, frame, tml, tgv, pr.GetValue(top), opts));
            string dir = run.Commit();
            Console.WriteLine($"tml analyze: {frame.Count} atoms, shell {res["all"].Shell}");
            foreach (var (name, r) in res)
                Console.WriteLine($"  {name}: {r.Count} atoms, d5 {r.D5:F3}, s>0.7 fraction {r.CrystallineBondFraction:F3}, mean q6 {r.Q6.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average():F3}");
            Console.WriteLine($"  run directory: {dir}");
            return 0;
        }));
        return cmd;
    }

    private static Command Tg()
    {
        var file = new Argument<string>("VT") { Description = "Volume–temperature table: lines 'T V' (whitespace or comma separated; # comments and text lines skipped), e.g. the VT lines of recipes/lammps/quench.in's log." };
        var minPoints = new Option<int>("--min-points") { Description = "Fewest points per line.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("tg", "Tg from V(T): two least-squares lines (glass and liquid) with the best split; Tg is where they cross.");
        cmd.Arguments.Add(file); cmd.Options.Add(minPoints);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string path = pr.GetValue(file)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            var t = new List<double>(); var v = new List<double>();
            int line = 0;
            foreach (var raw in File.ReadLines(path))
            {
                line++;
                var p = raw.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
                if (p.Length == 0 || p[0].StartsWith('#')) continue;
                int at = p[0] == "VT" ? 1 : 0; // the quench deck's "VT T V" lines
                if (p.Length < at + 2 || !double.TryParse(p[at], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)) continue;
                if (!double.TryParse(p[at + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) || !double.IsFinite(a) || !double.IsFinite(b))
                    throw new InputFormatException(path, line, $"'{raw.Trim()}' is not a temperature and a volume");
                t.Add(a); v.Add(b);
            }
            int mp = pr.GetValue(minPoints);
            if (t.Count < 2 * Math.Max(2, mp)) throw new InputFormatException(path, 0, $"{t.Count} (T, V) points: need at least {2 * Math.Max(2, mp)}");
            var r = GlassML.Statistics.TwoLineFit.Fit(t.ToArray(), v.ToArray(), mp);
            Console.WriteLine($"Tg = {r.Crossing.ToString("F1", CultureInfo.InvariantCulture)} K (glass: {r.Split} points, slope {r.LowSlope.ToString("G6", CultureInfo.InvariantCulture)}; liquid: {t.Count - r.Split} points, slope {r.HighSlope.ToString("G6", CultureInfo.InvariantCulture)}; SSE {r.Sse.ToString("G4", CultureInfo.InvariantCulture)})");
            return 0;
        }));
        return cmd;
    }

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
