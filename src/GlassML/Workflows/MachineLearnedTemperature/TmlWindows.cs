using System.Globalization;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>How the homogeneous cell deformation inside a time window is treated.</summary>
public enum AffineMode
{
    /// <summary>Every frame is mapped into the start frame's cell (r' = O₀ + H₀·H_t⁻¹·(r_t − O_t)) before Δr² is taken.</summary>
    Remove,
    /// <summary>Unwrapped positions are used as they are (the cell deformation counts as motion).</summary>
    Keep,
}

/// <summary>
/// One time window of a trajectory: the start time and, when every lag frame exists, the per-atom features
/// lg(Δr²(Δt)/T) (Δr² in Å², T in K) at each lag, row-major atoms × lags.
/// </summary>
/// <param name="Start">Start time (ps) = start step × dt.</param>
/// <param name="StartStep">Start timestep.</param>
/// <param name="Problem">Empty for a complete window; else why it is incomplete (e.g. past the end).</param>
/// <param name="PastEnd">True when the window runs past the last frame.</param>
/// <param name="Features">atoms × lags values of lg(Δr²/T) (empty when incomplete).</param>
public sealed record TmlWindow(double Start, long StartStep, string Problem, bool PastEnd, double[] Features)
{
    /// <summary>True when every lag frame exists.</summary>
    public bool Complete => Problem.Length == 0;
}

/// <summary>The windows of one trajectory and the atoms they describe.</summary>
/// <param name="Path">Trajectory file.</param>
/// <param name="Lags">Lags (ps) of the feature columns.</param>
/// <param name="Windows">Windows in start order.</param>
/// <param name="Ids">Atom ids (ascending; the order of the feature rows).</param>
/// <param name="SpeciesNames">Species name of every atom.</param>
/// <param name="StartFrames">The frame at each complete window's start (by start step), unwrapped positions.</param>
/// <param name="LastStep">Last timestep of the trajectory.</param>
/// <param name="FrameSteps">Timesteps of every frame read.</param>
public sealed record TmlWindowSet(string Path, double[] Lags, IReadOnlyList<TmlWindow> Windows, long[] Ids, string[] SpeciesNames,
    IReadOnlyDictionary<long, Frame> StartFrames, long LastStep, long[] FrameSteps)
{
    /// <summary>Every frame kept while reading, by timestep (at least each complete window's start and lag frames).</summary>
    public IReadOnlyDictionary<long, Frame> Frames { get; init; } = new Dictionary<long, Frame>();
}

/// <summary>
/// Cuts a trajectory into windows (start time t₀ and the frames at t₀ + Δt for every lag Δt) and computes the per-atom
/// features lg(Δr²/T) of the machine-learned temperature. Frame time = timestep × dt; a lag or start time matches a
/// frame when round(time/dt) equals its timestep. A window whose lag frame lies after the last frame is incomplete
/// ("past the end") and is never shortened; one whose lag frame falls inside the trajectory but was not written is
/// incomplete too ("not on the frame schedule").
/// </summary>
public static class TmlWindows
{
    /// <summary>Timesteps of lags (ps); each must be a positive whole number of timesteps.</summary>
    /// <exception cref="ArgumentException">A lag that is not a positive multiple of dt, or a repeated lag.</exception>
    public static long[] LagSteps(IReadOnlyList<double> lags, double dt)
    {
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ArgumentException("--dt must be a positive timestep (ps)");
        if (lags.Count == 0) throw new ArgumentException("--lags: give at least one lag (ps)");
        var st = new long[lags.Count];
        for (int k = 0; k < lags.Count; k++)
        {
            double q = lags[k] / dt;
            if (!(lags[k] > 0) || !double.IsFinite(q)) throw new ArgumentException($"--lags: {Fmt(lags[k])} ps is not a positive time");
            st[k] = (long)Math.Round(q);
            if (st[k] < 1 || Math.Abs(q - st[k]) > 1e-6 * Math.Max(1, q))
                throw new ArgumentException($"--lags: {Fmt(lags[k])} ps is not a whole number of timesteps dt = {Fmt(dt)} ps");
            for (int m = 0; m < k; m++) if (st[m] == st[k]) throw new ArgumentException($"--lags: {Fmt(lags[k])} ps is given twice");
        }
        return st;
    }

