using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Workflows;
using GlassML.Workflows.Softness;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml softness train|apply|report</c>: quench-in softness — calibrated per-atom probability of a plastic
/// rearrangement under load, learned from the structure of the quenched glass.
/// </summary>
public static class SoftnessCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create() => MethodCommand.Create("softness",
        "Quench-in softness: per-atom probability of a plastic rearrangement under load, learned from the quenched structure (labels from D² of a compression trajectory).",
        Train(), Apply());

    private static Command Train()
    {
        var samples = new Option<string>("--samples") { Description = "Manifest CSV: file (compression trajectory; frame 0 = the glass), role (train|test), group, condition.", Required = true };
        var outDir = MethodCommand.OutDirOption();
        var strain = new Option<double>("--strain") { Description = "Engineering strain of the label frame (the nearest frame; error if none within half a dump interval).", DefaultValueFactory = _ => 0.04 };
        var axis = new Option<string>("--axis") { Description = "Loading axis: x, y or z.", DefaultValueFactory = _ => "z" };
        var d2 = new Option<string>("--d2") { Description = "D² measure: sum (OVITO's D²min, the method's) or mean (per neighbour).", DefaultValueFactory = _ => "sum" };
        var cutoff = new Option<double>("--cutoff") { Description = "D² neighbour cutoff in the reference frame (Å).", DefaultValueFactory = _ => 4.5 };
        var thr = new Option<double>("--d2-threshold") { Description = "Plastic = D² above this (Å²).", DefaultValueFactory = _ => 5.0 };
        var frac = new Option<double?>("--plastic-fraction") { Description = "Plastic = this top fraction of atoms by D² (instead of --d2-threshold)." };
        var inner = new Option<double?>("--inner") { Description = "Leave out atoms closer than this (Å) to a non-periodic face (free surfaces, loading ends)." };
        var features = new Option<string>("--features") { Description = "Feature set computed on frame 0: seed (the method's 28-set catalogue) or seed-amlearn (the interstice-based 746).", DefaultValueFactory = _ => "seed" };
        var seedCutoff = new Option<double?>("--seed-cutoff") { Description = "Cutoff (Å) of the seed set's distance shell (the _cut columns). Default 4.0, amlearn's DistanceNN default; recorded in the model, which apply reuses." };
        var cascade = new Option<string?>("--cascade") { Description = "Reduction cascade: variance=V (raw variance ≤ V dropped; default 0 = constant columns),corr=0.99,top=50,rfe=13, or none." };
        var cv = new Option<int>("--cv") { Description = "Cross-validation folds (grouped by sample).", DefaultValueFactory = _ => 5 };
        var search = new Option<string?>("--search") { Description = "Hyper-parameter search scored by CV AUC: random:N or bayes:N." };
        var gbdt = new Option<string?>("--gbdt") { Description = "Boosted-tree parameters (XGBoost names), e.g. n_estimators=300,max_depth=5." };
        var boot = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of the held-out AUC interval.", DefaultValueFactory = _ => 1000 };
        var types = CliSupport.TypesOption();
        var seed = CliSupport.SeedOption();
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("train", "Label plastic atoms, featurise, reduce, fit, calibrate and evaluate; writes a run directory with model.json and report.html.");
        foreach (var o in new Option[] { samples, outDir, strain, axis, d2, cutoff, thr, frac, inner, features, seedCutoff, cascade, cv, search, gbdt, boot, types, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var read = CliSupport.ParseTypes(pr.GetValue(types));
            var labels = new SoftnessLabelOptions
            {
                Strain = pr.GetValue(strain),
                Axis = pr.GetValue(axis) switch { "x" => 0, "y" => 1, "z" => 2, var a => throw new ArgumentException($"--axis: '{a}' is not x, y or z") },
                D2 = pr.GetValue(d2) switch { "sum" => D2Measure.Sum, "mean" => D2Measure.Mean, var a => throw new ArgumentException($"--d2: '{a}' is not sum or mean") },
                Cutoff = pr.GetValue(cutoff),
                D2Threshold = pr.GetValue(thr),
                PlasticFraction = pr.GetValue(frac),
                Inner = pr.GetValue(inner),
            };
            labels.Validate();
            string fs = pr.GetValue(features)!;
            if (fs is not ("seed" or "seed-amlearn")) throw new ArgumentException($"--features: '{fs}' is not a feature set of this method (seed, seed-amlearn)");
            double? sc = pr.GetValue(seedCutoff);
            if (sc is { } c && !(c > 0 && double.IsFinite(c) && c <= 20)) throw new ArgumentException($"--seed-cutoff: {c.ToString(CultureInfo.InvariantCulture)} is not a distance in (0, 20] Å");
            if (sc is not null && fs != "seed") throw new ArgumentException("--seed-cutoff applies to --features seed only (seed-amlearn uses Voronoi neighbours)");
            var opts = new SoftnessTrainOptions
            {
                Labels = labels,
                Features = fs,
                SeedCutoff = sc ?? AmlearnNeighbors.DefaultDistanceCutoff,
                Cascade = CascadeOptions.Parse(pr.GetValue(cascade)),
                Folds = pr.GetValue(cv),
                Search = pr.GetValue(search),
                Gbdt = GradientBoostedTreesParameters.Parse(pr.GetValue(gbdt) ?? "", SoftnessTrainOptions.DefaultGbdt),
                Bootstrap = pr.GetValue(boot),
                Seed = pr.GetValue(seed),
                Threads = pr.GetValue(threads),
            };
            if (opts.Gbdt.Objective != GbdtObjective.BinaryLogistic) throw new ArgumentException("--gbdt: the softness model is a binary classifier (objective binary:logistic)");
            if (opts.Folds < 2) throw new ArgumentException("--cv must be at least 2");
            if (opts.Bootstrap < 0) throw new ArgumentException("--bootstrap must be ≥ 0");
            var manifest = Manifest.Load(pr.GetValue(samples)!);
            using var run = MethodCommand.BeginRun("softness", "train", pr.GetValue(outDir)!, opts.Threads, "Quench-in softness");
            var res = SoftnessTrainer.Train(manifest, read, opts, run, Console.WriteLine);
            string dir = run.Commit();
            Console.WriteLine(FormattableString.Invariant($"softness: {res.Model.Columns.Count} columns, CV AUC {res.CvAuc:F4}") +
                (double.IsNaN(res.TestAuc) ? "" : FormattableString.Invariant($", held-out AUC {res.TestAuc:F4} (95 % CI {res.TestAucCi.Low:F4}–{res.TestAucCi.High:F4})")) + $"; run directory {dir}");
            return 0;
        }));
        return cmd;
    }

    private static Command Apply()
    {
        var model = new Option<string>("--model") { Description = "model.json of a softness train run.", Required = true };
        var glass = new Argument<string>("GLASS") { Description = "Structure file (LAMMPS dump/data, extended XYZ)." };
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Columns softness, raw_score (the tables also x, y, z).", Required = true };
        var keep = CliSupport.KeepOption();
        var frame = CliSupport.FrameOption();
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("apply", "Per-atom softness of a glass from a trained model (never retrains).");
        cmd.Arguments.Add(glass);
        foreach (var o in new Option[] { model, output, frame, types, threads, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() => ClusterCommands.Whole(pr, "softness apply", [pr.GetValue(glass)!, pr.GetValue(model)!], outPath =>
        {
            var format = PerAtomOutput.FormatOf(outPath);
            bool xyz = format is PerAtomFormat.ExtendedXyz or PerAtomFormat.LammpsDump;
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            var m = SoftnessModel.Load(pr.GetValue(model)!);
            string path = pr.GetValue(glass)!;
            string sel = pr.GetValue(frame)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            int index = sel == "last" ? StructureReader.CountFrames(path, CliSupport.ParseTypes(pr.GetValue(types))) - 1
                : int.TryParse(sel, NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k : throw new ArgumentException($"--frame: '{sel}' is not an index or 'last'");
            var f = StructureReader.ReadFrame(path, index, CliSupport.ParseTypes(pr.GetValue(types)));
            f.SortById();
            var (raw, soft) = m.Apply(f, path, pr.GetValue(threads));
            CliSupport.RequireFinite(raw, pr.GetValue(model)!, "raw score");
            int n = f.Count;
            if (xyz)
            {
                var v = new double[2 * n];
                for (int i = 0; i < n; i++) { v[2 * i] = soft[i]; v[2 * i + 1] = raw[i]; }
                PerAtomOutput.Write(outPath, f, new GlassML.Descriptors.PerAtomFeatures(["softness", "raw_score"], n, v), keepCols);
            }
            else
            {
                var v = new double[5 * n];
                for (int i = 0; i < n; i++) { v[5 * i] = f.X[i]; v[5 * i + 1] = f.Y[i]; v[5 * i + 2] = f.Z[i]; v[5 * i + 3] = soft[i]; v[5 * i + 4] = raw[i]; }
                PerAtomOutput.Write(outPath, f, new GlassML.Descriptors.PerAtomFeatures(["x", "y", "z", "softness", "raw_score"], n, v), keepCols);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"softness of {n} atoms (mean {soft.Average():F4}) written to {OutputPath.Describe(outPath)}"));
            return 0;
        })));
        return cmd;
    }
}
