using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>Writes the tables, per-atom files and figures of tml train / apply runs into a run directory.</summary>
public static class TmlRunFiles
{
    private static string F(double v) => TmlWindows.Fmt(v);

    /// <summary>Train: model.json, runs.csv, lags.csv, classes.csv, class_means.csv, dendrogram.csv, confusion.csv, cv_predictions.csv and the figures.</summary>
    public static void WriteTrain(RunDirectory run, TmlTrainResult r)
    {
        var m = r.Model;
        m.Save(run.PathOf("model.json"));
        foreach (var (k, v) in r.Metrics) run.Record.Metrics[k] = v;
        const string S1 = "Training data", S2 = "Classes", S3 = "Lags", S4 = "Cross-validation";
        run.WriteTable("runs.csv", r.Runs, S1, "Isothermal runs: complete windows, windows skipped (incomplete), instances (atom, window)");
        run.Report.Section(S1).Paragraphs.Add($"{m.Rows} training instances, features lg(Δr²/T) at {m.Lags.Length} lags ({string.Join(", ", m.Lags.Select(F))} ps), k = {m.K}{(m.Standardize ? ", standardised" : "")}; {r.SkippedWindows} incomplete windows skipped. Tg = {F(m.Tg)} K.");

        // classes: dendrogram of the class means
        int nt = r.Temperatures.Length, L = m.AllLags.Length;
        var cm = new ResultTable().Add("temperature", r.Temperatures);
        for (int k = 0; k < L; k++) cm.Add($"lag_{F(m.AllLags[k])}", Enumerable.Range(0, nt).Select(c => r.ClassMeans[c * L + k]).ToArray());
        run.WriteTable("class_means.csv", cm, S2, "Class-mean lg(Δr²/T) per run temperature and lag");
        var merges = r.Dendrogram.Merges;
        run.WriteTable("dendrogram.csv", new ResultTable().Add("a", merges.Select(x => x.A).ToArray()).Add("b", merges.Select(x => x.B).ToArray())
            .Add("height", merges.Select(x => x.Height).ToArray()).Add("size", merges.Select(x => x.Size).ToArray()), S2, "Ward linkage of the class means (scipy linkage form)");
        run.AddFigure(S2, Plots.Dendrogram("class_dendrogram", "Ward clustering of the class means", r.Temperatures.Select(t => F(t) + " K").ToArray(),
            merges.Select(x => (x.A, x.B, x.Height)).ToArray(), "Ward distance"));
        run.Report.Section(S2).Paragraphs.Add(double.IsNaN(r.MergeThreshold)
            ? $"Classes given: {string.Join("; ", m.Classes.Select(c => string.Join("+", c.Members.Select(F)) + " K"))}."
            : $"Automatic classes: classes whose means join below the within-class spread (RMS per-lag std) {r.MergeThreshold.ToString("G4", CultureInfo.InvariantCulture)} are merged: {string.Join("; ", m.Classes.Select(c => string.Join("+", c.Members.Select(F)) + " K"))}.");

        // lags
        var kept = m.AllLags.Select(l => m.Lags.Contains(l)).ToArray();
        run.WriteTable("lags.csv", new ResultTable().Add("lag_ps", m.AllLags).Add("relieff_weight", m.ReliefWeights).Add("kept", kept.Select(b => b ? 1L : 0L).ToArray()),
            S3, "ReliefF weight of every lag and whether it was kept");
        run.AddFigure(S3, Plots.Bars("relieff_weights", "ReliefF weight per lag", "weight", m.AllLags.Select(l => F(l) + " ps" + (m.Lags.Contains(l) ? "" : " (dropped)")).ToArray(),
            [("ReliefF", m.ReliefWeights)]));

        // CV
        var labels = m.Classes.Select(c => c.Label).ToArray();
        run.WriteTable("classes.csv", r.ClassStats, S4, "Out-of-fold T_ML per class (mean, median, std), liquid-like fraction and majority-vote accuracy");
        var conf = new double[labels.Length, labels.Length];
        var ct = new ResultTable().Add("true_class", labels);
        for (int j = 0; j < labels.Length; j++)
        {
            ct.Add($"voted_{F(labels[j])}", Enumerable.Range(0, labels.Length).Select(i => r.Confusion[i, j]).ToArray());
            for (int i = 0; i < labels.Length; i++) conf[i, j] = r.Confusion[i, j];
        }
        run.WriteTable("confusion.csv", ct, S4, "Majority-vote confusion matrix (rows: true class, columns: voted class)");
        run.WriteTable("cv_predictions.csv", new ResultTable().Add("label", r.CvLabels).Add("tml", r.CvPrediction).Add("vote", r.CvVote), null);
        var means = r.ClassStats.Numbers("tml_mean"); var med = r.ClassStats.Numbers("tml_median");
        run.AddFigure(S4, Plots.Parity("tml_parity", "Predicted vs actual temperature (out of fold)", "temperature (K)",
            [new Series("class mean T_ML", labels, means), new Series("class median T_ML", labels, med)]));
        run.AddFigure(S4, Plots.Histogram("tml_cv_histograms", "Out-of-fold T_ML per class", "T_ML (K)",
            labels.Select(l => (F(l) + " K", (IReadOnlyList<double>)Enumerable.Range(0, r.CvLabels.Length).Where(i => r.CvLabels[i] == l).Select(i => r.CvPrediction[i]).ToArray())).ToArray()));
        run.AddFigure(S4, Plots.Heatmap("confusion", "Majority-vote confusion matrix", labels.Select(l => F(l) + " K").ToArray(), labels.Select(l => F(l) + " K").ToArray(),
            conf, "voted class", "true class", "F0"));
        run.Report.Section(S4).Paragraphs.Add(string.Join(", ", r.Metrics.Where(kv => kv.Key.StartsWith("cv_", StringComparison.Ordinal))
            .Select(kv => $"{kv.Key} = {kv.Value.ToString("G5", CultureInfo.InvariantCulture)}")));
    }

