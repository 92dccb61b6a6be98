using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Potentials;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml energy FILE --potential POT --out E.csv</c>: per-atom EAM energy and force, interpolated exactly as LAMMPS's
/// <c>pair_style eam/alloy</c> / <c>eam/fs</c> (columns <c>pe</c> = LAMMPS pe/atom in eV, <c>fx fy fz</c> in eV/Å,
/// <c>rho</c> the host density, <c>embedding</c> F(ρ) in eV).
/// </summary>
public static class EnergyCommand
{
    /// <summary>Output column names in order.</summary>
    public static readonly IReadOnlyList<string> ColumnNames = ["pe", "fx", "fy", "fz", "rho", "embedding"];

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("FILE", "Structure: LAMMPS data or dump (plain or .gz), extended XYZ.");
        var potential = PotentialSupport.PotentialOption();
        var format = PotentialSupport.FormatOption();
        var frameOpt = new Option<string>("--frame") { Description = "Frame to use: an index (0 = first, negative from the end) or 'last'.", DefaultValueFactory = _ => "0" };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Columns pe,fx,fy,fz,rho,embedding.", Required = true };
        var keep = CliSupport.KeepOption();
        var cmd = new Command("energy", "Per-atom EAM energies and forces from an eam/alloy or eam/fs table, exactly as LAMMPS computes them.");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { potential, format, frameOpt, types, threads, output, keep }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string outPath = pr.GetValue(output)!;
            PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            var pot = PotentialSupport.Load(pr.GetValue(potential)!, pr.GetValue(format)!);
            var frame = ModesCommand.ReadOne(pr.GetValue(file)!, pr.GetValue(frameOpt)!, CliSupport.ParseTypes(pr.GetValue(types)));
            var res = pot.Compute(frame, nthreads);
            int n = frame.Count;
            var v = new double[n * 6];
            for (int i = 0; i < n; i++)
            {
                v[6 * i] = res.Energy[i]; v[6 * i + 1] = res.Fx[i]; v[6 * i + 2] = res.Fy[i]; v[6 * i + 3] = res.Fz[i];
                v[6 * i + 4] = res.Density[i]; v[6 * i + 5] = res.Embedding[i];
            }
            var feats = new PerAtomFeatures(ColumnNames, n, v);
            PerAtomOutput.Write(outPath, frame, feats, keepCols, nthreads);
            double fmax = 0;
            for (int i = 0; i < n; i++) fmax = Math.Max(fmax, Math.Sqrt(res.Fx[i] * res.Fx[i] + res.Fy[i] * res.Fy[i] + res.Fz[i] * res.Fz[i]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n} atoms, {pot.Format} potential {Path.GetFileName(pot.Source)} (cutoff {pot.Cutoff} Å): total energy {res.TotalEnergy:R} eV ({res.TotalEnergy / n:F6} eV/atom), largest |f| {fmax:G4} eV/Å → {OutputPath.Describe(outPath)}"));
            return 0;
        }));
        return cmd;
    }
}
