using System.CommandLine;
using System.Globalization;
using GlassML.Io;
using GlassML.Potentials;
using GlassML.Workflows;
using GlassML.Workflows.BondStrength;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml bonds label|train|apply|msd|report</c>: bond strength by one GPR per pair type on SOAP
/// (library: <see cref="GlassML.Workflows.BondStrength"/>).
/// </summary>
public static class BondsCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create() => MethodCommand.Create("bonds",
        "Bond strength: label first-shell bonds (EAM bond-cutting energy, LOBSTER −ICOHP or CSV), learn one GPR per pair type with the bond kernel on SOAP, predict every bond, group atoms into weakly/strongly bonded and follow them under compression.",
        Label(), Train(), Apply(), Msd());

    private static Option<string?> CutoffsOption() => new("--bond-cutoffs")
    {
        Description = "Per-pair bond cutoffs, e.g. Cu-Cu:3.3,Cu-Zr:3.7,Zr-Zr:3.9 (Å). Default: the first minimum of each partial g(r).",
    };

    private static Command Label()
    {
        var structure = new Argument<string>("STRUCT") { Description = "Structure file (LAMMPS data or dump, extended XYZ)." };
        var source = new Option<string>("--source") { Description = "Label source: eam (bond-cutting energy from --potential), lobster (ICOHPLIST.lobster files) or csv (--labels frame,id_i,id_j,value).", Required = true };
        var potential = new Option<string?>("--potential") { Description = "EAM potential file (eam/fs or eam/alloy setfl) for --source eam." };
        var icohp = new Option<string[]>("--icohp") { Description = "ICOHPLIST.lobster file(s) for --source lobster, one per frame (first file = --frame).", AllowMultipleArgumentsPerToken = true };
        var labels = new Option<string?>("--labels") { Description = "Label CSV (frame,id_i,id_j,value[,distance]) for --source csv." };
        var frame = CliSupport.FrameOption();
        var cutoffs = CutoffsOption();
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = "Output CSV: frame,id_i,id_j,species_i,species_j,distance,value,image_a,image_b,image_c.", Required = true };
        var cmd = new Command("label", "Label bonds of a structure: EAM bond-cutting energy b_ij (a classical stand-in, not bonding chemistry), LOBSTER −ICOHP summed over spins, or a CSV.");
        cmd.Arguments.Add(structure);
        foreach (var o in new Option[] { source, potential, icohp, labels, frame, cutoffs, types, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string path = pr.GetValue(structure)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            int nthreads = pr.GetValue(threads);
            string frameText = pr.GetValue(frame)!.ToLowerInvariant();
            int count = StructureReader.CountFrames(path, ro);
            var indices = frameText switch
            {
                "all" => Enumerable.Range(0, count).ToArray(),
                "last" => [count - 1],
                _ => int.TryParse(frameText, NumberStyles.None, CultureInfo.InvariantCulture, out int fi) && fi < count
                    ? [fi] : throw new ArgumentException($"--frame: '{frameText}' is not an index below {count}, 'last' or 'all'"),
            };
            var sets = new List<LabelledBonds>();
            string src = pr.GetValue(source)!.ToLowerInvariant();
            var icohpFiles = pr.GetValue(icohp) ?? [];
            if (src == "lobster" && icohpFiles.Length != indices.Length)
                throw new ArgumentException($"--icohp: give one ICOHPLIST.lobster per frame ({indices.Length} frame(s), {icohpFiles.Length} file(s))");
            EamPotential? pot = null;
            if (src == "eam")
            {
                string pp = pr.GetValue(potential) ?? throw new ArgumentException("--source eam needs --potential FILE");
                pot = EamPotential.Read(pp);
            }
            for (int k = 0; k < indices.Length; k++)
            {
                var f = StructureReader.ReadFrame(path, indices[k], ro);
                switch (src)
                {
                    case "eam":
                        var cut = pr.GetValue(cutoffs) is { } ct ? BondCutoffs.Parse(ct) : BondCutoffs.FirstMinimum([f], nthreads);
                        sets.Add(EamBondLabels.Label(pot!, BondTable.Find(f, cut, nthreads), indices[k], nthreads));
                        break;
                    case "lobster":
                        sets.Add(Icohplist.Match(icohpFiles[k], Icohplist.Read(icohpFiles[k]), f, indices[k]));
                        break;
                    case "csv":
                        string lp = pr.GetValue(labels) ?? throw new ArgumentException("--source csv needs --labels FILE");
                        sets.Add(BondLabelCsv.Read(lp, f, indices[k]));
                        break;
                    default:
                        throw new ArgumentException($"--source: '{src}' is not eam, lobster or csv");
                }
            }
            BondLabelCsv.Write(pr.GetValue(output)!, sets);
            Console.WriteLine($"{sets.Sum(s => s.Values.Length)} labelled bonds in {sets.Count} frame(s) → {OutputPath.Describe(pr.GetValue(output)!)}");
            return 0;
        }));
        return cmd;
    }

    private static Command Train()
    {
        var samples = new Option<string>("--samples") { Description = "Manifest CSV: file, frame, role (train|test), labels (label CSV of that structure, relative to the manifest).", Required = true };
        var perType = new Option<int>("--per-type") { Description = "Training bonds per pair type, drawn equally from each input set (all when fewer).", DefaultValueFactory = _ => 600 };
        var param = new Option<string?>("--params") { Description = "GPR parameters: theta=0.5,zeta=1,gamma=0.01,normalize=1,soap=1 (soap=0: SOAP factor set to 1)." };
        var soap = new Option<string>("--soap") { Description = "SOAP options as for featurize (rcut=5,nmax=8,lmax=6,sigma=0.5,…).", DefaultValueFactory = _ => "" };
        var curve = new Option<string?>("--learning-curve") { Description = "Training-set sizes per type of the learning curve, e.g. 50,100,200,400,600." };
        var repeats = new Option<int>("--repeats") { Description = "Repeats of each learning-curve size.", DefaultValueFactory = _ => 3 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of each set's bonds held out per type when the manifest has no test rows.", DefaultValueFactory = _ => 0.2 };
        var cutoffs = CutoffsOption();
        var types = CliSupport.TypesOption();
        var seed = CliSupport.SeedOption();
        var threads = CliSupport.ThreadsOption();
        var output = MethodCommand.OutDirOption();
        var cmd = new Command("train", "Fit one bond-kernel GPR per pair type on labelled bonds and write a run directory (model.json, metrics, learning curve, report).");
        foreach (var o in new Option[] { samples, perType, param, soap, curve, repeats, testFraction, cutoffs, types, seed, threads, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            int nthreads = pr.GetValue(threads);
            var p = BondGprParameters.Parse(pr.GetValue(param));
            var lc = pr.GetValue(curve) is { } c ? CliSupport.ParseDoubles(c, "--learning-curve").Select(v => (int)v).ToArray() : [];
            var loaded = BondTrain.LoadSamples(pr.GetValue(samples)!, CliSupport.ParseTypes(pr.GetValue(types)));
            using var run = MethodCommand.BeginRun("bonds", "train", pr.GetValue(output)!, nthreads, "Bond strength: per-type GPR with the bond kernel");
            string mdir = Path.GetDirectoryName(Path.GetFullPath(pr.GetValue(samples)!)) ?? ".";
            run.Record.AddInput(Path.GetFileName(pr.GetValue(samples)!), pr.GetValue(samples)!);
            foreach (var (_, row, labels) in loaded)
            {
                run.Record.AddInput(Path.GetRelativePath(mdir, row.File), row.File);
                run.Record.AddInput(Path.GetRelativePath(mdir, labels), labels);
            }
            var o = new BondTrainOptions(pr.GetValue(perType), p, pr.GetValue(soap)!, pr.GetValue(cutoffs), lc, pr.GetValue(repeats), pr.GetValue(testFraction),
                (ulong)pr.GetValue(seed), nthreads);
            var res = run.Record.Time("train", () => BondTrain.Run(loaded.Select(l => l.Sample).ToArray(), o, run));
            string dir = run.Commit();
            foreach (var (k, v) in res.Metrics.Where(kv => kv.Key.StartsWith("test_r2_", StringComparison.Ordinal) || kv.Key.StartsWith("test_rmse_", StringComparison.Ordinal)))
                Console.WriteLine($"{k} = {v.ToString("G5", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"→ {dir}");
            return 0;
        }));
        return cmd;
    }

    private static Command Apply()
    {
        var model = new Option<string>("--model") { Description = "A bonds model (RUN/model.json).", Required = true };
        var structure = new Argument<string>("STRUCT") { Description = "Structure file to predict." };
        var frame = CliSupport.FrameOption();
        var threshold = new Option<string?>("--threshold") { Description = "WB/SB threshold of the per-atom mean: one number, or per species Cu:0.6,Zr:0.7. Default: each species' median." };
        var outBonds = new Option<string?>("--out-bonds") { Description = "CSV of every bond with its predicted strength (value column)." };
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Columns bond_strength_mean, _min, _max, bond_count, bond_class (0 = WB, 1 = SB).", Required = true };
        var keep = CliSupport.KeepOption();
        var report = new Option<string?>("--report") { Description = "Also write a run directory with the apply report (histograms per type, slab map, WB/SB counts, threshold sweep)." };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("apply", "Predict every bond of a structure and average per atom; split each species into weakly (WB) and strongly (SB) bonded atoms.");
        cmd.Arguments.Add(structure);
        foreach (var o in new Option[] { model, frame, threshold, outBonds, output, report, types, threads, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() => ClusterCommands.Whole(pr, "bonds apply", [pr.GetValue(structure)!, pr.GetValue(model)!], outPath =>
        {
            PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            int nthreads = pr.GetValue(threads);
            var (m, header) = BondModel.Load(pr.GetValue(model)!);
            string path = pr.GetValue(structure)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            string ft = pr.GetValue(frame)!.ToLowerInvariant();
            int fi = ft == "last" ? StructureReader.CountFrames(path, ro) - 1
                : int.TryParse(ft, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"--frame: '{ft}' is not an index or 'last'");
            var f = StructureReader.ReadFrame(path, fi, ro);
            header.CheckSpecies(f, path);
            var pred = m.Predict(f, nthreads);
            var stats = BondApply.PerAtom(f, pred.Bonds, pred.Values);
            var th = BondApply.Thresholds(f, stats, pr.GetValue(threshold));
            var cls = BondApply.Classify(f, stats, th);
            var feats = BondApply.Features(f, stats, cls);
            if (pr.GetValue(outBonds) is { } ob) BondApply.WriteBonds(ob, pred, fi);
            PerAtomOutput.Write(outPath, f, feats, keepCols, nthreads);
            if (pr.GetValue(report) is { } rd)
            {
                using var run = MethodCommand.BeginRun("bonds", "apply", rd, nthreads, "Bond strength: predictions of a structure");
                run.Record.AddInput(Path.GetFileName(path), path);
                run.Record.AddInput(Path.GetFileName(pr.GetValue(model)!), pr.GetValue(model)!);
                run.WritePerAtom("atoms", f, feats);
                BondApply.Report(run, m, pred, stats, th, cls);
                run.Commit();
            }
            Console.WriteLine($"{pred.Bonds.Count} bonds, {f.Count} atoms → {OutputPath.Describe(outPath)}");
            return 0;
        })));
        return cmd;
    }

    private static Command Msd()
    {
        var traj = new Argument<string>("TRAJ") { Description = "Trajectory (LAMMPS dump with xu yu zu or image flags), first frame = reference." };
        var groups = new Option<string>("--groups") { Description = "Per-atom CSV with id, species and the group column (e.g. atoms.csv of bonds apply).", Required = true };
        var column = new Option<string>("--group-column") { Description = "Group column of --groups (bond_class 0/1 is written WB/SB).", DefaultValueFactory = _ => "bond_class" };
        var axis = new Option<string>("--axis") { Description = "Loading axis: x, y or z (MSD perpendicular to it).", DefaultValueFactory = _ => "z" };
        var dt = new Option<double>("--dt") { Description = "Time per step (e.g. ps) for the time column; 1 = steps.", DefaultValueFactory = _ => 1.0 };
        var minGroup = new Option<int>("--min-group") { Description = "Groups with fewer atoms are listed, not plotted.", DefaultValueFactory = _ => 20 };
        var types = CliSupport.TypesOption();
        var output = MethodCommand.OutDirOption();
        var cmd = new Command("msd", "MSD of atom groups (e.g. WB/SB per species) perpendicular to a loading axis and in total, against time and strain.");
        cmd.Arguments.Add(traj);
        foreach (var o in new Option[] { groups, column, axis, dt, minGroup, types, output }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string path = pr.GetValue(traj)!;
            if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
            int ax = GroupMsd.Axis(pr.GetValue(axis)!);
            double step = pr.GetValue(dt);
            if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentException("--dt must be positive");
            var g = GroupMsd.ReadGroups(pr.GetValue(groups)!, pr.GetValue(column)!);
            if (pr.GetValue(minGroup) < 0) throw new ArgumentException("--min-group must be ≥ 0");
            var res = GroupMsd.Compute(StructureReader.ReadFrames(path, CliSupport.ParseTypes(pr.GetValue(types))), g, ax, path);
            using var run = MethodCommand.BeginRun("bonds", "msd", pr.GetValue(output)!, 1, "Bond strength: group MSD under loading");
            run.Record.AddInput(Path.GetFileName(path), path);
            run.Record.AddInput(Path.GetFileName(pr.GetValue(groups)!), pr.GetValue(groups)!);
            GroupMsd.Report(run, res, step, pr.GetValue(minGroup), pr.GetValue(axis)!.ToLowerInvariant());
            Console.WriteLine($"{res.Groups.Length} groups, {res.Steps.Length} frames → {run.Commit()}");
            return 0;
        }));
        return cmd;
    }
}