    /// <summary>
    /// Reads a trajectory and computes the windows.
    /// </summary>
    /// <param name="path">Trajectory (LAMMPS dump with xu yu zu or image flags; plain or .gz).</param>
    /// <param name="dt">Timestep (ps).</param>
    /// <param name="lags">Lags (ps).</param>
    /// <param name="temperature">Temperature of the run (K) in lg(Δr²/T).</param>
    /// <param name="starts">Start times (ps); null = every frame of the trajectory (or the first start of the grid of <paramref name="every"/>).</param>
    /// <param name="affine">Whether the cell deformation is removed.</param>
    /// <param name="readOptions">Type → species map.</param>
    /// <param name="every">When positive: also a start every this many ps, from the first of <paramref name="starts"/> (or 0) to the last frame.</param>
    /// <exception cref="InputFormatException">Unreadable file, changing atoms, or a zero displacement.</exception>
    public static TmlWindowSet Read(string path, double dt, IReadOnlyList<double> lags, double temperature, IReadOnlyList<double>? starts,
        AffineMode affine, ReadOptions? readOptions = null, double every = double.NaN)
    {
        bool grid = !double.IsNaN(every);
        if (grid && (!(every > 0) || !double.IsFinite(every))) throw new ArgumentException($"--every: {Fmt(every)} ps is not a positive time");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentException($"temperature {Fmt(temperature)} K is not positive");
        var lagSteps = LagSteps(lags, dt);
        HashSet<long>? startSteps = null;
        if (starts is not null)
        {
            startSteps = [];
            foreach (var s in starts)
            {
                double q = s / dt;
                if (!(s >= 0) || !double.IsFinite(q)) throw new ArgumentException($"--starts: {Fmt(s)} ps is not a time ≥ 0");
                long st = (long)Math.Round(q);
                if (Math.Abs(q - st) > 1e-6 * Math.Max(1, q)) throw new ArgumentException($"--starts: {Fmt(s)} ps is not a whole number of timesteps dt = {Fmt(dt)} ps");
                startSteps.Add(st);
            }
        }
        long everySteps = 0;
        if (grid)
        {
            double q = every / dt;
            everySteps = (long)Math.Round(q);
            if (everySteps < 1 || Math.Abs(q - everySteps) > 1e-6 * Math.Max(1, q)) throw new ArgumentException($"--every: {Fmt(every)} ps is not a whole number of timesteps dt = {Fmt(dt)} ps");
        }
        HashSet<long>? needed = null;
        if (startSteps is not null && !grid)
        {
            needed = [.. startSteps];
            foreach (long s in startSteps) foreach (long l in lagSteps) needed.Add(s + l);
        }
        var frames = new Dictionary<long, Frame>();
        var steps = new List<long>();
        try
        {
            var traj = Trajectory.Open(path, new TrajectoryOptions { Dt = dt }, readOptions);
            foreach (var f in traj)
            {
                steps.Add(f.Timestep);
                if (needed is null || needed.Contains(f.Timestep)) frames[f.Timestep] = f;
            }
        }
        catch (InvalidDataException e) { throw new InputFormatException(path, 0, e.Message); }
        if (steps.Count == 0) throw new InputFormatException(path, 0, "no frames");
        long last = steps[^1];
        var first = frames.Count > 0 ? frames.Values.First() : throw new InputFormatException(path, 0,
            $"no frame at any start time (frames span t = {Fmt(steps[0] * dt)}…{Fmt(last * dt)} ps with dt = {Fmt(dt)} ps)");
        long[] ids = first.Ids;
        string[] species = first.SpeciesIndex.Select(s => first.Species[s].Name).ToArray();
        int n = ids.Length, L = lagSteps.Length;
        if (grid)
        {
            long s0 = startSteps is null || startSteps.Count == 0 ? 0 : startSteps.Min();
            startSteps ??= [];
            for (long s = s0; s <= last; s += everySteps) startSteps.Add(s);
        }
        var order = startSteps is null ? steps.ToArray() : startSteps.OrderBy(s => s).ToArray();
        var windows = new List<TmlWindow>();
        var startFrames = new Dictionary<long, Frame>();
        foreach (long s in order)
        {
            double t0 = s * dt;
            if (!frames.TryGetValue(s, out var f0))
            {
                bool past = s > last;
                windows.Add(new TmlWindow(t0, s, past ? $"past the end (starts at t = {Fmt(t0)} ps, the trajectory ends at {Fmt(last * dt)} ps)"
                    : $"no frame at the start t = {Fmt(t0)} ps (not on the frame schedule)", past, []));
                continue;
            }
            string problem = "";
            bool pastEnd = false;
            foreach (long l in lagSteps.Order())
            {
                if (frames.ContainsKey(s + l)) continue;
                pastEnd = s + l > last;
                problem = pastEnd ? $"past the end (needs t = {Fmt((s + l) * dt)} ps for the lag {Fmt(l * dt)} ps, the trajectory ends at {Fmt(last * dt)} ps)"
                                  : $"no frame at t = {Fmt((s + l) * dt)} ps for the lag {Fmt(l * dt)} ps (not on the frame schedule)";
                break;
            }
            if (problem.Length > 0) { windows.Add(new TmlWindow(t0, s, problem, pastEnd, [])); continue; }
            var feat = new double[n * L];
            CheckAtoms(path, f0, ids);
            for (int k = 0; k < L; k++)
            {
                var ft = frames[s + lagSteps[k]];
                CheckAtoms(path, ft, ids);
                for (int i = 0; i < n; i++)
                {
                    var rt = new Vec3(ft.X[i], ft.Y[i], ft.Z[i]);
                    if (affine == AffineMode.Remove) rt = f0.Box.ToCartesian(ft.Box.ToFractional(rt));
                    double dx = rt.X - f0.X[i], dy = rt.Y - f0.Y[i], dz = rt.Z - f0.Z[i];
                    double d2 = dx * dx + dy * dy + dz * dz;
                    if (!(d2 > 0)) throw new InputFormatException(path, 0, $"atom {ids[i]} does not move between t = {Fmt(t0)} and {Fmt(t0 + lags[k])} ps (lg(Δr²/T) undefined)");
                    feat[i * L + k] = Math.Log10(d2 / temperature);
                }
            }
            startFrames[s] = f0;
            windows.Add(new TmlWindow(t0, s, "", false, feat));
        }
        return new TmlWindowSet(path, lags.ToArray(), windows, ids, species, startFrames, last, steps.ToArray()) { Frames = frames };
    }

    private static void CheckAtoms(string path, Frame f, long[] ids)
    {
        if (!f.PositionsUnwrapped) throw new InputFormatException(path, 0, $"timestep {f.Timestep}: positions are not unwrapped (write xu yu zu or image flags)");
        if (!f.Ids.AsSpan().SequenceEqual(ids)) throw new InputFormatException(path, 0, $"timestep {f.Timestep} holds other atoms than the first frame used");
    }

    internal static string Fmt(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
