using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Potentials;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml modes FILE --potential POT --fraction 0.01 --out modes.csv</c>: harmonic normal modes of a structure from
/// the analytic EAM Hessian (<see cref="EamHessian"/>, <see cref="NormalModes"/>): per-atom participation p_i in the
/// lowest fraction of the vibrational modes (translations removed) and a table of all mode frequencies.
/// </summary>
public static class ModesCommand
{
    /// <summary>Largest structure the dense solver accepts (3N × 3N doubles, several copies).</summary>
    public const int MaxDenseAtoms = 3000;

    /// <summary>Columns of the per-mode table.</summary>
    public static readonly IReadOnlyList<string> ModeColumns = ["mode", "frequency_thz", "eigenvalue", "participation_ratio", "translation", "selected"];

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("FILE", "Structure (ideally an inherent structure: minimised, forces ≈ 0): LAMMPS data or dump (plain or .gz), extended XYZ.");
        var potential = PotentialSupport.PotentialOption();
        var format = PotentialSupport.FormatOption();
        var fraction = new Option<double>("--fraction") { Description = "Fraction f of the 3N−3 vibrational modes, lowest first, over which the per-atom participation is summed (⌈f·(3N−3)⌉ modes).", DefaultValueFactory = _ => 0.01 };
        var frameOpt = new Option<string>("--frame") { Description = "Frame to use: an index (0 = first, negative from the end) or 'last'.", DefaultValueFactory = _ => "0" };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Column participation.", Required = true };
        var keep = CliSupport.KeepOption();
        var solver = new Option<string>("--solver") { Description = $"Eigensolver: dense (every frequency; up to {MaxDenseAtoms} atoms), lanczos (the selected lowest modes only, for large structures; block-sparse Hessian) or auto (dense up to {MaxDenseAtoms} atoms).", DefaultValueFactory = _ => "auto" };
        var table = new Option<string?>("--modes-out") { Description = "Per-mode table, .csv or .parquet (mode,frequency_thz,eigenvalue,participation_ratio,translation,selected); default: OUT with '_frequencies.csv' in place of its extension." };
        var cmd = new Command("modes", "Harmonic normal modes from the analytic EAM Hessian: per-atom participation in the lowest modes, and the mode frequencies (THz).");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { potential, format, fraction, solver, frameOpt, types, threads, output, table, keep }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string outPath = pr.GetValue(output)!;
            PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            if (OutputPath.IsStandardOutput(outPath) && pr.GetValue(table) is null)
                throw new ArgumentException($"--out {outPath}: modes also writes a mode table named after --out; give --modes-out FILE");
            string tablePath = pr.GetValue(table) ?? DefaultTablePath(outPath);
            if (!StrainCommand.IsCsv(tablePath) && !TableOutput.IsParquet(tablePath)) throw new ArgumentException($"--modes-out {tablePath}: use a .csv or .parquet file name");
            double f = pr.GetValue(fraction);
            if (!(f > 0 && f <= 1)) throw new ArgumentException("--fraction must be in (0, 1]");
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            var pot = PotentialSupport.Load(pr.GetValue(potential)!, pr.GetValue(format)!);
            string path = pr.GetValue(file)![0];
            var frame = ReadOne(pr.GetValue(file)!, pr.GetValue(frameOpt)!, CliSupport.ParseTypes(pr.GetValue(types)));
            string solverName = pr.GetValue(solver)!.ToLowerInvariant();
            bool dense = solverName switch
            {
                "auto" => frame.Count <= MaxDenseAtoms,
                "dense" => true,
                "lanczos" => false,
                _ => throw new ArgumentException($"--solver: '{solverName}' is not dense, lanczos or auto"),
            };
            if (dense && frame.Count > MaxDenseAtoms)
                throw new ArgumentException($"{path}: {frame.Count} atoms; the dense mode solver takes at most {MaxDenseAtoms} atoms (use --solver lanczos)");
            var sw = Stopwatch.StartNew();
            ProgressReporter.Stage("energies and forces");
            var res = pot.Compute(frame, nthreads);
            var masses = PotentialSupport.Masses(frame, pot);
            ProgressReporter.Stage("Hessian");
            var mo = new NormalModesOptions { Fraction = f, Threads = nthreads };
            NormalModesResult modes;
            if (dense)
            {
                var hess = EamHessian.Compute(res, nthreads);
                ProgressReporter.Stage("dense eigensolver");
                modes = NormalModes.Dense(hess, masses, mo);
            }
            else
            {
                var hess = EamHessianOperator.Create(res, nthreads); // factored: pair blocks + density gradients
                ProgressReporter.Stage("Lanczos eigensolver");
                modes = NormalModesLanczos.Compute(hess, masses, mo);
            }

