using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;
using GlassML.Workflows;
using GlassML.Workflows.StructuralFlexibility;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml sf train|apply|report</c>: structural flexibility (per-species linear SVR of ln v_flex on radial structure
/// functions with r_p fixed at training; <see cref="SfTrainer"/>, <see cref="SfModel"/>, <see cref="SfReport"/>).
/// </summary>
public static partial class SfCommand
{
    /// <summary>Creates the verb with its actions.</summary>
    public static Command Create() => MethodCommand.Create("sf",
        "Structural flexibility: per-species linear SVR of ln v_flex on radial structure functions (r_p fixed in the model).",
        Train(), Apply(), Report());

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static Command Train()
    {
        var samples = new Option<string?>("--samples") { Description = "Manifest CSV: columns file (the structure, e.g. nve_start.dump), vflex (the glassml vflex table of that structure), optional group. Paths relative to the manifest." };
        var data = new Option<string[]>("--data") { Description = "Training pairs START:VFLEX.csv (structure and its glassml vflex table); repeat or list several.", AllowMultipleArgumentsPerToken = true };
        var rp = new Option<string>("--rp") { Description = "r_p per species pair, fixed in the model: lowflex[:q] (first peak of the partial g(r) around the q % least flexible centre atoms, default q = 10, widened to ≥ 200 atoms), all (all centre atoms), or explicit Cu-Cu=2.59,Cu-Zr=2.82,Zr-Zr=3.17.", DefaultValueFactory = _ => "lowflex" };
        var c = new Option<double>("--c") { Description = "LIBLINEAR -c (cost).", DefaultValueFactory = _ => 1.0 };
        var eps = new Option<double>("--epsilon") { Description = "LIBLINEAR -p (ε-insensitive width, in ln v_flex).", DefaultValueFactory = _ => 0.1 };
        var tol = new Option<double>("--tolerance") { Description = "LIBLINEAR -e (stopping tolerance ‖∇f(w)‖ ≤ e‖∇f(0)‖; default tighter than LIBLINEAR's 1e-4 because the features are strongly correlated).", DefaultValueFactory = _ => 1e-6 };
        var test = new Option<double>("--test") { Description = "Share held out for testing (0 = none).", DefaultValueFactory = _ => 0.2 };
        var split = new Option<string>("--split") { Description = "Hold out atoms (per species) or whole groups (structures).", DefaultValueFactory = _ => "atoms" };
        var folds = new Option<int>("--folds") { Description = "k-fold cross-validation on the training atoms (0 = none; grouped with --split group).", DefaultValueFactory = _ => 0 };
        var sweep = new Option<string?>("--sweep") { Description = "C values compared by cross-validated R² per species, e.g. C=0.1:1:10 (the best is used; 5 folds unless --folds)." };
        var types = CliSupport.TypesOption();
        var seed = CliSupport.SeedOption();
        var threads = CliSupport.ThreadsOption();
        var output = MethodCommand.OutDirOption();
        var cmd = new Command("train", "Train an sf model: r_p per pair, radial structure functions, one linear SVR per centre species on ln v_flex; writes a run directory.");
        foreach (var o in new Option[] { samples, data, rp, c, eps, tol, test, split, folds, sweep, types, seed, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            var options = new SfTrainOptions
            {
                C = pr.GetValue(c), Epsilon = pr.GetValue(eps), Tolerance = pr.GetValue(tol), TestFraction = pr.GetValue(test),
                SplitByGroup = pr.GetValue(split)!.ToLowerInvariant() switch
                {
                    "atoms" or "atom" => false,
                    "group" or "groups" => true,
                    var v => throw new ArgumentException($"--split: '{v}' is not atoms or group"),
                },
                Folds = pr.GetValue(folds), Seed = pr.GetValue(seed), Threads = nthreads,
                SweepC = ParseSweep(pr.GetValue(sweep)),
            };
            options = ParseRp(pr.GetValue(rp)!, options);
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            var pairs = new List<(string Structure, string Vflex, string Group, string Display)>();
            string? manifest = pr.GetValue(samples);
            if (manifest is not null)
            {
                var m = Manifest.Load(manifest, ["vflex"]);
                string dir = Path.GetDirectoryName(Path.GetFullPath(manifest)) ?? ".";
                foreach (var row in m.Rows)
                {
                    string v = Path.GetFullPath(Path.Combine(dir, row.Text("vflex")));
                    if (!File.Exists(v)) throw new InputFormatException(manifest, row.Line, $"vflex table '{row.Text("vflex")}' not found (paths are relative to the manifest's folder)");
                    pairs.Add((row.File, v, row.Group, row.Values["file"]));
                }
            }
            foreach (var d in pr.GetValue(data) ?? [])
            {
                int k = d.IndexOf(':', 2);
                if (k < 0 || k == d.Length - 1) throw new ArgumentException($"--data: '{d}' is not START:VFLEX.csv");
                pairs.Add((d[..k], d[(k + 1)..], d[..k], d[..k]));
            }
            if (pairs.Count == 0) throw new ArgumentException("give training data with --samples MANIFEST or --data START:VFLEX.csv");

            using var run = MethodCommand.BeginRun("sf", "train", pr.GetValue(output)!, nthreads, "Structural flexibility (sf): training");
            var list = new List<SfSample>();
            var inputs = new List<InputHash>();
            foreach (var (s, v, g, disp) in pairs)
            {
                list.Add(SfInputs.LoadSample(s, v, ro, g) with { Name = Path.GetFileName(disp) });
                inputs.Add(run.Record.AddInput(disp, s));
                inputs.Add(run.Record.AddInput(v, v));
            }
            run.Record.Set("rp", pr.GetValue(rp)!);
            run.Record.Set("c", options.C.ToString("R", Inv));
            run.Record.Set("epsilon", options.Epsilon.ToString("R", Inv));
            run.Record.Set("tolerance", options.Tolerance.ToString("R", Inv));
            run.Record.Set("test", options.TestFraction.ToString("R", Inv));
            run.Record.Set("split", options.SplitByGroup ? "group" : "atoms");
            run.Record.Set("folds", options.Folds.ToString(Inv));
            run.Record.Set("seed", options.Seed.ToString(Inv));
            var res = run.Record.Time("train", () => SfTrainer.Train(list, options, inputs));
            WriteTrainRun(run, res, list);
            foreach (var (k, v) in res.Model.Metrics) run.Record.Metrics[k] = v;
            foreach (var line in res.Messages) Console.WriteLine(line);
            PrintRp(res.RpTable);
            PrintMetrics(res.MetricsTable);
            string final = run.Commit();
            Console.WriteLine($"run directory: {final} (model.json, parity.csv, weights.csv, metrics.csv, rp.csv, report.html)");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Writes the files and figures of a training run (model, tables, per-atom SF, plots).</summary>
    internal static void WriteTrainRun(RunDirectory run, SfTrainResult res, IReadOnlyList<SfSample> samples)
    {
        res.Model.Save(run.PathOf("model.json"));
        run.WriteTable("metrics.csv", res.MetricsTable, "Metrics", "Pearson, Spearman, R² and RMSE of SF against ln v_flex per species (train, test, cross-validated)");
        run.WriteTable("rp.csv", res.RpTable, "Model", "r_p per (centre, neighbour) species pair, fixed in the model");
        run.WriteTable("weights.csv", res.Weights, null);
        run.WriteTable("parity.csv", res.Parity, null);
        if (res.Sweep is not null) run.WriteTable("sweep.csv", res.Sweep, "Metrics", "C sweep: cross-validated metrics per species");
        foreach (var m in res.Messages) run.Report.Section("Model").Paragraphs.Add(m);
        run.AddFigure("Model", SfReport.WeightsFigure(res.Model));
        var set = res.Parity;
        var sp = Enumerable.Range(0, set.Rows).Select(r => set.Cell(r, 2)).ToArray();
        var st = Enumerable.Range(0, set.Rows).Select(r => set.Cell(r, 3)).ToArray();
        var y = set.Numbers("ln_v_flex"); var p = set.Numbers("sf");
        foreach (var species in res.Model.Recipe.Species)
        {
            var series = new List<Series>();
            foreach (var part in new[] { "train", "test" })
            {
                var idx = Enumerable.Range(0, set.Rows).Where(r => sp[r] == species && st[r] == part).ToArray();
                if (idx.Length > 0) series.Add(new Series($"{species} {part}", idx.Select(r => y[r]).ToArray(), idx.Select(r => p[r]).ToArray()));
            }
            run.AddFigure("Parity", Plots.Parity(Figure.CheckName($"parity_{species}"), $"SF against ln v_flex, centre {species}", "ln v_flex", series));
        }
        for (int k = 0; k < samples.Count; k++)
        {
            var f = samples[k].Frame;
            string stem = samples.Count == 1 ? "atoms" : $"atoms_{k + 1}";
            var vals = new double[f.Count * 2];
            for (int i = 0; i < f.Count; i++) { vals[2 * i] = samples[k].LnVflex[i]; vals[2 * i + 1] = res.Sf[k][i]; }
            run.WritePerAtom(stem, f, new PerAtomFeatures(["ln_v_flex", "sf"], f.Count, vals));
            if (k == 0) run.AddFigure("Parity", SfReport.SlabFigure("sf_slab", f, res.Sf[k]));
        }
        run.Report.Section("Model").Paragraphs.Add(
            "weights.csv: ω per (centre, neighbour, r̄) and the bias weight; parity.csv: ln v_flex and SF of every atom with its set; atoms.xyz / atoms.csv: the same per atom for OVITO.");
    }

    private static IReadOnlyList<double>? ParseSweep(string? text)
    {
        if (text is null) return null;
        string t = text.Trim();
        if (t.StartsWith("C=", StringComparison.OrdinalIgnoreCase) || t.StartsWith("c=", StringComparison.Ordinal)) t = t[2..];
        var parts = t.Split([':', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new List<double>();
        foreach (var p in parts)
        {
            if (!double.TryParse(p, NumberStyles.Float, Inv, out double v) || !(v > 0) || !double.IsFinite(v))
                throw new ArgumentException($"--sweep: '{p}' is not a positive C value (use C=0.1:1:10)");
            r.Add(v);
        }
        if (r.Count == 0) throw new ArgumentException("--sweep: no C values (use C=0.1:1:10)");
        return r;
    }

    private static SfTrainOptions ParseRp(string text, SfTrainOptions o)
    {
        string t = text.Trim();
        if (t.Equals("all", StringComparison.OrdinalIgnoreCase)) return o with { RpMode = SfRpMode.All };
        if (t.StartsWith("lowflex", StringComparison.OrdinalIgnoreCase))
        {
            string rest = t["lowflex".Length..];
            if (rest.Length == 0) return o with { RpMode = SfRpMode.LowFlex };
            if (rest[0] != ':' || !double.TryParse(rest[1..].TrimEnd('%'), NumberStyles.Float, Inv, out double q) || !(q > 0 && q <= 100))
                throw new ArgumentException($"--rp: '{text}' is not lowflex or lowflex:q with 0 < q ≤ 100");
            return o with { RpMode = SfRpMode.LowFlex, RpPercent = q };
        }
        return o with { RpMode = SfRpMode.Explicit, ExplicitRp = SfRecipe.ParsePairs(t) };
    }

    private static void PrintRp(ResultTable t)
    {
        var parts = Enumerable.Range(0, t.Rows).Select(r => $"{t.Cell(r, 0)}-{t.Cell(r, 1)}={t.Numbers("r_p")[r].ToString("F4", Inv)}");
        Console.WriteLine($"r_p (Å): {string.Join(", ", parts)}");
    }

    private static void PrintMetrics(ResultTable t)
    {
        Console.WriteLine("species  set    n      Pearson  Spearman  R²       RMSE");
        var n = t.Numbers("n"); var p = t.Numbers("pearson"); var s = t.Numbers("spearman"); var r2 = t.Numbers("r2"); var e = t.Numbers("rmse");
        for (int r = 0; r < t.Rows; r++)
            Console.WriteLine(string.Create(Inv, $"{t.Cell(r, 0),-8} {t.Cell(r, 1),-6} {n[r],-6} {p[r],-8:F4} {s[r],-9:F4} {r2[r],-8:F4} {e[r]:F4}"));
    }

    private static Command Apply()
    {
        var files = new Argument<string[]>("FILES") { Description = "Structures or trajectories (LAMMPS dump/data, extended XYZ).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "An sf model (RUN/model.json of glassml sf train).", Required = true };
        var frame = CliSupport.FrameOption();
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Column sf; with several frames the tables (.csv, .parquet, .npy) get one sf_K column per frame, .xyz/.extxyz and .dump one frame per frame, and OUT.means.csv holds the per-species mean SF per frame.", Required = true };
        var keep = CliSupport.KeepOption();
        var cmd = new Command("apply", "SF of every atom from positions alone with a trained sf model (r_p from the model, never recomputed).");
        cmd.Arguments.Add(files);
        foreach (var o in new Option[] { model, frame, types, threads, output, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            string outPath = pr.GetValue(output)!;
            var format = PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            var m = SfModel.Load(pr.GetValue(model)!);
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            string sel = pr.GetValue(frame)!.ToLowerInvariant();
            if (ClusterCommands.ShardOf(pr) is string sh) return ShardedApply(sh, outPath, format, keepCols, m, pr.GetValue(model)!, pr.GetValue(files)!, sel, ro, nthreads);
            var results = new List<(string File, Frame Frame, double[] Sf)>();
            foreach (var f in FrameFiles.Expand(pr.GetValue(files)!))
            {
                if (!File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
                foreach (var fr in SelectFrames(f, sel, ro))
                {
                    fr.SortById();
                    var sfv = m.Apply(fr, nthreads, f);
                    CliSupport.RequireFinite(sfv, pr.GetValue(model)!, "SF");
                    results.Add((f, fr, sfv));
                }
            }
            if (results.Count > 1 && OutputPath.IsStandardOutput(outPath))
                throw new ArgumentException($"--out {outPath}: {results.Count} frames also write a per-frame means table next to the output; give a file name");
            Write(outPath, format, keepCols, results);
            foreach (var (f, fr, sf) in results.Take(results.Count == 1 ? 1 : 0)) PrintMeans(fr, sf);
            if (results.Count > 1) Console.WriteLine($"{results.Count} frames; per-species mean SF per frame in {MeansPath(outPath)}");
            Console.WriteLine($"{results.Sum(r => r.Frame.Count)} atom rows written to {OutputPath.Describe(outPath)}");
            return 0;
        }));
        return cmd;
    }

    private static IEnumerable<Frame> SelectFrames(string path, string sel, ReadOptions ro)
    {
        if (sel == "all") return StructureReader.ReadFrames(path, ro);
        if (sel == "last") return [StructureReader.ReadFrames(path, ro).Last()];
        if (!int.TryParse(sel, NumberStyles.None, Inv, out int k)) throw new ArgumentException($"--frame: '{sel}' is not an index, 'last' or 'all'");
        return [StructureReader.ReadFrame(path, k, ro)];
    }

    private static string MeansPath(string outPath)
    {
        string p = outPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? outPath[..^3] : outPath;
        return Path.ChangeExtension(p, null) + ".means.csv";
    }

    private static void Write(string outPath, PerAtomFormat format, KeepColumns keep, List<(string File, Frame Frame, double[] Sf)> results)
    {
        PerAtomFeatures Col(double[] sf) => new(["sf"], sf.Length, sf);
        if (format is PerAtomFormat.ExtendedXyz or PerAtomFormat.LammpsDump)
            PerAtomOutput.Write(outPath, results.Select(r => (r.Frame, (PerAtomFeatures?)Col(r.Sf))), keep, stacked: true);
        else if (results.Count == 1) PerAtomOutput.Write(outPath, results[0].Frame, Col(results[0].Sf), keep);
        else
        {
            var first = results[0];
            for (int k = 1; k < results.Count; k++)
                if (!results[k].Frame.Ids.AsSpan().SequenceEqual(first.Frame.Ids))
                    throw new InputFormatException(results[k].File, 0, $"frame {k} holds other atoms than the first frame; a CSV needs the same atoms in every frame (write .xyz or .dump instead)");
            int n = first.Frame.Count, nf = results.Count;
            var vals = new double[n * nf];
            for (int i = 0; i < n; i++) for (int k = 0; k < nf; k++) vals[i * nf + k] = results[k].Sf[i];
            PerAtomOutput.Write(outPath, first.Frame, new PerAtomFeatures(Enumerable.Range(0, nf).Select(k => $"sf_{k}").ToArray(), n, vals), keep);
        }
        if (results.Count > 1) MeansTable(results).WriteCsv(MeansPath(outPath));
    }

    /// <summary>Per-species mean SF of each frame: frame, file, timestep, mean_SPECIES…, mean_all.</summary>
    internal static ResultTable MeansTable(IReadOnlyList<(string File, Frame Frame, double[] Sf)> results, int firstFrame = 0)
    {
        var species = results.SelectMany(r => r.Frame.Species.All.Select(s => s.Name)).Distinct().ToArray();
        var t = new ResultTable().Add("frame", Enumerable.Range(firstFrame, results.Count).ToArray())
            .Add("file", results.Select(r => r.File).ToArray()).Add("timestep", results.Select(r => r.Frame.Timestep).ToArray());
        foreach (var s in species)
            t.Add($"mean_{s}", results.Select(r =>
            {
                var v = Enumerable.Range(0, r.Frame.Count).Where(i => r.Frame.Species[r.Frame.SpeciesIndex[i]].Name == s).Select(i => r.Sf[i]).ToArray();
                return v.Length > 0 ? v.Average() : double.NaN;
            }).ToArray());
        t.Add("mean_all", results.Select(r => r.Sf.Average()).ToArray());
        return t;
    }

    private static void PrintMeans(Frame fr, double[] sf)
    {
        for (int s = 0; s < fr.Species.Count; s++)
        {
            var v = Enumerable.Range(0, fr.Count).Where(i => fr.SpeciesIndex[i] == s).Select(i => sf[i]).ToArray();
            if (v.Length > 0) Console.WriteLine(string.Create(Inv, $"  {fr.Species[s].Name}: {v.Length} atoms, mean SF {v.Average():F4}"));
        }
    }

    private static Command Report()
    {
        var dir = new Argument<string?>("DIR") { Description = "Without --property: a run directory whose report.html is rebuilt without recomputing.", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "An sf model (RUN/model.json)." };
        var structure = new Option<string?>("--structure") { Description = "The structure whose atoms are analysed (SF is computed with --model)." };
        var property = new Option<string[]>("--property") { Description = "Per-atom property FILE:COLUMN (a CSV with an id column, e.g. d2min of glassml strain, participation of glassml modes); repeat for several.", AllowMultipleArgumentsPerToken = true };
        var bins = new Option<int>("--bins") { Description = "Equal-count bins per species (10 = deciles).", DefaultValueFactory = _ => 10 };
        var top = new Option<double>("--top") { Description = "q (%): the atoms with the top q % of the property are counted per bin.", DefaultValueFactory = _ => 5.0 };
        var noBaselines = new Option<bool>("--no-baselines") { Description = "Skip the Voronoi volume and icosahedral-fraction baselines." };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = OutputCheck.Folder(new Option<string?>("--out") { Description = "Run directory to write (with --property)." });
        var cmd = new Command("report", "SF deciles per species against per-atom properties, with Voronoi volume and icosahedral fraction as baselines (or, given only DIR, rebuild DIR/report.html).");
        cmd.Arguments.Add(dir);
        foreach (var o in new Option[] { model, structure, property, bins, top, noBaselines, types, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var props = pr.GetValue(property) ?? [];
            string? d = pr.GetValue(dir);
            if (props.Length == 0)
            {
                if (d is null) throw new ArgumentException("give a run directory to rebuild, or --model, --structure, --property and --out for a decile report");
                return ReportCommand.Rebuild(d, "sf");
            }
            if (d is not null) throw new ArgumentException($"'{d}': with --property, give the output with --out (no run directory argument)");
            string m = pr.GetValue(model) ?? throw new ArgumentException("--property needs --model");
            string s = pr.GetValue(structure) ?? throw new ArgumentException("--property needs --structure");
            string o = pr.GetValue(output) ?? throw new ArgumentException("--property needs --out DIR");
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            int nb = pr.GetValue(bins);
            if (nb < 1) throw new ArgumentException("--bins must be ≥ 1");
            double q = pr.GetValue(top);
            if (!(q > 0 && q <= 100)) throw new ArgumentException("--top must be in (0, 100]");
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            var sfModel = SfModel.Load(m);
            if (!File.Exists(s)) throw new InputFormatException(s, 0, "file not found");
            var frame = StructureReader.ReadFrame(s, 0, ro);
            frame.SortById();
            var properties = props.Select(p =>
            {
                var (file, col) = SfInputs.SplitFileColumn(p, "--property");
                return (Name: col, File: file, Values: SfInputs.ReadColumn(file, col, frame));
            }).ToList();
            using var run = MethodCommand.BeginRun("sf", "report", o, nthreads, "Structural flexibility (sf): SF against per-atom properties");
            run.Record.AddInput(m, m);
            run.Record.AddInput(s, s);
            foreach (var p in properties) run.Record.AddInput(p.File, p.File);
            run.Record.Set("bins", nb.ToString(Inv));
            run.Record.Set("top_percent", q.ToString("R", Inv));
            var summaries = SfReportJob.Run(run, sfModel, frame, s, properties.Select(p => (p.Name, p.Values)).ToList(), nb, q, !pr.GetValue(noBaselines), nthreads);
            Console.WriteLine("species  indicator       property        Pearson  Spearman  top-bin share  enrichment");
            foreach (var t in summaries)
            {
                var pe = t.Numbers("pearson"); var sp = t.Numbers("spearman"); var sh = t.Numbers("top_bin_share"); var en = t.Numbers("top_bin_enrichment");
                for (int r = 0; r < t.Rows; r++)
                    Console.WriteLine(string.Create(Inv, $"{t.Cell(r, 0),-8} {t.Cell(r, 1),-15} {t.Cell(r, 2),-15} {pe[r],-8:F4} {sp[r],-9:F4} {sh[r],-14:F4} {en[r]:F3}"));
            }
            Console.WriteLine($"run directory: {run.Commit()}");
            return 0;
        }));
        return cmd;
    }
}
