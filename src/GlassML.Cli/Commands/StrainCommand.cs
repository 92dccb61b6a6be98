using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml strain REFERENCE CURRENT… --cutoff R --out OUT.csv|.xyz</c>: Falk–Langer D²min and local strain
/// (columns d2min, d2min_mean, shear_strain, volumetric_strain, rotation_angle) of CURRENT relative to REFERENCE. Several
/// CURRENT files (or a glob) are one trajectory ordered by timestep; then every frame is compared (--frame defaults to all) and
/// written to one output: one frame each in extended XYZ and dumps, columns suffixed _t&lt;timestep&gt; in the tables.
/// </summary>
public static partial class StrainCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var reference = new Argument<string>("REFERENCE") { Description = "Reference structure (LAMMPS dump/data, extended XYZ)." };
        var current = CliSupport.FramesArgument("CURRENT", "Deformed structure(s) or trajectory (may be the same file as REFERENCE).");
        var cutoff = new Option<double>("--cutoff") { Description = "Neighbour cutoff R_c in the reference (Å).", DefaultValueFactory = _ => 4.5 };
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Extended XYZ and dumps carry the current positions (one frame each with --frame all); the tables one row per atom (columns suffixed _t<timestep> with --frame all).", Required = true };
        var keep = CliSupport.KeepOption();
        var refFrame = new Option<string>("--reference-frame") { Description = "Frame of REFERENCE: index (0-based), 'last'.", DefaultValueFactory = _ => "0" };
        var frame = new Option<string?>("--frame") { Description = "Frame(s) of CURRENT (indices count over all CURRENT files): index, 'last', or 'all' (tables get columns suffixed _t<timestep>; extended XYZ and dumps one frame each). Default: last for one CURRENT file, all for several." };
        var previous = new Option<bool>("--previous") { Description = "With --frame all: incremental strain of each frame relative to the previous one (instead of REFERENCE)." };
        var types = new Option<string?>("--types") { Description = "LAMMPS type → species, e.g. 1:Cu,2:Zr." };
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("strain", "Non-affine displacement D²min and local strain (Falk & Langer; OVITO conventions) relative to a reference configuration.");
        cmd.Arguments.Add(reference); cmd.Arguments.Add(current);
        foreach (var o in new Option[] { cutoff, output, refFrame, frame, previous, types, threads, keep, ClusterCommands.ShardOption() }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() => ClusterCommands.Whole(pr, "strain", [pr.GetValue(reference)!, .. CliSupport.Inputs(pr.GetValue(current), CliSupport.ParseTypes(pr.GetValue(types)))], outPath =>
        {
            double rc = pr.GetValue(cutoff);
            if (!(rc > 0) || !double.IsFinite(rc)) throw new ArgumentException("--cutoff must be a positive distance (Å)");
            var format = PerAtomOutput.FormatOf(outPath);
            bool perFrame = format is PerAtomFormat.ExtendedXyz or PerAtomFormat.LammpsDump;
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            string refPath = pr.GetValue(reference)!;
            var curFiles = CliSupport.Inputs(pr.GetValue(current), ro);
            string curPath = FrameFiles.Describe(curFiles);
            var refF = StructureReader.ReadFrame(refPath, ParseIndex(pr.GetValue(refFrame)!, "--reference-frame"), ro);
            refF.SortById();
            NonAffineDisplacement.CheckCutoff(refF.Box, rc); // before the neighbour search, which a huge cutoff makes costly
            int nthreads = pr.GetValue(threads);
            var calc = new NonAffineDisplacement(nthreads);
            var search = new NeighborSearch(nthreads);
            string sel = pr.GetValue(frame) ?? (curFiles.Count > 1 ? "all" : "last");
            int warnings = 0;
            if (sel != "all")
            {
                if (pr.GetValue(previous)) throw new ArgumentException("--previous needs --frame all");
                var cur = FrameFiles.ReadFrame(curFiles, ParseIndex(sel, "--frame"), ro);
                cur.SortById();
                // name both files when their atoms do not match (before the neighbour search)
                try { GlassML.Dynamics.AtomMatching.Map(refF, cur); }
                catch (ArgumentException e) { throw new ArgumentException($"{refPath} and {curPath} do not hold the same atoms: {e.Message}"); }
                var res = calc.Compute(refF, search.Ball(refF, rc), cur);
                warnings += res.InvalidCount;
                PerAtomOutput.Write(outPath, cur, res.ToFeatures(), keepCols, nthreads);
                Console.WriteLine($"strain of timestep {cur.Timestep} relative to timestep {refF.Timestep}: {res.Ids.Length} atoms written to {OutputPath.Describe(outPath)}");
            }
            else if (ClusterCommands.ShardOf(pr) is string sh)
                return ShardedAll(sh, outPath, refPath, curFiles, refF, rc, pr.GetValue(previous), ro, keepCols, calc, search);
            else
            {
                var traj = Trajectory.Open(curFiles, new TrajectoryOptions { Unwrap = UnwrapMode.None }, ro);
                bool prev = pr.GetValue(previous);
                Frame? csvFrame = prev ? null : refF;
                var blocks = new List<PerAtomFeatures>();
                int written = 0;
                // streams: holds the reference (or previous) frame, its neighbour list and the current frame
                IEnumerable<(Frame, PerAtomFeatures?)> Results()
                {
                    Frame? r = prev ? null : refF;
                    NeighborList? nl = prev ? null : search.Ball(refF, rc);
                    foreach (var f in traj)
                    {
                        ProgressReporter.Stage($"frame {written + 1} (timestep {f.Timestep})");
                        if (r is null) { r = f; csvFrame = f; nl = search.Ball(f, rc); continue; }
                        var res = calc.Compute(r, nl!, f);
                        warnings += res.InvalidCount;
                        written++;
                        yield return (f, res.ToFeatures());
                        if (prev) { r = f; nl = search.Ball(f, rc); }
                    }
                }
                if (perFrame) PerAtomOutput.Write(outPath, Results(), keepCols, stacked: true, float32: false, nthreads);
                else
                {
                    foreach (var (f, fe) in Results())
                        blocks.Add(new PerAtomFeatures(fe!.Names.Select(nm => $"{nm}_t{f.Timestep.ToString(CultureInfo.InvariantCulture)}").ToArray(), fe.AtomCount, fe.Values));
                    if (blocks.Count == 0) throw new InputFormatException(curPath, 0, "no frame to compare with the reference");
                    PerAtomOutput.Write(outPath, csvFrame!, PerAtomFeatures.Concat(blocks), keepCols, nthreads);
                }
                Console.WriteLine($"strain of {written} frame(s) written to {OutputPath.Describe(outPath)}");
            }
            if (warnings > 0)
                Console.Error.WriteLine($"glassml: warning: {warnings} atom value set(s) are NaN (fewer than 3 non-coplanar neighbours within {rc} Å)");
            return 0;
        }, shardsItself: pr.GetValue(frame) == "all")));
        return cmd;
    }

    internal static bool IsXyz(string path)
    {
        string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return p.EndsWith(".xyz", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".extxyz", StringComparison.OrdinalIgnoreCase);
    }

    internal static bool IsCsv(string path)
    {
        string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return p == "-" || p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
    }

    internal static int ParseIndex(string s, string option)
    {
        if (s == "last") return -1;
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i)) return i;
        throw new ArgumentException($"{option} {s}: give a frame index (0-based, negative counts from the end) or 'last'");
    }
}