            var feats = new PerAtomFeatures(["participation"], frame.Count, modes.Participation);
            PerAtomOutput.Write(outPath, frame, feats, keepCols, nthreads);
            int m = modes.FrequenciesThz.Length;
            var selected = new HashSet<int>(modes.SelectedModes);
            var v = new double[m * ModeColumns.Count];
            for (int k = 0; k < m; k++)
            {
                int o = k * ModeColumns.Count;
                v[o] = k; v[o + 1] = modes.FrequenciesThz[k]; v[o + 2] = modes.Eigenvalues[k]; v[o + 3] = modes.ParticipationRatio[k];
                v[o + 4] = modes.IsTranslation[k] ? 1 : 0; v[o + 5] = selected.Contains(k) ? 1 : 0;
            }
            TableOutput.Write(tablePath, ModeColumns, m, v);

            double fmax = 0;
            for (int i = 0; i < frame.Count; i++) fmax = Math.Max(fmax, Math.Sqrt(res.Fx[i] * res.Fx[i] + res.Fy[i] * res.Fy[i] + res.Fz[i] * res.Fz[i]));
            int unstable = Enumerable.Range(0, m).Count(k => !modes.IsTranslation[k] && modes.Eigenvalues[k] < 0);
            var sel = modes.SelectedModes;
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"{frame.Count} atoms, energy {res.TotalEnergy:R} eV, largest |f| {fmax:G3} eV/Å; {(dense ? "dense" : $"Lanczos ({modes.LanczosSteps} steps)")}: {m} modes ({sw.Elapsed.TotalSeconds:F1} s)"));
            Console.WriteLine(string.Create(inv, $"lowest {sel.Length} vibrational modes (fraction {f}): {modes.FrequenciesThz[sel[0]]:F4} … {modes.FrequenciesThz[sel[^1]]:F4} THz; {(dense ? $"highest mode {modes.FrequenciesThz[^1]:F4} THz" : "only these modes computed")}"));
            if (unstable > 0) Console.WriteLine($"warning: {unstable} mode(s) with negative eigenvalue (the structure is not at a minimum; minimise it first)");
            else if (fmax > 1e-3) Console.WriteLine(string.Create(inv, $"warning: largest force {fmax:G3} eV/Å; modes are meaningful at a minimum (minimise first)"));
            Console.WriteLine($"per-atom participation → {OutputPath.Describe(outPath)}; mode table → {OutputPath.Describe(tablePath)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>OUT with its extension (and .gz) replaced by <c>_frequencies.csv</c>.</summary>
    public static string DefaultTablePath(string outPath)
    {
        string p = outPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? outPath[..^3] : outPath;
        string ext = Path.GetExtension(p);
        return p[..^ext.Length] + "_frequencies.csv";
    }

    /// <summary>One frame of a structure file (<c>--frame</c> index or 'last'), atoms sorted by id.</summary>
    internal static Frame ReadOne(string[] inputs, string selector, ReadOptions options)
    {
        var f = FrameFiles.ReadFrame(CliSupport.Inputs(inputs, options), StrainCommand.ParseIndex(selector, "--frame"), options);
        f.SortById();
        return f;
    }
}
