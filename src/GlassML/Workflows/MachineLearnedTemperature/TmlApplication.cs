using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Statistics;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>Options of <see cref="TmlApplication.Apply"/>.</summary>
public sealed record TmlApplyOptions
{
    /// <summary>Temperature (K) of the trajectory (the T in lg(Δr²/T)).</summary>
    public required double Temperature { get; init; }
    /// <summary>MD timestep (ps) of the trajectory.</summary>
    public required double Dt { get; init; }
    /// <summary>Start times (ps).</summary>
    public required IReadOnlyList<double> Starts { get; init; }
    /// <summary>When positive: also a start every this many ps from the first start (or 0) to the end of the trajectory.</summary>
    public double Every { get; init; } = double.NaN;
    /// <summary>Cell deformation inside a window: removed (default) or kept.</summary>
    public AffineMode Affine { get; init; } = AffineMode.Remove;
    /// <summary>Tg (K) of the liquid-like flag; NaN = the model's.</summary>
    public double Tg { get; init; } = double.NaN;
    /// <summary>Threads (0 = all cores); results do not depend on it.</summary>
    public int Threads { get; init; }
    /// <summary>Type → species map.</summary>
    public ReadOptions? ReadOptions { get; init; }
    /// <summary>
    /// When finite: neighbour cutoff (Å) of the Falk–Langer strain between each start frame and its lag frames, whose
    /// Pearson correlation with T_ML is reported against the lag (<see cref="TmlApplyResult.StrainCorrelation"/>).
    /// </summary>
    public double StrainCutoff { get; init; } = double.NaN;
}

/// <summary>T_ML of every atom for one complete window.</summary>
/// <param name="Start">Start time (ps).</param>
/// <param name="StartStep">Start timestep.</param>
/// <param name="Tml">T_ML per atom (K), in the order of <see cref="TmlApplyResult.Ids"/>.</param>
/// <param name="LiquidLike">T_ML &gt; Tg.</param>
public sealed record TmlStartResult(double Start, long StartStep, double[] Tml, bool[] LiquidLike);

/// <summary>The outcome of applying a model to a trajectory.</summary>
/// <param name="Windows">The trajectory's windows (complete and incomplete, in start order).</param>
/// <param name="Starts">Results of the complete windows, in start order.</param>
/// <param name="Tg">Tg (K) used for the flag.</param>
/// <param name="Summary">Per start: start, status, atoms, liquid-like fraction, mean, std, quantiles 5/25/50/75/95 % of T_ML.</param>
public sealed record TmlApplyResult(TmlWindowSet Windows, IReadOnlyList<TmlStartResult> Starts, double Tg, ResultTable Summary)
{
    /// <summary>Atom ids (ascending).</summary>
    public long[] Ids => Windows.Ids;

    /// <summary>
    /// With <see cref="TmlApplyOptions.StrainCutoff"/>: per complete start and model lag Δt, the Pearson correlation over
    /// atoms of T_ML with D²min, the von Mises shear strain and the rotation angle of the window t₀ → t₀ + Δt
    /// (<see cref="NonAffineDisplacement"/>, reference = the start frame; atoms with a degenerate neighbourhood left
    /// out and counted); null otherwise.
    /// </summary>
    public ResultTable? StrainCorrelation { get; init; }
}

/// <summary><c>glassml tml apply</c> as a library: T_ML per atom and start time, the liquid-like flag and per-start statistics.</summary>
public static class TmlApplication
{
    /// <summary>Quantile levels of the per-start summary.</summary>
    public static readonly double[] Quantiles = [0.05, 0.25, 0.5, 0.75, 0.95];