    /// <summary>Column names of one start: <c>tml</c>/<c>liquid_like</c> for a single start, else <c>tml_START</c>/<c>liquid_like_START</c>.</summary>
    public static (string Tml, string Flag) ColumnNames(double start, bool single) =>
        single ? ("tml", "liquid_like") : ($"tml_{F(start)}", $"liquid_like_{F(start)}");

    /// <summary>Per-atom values of an apply result on the first complete start frame (rows by id).</summary>
    public static (Frame Frame, PerAtomFeatures Values) PerAtom(TmlApplyResult r)
    {
        var first = r.Windows.StartFrames[r.Windows.Windows.First(w => w.Complete).StartStep];
        bool single = r.Starts.Count == 1;
        var names = new List<string>();
        foreach (var s in r.Starts) { var (a, b) = ColumnNames(s.Start, single); names.Add(a); names.Add(b); }
        int n = first.Count, nc = names.Count;
        var v = new double[n * nc];
        for (int j = 0; j < r.Starts.Count; j++)
            for (int i = 0; i < n; i++) { v[i * nc + 2 * j] = r.Starts[j].Tml[i]; v[i * nc + 2 * j + 1] = r.Starts[j].LiquidLike[i] ? 1 : 0; }
        return (first, new PerAtomFeatures(names, n, v));
    }

