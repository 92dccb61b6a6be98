using GlassML.Io;
using GlassML.Learning;
using GlassML.Reporting;
using GlassML.Dynamics;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.Ule;

/// <summary>One probe's heterogeneity contrast.</summary>
/// <param name="Sample">Probe sample.</param>
/// <param name="Group">Probe group.</param>
/// <param name="EnergyPerAtom">Probe energy (eV/atom).</param>
/// <param name="References">Reference samples within ±ΔE.</param>
/// <param name="DeltaS">δs = mean reference barcode − probe barcode (renormalised barcodes), per barcode position.</param>
/// <param name="StdDeltaS">Standard deviation of δs over the barcode positions (NaN without references).</param>
/// <param name="StdStrain">Standard deviation over atoms of the per-atom von Mises shear strain of the probe relative to a
/// reference frame of its deformation run (NaN when not asked for; see <see cref="UleWorkflow.StrainHeterogeneity"/>).</param>
public sealed record UleContrast(string Sample, string Group, double EnergyPerAtom, int References, double[] DeltaS, double StdDeltaS, double StdStrain = double.NaN);

/// <summary>What <see cref="UleWorkflow.Train"/> produced.</summary>
/// <param name="Model">The refitted model.</param>
/// <param name="CrossValidation">Pooled grouped CV of the training samples.</param>
/// <param name="Metrics">All metrics written into the model and run.json.</param>
public sealed record UleTrainResult(UleModel Model, UleCrossValidation CrossValidation, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The ULE workflow after encoding: regression with pooled grouped CV (and optional Bayesian search), refit, SHAP
/// ranking, barcode, heterogeneity contrast, tables and report figures written into a run directory.
/// </summary>
public static class UleWorkflow
{
    /// <summary>
    /// Trains on the <c>train</c> rows, evaluates <c>test</c> rows (those of another atom count are "transfer"), writes
    /// model.json, predictions.csv, cv_folds.csv, shap.csv, barcode.csv, heterogeneity.csv, dictionary tables and the
    /// report figures into <paramref name="run"/> (not committed here).
    /// </summary>
    /// <exception cref="ArgumentException">Too few samples/groups, a train/test row without energy, or bad options.</exception>
    public static UleTrainResult Train(IReadOnlyList<UleSampleVector> rows, UleDictionary dict, UleTrainOptions o, RunDirectory run, IReadOnlyList<InputHash> inputs)
    {
        if (rows.Any(r => r.Fractions.Length != dict.Count)) throw new ArgumentException($"the fractions table has {rows[0].Fractions.Length} ULE columns, the dictionary {dict.Count} ULEs: encode with this dictionary");
        foreach (var r in rows.Where(r => r.Role != SampleRole.Apply && double.IsNaN(r.EnergyPerAtom)))
            throw new ArgumentException($"sample '{r.Sample}' (role {r.Role.ToString().ToLowerInvariant()}) has no energy");
        if (o.Top < 1) throw new ArgumentException("--top must be ≥ 1");
        if (o.Folds < 2) throw new ArgumentException("--cv must be ≥ 2");
        var train = rows.Where(r => r.Role == SampleRole.Train).ToList();
        if (train.Count < 4) throw new ArgumentException($"need at least 4 training samples, got {train.Count}");
        var cols = dict.ColumnNames;
        var groupNames = train.Select(r => r.Group).Distinct(StringComparer.Ordinal).ToList();
        var groups = train.Select(r => groupNames.IndexOf(r.Group)).ToArray();
        var atoms = train.Select(r => r.Atoms).ToArray();
        var table = UleRegression.Table(train, cols, groups);
        var p = o.Gbdt with { Seed = (ulong)o.Seed };
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);

        int patience = o.EffectiveEarlyStopping;
        if (patience < 0) throw new ArgumentException("--early-stopping must be ≥ 0");
        SearchResult? search = null;
        if (o.SearchEvaluations > 0)
        {
            double[] meanRounds;
            (p, search, meanRounds) = run.Record.Time("search", () => UleRegression.Search(table, groups, atoms, p, o.SearchEvaluations, o.Folds, o.Seed, o.Threads, patience));
            run.WriteTable("search.csv", new ResultTable()
                .Add("trial", Enumerable.Range(0, search.Trials.Count).ToArray())
                .Add("max_depth", search.Trials.Select(t => Math.Round(t.Parameters[0])).ToArray())
                .Add("eta", search.Trials.Select(t => t.Parameters[1]).ToArray())
                .Add("gamma_over_var", search.Trials.Select(t => t.Parameters[2]).ToArray())
                .Add("min_child_weight", search.Trials.Select(t => t.Parameters[3]).ToArray())
                .Add("subsample", search.Trials.Select(t => t.Parameters[4]).ToArray())
                .Add("colsample_bytree", search.Trials.Select(t => t.Parameters[5]).ToArray())
                .Add("mean_rounds", meanRounds)
                .Add("cv_rmse_mev_per_atom", search.Trials.Select(t => -t.Score).ToArray()), "Regression",
                patience > 0 ? $"Bayesian search trials (pooled grouped-CV RMSE; rounds by early stopping, patience {patience}, on an inner grouped split of each training fold; mean over folds)"
                             : "Bayesian search trials (pooled grouped-CV RMSE)");
        }
        var cv = run.Record.Time("cv", () => UleRegression.CrossValidate(table, groups, atoms, p, o.Folds, o.Seed, o.Threads, patience));
        foreach (var kv in cv.Pooled.Named("cv")) metrics[kv.Key] = kv.Value;
        var (gbdt, rounds) = run.Record.Time("fit", () => UleRegression.FitEarlyStopped(table, groups, p, patience, o.Folds, o.Seed, o.Threads));
        int medianAtoms = atoms.OrderBy(a => a).ElementAt(atoms.Length / 2);

        // SHAP over the training samples
        var shap = TreeShap.Explain(gbdt, table, o.Threads);
        var meanAbs = shap.MeanAbsolute();
        var barcode = UleBarcode.Select(meanAbs, dict, o.Top);
        var model = new UleModel(dict, gbdt, barcode, medianAtoms);

        // predictions of every row
        var pred = model.Predict(rows, o.Threads);
        var kind = rows.Select(r => r.Role == SampleRole.Train ? "cv" : r.Role == SampleRole.Test ? (r.Atoms == medianAtoms ? "test" : "transfer") : "apply").ToArray();
        var trainIndex = new Dictionary<UleSampleVector, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < train.Count; i++) trainIndex[train[i]] = i;
        var shown = rows.Select((r, i) => r.Role == SampleRole.Train ? cv.OutOfFold[trainIndex[r]] : pred[i]).ToArray();
        foreach (var k in new[] { "test", "transfer" })
        {
            var idx = Enumerable.Range(0, rows.Count).Where(i => kind[i] == k).ToArray();
            if (idx.Length == 0) continue;
            foreach (var kv in UleMetrics.Of(idx.Select(i => rows[i].EnergyPerAtom).ToArray(), idx.Select(i => pred[i]).ToArray(), idx.Select(i => rows[i].Atoms).ToArray()).Named(k))
                metrics[kv.Key] = kv.Value;
        }
        metrics["ules"] = dict.Count;
        metrics["threshold"] = dict.Threshold;
        metrics["barcode_length"] = barcode.Length;
        metrics["training_samples"] = train.Count;
        if (patience > 0) metrics["rounds"] = rounds;
        foreach (var kv in metrics) run.Record.Metrics[kv.Key] = kv.Value;
        model.Save(run.PathOf("model.json"), metrics, inputs);

        const string SecReg = "Regression", SecDict = "Dictionary", SecBar = "Barcode", SecHet = "Heterogeneity";
        run.Report.Section(SecReg).Paragraphs.Add(
            $"GBDT (squared error, base score = training mean) on the fractions of {dict.Count} ULEs; {train.Count} training samples in {groupNames.Count} groups, " +
            $"grouped {Math.Min(o.Folds, groupNames.Count)}-fold CV pooled over all out-of-fold predictions: RMSE {cv.Pooled.RmseMeVPerAtom:F3} meV/atom " +
            $"({cv.Pooled.RmseEvPerSample:F4} eV/sample), MAE {cv.Pooled.MaeMeVPerAtom:F3} meV/atom, R² {cv.Pooled.R2:F3}, Pearson {cv.Pooled.Pearson:F3}." +
            (patience > 0 ? $" Boosting rounds by early stopping (patience {patience}, cap {p.NEstimators}) on an inner grouped split of each training fold, then refitted: " +
                            $"{string.Join(", ", cv.Rounds)} per fold; the final model {rounds}." : ""));
        run.WriteTable("predictions.csv", new ResultTable()
            .Add("sample", rows.Select(r => r.Sample).ToArray()).Add("role", rows.Select(r => r.Role.ToString().ToLowerInvariant()).ToArray())
            .Add("set", kind).Add("group", rows.Select(r => r.Group).ToArray()).Add("n", rows.Select(r => (long)r.Atoms).ToArray())
            .Add("true_ev_per_atom", rows.Select(r => r.EnergyPerAtom).ToArray()).Add("predicted_ev_per_atom", shown)
            .Add("refit_ev_per_atom", pred)
            .Add("fold", rows.Select(r => r.Role == SampleRole.Train ? (long)cv.Fold[trainIndex[r]] : -1L).ToArray()), SecReg,
            "Per sample: true and predicted energy per atom (training rows: out-of-fold CV prediction; refit = the final model)");
        run.WriteTable("cv_folds.csv", new ResultTable()
            .Add("fold", Enumerable.Range(0, cv.PerFold.Count).ToArray())
            .Add("n", cv.PerFold.Select(m => (long)m.Count).ToArray())
            .Add("rmse_mev_per_atom", cv.PerFold.Select(m => m.RmseMeVPerAtom).ToArray())
            .Add("mae_mev_per_atom", cv.PerFold.Select(m => m.MaeMeVPerAtom).ToArray())
            .Add("r2", cv.PerFold.Select(m => m.R2).ToArray())
            .Add("rounds", cv.Rounds.Select(r => (long)r).ToArray()), SecReg, "Per-fold metrics (secondary: the pooled ones above are the CV result)");
        var sets = new[] { "cv", "test", "transfer" };
        run.AddFigure(SecReg, Plots.Parity("parity", "Energy per atom: predicted vs true", "energy (eV/atom)",
            sets.Select(k => new Series(k, Pick(rows.Select(r => r.EnergyPerAtom).ToArray(), kind, k), Pick(shown, kind, k))).Where(s => s.X.Count > 0).ToList()));
        var errBySize = rows.Select((r, i) => (r, i)).Where(t => t.r.Role != SampleRole.Apply).GroupBy(t => t.r.Atoms).OrderBy(g => g.Key)
            .Select(g => ($"N = {g.Key}", (IReadOnlyList<double>)g.Select(t => 1000 * (shown[t.i] - t.r.EnergyPerAtom)).ToArray())).ToList();
        run.AddFigure(SecReg, Plots.Histogram("errors_by_size", "Prediction error by sample size", "predicted − true (meV/atom)", errBySize, bins: 20));

        // dictionary
        var curve = dict.Curve;
        run.AddFigure(SecDict, Plots.Line("ule_count_vs_threshold", "ULE count against threshold (training set)", "threshold", "ULE count",
            [new Series("ULE count", curve.Select(c => c.Threshold).ToArray(), curve.Select(c => (double)c.Count).ToArray()),
             new Series("used", [dict.Threshold], [(double)dict.Count])]));
        run.Report.Section(SecDict).Paragraphs.Add($"{dict.Count} ULEs at threshold {dict.Threshold:R} ({(dict.Similarity == UleSimilarity.Distance ? "M = 1 − ‖p̂i − p̂j‖/2" : "M = p̂i·p̂j")}" +
            $"{(dict.Zeta != 1 ? $", ζ = {dict.Zeta}" : "")}) from {dict.TrainingAtoms} atoms of {dict.TrainingSamples} samples; SOAP r_cut {dict.Soap.RCut} Å, n_max {dict.Soap.NMax}, l_max {dict.Soap.LMax}, σ {dict.Soap.Sigma} Å." +
            (curve.Any(c => c.Capped) ? " Counts marked capped in the curve table are lower bounds." : ""));
        run.WriteTable("ule_count_vs_threshold.csv", new ResultTable().Add("threshold", curve.Select(c => c.Threshold).ToArray())
            .Add("count", curve.Select(c => (long)c.Count).ToArray()).Add("capped", curve.Select(c => c.Capped ? "yes" : "no").ToArray()), SecDict, "ULE count against threshold");

        // SHAP table
        var trainY = train.Select(r => r.EnergyPerAtom).ToArray();
        var pearson = Enumerable.Range(0, dict.Count).Select(j =>
        {
            var x = train.Select(r => r.Fractions[j]).ToArray();
            return x.Distinct().Count() > 1 ? Metrics.Pearson(x, trainY) : double.NaN;
        }).ToArray();
        var rank = new long[dict.Count];
        var order = Enumerable.Range(0, dict.Count).OrderByDescending(j => meanAbs[j]).ThenBy(j => j).ToArray();
        for (int r = 0; r < order.Length; r++) rank[order[r]] = r + 1;
        run.WriteTable("shap.csv", new ResultTable()
            .Add("ule", Enumerable.Range(0, dict.Count).ToArray()).Add("mean_abs_shap", meanAbs).Add("rank", rank).Add("pearson", pearson)
            .Add("kasper", dict.Founders.Select(f => f.Kasper ? 1L : 0L).ToArray()).Add("icosahedral", dict.Founders.Select(f => f.Icosahedral ? 1L : 0L).ToArray())
            .Add("voronoi_index", dict.Founders.Select(f => f.IndexText).ToArray()).Add("founder_species", dict.Founders.Select(f => f.Species).ToArray())
            .Add("training_atoms", dict.Counts), SecBar, "Every ULE: mean |SHAP| over training samples (eV/atom), rank, Pearson of its fraction with energy, founder flags");
        var sorted = order.Select(j => meanAbs[j]).ToArray();
        double top = sorted.Length > 0 ? sorted[0] : 1;
        run.AddFigure(SecBar, Plots.Line("shap_distribution", "Mean |SHAP| by rank, with the barcode cut", "rank", "mean |SHAP| (meV/atom)",
            [new Series("mean |SHAP|", Enumerable.Range(1, sorted.Length).Select(i => (double)i).ToArray(), sorted.Select(v => 1000 * v).ToArray()),
             new Series($"cut K = {barcode.Length}", [barcode.Length + 0.5, barcode.Length + 0.5], [0, 1000 * top])], markers: false));
        var bLabels = barcode.Ules.Select((j, b) => $"{(barcode.Kasper[b] ? "K" : "N")}:{j}").ToArray();
        var ordE = train.OrderBy(r => r.EnergyPerAtom).ToList();
        var strip = ordE.Take(3).Concat(ordE.Skip(Math.Max(3, ordE.Count - 3))).ToList();
        var mat = new double[strip.Count, barcode.Length];
        for (int r = 0; r < strip.Count; r++) { var v = barcode.Normalised(strip[r].Fractions); for (int b = 0; b < v.Length; b++) mat[r, b] = v[b]; }
        run.AddFigure(SecBar, Plots.Barcode("barcode_strips", "Barcodes of the 3 lowest- and 3 highest-energy samples (K: Kasper, N: non-Kasper)",
            strip.Select(r => $"{r.Sample} ({r.EnergyPerAtom:F4})").ToArray(), bLabels, mat, "renormalised fraction"));
        var bp = barcode.Ules.Select(j => pearson[j]).ToArray();
        bool anyIco = barcode.Ules.Any(j => dict.Founders[j].Icosahedral);
        run.AddFigure(SecBar, Plots.Bars("pearson_per_ule", "Pearson of each barcode ULE's fraction with energy (⟨0,0,12,0⟩ founders separate)", "Pearson r", bLabels,
            anyIco ? [("<0,0,12,0> founder", barcode.Ules.Select((j, b) => dict.Founders[j].Icosahedral ? bp[b] : double.NaN).ToArray()),
                      ("other", barcode.Ules.Select((j, b) => dict.Founders[j].Icosahedral ? double.NaN : bp[b]).ToArray())]
                   : [("other (no <0,0,12,0> founder in the barcode)", bp)]));
        var kasSum = ordE.Select(r => barcode.Ules.Where((_, b) => barcode.Kasper[b]).Sum(j => r.Fractions[j])).ToArray();
        var nonSum = ordE.Select(r => barcode.Ules.Where((_, b) => !barcode.Kasper[b]).Sum(j => r.Fractions[j])).ToArray();
        var ex = ordE.Select(r => r.EnergyPerAtom).ToArray();
        run.AddFigure(SecBar, Plots.Line("group_sums_vs_energy", "Barcode group sums against energy (training samples)", "energy (eV/atom)", "sum of raw fractions",
            [new Series("Kasper", ex, kasSum), new Series("non-Kasper", ex, nonSum)]));
        run.WriteTable("barcode.csv", BarcodeTable(rows, barcode), SecBar, "Raw and renormalised barcode of every sample (columns in barcode order)", 20);

        // heterogeneity: test samples (probes) against training samples (references)
        var probes = rows.Where(r => r.Role == SampleRole.Test).ToList();
        var contrasts = Contrast(probes, train, barcode, o.Window);
        run.WriteTable("heterogeneity.csv", ContrastTable(contrasts), SecHet, $"Probe (test) samples against training references within ±{1000 * o.Window:G} meV/atom: std(δs)");
        var withRef = contrasts.Where(c => c.References > 0).ToList();
        run.AddFigure(SecHet, Plots.Line("std_delta_s", "std(δs) of probes against their energy", "probe energy (eV/atom)", "std(δs)",
            withRef.GroupBy(c => c.Group).Select(g => { var l = g.OrderBy(c => c.EnergyPerAtom).ToList(); return new Series(g.Key, l.Select(c => c.EnergyPerAtom).ToArray(), l.Select(c => c.StdDeltaS).ToArray()); }).ToList()));
        run.Report.Section(SecHet).Paragraphs.Add($"{withRef.Count} of {contrasts.Count} probes have references within ±{1000 * o.Window:G} meV/atom.");
        return new UleTrainResult(model, cv, metrics);
    }

    private static double[] Pick(double[] v, string[] kind, string k) => v.Where((_, i) => kind[i] == k).ToArray();

    /// <summary>Raw and renormalised barcodes of samples.</summary>
    public static ResultTable BarcodeTable(IReadOnlyList<UleSampleVector> rows, UleBarcode barcode)
    {
        var t = new ResultTable().Add("sample", rows.Select(r => r.Sample).ToArray()).Add("energy_per_atom", rows.Select(r => r.EnergyPerAtom).ToArray());
        var raw = rows.Select(r => barcode.Raw(r.Fractions)).ToArray();
        var norm = rows.Select(r => barcode.Normalised(r.Fractions)).ToArray();
        for (int b = 0; b < barcode.Length; b++) { int bb = b; t.Add($"raw_{bb}_ule_{barcode.Ules[bb]}", raw.Select(x => x[bb]).ToArray()); }
        for (int b = 0; b < barcode.Length; b++) { int bb = b; t.Add($"norm_{bb}_ule_{barcode.Ules[bb]}", norm.Select(x => x[bb]).ToArray()); }
        return t;
    }

    /// <summary>
    /// Heterogeneity contrast: for each probe, the references with |E_ref − E_probe| ≤ ΔE (per atom); δs = mean reference
    /// barcode − probe barcode (renormalised); std(δs) over the barcode positions (population standard deviation).
    /// </summary>
    public static List<UleContrast> Contrast(IReadOnlyList<UleSampleVector> probes, IReadOnlyList<UleSampleVector> references, UleBarcode barcode, double window)
    {
        if (!(window > 0)) throw new ArgumentException("--window must be a positive energy (eV/atom)");
        var list = new List<UleContrast>();
        foreach (var p in probes)
        {
            if (double.IsNaN(p.EnergyPerAtom)) throw new ArgumentException($"probe '{p.Sample}' has no energy");
            var refs = references.Where(r => !ReferenceEquals(r, p) && r.Sample != p.Sample && Math.Abs(r.EnergyPerAtom - p.EnergyPerAtom) <= window).ToList();
            var ds = new double[barcode.Length];
            double sd = double.NaN;
            if (refs.Count > 0)
            {
                var pb = barcode.Normalised(p.Fractions);
                foreach (var r in refs) { var rb = barcode.Normalised(r.Fractions); for (int b = 0; b < ds.Length; b++) ds[b] += rb[b]; }
                for (int b = 0; b < ds.Length; b++) ds[b] = ds[b] / refs.Count - pb[b];
                double mean = ds.Average();
                sd = Math.Sqrt(ds.Sum(v => (v - mean) * (v - mean)) / ds.Length);
            }
            list.Add(new UleContrast(p.Sample, p.Group, p.EnergyPerAtom, refs.Count, ds, sd));
        }
        return list;
    }

    /// <summary>
    /// Heterogeneity of the deformation: the population standard deviation over atoms of the per-atom von Mises shear
    /// strain (Green–Lagrange, Falk–Langer local deformation gradient with OVITO's conventions,
    /// <see cref="NonAffineDisplacement"/>) of <paramref name="current"/> relative to <paramref name="reference"/>
    /// (neighbours within <paramref name="cutoff"/> Å in the reference); atoms without a valid local gradient are left out.
    /// </summary>
    /// <exception cref="ArgumentException">The frames hold different atoms, or the cutoff is too long for the cell.</exception>
    public static double StrainHeterogeneity(Frame reference, Frame current, double cutoff, int threads)
    {
        if (!(cutoff > 0) || !double.IsFinite(cutoff)) throw new ArgumentException("--strain-cutoff must be a positive distance (Å)");
        var r = new NonAffineDisplacement(threads).Compute(reference, new NeighborSearch(threads).Ball(reference, cutoff), current);
        var v = r.ShearStrain.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return double.NaN;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    /// <summary>The heterogeneity table: sample, group, energy, references, std(δs), [std of von Mises strain], δs per barcode position.</summary>
    public static ResultTable ContrastTable(IReadOnlyList<UleContrast> c)
    {
        var t = new ResultTable().Add("sample", c.Select(x => x.Sample).ToArray()).Add("group", c.Select(x => x.Group).ToArray())
            .Add("energy_per_atom", c.Select(x => x.EnergyPerAtom).ToArray()).Add("references", c.Select(x => (long)x.References).ToArray())
            .Add("std_delta_s", c.Select(x => x.StdDeltaS).ToArray());
        if (c.Any(x => !double.IsNaN(x.StdStrain))) t.Add("std_von_mises_strain", c.Select(x => x.StdStrain).ToArray());
        int k = c.Count > 0 ? c[0].DeltaS.Length : 0;
        for (int b = 0; b < k; b++) { int bb = b; t.Add($"delta_s_{bb}", c.Select(x => x.References > 0 ? x.DeltaS[bb] : double.NaN).ToArray()); }
        return t;
    }
}