    /// <summary>Applies a model to a trajectory.</summary>
    /// <exception cref="ArgumentException">No Tg (neither given nor in the model), or no start given.</exception>
    /// <exception cref="InputFormatException">Unreadable trajectory, unknown species, or no complete window.</exception>
    public static TmlApplyResult Apply(string path, TmlModel model, TmlApplyOptions o)
    {
        if (o.Starts.Count == 0 && double.IsNaN(o.Every)) throw new ArgumentException("--starts: give at least one start time (ps)");
        double tg = double.IsNaN(o.Tg) ? model.Tg : o.Tg;
        if (!double.IsFinite(tg)) throw new ArgumentException("--tg: the model records no Tg; give --tg (K)");
        if (!double.IsNaN(o.StrainCutoff) && !(o.StrainCutoff > 0 && double.IsFinite(o.StrainCutoff)))
            throw new ArgumentException($"--strain-cutoff: {TmlWindows.Fmt(o.StrainCutoff)} Å is not a positive distance");
        var ws = TmlWindows.Read(path, o.Dt, model.Lags, o.Temperature, o.Starts, o.Affine, o.ReadOptions, o.Every);
        foreach (var s in ws.SpeciesNames.Distinct())
            if (!model.Header.Species.Contains(s))
                throw new InputFormatException(path, 0, $"species '{s}' is not one the tml model was trained on ({string.Join(", ", model.Header.Species)}); map LAMMPS types with --types");
        var results = new List<TmlStartResult>();
        var st = new List<double>(); var status = new List<string>(); var atoms = new List<long>(); var la = new List<double>(); var mean = new List<double>(); var std = new List<double>();
        var q = Quantiles.Select(_ => new List<double>()).ToArray();
        foreach (var w in ws.Windows)
        {
            st.Add(w.Start);
            if (!w.Complete)
            {
                status.Add(w.Problem); atoms.Add(0); la.Add(double.NaN); mean.Add(double.NaN); std.Add(double.NaN);
                foreach (var l in q) l.Add(double.NaN);
                continue;
            }
            var tml = model.Predict(w.Features, o.Threads);
            var flag = tml.Select(t => t > tg).ToArray();
            results.Add(new TmlStartResult(w.Start, w.StartStep, tml, flag));
            double m = tml.Average();
            status.Add("complete"); atoms.Add(tml.Length); la.Add(flag.Count(f => f) / (double)tml.Length); mean.Add(m);
            std.Add(Math.Sqrt(tml.Sum(t => (t - m) * (t - m)) / Math.Max(1, tml.Length - 1)));
            var sorted = (double[])tml.Clone(); Array.Sort(sorted);
            for (int j = 0; j < Quantiles.Length; j++) q[j].Add(Quantile(sorted, Quantiles[j]));
        }
        if (results.Count == 0)
            throw new InputFormatException(path, 0, $"no complete window: {ws.Windows[0].Problem}");
        var summary = new ResultTable().Add("start_ps", st).Add("status", status).Add("atoms", atoms).Add("liquid_like_fraction", la)
            .Add("tml_mean", mean).Add("tml_std", std);
        for (int j = 0; j < Quantiles.Length; j++) summary.Add($"tml_q{Math.Round(Quantiles[j] * 100)}", q[j]);
        return new TmlApplyResult(ws, results, tg, summary) { StrainCorrelation = double.IsNaN(o.StrainCutoff) ? null : StrainCorrelation(ws, results, model.Lags, o) };
    }

    /// <summary>Pearson correlation of T_ML with D²min, shear strain and rotation angle per start and lag.</summary>
    private static ResultTable StrainCorrelation(TmlWindowSet ws, IReadOnlyList<TmlStartResult> results, double[] lags, TmlApplyOptions o)
    {
        double rc = o.StrainCutoff;
        var lagSteps = TmlWindows.LagSteps(lags, o.Dt);
        var nad = new NonAffineDisplacement(o.Threads);
        var search = new NeighborSearch(o.Threads);
        var st = new List<double>(); var lg = new List<double>(); var pd = new List<double>(); var ps = new List<double>(); var pr = new List<double>(); var bad = new List<long>();
        foreach (var r in results)
        {
            var f0 = ws.Frames[r.StartStep];
            try { NonAffineDisplacement.CheckCutoff(f0.Box, rc); }
            catch (ArgumentException e) { throw new ArgumentException($"--strain-cutoff: {e.Message}"); }
            var nl = search.Ball(f0, rc);
            for (int k = 0; k < lags.Length; k++)
            {
                var a = nad.Compute(f0, nl, ws.Frames[r.StartStep + lagSteps[k]]);
                var ok = Enumerable.Range(0, r.Tml.Length).Where(i => double.IsFinite(a.D2min[i])).ToArray();
                double P(double[] v) => ok.Length < 2 ? double.NaN : Correlation.Pearson(ok.Select(i => r.Tml[i]).ToArray(), ok.Select(i => v[i]).ToArray());
                st.Add(r.Start); lg.Add(lags[k]); pd.Add(P(a.D2min)); ps.Add(P(a.ShearStrain)); pr.Add(P(a.RotationAngle)); bad.Add(a.InvalidCount);
            }
        }
        return new ResultTable().Add("start_ps", st).Add("lag_ps", lg).Add("pearson_d2min", pd).Add("pearson_shear_strain", ps)
            .Add("pearson_rotation_angle", pr).Add("degenerate_atoms", bad);
    }

    /// <summary>Linear-interpolation quantile of sorted values (numpy's default).</summary>
    public static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
