using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>Per-atom bond statistics (frame order): each bond counts for both of its atoms; atoms without bonds get NaN and 0.</summary>
/// <param name="Mean">Mean bond strength.</param>
/// <param name="Min">Weakest bond.</param>
/// <param name="Max">Strongest bond.</param>
/// <param name="Count">Number of bonds.</param>
public sealed record AtomBondStats(double[] Mean, double[] Min, double[] Max, int[] Count);

/// <summary>
/// <c>glassml bonds apply</c>: every bond of a structure predicted by a model, then per atom the mean, min and max bond
/// strength and bond count, and the weakly (WB, mean below the threshold of its species) / strongly (SB) bonded groups.
/// </summary>
public static class BondApply
{
    /// <summary>Per-atom column names written by apply (the first is the demo's indicator).</summary>
    public static readonly string[] Columns = ["bond_strength_mean", "bond_strength_min", "bond_strength_max", "bond_count", "bond_class"];

    /// <summary>Per-atom statistics of predicted bonds (bonds predicted NaN are skipped).</summary>
    public static AtomBondStats PerAtom(Frame frame, BondTable bonds, double[] values)
    {
        int n = frame.Count;
        var sum = new double[n]; var min = new double[n]; var max = new double[n]; var count = new int[n];
        Array.Fill(min, double.PositiveInfinity); Array.Fill(max, double.NegativeInfinity);
        for (int b = 0; b < bonds.Count; b++)
        {
            double v = values[b];
            if (double.IsNaN(v)) continue;
            foreach (int a in new[] { bonds.I[b], bonds.J[b] })
            {
                sum[a] += v; count[a]++;
                if (v < min[a]) min[a] = v;
                if (v > max[a]) max[a] = v;
            }
        }
        var mean = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (count[i] == 0) { mean[i] = min[i] = max[i] = double.NaN; continue; }
            mean[i] = sum[i] / count[i];
        }
        return new AtomBondStats(mean, min, max, count);
    }

    /// <summary>
    /// Thresholds per species index of the frame: <c>Cu:0.61,Zr:0.72</c>, one number for all species, or (null) the
    /// median of the per-atom mean of each species.
    /// </summary>
    /// <exception cref="ArgumentException">Malformed text or a species present without a threshold.</exception>
    public static double[] Thresholds(Frame frame, AtomBondStats stats, string? text)
    {
        int ns = frame.Species.Count;
        var t = new double[ns];
        if (string.IsNullOrWhiteSpace(text))
        {
            for (int s = 0; s < ns; s++)
            {
                var v = Enumerable.Range(0, frame.Count).Where(i => frame.SpeciesIndex[i] == s && !double.IsNaN(stats.Mean[i])).Select(i => stats.Mean[i]).Order().ToArray();
                t[s] = v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
            }
            return t;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double all) && double.IsFinite(all))
        {
            Array.Fill(t, all);
            return t;
        }
        Array.Fill(t, double.NaN);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new ArgumentException($"--threshold: '{part}' is not SPECIES:VALUE (e.g. Cu:0.6) or one number");
            int s = frame.Species.IndexOf(kv[0]);
            if (s >= 0) t[s] = v;
        }
        var counts = frame.SpeciesCounts();
        for (int s = 0; s < ns; s++)
            if (counts[s] > 0 && double.IsNaN(t[s])) throw new ArgumentException($"--threshold: no value for species {frame.Species[s].Name}");
        return t;
    }

    /// <summary>Group of each atom: 0 = WB (mean below its species' threshold), 1 = SB, NaN without bonds.</summary>
    public static double[] Classify(Frame frame, AtomBondStats stats, double[] thresholds) =>
        Enumerable.Range(0, frame.Count).Select(i => double.IsNaN(stats.Mean[i]) ? double.NaN : stats.Mean[i] < thresholds[frame.SpeciesIndex[i]] ? 0.0 : 1.0).ToArray();

    /// <summary>Per-atom values as features (columns <see cref="Columns"/>).</summary>
    public static PerAtomFeatures Features(Frame frame, AtomBondStats stats, double[] classes)
    {
        int n = frame.Count, c = Columns.Length;
        var v = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            v[i * c] = stats.Mean[i]; v[i * c + 1] = stats.Min[i]; v[i * c + 2] = stats.Max[i]; v[i * c + 3] = stats.Count[i]; v[i * c + 4] = classes[i];
        }
        return new PerAtomFeatures(Columns, n, v);
    }

    /// <summary>
    /// Threshold sweep: per species, 21 thresholds from the 5th to the 95th percentile of the per-atom mean, with the
    /// WB and SB counts and the mean strength of each group.
    /// </summary>
    public static ResultTable Sweep(Frame frame, AtomBondStats stats, int steps = 21)
    {
        var sp = new List<string>(); var th = new List<double>(); var nwb = new List<long>(); var nsb = new List<long>(); var fwb = new List<double>();
        var mwb = new List<double>(); var msb = new List<double>();
        for (int s = 0; s < frame.Species.Count; s++)
        {
            var v = Enumerable.Range(0, frame.Count).Where(i => frame.SpeciesIndex[i] == s && !double.IsNaN(stats.Mean[i])).Select(i => stats.Mean[i]).Order().ToArray();
            if (v.Length == 0) continue;
            double lo = Quantile(v, 0.05), hi = Quantile(v, 0.95);
            for (int k = 0; k < steps; k++)
            {
                double t = steps == 1 ? lo : lo + (hi - lo) * k / (steps - 1);
                var wb = v.Where(x => x < t).ToArray(); var sb = v.Where(x => x >= t).ToArray();
                sp.Add(frame.Species[s].Name); th.Add(t); nwb.Add(wb.Length); nsb.Add(sb.Length); fwb.Add((double)wb.Length / v.Length);
                mwb.Add(wb.Length > 0 ? wb.Average() : double.NaN); msb.Add(sb.Length > 0 ? sb.Average() : double.NaN);
            }
        }
        return new ResultTable().Add("species", sp).Add("threshold", th).Add("n_wb", nwb).Add("n_sb", nsb).Add("fraction_wb", fwb)
            .Add("mean_wb", mwb).Add("mean_sb", msb);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>Writes the bonds with their predictions: <c>frame,id_i,id_j,species_i,species_j,distance,value,image_a,image_b,image_c</c>.</summary>
    public static void WriteBonds(string path, BondPrediction p, int frameIndex) =>
        BondLabelCsv.Write(path, [new LabelledBonds(frameIndex, p.Bonds, p.Values)]);

    /// <summary>The report of an apply run: bond strength per type, per-atom slab map, WB/SB counts and the threshold sweep.</summary>
    public static void Report(RunDirectory run, BondModel model, BondPrediction p, AtomBondStats stats, double[] thresholds, double[] classes)
    {
        var f = p.Bonds.Frame; var pairs = model.PairNames;
        const string sec = "Bond strength";
        var samples = new List<(string, IReadOnlyList<double>)>();
        int total = p.Values.Count(v => !double.IsNaN(v));
        for (int t = 0; t < pairs.Length; t++)
        {
            var v = p.Values.Where((x, b) => p.Types[b] == t && !double.IsNaN(x)).ToArray();
            if (v.Length > 0) samples.Add(($"{pairs[t]} ({100.0 * v.Length / total:F1} % of bonds)", v));
        }
        run.AddFigure(sec, Plots.Histogram("strength_by_type", "Predicted bond strength by pair type", "bond strength", samples, 40));
        var types = new ResultTable().Add("pair", pairs)
            .Add("bonds", pairs.Select((_, t) => (long)p.Types.Count(x => x == t)).ToArray())
            .Add("mean", pairs.Select((_, t) => Mean(p.Values.Where((x, b) => p.Types[b] == t && !double.IsNaN(x)))).ToArray());
        run.WriteTable("bond_types.csv", types, sec, "Bonds per pair type and their mean predicted strength");

        var (ids, x, y, sel) = GlassML.Workflows.Demo.DemoJob.Slab(f, 5.0);
        run.AddFigure("Per atom", Plots.SlabMap("mean_strength_slab", "Mean bond strength per atom (5 Å slab)", "bond_strength_mean", ids, x, y,
            sel.Select(i => stats.Mean[i]).ToArray(), sel.Select(i => classes[i] == 0).ToArray(), "WB"));
        var cats = Enumerable.Range(0, f.Species.Count).Where(s => f.SpeciesCounts()[s] > 0).ToArray();
        var names = cats.Select(s => f.Species[s].Name).ToArray();
        var wbCount = cats.Select(s => (double)Enumerable.Range(0, f.Count).Count(i => f.SpeciesIndex[i] == s && classes[i] == 0)).ToArray();
        var sbCount = cats.Select(s => (double)Enumerable.Range(0, f.Count).Count(i => f.SpeciesIndex[i] == s && classes[i] == 1)).ToArray();
        run.AddFigure("Per atom", Plots.Bars("wb_sb_counts", "Weakly (WB) and strongly (SB) bonded atoms", "atoms", names, [("WB", wbCount), ("SB", sbCount)]));
        run.WriteTable("thresholds.csv", new ResultTable().Add("species", names).Add("threshold", cats.Select(s => thresholds[s]).ToArray())
            .Add("n_wb", wbCount).Add("n_sb", sbCount), "Per atom", "Threshold of each species and the group sizes");
        var sweep = Sweep(f, stats);
        run.WriteTable("threshold_sweep.csv", sweep, "Threshold sweep", "WB/SB counts over thresholds from the 5th to the 95th percentile of each species' per-atom mean", 60);
        var sp = names.Select(nm => new Series(nm,
            Enumerable.Range(0, sweep.Rows).Where(r => sweep.Cell(r, 0) == nm).Select(r => sweep.Numbers("threshold")[r]).ToArray(),
            Enumerable.Range(0, sweep.Rows).Where(r => sweep.Cell(r, 0) == nm).Select(r => sweep.Numbers("fraction_wb")[r]).ToArray())).ToArray();
        run.AddFigure("Threshold sweep", Plots.Line("threshold_sweep", "Fraction of WB atoms against the threshold", "threshold (mean bond strength)", "fraction WB", sp));
    }

    /// <summary>The demo's apply: the shipped model on the demo glass → per-atom mean bond strength (column bond_strength_mean).</summary>
    public static double[][] Demo(GlassML.Workflows.Demo.DemoContext ctx)
    {
        var model = BondModel.FromLoaded(ctx.Model);
        var p = model.Predict(ctx.Glass, ctx.Threads);
        return [PerAtom(ctx.Glass, p.Bonds, p.Values).Mean];
    }

    private static double Mean(IEnumerable<double> v)
    {
        var a = v.ToArray();
        return a.Length == 0 ? double.NaN : a.Average();
    }
}
