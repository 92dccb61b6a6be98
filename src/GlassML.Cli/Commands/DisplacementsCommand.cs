using System.CommandLine;
using System.Globalization;
using GlassML.Dynamics;
using GlassML.Io;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml displacements TRAJECTORY --lags LIST --temperature T --dt DT --out OUT</c>: per-atom lagged squared
/// displacements dr2_{lag} and lg_dr2_over_T_{lag}, optionally the group MSD curves.
/// </summary>
public static class DisplacementsCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("TRAJECTORY", "LAMMPS dump (plain or .gz) or extended XYZ trajectory, frames in time order.");
        var lags = new Option<string>("--lags") { Description = "Comma-separated lags in ps, e.g. 0.01,0.1,1 (each a whole number of timesteps).", Required = true };
        var temp = new Option<double>("--temperature") { Description = "Temperature T (K) for lg(dr2/T).", Required = true };
        var dt = new Option<double>("--dt") { Description = "MD timestep (ps); frame time = timestep × dt.", DefaultValueFactory = _ => 0.001 };
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Columns dr2_*, lg_dr2_over_T_*; extended XYZ and dumps carry the first frame's positions.", Required = true };
        var keep = CliSupport.KeepOption();
        var msd = new Option<string?>("--msd") { Description = "Also write MSD curves (CSV: lag, origins, then per group msd_G, msd_G_x, msd_G_y, msd_G_z, msd_G_yz, msd_G_xz, msd_G_xy)." };
        var origin = new Option<double?>("--origin-interval") { Description = "Spacing of time origins (ps); default the largest lag; 0 = every frame." };
        var unwrap = new Option<string>("--unwrap") { Description = "auto (xu columns, else image flags, else continuity), images, continuity, none.", DefaultValueFactory = _ => "auto" };
        var types = new Option<string?>("--types") { Description = "LAMMPS type → species, e.g. 1:Cu,2:Zr." };
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("displacements", "Lagged squared displacements |r(t0+Δt) − r(t0)|² averaged over time origins (unwrapped), streamed with bounded memory.");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { lags, temp, dt, output, msd, origin, unwrap, types, threads, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() => ClusterCommands.Whole(pr, "displacements", CliSupport.Inputs(pr.GetValue(file), CliSupport.ParseTypes(pr.GetValue(types))), outPath =>
        {
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            var files = CliSupport.Inputs(pr.GetValue(file), ro);
            string path = FrameFiles.Describe(files);
            PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            var lagList = new List<double>();
            foreach (var p in pr.GetValue(lags)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                lagList.Add(double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"--lags: '{p}' is not a number (ps)"));
            double t = pr.GetValue(temp);
            if (!(t > 0) || !double.IsFinite(t)) throw new ArgumentException("--temperature must be positive (K)");
            double step = pr.GetValue(dt);
            if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentException("--dt must be a positive time (ps)");
            var mode = pr.GetValue(unwrap) switch
            {
                "auto" => UnwrapMode.Auto, "images" => UnwrapMode.ImageFlags, "continuity" => UnwrapMode.Continuity, "none" => UnwrapMode.None,
                var u => throw new ArgumentException($"--unwrap {u}: use auto, images, continuity or none"),
            };
            var opts = new LaggedDisplacementOptions { OriginInterval = pr.GetValue(origin) ?? double.NaN, Threads = pr.GetValue(threads) };
            var calc = new LaggedDisplacement(lagList, step, opts);
            var traj = Trajectory.Open(files, new TrajectoryOptions { Dt = step, Unwrap = mode }, ro);
            GlassML.Structure.Frame? first = null;
            int read = 0;
            var res = calc.Compute(traj.Select(f => { first ??= f; ProgressReporter.Stage($"frame {++read} (timestep {f.Timestep})"); return f; }));
            if (res.Lags.Length > 0 && res.OriginCount.All(c => c == 0))
                throw new ArgumentException($"{path}: no two frames are any of the --lags apart (every column would be NaN); the trajectory needs frames separated by the lags");
            for (int k = 0; k < res.Lags.Length; k++)
                if (res.OriginCount[k] == 0)
                    Console.Error.WriteLine($"glassml: warning: no frame pair is {LaggedDisplacementResult.FormatLag(res.Lags[k])} ps apart; dr2_{LaggedDisplacementResult.FormatLag(res.Lags[k])} is NaN");
            var feats = res.ToFeatures(t);
            PerAtomOutput.Write(outPath, first!, feats, keepCols, pr.GetValue(threads));
            if (pr.GetValue(msd) is string msdPath) WriteCurves(msdPath, res);
            Console.WriteLine($"{res.Ids.Length} atoms, {res.OriginsUsed} origin(s), {res.Lags.Length} lag(s) written to {OutputPath.Describe(outPath)}" + (traj.DuplicatesSkipped > 0 ? $" ({traj.DuplicatesSkipped} duplicate frame(s) skipped)" : ""));
            return 0;
        })));
        return cmd;
    }

    /// <summary>Writes the group MSD curves (Å²) as CSV.</summary>
    public static void WriteCurves(string path, LaggedDisplacementResult res)
    {
        var cols = new List<string> { "lag", "origins" };
        (string Suffix, Axes Axes)[] parts = [("", Axes.All), ("_x", Axes.X), ("_y", Axes.Y), ("_z", Axes.Z), ("_yz", Axes.YZ), ("_xz", Axes.XZ), ("_xy", Axes.XY)];
        foreach (var g in res.GroupNames) foreach (var p in parts) cols.Add($"msd_{g}{p.Suffix}");
        var v = new double[res.Lags.Length * cols.Count];
        int c = 0;
        for (int k = 0; k < res.Lags.Length; k++)
        {
            v[c++] = res.Lags[k]; v[c++] = res.OriginCount[k];
            foreach (var g in res.GroupNames) foreach (var p in parts) v[c++] = res.Msd(g, k, p.Axes);
        }
        TableOutput.Write(path, cols, res.Lags.Length, v);
    }
}
