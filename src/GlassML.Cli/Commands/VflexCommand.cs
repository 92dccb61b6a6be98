using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml vflex RUN1.dump RUN2.dump ... --start START.dump --out OUT.csv|.xyz</c>: per-atom vibrational MSD over a
/// set of short NVE runs started from one configuration and the flexibility volume v_flex = MSD · a (Ding et al. 2016;
/// spec physics.md "Displacements and flexibility"). Columns <c>msd_vib</c> (Å², mean over runs), <c>a_mean</c> (Å, mean
/// distance to the first-shell neighbours of START), <c>v_flex</c> (Å³) and <c>ln_v_flex</c> (natural log of v_flex in Å³).
/// </summary>
public static class VflexCommand
{
    /// <summary>Output column names in order.</summary>
    public static readonly IReadOnlyList<string> ColumnNames = [.. FlexibilityVolume.FeatureNames, "ln_v_flex"];

    /// <summary>Split-half Pearson and Spearman correlations below this are reported as unreliable.</summary>
    public const double ReliabilityThreshold = 0.9;

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var runs = new Argument<string[]>("RUNS")
        {
            Description = "NVE run dumps (LAMMPS dump, plain or .gz; extended XYZ), one file per velocity seed, each with ≥ 2 frames in time order (unwrapped xu yu zu, image flags, or wrapped positions unwrapped by continuity).",
            Arity = ArgumentArity.OneOrMore,
        };
        var start = new Option<string>("--start") { Description = "The starting configuration of the runs (e.g. OUT_start.dump of recipes/lammps/nve_vibration.in, or the data file): neighbours and a_i come from it.", Required = true };
        var neighbors = new Option<string>("--neighbors") { Description = "First shell of a_i: voronoi (face-sharing neighbours, as Ding et al. define it) or cutoff (all atoms within --cutoff).", DefaultValueFactory = _ => "voronoi" };
        var cutoff = new Option<double>("--cutoff") { Description = "Cutoff (Å) of --neighbors cutoff: the first minimum of g(r) (3.775 Å for the Cu50Zr50 test glass).", DefaultValueFactory = _ => 3.8 };
        var radii = new Option<string?>("--radii") { Description = "Radical Voronoi radii by species, e.g. Cu:1.28,Zr:1.60 (or Cu=1.28,Zr=1.60); default plain Voronoi. Names are species after --types." };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". Columns msd_vib, a_mean, v_flex, ln_v_flex; extended XYZ and dumps carry the START positions.", Required = true };
        var keep = CliSupport.KeepOption();
        var cmd = new Command("vflex", "Vibrational MSD over short NVE runs from one configuration and the flexibility volume v_flex = MSD·a (Ding et al. 2016), with a split-half reliability check.");
        cmd.Arguments.Add(runs);
        foreach (var o in new Option[] { start, neighbors, cutoff, radii, types, threads, output, keep }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string outPath = pr.GetValue(output)!;
            PerAtomOutput.FormatOf(outPath);
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            bool voronoi = pr.GetValue(neighbors)!.ToLowerInvariant() switch
            {
                "voronoi" or "voro" => true,
                "cutoff" or "cut" => false,
                var v => throw new ArgumentException($"--neighbors: '{v}' is not voronoi or cutoff"),
            };
            double rc = pr.GetValue(cutoff);
            if (!(rc > 0) || !double.IsFinite(rc)) throw new ArgumentException("--cutoff must be a positive distance (Å)");
            string? radiiText = pr.GetValue(radii);
            var radiiMap = FeaturizeCommand.ParseRadii(radiiText?.Replace('=', ':'));
            if (radiiMap is not null && !voronoi) throw new ArgumentException("--radii applies to --neighbors voronoi only");
            int nthreads = pr.GetValue(threads);
            if (nthreads < 0) throw new ArgumentException("--threads must be ≥ 0 (0 = all cores)");
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            string startPath = pr.GetValue(start)!;
            string[] files = [.. FrameFiles.Expand(pr.GetValue(runs)!)];
            foreach (var f in files.Append(startPath))
                if (!File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
            var seenRuns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in files)
                if (!seenRuns.Add(Path.GetFullPath(f))) throw new InputFormatException(f, 0, "given twice as a run (each run counts once in the MSD and the split-half check)");

            var startFrame = StructureReader.ReadFrame(startPath, 0, ro);
            startFrame.SortById();
            if (radiiMap is not null)
            {
                var present = new HashSet<string>(Enumerable.Range(0, startFrame.Species.Count).Select(s => startFrame.Species[s].Name), StringComparer.Ordinal);
                foreach (var name in radiiMap.Keys)
                    if (!present.Contains(name))
                        throw new ArgumentException($"--radii: species '{name}' is not in {startPath} (its species: {string.Join(", ", present)}; map LAMMPS types with --types 1:Cu,2:Zr)");
                foreach (var name in present)
                    if (!radiiMap.ContainsKey(name))
                        throw new ArgumentException($"--radii: no radius for species '{name}' of {startPath}");
            }

            var res = ComputeMsd(files, ro, nthreads);
            CheckSameAtoms(res, startFrame, startPath, files[0]);
            NeighborList nl = voronoi
                ? new VoronoiTessellation(new VoronoiOptions { Radii = radiiMap, Threads = nthreads }).Compute(startFrame).Neighbors
                : new NeighborSearch(nthreads).Ball(startFrame, rc);
            var a = FlexibilityVolume.MeanNeighborDistance(nl);
            var msd = Align(res.Msd, res, startFrame);
            var feats = Features(msd, a);
            PerAtomOutput.Write(outPath, startFrame, feats, keepCols, nthreads);

            PrintSummary(res, startFrame, a, feats, voronoi ? (radiiMap is null ? "Voronoi" : "radical Voronoi") : $"cutoff {rc.ToString(CultureInfo.InvariantCulture)} Å", outPath);
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// Vibrational MSD over the run files (each through a <see cref="Trajectory"/> with automatic unwrapping, atoms sorted
    /// by id). A run with fewer than two frames, or a frame whose atom ids differ from those of the first run's first frame,
    /// is an <see cref="InputFormatException"/> naming that run's file and timestep.
    /// </summary>
    /// <param name="files">One file per run, in run order.</param>
    /// <param name="readOptions">Reader options (type → species map).</param>
    /// <param name="threads">Maximum degree of parallelism (0 = all cores).</param>
    public static VibrationalMsdResult ComputeMsd(IReadOnlyList<string> files, ReadOptions? readOptions = null, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new ArgumentException("give at least one NVE run");
        int current = -1;
        long[]? refIds = null;
        IEnumerable<Frame> Checked(int k)
        {
            int m = 0;
            ProgressReporter.Item("run", k, files.Count);
            foreach (var f in Trajectory.Open(files[k], new TrajectoryOptions(), readOptions))
            {
                if (refIds is null) refIds = (long[])f.Ids.Clone();
                else if (!refIds.AsSpan().SequenceEqual(f.Ids)) throw new InputFormatException(files[k], 0, $"timestep {f.Timestep}: {AtomDifference(refIds, f.Ids, files[0])} (every run must hold the same atoms)");
                m++;
                yield return f;
            }
            if (m < 2) throw new InputFormatException(files[k], 0, $"{m} frame(s); a run needs at least two (frames repeating the previous timestep are skipped)");
        }
        IEnumerable<IEnumerable<Frame>> Runs()
        {
            for (int k = 0; k < files.Count; k++)
            {
                current = k;
                yield return Checked(k);
            }
        }
        try
        {
            return new VibrationalMsd(threads).Compute(Runs());
        }
        catch (ArgumentException e) when (current >= 0)
        {
            throw new InputFormatException(files[current], 0, e.Message);
        }
    }

    /// <summary>How the sorted id list <paramref name="ids"/> differs from the sorted <paramref name="reference"/> of <paramref name="referenceFile"/>.</summary>
    private static string AtomDifference(long[] reference, long[] ids, string referenceFile)
    {
        if (ids.Length != reference.Length) return $"{ids.Length} atoms, but {referenceFile} has {reference.Length}";
        var set = new HashSet<long>(reference);
        foreach (long id in ids)
            if (!set.Contains(id)) return $"atom id {id} is not in {referenceFile}";
        return $"duplicate atom ids (ids differ from {referenceFile})";
    }

    private static void CheckSameAtoms(VibrationalMsdResult res, Frame start, string startPath, string firstRun)
    {
        if (res.Ids.Length != start.Count)
            throw new InputFormatException(startPath, 0, $"{start.Count} atoms, but the runs ({firstRun}) hold {res.Ids.Length}");
        var ids = new HashSet<long>(start.Ids);
        foreach (long id in res.Ids)
            if (!ids.Contains(id)) throw new InputFormatException(startPath, 0, $"atom id {id} of the runs ({firstRun}) is missing");
    }

    /// <summary>Per-atom values of the MSD result reordered to the atoms of <paramref name="frame"/> (matched by id).</summary>
    private static double[] Align(double[] values, VibrationalMsdResult res, Frame frame)
    {
        var at = new Dictionary<long, int>(res.Ids.Length);
        for (int i = 0; i < res.Ids.Length; i++) at[res.Ids[i]] = i;
        var r = new double[frame.Count];
        for (int j = 0; j < r.Length; j++) r[j] = values[at[frame.Ids[j]]];
        return r;
    }

    /// <summary>Columns msd_vib, a_mean, v_flex = msd·a, ln_v_flex = ln(v_flex) per atom.</summary>
    public static PerAtomFeatures Features(ReadOnlySpan<double> msd, ReadOnlySpan<double> a)
    {
        var v = FlexibilityVolume.Compute(msd, a);
        int n = v.Length, nc = ColumnNames.Count;
        var values = new double[n * nc];
        for (int i = 0; i < n; i++)
        {
            values[nc * i] = msd[i]; values[nc * i + 1] = a[i]; values[nc * i + 2] = v[i]; values[nc * i + 3] = Math.Log(v[i]);
        }
        return new PerAtomFeatures(ColumnNames, n, values);
    }

    private static void PrintSummary(VibrationalMsdResult res, Frame start, double[] a, PerAtomFeatures feats, string shell, string outPath)
    {
        var inv = CultureInfo.InvariantCulture;
        int fmin = res.FrameCounts.Min(), fmax = res.FrameCounts.Max();
        string frames = fmin == fmax ? fmin.ToString(inv) : $"{fmin}–{fmax}";
        Console.WriteLine(string.Create(inv, $"{res.RunCount} run(s), {frames} frames per run, {start.Count} atoms; a_i over {shell} neighbours of the start structure"));
        int vcol = feats.IndexOf("v_flex"); // ln_v_flex follows it
        int nonFinite = 0;
        for (int s = 0; s < start.Species.Count; s++)
        {
            var vals = new List<double>();
            for (int i = 0; i < start.Count; i++)
                if (start.SpeciesIndex[i] == s)
                {
                    double v = feats[i, vcol];
                    if (double.IsFinite(v)) vals.Add(v);
                    if (!double.IsFinite(feats[i, vcol + 1])) nonFinite++;
                }
            if (vals.Count == 0) continue;
            vals.Sort();
            double median = vals.Count % 2 == 1 ? vals[vals.Count / 2] : 0.5 * (vals[vals.Count / 2 - 1] + vals[vals.Count / 2]);
            Console.WriteLine(string.Create(inv, $"  {start.Species[s].Name}: {vals.Count} atoms, v_flex mean {vals.Average():G5} Å³, median {median:G5} Å³"));
        }
        if (nonFinite > 0)
            Console.Error.WriteLine($"glassml: warning: {nonFinite} atom(s) have no neighbours or zero MSD (v_flex NaN or 0, ln_v_flex NaN or -inf)");
        if (res.RunCount >= 4)
        {
            // a and v_flex by result order (the start frame may order atoms differently)
            var aById = new double[res.Ids.Length];
            var at = new Dictionary<long, int>(start.Count);
            for (int j = 0; j < start.Count; j++) at[start.Ids[j]] = j;
            for (int i = 0; i < aById.Length; i++) aById[i] = a[at[res.Ids[i]]];
            var (p, sp) = FlexibilityVolume.SplitHalf(res, aById);
            Console.WriteLine(string.Create(inv, $"split-half reliability of v_flex (runs 1, 3, 5, … vs 2, 4, 6, …: {(res.RunCount + 1) / 2} vs {res.RunCount / 2} runs): Pearson {p:F4}, Spearman {sp:F4}"));
            if (!(p >= ReliabilityThreshold && sp >= ReliabilityThreshold))
                Console.WriteLine(string.Create(inv, $"  below {ReliabilityThreshold}: v_flex is not yet reproducible; add NVE runs (short runs, frames ≥ 0.2 ps apart; see docs/recipes.md)"));
        }
        else
            Console.WriteLine("split-half reliability: needs ≥ 4 runs (not computed)");
        Console.WriteLine($"{start.Count} atoms written to {OutputPath.Describe(outPath)}");
    }
}