    /// <summary>Apply: tml.csv and tml.xyz (per atom), starts.csv, histograms.csv, and the figures.</summary>
    public static void WriteApply(RunDirectory run, TmlApplyResult r, TmlModel model)
    {
        const string S1 = "T_ML per start", S2 = "Maps";
        var (frame, values) = PerAtom(r);
        run.WritePerAtom("tml", frame, values);
        run.WriteTable("starts.csv", r.Summary, S1, "Per start time: status (a window past the end is reported, not shortened), liquid-like fraction, mean, std and quantiles of T_ML");
        int incomplete = r.Windows.Windows.Count(w => !w.Complete);
        run.Report.Section(S1).Paragraphs.Add($"{r.Starts.Count} complete windows, {incomplete} incomplete; lags {string.Join(", ", model.Lags.Select(F))} ps; liquid-like: T_ML > Tg = {F(r.Tg)} K.");
        foreach (var (k, v) in new[] { ("liquid_like_fraction_first", r.Summary.Numbers("liquid_like_fraction").First(double.IsFinite)), ("tml_mean_first", r.Starts[0].Tml.Average()) })
            run.Record.Metrics[k] = v;
        run.AddFigure(S1, Plots.Histogram("tml_histograms", "T_ML per start time", "T_ML (K)",
            r.Starts.Select(s => ("t₀ = " + F(s.Start) + " ps", (IReadOnlyList<double>)s.Tml)).ToArray()));
        // LA fraction and strain vs time
        var t = r.Starts.Select(s => s.Start).ToArray();
        run.AddFigure(S1, Plots.Line("liquid_like_fraction", "Liquid-like fraction vs start time", "start time (ps)", "liquid-like fraction",
            [new Series("T_ML > Tg", t, r.Starts.Select(s => s.LiquidLike.Count(f => f) / (double)s.Tml.Length).ToArray())]));
        var boxes = r.Starts.Select(s => r.Windows.StartFrames[s.StartStep]).ToArray();
        var l0 = boxes[0].Box.Lengths;
        var strain = new[] { "x", "y", "z" }.Select((ax, a) => new Series("ε_" + ax + ax, t, boxes.Select(b => Component(b.Box.Lengths, a) / Component(l0, a) - 1).ToArray())).ToArray();
        run.AddFigure(S1, Plots.Line("strain", "Cell strain at the start times (relative to the first)", "start time (ps)", "engineering strain", strain));
        run.WriteTable("strain.csv", new ResultTable().Add("start_ps", t).Add("exx", strain[0].Y).Add("eyy", strain[1].Y).Add("ezz", strain[2].Y), null);
        if (r.StrainCorrelation is { } sc)
        {
            run.WriteTable("strain_correlation.csv", sc, S1, "Pearson correlation over atoms of T_ML with D²min, von Mises shear strain and rotation angle of the window t₀ → t₀ + Δt, per start and lag");
            var lag = sc.Numbers("lag_ps"); var st0 = sc.Numbers("start_ps");
            var series = new List<Series>();
            foreach (var (col, label) in new[] { ("pearson_d2min", "D²min"), ("pearson_shear_strain", "shear strain"), ("pearson_rotation_angle", "rotation") })
            {
                var v = sc.Numbers(col);
                foreach (double s0 in st0.Distinct())
                {
                    var rows = Enumerable.Range(0, lag.Length).Where(i => st0[i] == s0).ToArray();
                    series.Add(new Series($"{label}, t₀ = {F(s0)} ps", rows.Select(i => lag[i]).ToArray(), rows.Select(i => v[i]).ToArray()));
                }
            }
            run.AddFigure(S1, Plots.Line("strain_correlation", "Pearson r of T_ML with local strain vs Δt", "lg Δt (ps)", "Pearson r", series, logX: true));
        }
        // slab maps of the first and last start
        foreach (var j in new[] { 0, r.Starts.Count - 1 }.Distinct())
        {
            var s = r.Starts[j];
            var f = boxes[j];
            double zmid = f.Box.Origin.Z + 0.5 * f.Box.C.Z, half = 2.5;
            var sel = Enumerable.Range(0, f.Count).Where(i => Math.Abs(f.Box.Wrap(f.Position(i)).Z - zmid) <= half).ToArray();
            var pos = sel.Select(i => f.Box.Wrap(f.Position(i))).ToArray();
            run.AddFigure(S2, Plots.SlabMap($"tml_slab_{j}", $"T_ML in a 5 Å slab, t₀ = {F(s.Start)} ps (rings: liquid-like)", "T_ML (K)",
                sel.Select(i => f.Ids[i]).ToArray(), pos.Select(p => p.X).ToArray(), pos.Select(p => p.Y).ToArray(), sel.Select(i => s.Tml[i]).ToArray(),
                sel.Select(i => s.LiquidLike[i]).ToArray(), "liquid-like"));
        }
    }

    private static double Component(Vec3 v, int a) => a switch { 0 => v.X, 1 => v.Y, _ => v.Z };
}
