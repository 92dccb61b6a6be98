using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Workflows;
using GlassML.Workflows.Sharding;
using GlassML.Workflows.Ule;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml ule build|encode|train|apply|compare|report</c>: unique local environments (ULEs) from SOAP similarity,
/// per-sample ULE fractions, energy regression with GBDT, SHAP barcode and heterogeneity contrast (docs/workflows.md "ule").
/// </summary>
public static class UleCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create() => MethodCommand.Create("ule",
        "ULE barcode: dictionary of unique local environments (SOAP leader clustering) → per-sample fractions → energy regression (GBDT, pooled grouped CV) → SHAP barcode, size transfer, heterogeneity.",
        Build(), Encode(), Train(), Apply(), Compare());

    private static Option<string> SamplesOption() => new("--samples")
    {
        Description = "Manifest samples.csv: file,frame,energy,group,role (energy = total eV as a number, column:NAME or log:FILE:KEY; group = trajectory).",
        Required = true,
    };

    private static Command Build()
    {
        var samples = SamplesOption();
        var soap = new Option<string?>("--soap") { Description = "SOAP options as key=value list: r_cut=5,n_max=11,l_max=12,sigma=0.5,rbf=gto,crossover=true,periodic=true (defaults shown)." };
        var threshold = new Option<double>("--threshold") { Description = "Leader-clustering threshold on M (the method's 0.84).", DefaultValueFactory = _ => 0.84 };
        var target = new Option<int?>("--target-count") { Description = "Bisect the threshold to give about this many ULEs on the training set (overrides --threshold)." };
        var sim = new Option<string>("--similarity") { Description = "distance: M = 1 − ‖p̂i − p̂j‖/2; cosine: M = p̂i·p̂j.", DefaultValueFactory = _ => "distance" };
        var zeta = new Option<double>("--zeta") { Description = "Exponent ζ ≥ 1 applied to M.", DefaultValueFactory = _ => 1.0 };
        var vectors = new Option<string?>("--vectors") { Description = "Also write the training atoms' unit SOAP rows (manifest → frame → atom-id order) as .npy (for checks)." };
        var types = CliSupport.TypesOption(); var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = "Dictionary file to write (JSON).", Required = true };
        var cmd = new Command("build", "Build the ULE dictionary from the manifest's training samples.");
        foreach (var o in new Option[] { samples, soap, threshold, target, sim, zeta, vectors, types, threads, output, ClusterCommands.ShardOption(), ClusterCommands.FromPartsOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var read = CliSupport.ParseTypes(pr.GetValue(types));
            int nt = Threads(pr.GetValue(threads));
            var all = UleSamples.Load(pr.GetValue(samples)!, requireEnergy: false);
            var train = all.Where(s => s.Role == SampleRole.Train).ToList();
            if (train.Count == 0) throw new InputFormatException(pr.GetValue(samples)!, 0, "no training rows (role train) to build the dictionary from");
            var opts = new UleOptions
            {
                Soap = ParseSoap(pr.GetValue(soap)), Threshold = pr.GetValue(threshold), TargetCount = pr.GetValue(target),
                Similarity = ParseSimilarity(pr.GetValue(sim)!), Zeta = pr.GetValue(zeta), Threads = nt,
            };
            if (ClusterCommands.ShardOf(pr) is string sh) return ShardedBuild(pr, sh, train, read, opts);
            var dict = UleDictionary.Build(train, read, opts, ClusterCommands.FromParts(pr, "ule build", [pr.GetValue(samples)!])?.Parts);
            string? vec = pr.GetValue(vectors);
            if (vec is not null)
            {
                var rows = new List<double>();
                int n = 0;
                foreach (var s in train) { var f = s.Read(read); rows.AddRange(dict.SoapRows(f, s.File, nt)); n += f.Count; }
                NpyWriter.Write(vec, rows.ToArray(), n, dict.FeatureCount);
            }
            dict.Save(pr.GetValue(output)!);
            Console.WriteLine($"{dict.Count} ULEs at threshold {dict.Threshold.ToString("R", CultureInfo.InvariantCulture)} from {dict.TrainingAtoms} atoms of {dict.TrainingSamples} samples; unassigned training atoms: {dict.TrainingUnassigned}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>First pass of a sharded build: each training row's SOAP rows; 'glassml merge' runs the clustering over all of them.</summary>
    private static int ShardedBuild(ParseResult pr, string shard, IReadOnlyList<UleSample> train, ReadOptions? read, UleOptions opts)
    {
        if (pr.GetValue<string?>("--vectors") is not null) throw new ArgumentException("--shard: --vectors is written by an unsharded build only");
        var soap = UleDictionary.ResolveSoap(opts, train, read);
        return ClusterCommands.RunShard("ule build", shard, pr.GetValue<string>("--out")!, [pr.GetValue<string>("--samples")!], train.Count,
            (u, part) => UleDictionary.WriteSampleRows(part, train[u], soap, read, opts.Threads), ShardJoin.Rerun, unitInputs: u => [train[u].File]);
    }

    private static Command Encode()
    {
        var dictOpt = new Option<string>("--dict") { Description = "ULE dictionary (from 'ule build').", Required = true };
        var samples = SamplesOption();
        var atoms = new Option<string?>("--atoms") { Description = "Also write per-atom extended XYZ (columns ule, ule_m) of every sample into this folder." };
        var types = CliSupport.TypesOption(); var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = "Fractions table to write (CSV).", Required = true };
        var cmd = new Command("encode", "Describe every sample of the manifest by the fraction of its atoms in each ULE (counts / N).");
        foreach (var o in new Option[] { dictOpt, samples, atoms, types, threads, output, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var read = CliSupport.ParseTypes(pr.GetValue(types));
            int nt = Threads(pr.GetValue(threads));
            var all = UleSamples.Load(pr.GetValue(samples)!, requireEnergy: true);
            var dict = UleDictionary.Load(pr.GetValue(dictOpt)!);
            string? atomPath = pr.GetValue(atoms);
            if (ClusterCommands.ShardOf(pr) is string sh)   // a shard's units write their per-atom files as they finish (a lost unit is redone alone)
            {
                Action<UleSample, Structure.Frame, UleAssignment>? perAtom = atomPath is null ? null : (s, f, a) =>
                    UleAtoms.Write(Path.Combine(atomPath, Safe(s.Name) + ".xyz"), f, a, null);
                return ClusterCommands.RunShard("ule encode", sh, pr.GetValue(output)!, [pr.GetValue(samples)!, pr.GetValue(dictOpt)!], all.Count,
                    (u, part) => UleFractions.ToTable(UleFractions.Encode(dict, [all[u]], read, nt, perAtom), dict.Count).WriteCsv(part), unitInputs: u => [all[u].File]);
            }
            using var atomDir = atomPath is null ? null : new StagedFolder(atomPath, "--atoms");
            var rows = UleFractions.Encode(dict, all, read, nt, atomDir is null ? null : (s, f, a) =>
                UleAtoms.Write(atomDir.PathOf(Safe(s.Name) + ".xyz"), f, a, null));
            UleFractions.ToTable(rows, dict.Count).WriteCsv(pr.GetValue(output)!);
            atomDir?.Commit();
            Console.WriteLine($"{rows.Count} samples encoded on {dict.Count} ULEs; unassigned atoms: {rows.Sum(r => r.Unassigned * r.Atoms):F0}");
            return 0;
        }));
        return cmd;
    }

    private static Command Train()
    {
        var fractions = new Option<string>("--fractions") { Description = "Fractions table (from 'ule encode').", Required = true };
        var dictOpt = new Option<string>("--dict") { Description = "The dictionary the table was encoded with (founders' Voronoi indices; embedded in model.json).", Required = true };
        var cv = new Option<int>("--cv") { Description = "Grouped k-fold CV folds (by the group column; metrics pooled over all out-of-fold predictions).", DefaultValueFactory = _ => 5 };
        var search = new Option<string?>("--search") { Description = "Hyper-parameter search, bayes:N (N evaluations of pooled grouped-CV RMSE)." };
        var top = new Option<int>("--top") { Description = "Barcode length K (top ULEs by mean |SHAP|).", DefaultValueFactory = _ => 40 };
        var window = new Option<double>("--window") { Description = "Heterogeneity window ΔE (eV/atom).", DefaultValueFactory = _ => 0.001 };
        var gbdt = new Option<string?>("--gbdt") { Description = "GBDT parameters by XGBoost name, e.g. n_estimators=300,eta=0.05,max_depth=4 (base_score is always the training mean)." };
        var seed = CliSupport.SeedOption(); var threads = CliSupport.ThreadsOption(); var output = MethodCommand.OutDirOption();
        var cmd = new Command("train", "Regress energy per atom on the ULE fractions, rank ULEs by SHAP, keep the barcode; writes a run directory.");
        foreach (var o in new Option[] { fractions, dictOpt, cv, search, top, window, gbdt, seed, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nt = Threads(pr.GetValue(threads));
            string fpath = pr.GetValue(fractions)!, dpath = pr.GetValue(dictOpt)!;
            int evals = 0;
            string? s = pr.GetValue(search);
            if (s is not null && (!s.StartsWith("bayes:", StringComparison.Ordinal) || !int.TryParse(s[6..], NumberStyles.None, CultureInfo.InvariantCulture, out evals) || evals < 2))
                throw new ArgumentException($"--search: '{s}' is not bayes:N with N ≥ 2");
            var o = new UleTrainOptions
            {
                Gbdt = GradientBoostedTreesParameters.Parse(pr.GetValue(gbdt) ?? "", UleTrainOptions.DefaultGbdt),
                Folds = pr.GetValue(cv), SearchEvaluations = evals, Top = pr.GetValue(top), Window = pr.GetValue(window), Seed = pr.GetValue(seed), Threads = nt,
            };
            var dict = UleDictionary.Load(dpath);
            var rows = UleFractions.Read(fpath);
            using var run = MethodCommand.BeginRun("ule", "train", pr.GetValue(output)!, nt, "ULE barcode: energy regression and SHAP barcode");
            var inputs = new[] { run.Record.AddInput(fpath, fpath), run.Record.AddInput(dpath, dpath) };
            run.Record.Set("cv", o.Folds.ToString(CultureInfo.InvariantCulture));
            run.Record.Set("top", o.Top.ToString(CultureInfo.InvariantCulture));
            run.Record.Set("search", s ?? "none");
            run.Record.Set("seed", o.Seed.ToString(CultureInfo.InvariantCulture));
            var res = UleWorkflow.Train(rows, dict, o, run, inputs);
            string dir = run.Commit();
            var m = res.CrossValidation.Pooled;
            Console.WriteLine(FormattableString.Invariant($"pooled grouped CV ({m.Count} samples): RMSE {m.RmseMeVPerAtom:F3} meV/atom ({m.RmseEvPerSample:F4} eV/sample), MAE {m.MaeMeVPerAtom:F3} meV/atom, R² {m.R2:F4}, Pearson {m.Pearson:F4}"));
            Console.WriteLine($"wrote {dir}");
            return 0;
        }));
        return cmd;
    }

    private static Command Apply()
    {
        var model = new Option<string>("--model") { Description = "model.json of a 'ule train' run.", Required = true };
        var dictOpt = new Option<string?>("--dict") { Description = "Optional: the dictionary file; it must be the one embedded in the model." };
        var files = new Argument<string[]>("SAMPLE") { Description = "Structures (any size, the model's species).", Arity = ArgumentArity.OneOrMore };
        var atoms = new Option<string?>("--atoms") { Description = "Also write per-atom extended XYZ (ule, ule_m, barcode_index) of every sample into this folder." };
        var types = CliSupport.TypesOption(); var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = "Predictions (CSV): sample, n, unassigned, predicted energy per atom and per sample.", Required = true };
        var cmd = new Command("apply", "Predict the energy of samples of any size with a trained ULE model.");
        cmd.Arguments.Add(files);
        foreach (var o in new Option[] { model, dictOpt, atoms, types, threads, output, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var read = CliSupport.ParseTypes(pr.GetValue(types));
            int nt = Threads(pr.GetValue(threads));
            var m = UleModel.Load(pr.GetValue(model)!);
            string? dp = pr.GetValue(dictOpt);
            if (dp is not null)
            {
                var d = UleDictionary.Load(dp);
                if (d.Count != m.Dictionary.Count || d.Threshold != m.Dictionary.Threshold || !d.Vector(d.Count - 1).SequenceEqual(m.Dictionary.Vector(d.Count - 1)))
                    throw new InputFormatException(dp, 0, "is not the dictionary the model was trained with");
            }
            var samples = UleSamples.FromFiles(pr.GetValue(files)!);
            string? atomPath = pr.GetValue(atoms);
            var pos = m.Barcode.PositionOf(m.Dictionary.Count);
            void Predict(IReadOnlyList<UleSample> batch, string outPath, Func<string, string>? atomFile)
            {
                var rows = UleFractions.Encode(m.Dictionary, batch, read, nt, atomFile is null ? null : (s, f, a) =>
                    UleAtoms.Write(atomFile(Safe(s.Name) + ".xyz"), f, a, pos));
                var pred = m.Predict(rows, nt);
                CliSupport.RequireFinite(pred, pr.GetValue(model)!, "predicted energy");
                new ResultTable().Add("sample", rows.Select(r => r.Sample).ToArray()).Add("file", rows.Select(r => r.File).ToArray())
                    .Add("n", rows.Select(r => (long)r.Atoms).ToArray()).Add("unassigned", rows.Select(r => r.Unassigned).ToArray())
                    .Add("predicted_ev_per_atom", pred).Add("predicted_ev", pred.Select((p, i) => p * rows[i].Atoms).ToArray())
                    .WriteCsv(outPath);
            }
            if (ClusterCommands.ShardOf(pr) is string sh)   // a shard's units write their per-atom files as they finish (a lost unit is redone alone)
                return ClusterCommands.RunShard("ule apply", sh, pr.GetValue(output)!, [pr.GetValue(model)!], samples.Count,
                    (u, part) => Predict([samples[u]], part, atomPath is null ? null : n => Path.Combine(atomPath, n)), unitInputs: u => [samples[u].File]);
            using var atomDir = atomPath is null ? null : new StagedFolder(atomPath, "--atoms");
            Predict(samples, pr.GetValue(output)!, atomDir is null ? null : atomDir.PathOf);
            atomDir?.Commit();
            return 0;
        }));
        return cmd;
    }

    private static Command Compare()
    {
        var model = new Option<string>("--model") { Description = "model.json of a 'ule train' run (its barcode is used).", Required = true };
        var probe = new Option<string>("--probe") { Description = "Fractions table of the probe samples (e.g. sheared).", Required = true };
        var reference = new Option<string>("--reference") { Description = "Fractions table of the reference samples (e.g. annealed).", Required = true };
        var window = new Option<double>("--window") { Description = "References within ±ΔE (eV/atom) of the probe's energy.", DefaultValueFactory = _ => 0.001 };
        var output = new Option<string>("--out") { Description = "Heterogeneity table (CSV): std(δs) and δs per probe.", Required = true };
        var cmd = new Command("compare", "Heterogeneity contrast: δs = mean reference barcode − probe barcode for references within ±ΔE; std(δs) per probe and group.");
        foreach (var o in new Option[] { model, probe, reference, window, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var m = UleModel.Load(pr.GetValue(model)!);
            var p = UleFractions.Read(pr.GetValue(probe)!);
            var r = UleFractions.Read(pr.GetValue(reference)!);
            foreach (var (t, name) in new[] { (p, pr.GetValue(probe)!), (r, pr.GetValue(reference)!) })
                if (t[0].Fractions.Length != m.Dictionary.Count) throw new InputFormatException(name, 1, $"has {t[0].Fractions.Length} ULE columns, the model's dictionary {m.Dictionary.Count}");
            var c = UleWorkflow.Contrast(p, r, m.Barcode, pr.GetValue(window));
            UleWorkflow.ContrastTable(c).WriteCsv(pr.GetValue(output)!);
            foreach (var g in c.Where(x => x.References > 0).GroupBy(x => x.Group))
                Console.WriteLine(FormattableString.Invariant($"group {g.Key}: {g.Count()} probes, mean std(δs) {g.Average(x => x.StdDeltaS):G6}"));
            return 0;
        }));
        return cmd;
    }

    private static int Threads(int t) => t >= 0 ? t : throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));

    private static UleSimilarity ParseSimilarity(string s) => s.ToLowerInvariant() switch
    {
        "distance" => UleSimilarity.Distance,
        "cosine" => UleSimilarity.Cosine,
        _ => throw new ArgumentException($"--similarity: '{s}' is not distance or cosine"),
    };

    /// <summary>Parses <c>--soap key=value,…</c> over the method's defaults.</summary>
    public static SoapOptions ParseSoap(string? text)
    {
        var o = UleOptions.DefaultSoap;
        if (string.IsNullOrWhiteSpace(text)) return o;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--soap: '{part}' is not key=value");
            string k = part[..eq].Trim().ToLowerInvariant(), v = part[(eq + 1)..].Trim();
            double D() => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x : throw new ArgumentException($"--soap: {k}='{v}' is not a number");
            int I() => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : throw new ArgumentException($"--soap: {k}='{v}' is not an integer");
            bool B() => bool.TryParse(v, out bool x) ? x : throw new ArgumentException($"--soap: {k}='{v}' is not true or false");
            o = k switch
            {
                "r_cut" or "rcut" => o with { RCut = D() },
                "n_max" or "nmax" => o with { NMax = I() },
                "l_max" or "lmax" => o with { LMax = I() },
                "sigma" => o with { Sigma = D() },
                "rbf" => o with { Rbf = v.ToLowerInvariant() switch { "gto" => SoapRadialBasis.Gto, "polynomial" => SoapRadialBasis.Polynomial, _ => throw new ArgumentException($"--soap: rbf '{v}' is not gto or polynomial") } },
                "crossover" => o with { Crossover = B() },
                "periodic" => o with { Periodic = B() },
                _ => throw new ArgumentException($"--soap: unknown key '{k}' (r_cut, n_max, l_max, sigma, rbf, crossover, periodic)"),
            };
        }
        _ = new Soap(o);
        return o;
    }
}
