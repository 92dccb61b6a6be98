using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Reporting;

namespace GlassML.Workflows.Softness;

/// <summary>
/// The softness run's tables, per-atom files and figures: labels (plastic fraction per sample and frame), the cascade,
/// evaluation (AUC per sample and vs strain, ROC, recall/precision at softness &gt; 0.5, fraction soft per D² bin,
/// softness of atoms by the strain at which they first become plastic, std of softness per sample), a slab map,
/// interpretation (gain importances, partial dependence 1-D and 2-D beside the observed plastic fraction, AUC of each
/// feature set alone) and the generalisation matrix between manifest conditions.
/// </summary>
public static class SoftnessReport
{
    /// <summary>D² bin edges (Å²) of the fraction-soft table.</summary>
    public static readonly double[] D2Edges = [0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 50, double.PositiveInfinity];

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Writes everything into the run directory.</summary>
    public static void Write(RunDirectory run, SoftnessTrainResult r, SoftnessTrainOptions o, FeatureTable balanced, FeatureTable selected,
        string scheme, IReadOnlyList<SearchTrial> trials, Action<string> log)
    {
        var samples = r.Samples;
        var tests = samples.Where(s => s.Role == SampleRole.Test).ToList();
        var evalSet = tests.Count > 0 ? tests : samples.Where(s => s.Role == SampleRole.Train).ToList();
        string evalName = tests.Count > 0 ? "held-out" : "training (in-sample: no test samples)";
        var summary = run.Report.Section("Summary");
        summary.Paragraphs.Add($"Labels: {o.Labels.Describe()}. Features: '{o.Features}' ({samples[0].Features.FeatureCount} columns) on frame 0 of each trajectory; cascade {o.Cascade} → {r.Model.Columns.Count} columns.");
        summary.Paragraphs.Add(FormattableString.Invariant(
            $"Training: {r.BalancedCounts.Zero + r.BalancedCounts.One} atoms after balanced undersampling ({r.BalancedCounts.Zero} + {r.BalancedCounts.One}); cross-validation {scheme}; pooled out-of-fold AUC {r.CvAuc:F4}. ") +
            "Softness is the isotonic calibration of the out-of-fold boosted-tree scores: the probability of being plastic in a balanced population.");
        if (tests.Count > 0)
            summary.Paragraphs.Add(string.Create(CultureInfo.InvariantCulture,
                $"Held-out AUC at strain {o.Labels.Strain}: {r.TestAuc:F4} (95 % bootstrap interval {r.TestAucCi.Low:F4}–{r.TestAucCi.High:F4}, {o.Bootstrap} resamples of the {tests.Sum(s => s.IncludedAtoms().Length)} held-out atoms)."));
        else summary.Paragraphs.Add("No test samples in the manifest: the evaluation below is in-sample.");

        // per-atom files
        foreach (var s in samples) WritePerAtom(run, s, o);

        // labels: plastic fraction per sample and frame
        int frames = samples.Min(s => s.Labels.Strains.Length);
        var pf = new ResultTable().Add("frame", Enumerable.Range(0, frames).ToArray())
            .Add("strain", Enumerable.Range(0, frames).Select(k => samples.Average(s => s.Labels.Strains[k])).ToArray());
        foreach (var s in samples) pf.Add($"plastic_{s.Name}", s.Labels.PlasticFractionByFrame[..frames]);
        run.WriteTable("plastic_fraction.csv", pf, "Labels", "Fraction of plastic atoms per sample and frame (strain = mean over samples)");

        // samples table
        var st = new ResultTable()
            .Add("sample", samples.Select(s => s.Name).ToArray())
            .Add("role", samples.Select(s => s.Role == SampleRole.Train ? "train" : "test").ToArray())
            .Add("condition", samples.Select(s => s.Condition).ToArray())
            .Add("atoms", samples.Select(s => s.Labels.Reference.Count).ToArray())
            .Add("included", samples.Select(s => s.IncludedAtoms().Length).ToArray())
            .Add("label_frame", samples.Select(s => s.Labels.LabelFrame).ToArray())
            .Add("label_strain", samples.Select(s => s.Labels.Strains[s.Labels.LabelFrame]).ToArray())
            .Add("plastic_fraction", samples.Select(s => s.Labels.PlasticFraction).ToArray())
            .Add("auc", samples.Select(s => Auc([s], x => x.Labels.Plastic)).ToArray())
            .Add("softness_mean", samples.Select(s => s.IncludedAtoms().Average(i => s.Softness[i])).ToArray())
            .Add("softness_std", samples.Select(s => Std(s.IncludedAtoms().Select(i => s.Softness[i]).ToArray())).ToArray());
        run.WriteTable("samples.csv", st, "Evaluation", "Per sample: label frame, plastic fraction, AUC of softness at the label strain (train samples: in-sample), softness mean and std");

        // cascade
        var ct = new ResultTable().Add("stage", r.Cascade.Stages.Select(x => x.Stage).ToArray())
            .Add("columns", r.Cascade.Stages.Select(x => x.Kept.Count).ToArray())
            .Add("what", r.Cascade.Stages.Select(x => x.Note).ToArray())
            .Add("kept", r.Cascade.Stages.Select(x => x.Kept.Count <= 60 ? string.Join(" ", x.Kept) : $"({x.Kept.Count} columns)").ToArray());
        run.WriteTable("cascade.csv", ct, "Feature reduction cascade", "Columns after each stage");
        if (r.Cascade.RfeCurve.Count > 0)
        {
            var rc = new ResultTable().Add("columns", r.Cascade.RfeCurve.Select(x => x.Columns).ToArray()).Add("cv_auc", r.Cascade.RfeCurve.Select(x => x.CvAuc).ToArray());
            run.WriteTable("rfe.csv", rc);
            run.AddFigure("Feature reduction cascade", Plots.Line("rfe_cv_auc", "RFE: CV AUC vs number of columns", "columns", "CV AUC",
                [new Series("CV AUC", r.Cascade.RfeCurve.Select(x => (double)x.Columns).ToArray(), r.Cascade.RfeCurve.Select(x => x.CvAuc).ToArray())]));
        }
        if (trials.Count > 0)
        {
            var tt = new ResultTable().Add("learning_rate", trials.Select(x => x.Parameters[0]).ToArray()).Add("max_depth", trials.Select(x => Math.Round(x.Parameters[1])).ToArray())
                .Add("n_estimators", trials.Select(x => Math.Round(x.Parameters[2])).ToArray()).Add("min_child_weight", trials.Select(x => x.Parameters[3]).ToArray())
                .Add("cv_auc", trials.Select(x => x.Score).ToArray());
            run.WriteTable("search.csv", tt, "Model", "Hyper-parameter search trials (CV AUC)");
        }

        // AUC vs strain
        var strainsMean = Enumerable.Range(0, frames).Select(k => samples.Average(s => s.Labels.Strains[k])).ToArray();
        var aucEval = new double[frames]; var aucTrain = new double[frames];
        var trainS = samples.Where(s => s.Role == SampleRole.Train).ToList();
        for (int k = 0; k < frames; k++)
        {
            int kk = k;
            aucEval[k] = k == 0 ? double.NaN : Auc(evalSet, x => Flags(x, kk));
            aucTrain[k] = k == 0 ? double.NaN : Auc(trainS, x => Flags(x, kk));
        }
        var av = new ResultTable().Add("frame", Enumerable.Range(0, frames).ToArray()).Add("strain", strainsMean)
            .Add(tests.Count > 0 ? "auc_test" : "auc_eval", aucEval).Add("auc_train", aucTrain);
        run.WriteTable("auc_vs_strain.csv", av, "Evaluation", $"AUC of softness against the plastic labels of every frame ({evalName} atoms pooled; train = in-sample)");
        var ok = Enumerable.Range(1, frames - 1).Where(k => double.IsFinite(aucEval[k])).ToArray();
        var okT = Enumerable.Range(1, frames - 1).Where(k => double.IsFinite(aucTrain[k])).ToArray();
        run.AddFigure("Evaluation", Plots.Line("auc_vs_strain", "AUC vs strain", "engineering strain", "AUC",
            [new Series(evalName, ok.Select(k => strainsMean[k]).ToArray(), ok.Select(k => aucEval[k]).ToArray()),
             new Series("training (in-sample)", okT.Select(k => strainsMean[k]).ToArray(), okT.Select(k => aucTrain[k]).ToArray())]));

        // ROC at the label strain
        var (el, es) = SoftnessTrainer.Pooled(evalSet, x => x.Labels.Plastic, x => x.Softness);
        var roc = Metrics.Roc(el, es);
        double evalAuc = Metrics.RocAuc(el, es);
        run.AddFigure("Evaluation", Plots.Roc("roc", $"ROC at strain {o.Labels.Strain.ToString(CultureInfo.InvariantCulture)}", [(evalName, roc.FalsePositiveRate, roc.TruePositiveRate, evalAuc)]));

        // recall / precision at 0.5
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < el.Length; i++)
        {
            bool soft = es[i] > 0.5, pl = el[i] == 1;
            if (soft && pl) tp++; else if (soft) fp++; else if (pl) fn++; else tn++;
        }
        var rp = new ResultTable().Add("atoms", new[] { el.Length }).Add("plastic", new[] { tp + fn }).Add("soft", new[] { tp + fp })
            .Add("recall", new[] { tp + fn > 0 ? tp / (double)(tp + fn) : double.NaN }).Add("precision", new[] { tp + fp > 0 ? tp / (double)(tp + fp) : double.NaN })
            .Add("auc", new[] { evalAuc });
        run.WriteTable("recall_precision.csv", rp, "Evaluation", $"Soft = softness > 0.5; {evalName} atoms at the label strain");

        // fraction soft per D² bin
        var (d2All, _) = SoftnessTrainer.Pooled(evalSet, x => x.Labels.Plastic, x => x.Labels.D2);
        var d2v = evalSet.SelectMany(x => x.IncludedAtoms().Select(i => x.Labels.D2[i])).ToArray();
        int nb = D2Edges.Length - 1;
        var bAtoms = new int[nb]; var bSoft = new double[nb]; var bMean = new double[nb];
        for (int i = 0; i < d2v.Length; i++)
        {
            int b = Array.FindLastIndex(D2Edges, e => d2v[i] >= e);
            if (b < 0 || b >= nb) continue;
            bAtoms[b]++; if (es[i] > 0.5) bSoft[b]++; bMean[b] += es[i];
        }
        for (int b = 0; b < nb; b++) { bSoft[b] = bAtoms[b] > 0 ? bSoft[b] / bAtoms[b] : double.NaN; bMean[b] = bAtoms[b] > 0 ? bMean[b] / bAtoms[b] : double.NaN; }
        var cats = Enumerable.Range(0, nb).Select(b => double.IsInfinity(D2Edges[b + 1]) ? $"≥{F(D2Edges[b])}" : $"{F(D2Edges[b])}–{F(D2Edges[b + 1])}").ToArray();
        var sd = new ResultTable().Add("d2_low", D2Edges[..nb]).Add("d2_high", D2Edges[1..]).Add("atoms", bAtoms).Add("fraction_soft", bSoft).Add("mean_softness", bMean);
        run.WriteTable("soft_vs_d2.csv", sd, "Evaluation", $"Fraction of {evalName} atoms with softness > 0.5 per D² bin (Å²) at the label strain");
        run.AddFigure("Evaluation", Plots.Bars("soft_vs_d2", "Fraction soft per D² bin", "fraction with softness > 0.5", cats,
            [("fraction soft", bSoft.Select(v => double.IsNaN(v) ? 0 : v).ToArray())]));

        // softness by the strain at which atoms first become plastic
        double maxStrain = strainsMean[^1];
        var groups = new List<(string, IReadOnlyList<double>)>();
        var never = evalSet.SelectMany(x => x.IncludedAtoms().Where(i => x.Labels.FirstPlasticFrame[i] < 0).Select(i => x.Softness[i])).ToArray();
        groups.Add(("never plastic", never));
        for (int q = 0; q < 4; q++)
        {
            double lo = maxStrain * q / 4, hi = maxStrain * (q + 1) / 4;
            var v = evalSet.SelectMany(x => x.IncludedAtoms().Where(i => x.Labels.FirstPlasticFrame[i] > 0 && x.Labels.Strains[x.Labels.FirstPlasticFrame[i]] > lo && x.Labels.Strains[x.Labels.FirstPlasticFrame[i]] <= hi).Select(i => x.Softness[i])).ToArray();
            if (v.Length > 0) groups.Add(($"first plastic at {F(lo)}–{F(hi)}", v));
        }
        run.AddFigure("Evaluation", Plots.Histogram("softness_by_first_plastic", "Softness of atoms by the strain at which they first become plastic", "softness", groups, bins: 20, density: true));

        // slab map of the first evaluated sample
        SlabMap(run, evalSet[0], o);

        Interpretation(run, r, o, balanced, selected, evalSet, evalName, log);
        if (o.Generalization) Generalization(run, r, o, balanced, selected, log);
    }

    private static IReadOnlyList<bool> Flags(SoftnessSample s, int frame)
    {
        var f = s.Labels.PlasticByFrame[frame];
        return f.Select(b => b == 1).ToArray();
    }

    /// <summary>Pooled AUC of softness over the included atoms of samples against labels; NaN when one class is missing.</summary>
    public static double Auc(IEnumerable<SoftnessSample> samples, Func<SoftnessSample, IReadOnlyList<bool>> labels)
    {
        var (l, s) = SoftnessTrainer.Pooled(samples, labels, x => x.Softness);
        int pos = l.Count(v => v == 1);
        return pos == 0 || pos == l.Length ? double.NaN : Metrics.RocAuc(l, s);
    }

    private static double Std(double[] v)
    {
        if (v.Length == 0) return double.NaN;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
    }

    /// <summary>Per-atom columns of a sample: softness, raw score, D² and plastic at the label strain, first plastic strain (and inner flag).</summary>
    public static void WritePerAtom(RunDirectory run, SoftnessSample s, SoftnessTrainOptions o)
    {
        var f = s.Labels.Reference;
        int n = f.Count;
        var names = new List<string> { "softness", "raw_score", "d2", "plastic", "first_plastic_strain" };
        if (o.Labels.Inner is not null) names.Add("inner");
        int nc = names.Count;
        var v = new double[n * nc];
        for (int i = 0; i < n; i++)
        {
            v[i * nc] = s.Softness[i]; v[i * nc + 1] = s.Raw[i]; v[i * nc + 2] = s.Labels.D2[i]; v[i * nc + 3] = s.Labels.Plastic[i] ? 1 : 0;
            int fp = s.Labels.FirstPlasticFrame[i];
            v[i * nc + 4] = fp < 0 ? double.NaN : s.Labels.Strains[fp];
            if (nc > 5) v[i * nc + 5] = s.Labels.Included[i] ? 1 : 0;
        }
        var block = new PerAtomFeatures(names, n, v);
        ExtendedXyzWriter.Write(run.PathOf($"{s.Name}.softness.xyz"), f, block);
        var withPos = new List<string> { "x", "y", "z" };
        withPos.AddRange(names);
        var v2 = new double[n * (nc + 3)];
        for (int i = 0; i < n; i++)
        {
            v2[i * (nc + 3)] = f.X[i]; v2[i * (nc + 3) + 1] = f.Y[i]; v2[i * (nc + 3) + 2] = f.Z[i];
            Array.Copy(v, i * nc, v2, i * (nc + 3) + 3, nc);
        }
        CsvWriter.Write(run.PathOf($"{s.Name}.softness.csv"), f, new PerAtomFeatures(withPos, n, v2));
        // plastic flag of every frame (for AUC vs strain)
        int frames = s.Labels.PlasticByFrame.Length;
        var pn = Enumerable.Range(0, frames).Select(k => $"plastic_f{k}").ToArray();
        var pv = new double[n * frames];
        for (int i = 0; i < n; i++) for (int k = 0; k < frames; k++) pv[i * frames + k] = s.Labels.PlasticByFrame[k][i];
        CsvWriter.Write(run.PathOf($"{s.Name}.plastic_frames.csv"), f, new PerAtomFeatures(pn, n, pv));
    }

    private static void SlabMap(RunDirectory run, SoftnessSample s, SoftnessTrainOptions o)
    {
        var f = s.Labels.Reference;
        int axis = o.Labels.Axis, across = axis == 1 ? 0 : 1, inPlane = axis == 0 ? 2 : 0;
        var c = new[] { f.X, f.Y, f.Z };
        double mid = (c[across].Min() + c[across].Max()) / 2;
        var idx = Enumerable.Range(0, f.Count).Where(i => Math.Abs(c[across][i] - mid) <= 2.0 && s.Labels.Included[i]).ToArray();
        string ax(int k) => "xyz"[k].ToString();
        run.AddFigure("Evaluation", Plots.SlabMap("slab_softness", $"{s.Name}: softness in a 4 Å slab ({ax(across)} ≈ {F(mid)} Å); rings = plastic at the label strain",
            "softness", idx.Select(i => f.Ids[i]).ToArray(), idx.Select(i => c[inPlane][i]).ToArray(), idx.Select(i => c[axis][i]).ToArray(),
            idx.Select(i => s.Softness[i]).ToArray(), idx.Select(i => s.Labels.Plastic[i]).ToArray(), "plastic", $"{ax(inPlane)} (Å)", $"{ax(axis)} (Å, loading axis)"));
    }

    private static void Interpretation(RunDirectory run, SoftnessTrainResult r, SoftnessTrainOptions o, FeatureTable balanced, FeatureTable selected,
        List<SoftnessSample> evalSet, string evalName, Action<string> log)
    {
        var trees = r.Model.Trees;
        var gain = trees.GainImportance();
        var order = Enumerable.Range(0, gain.Length).OrderByDescending(i => gain[i]).ThenBy(i => i).ToArray();
        var it = new ResultTable().Add("feature", order.Select(i => trees.FeatureNames[i]).ToArray()).Add("gain", order.Select(i => gain[i]).ToArray())
            .Add("total_gain", order.Select(i => trees.TotalGainImportance()[i]).ToArray()).Add("splits", order.Select(i => trees.SplitCounts()[i]).ToArray());
        run.WriteTable("importance.csv", it, "Interpretation", "Gain importance of the final model's columns");
        run.AddFigure("Interpretation", Plots.Bars("importance", "Gain importance", "gain", order.Select(i => trees.FeatureNames[i]).ToArray(),
            [("gain", order.Select(i => gain[i]).ToArray())], horizontal: true));
        foreach (int i in order.Take(Math.Min(3, order.Length)))
        {
            string name = trees.FeatureNames[i];
            var pd = PartialDependence.OneWay(trees, selected, name, 20, margin: false, threads: o.Threads);
            run.AddFigure("Interpretation", Plots.Line($"pdp_{Safe(name)}", $"Partial dependence on {name}", name, "P(plastic) of the trees",
                [new Series(name, pd.Grid, pd.Average)]));
        }
        if (order.Length >= 2)
        {
            string a = trees.FeatureNames[order[0]], b = trees.FeatureNames[order[1]];
            var pd = PartialDependence.TwoWay(trees, selected, a, b, 10, margin: false, threads: o.Threads);
            int nx = pd.GridX.Length, ny = pd.GridY.Length;
            var m = new double[ny, nx];
            for (int x = 0; x < nx; x++) for (int y = 0; y < ny; y++) m[ny - 1 - y, x] = pd.Average[x * ny + y];
            var xl = pd.GridX.Select(F).ToArray(); var yl = pd.GridY.Reverse().Select(F).ToArray();
            run.AddFigure("Interpretation", Plots.Heatmap("pdp2d", $"Partial dependence on {a} and {b}", yl, xl, m, a, b));
            // observed plastic fraction in the same bins (bin edges halfway between grid points)
            int ca = selected.Columns.ToList().IndexOf(a), cb = selected.Columns.ToList().IndexOf(b);
            var cnt = new double[ny, nx]; var pl = new double[ny, nx];
            for (int row = 0; row < selected.Rows; row++)
            {
                int bx = Bin(pd.GridX, selected[row, ca]), by = Bin(pd.GridY, selected[row, cb]);
                cnt[ny - 1 - by, bx]++; pl[ny - 1 - by, bx] += selected.Labels![row];
            }
            var frac = new double[ny, nx];
            for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) frac[y, x] = cnt[y, x] > 0 ? pl[y, x] / cnt[y, x] : double.NaN;
            run.AddFigure("Interpretation", Plots.Heatmap("observed2d", $"Observed plastic fraction (balanced training atoms) in the same bins", yl, xl, frac, a, b));
        }
        // AUC of each feature set alone
        var catalogue = o.Features switch
        {
            "seed" => SeedFeatureSets.FromColumns(balanced.Columns)?.Sets.Select(s => (s.Name, s.Columns)).ToList() ?? [],
            "seed-amlearn" => AmlearnSeedFeatureSets.Sro.Concat(AmlearnSeedFeatureSets.Mro).Select(s => (s.Name, s.Columns)).ToList(),
            _ => [],
        };
        var sets = catalogue.Where(s => s.Columns.All(c => balanced.Columns.Contains(c))).ToList();
        if (sets.Count > 0)
        {
            var tests = evalSet;
            var names = new List<string>(); var aucs = new List<double>();
            var p = o.Gbdt with { Seed = (ulong)o.Seed, Threads = o.Threads };
            foreach (var set in sets)
            {
                var cols = set.Columns.Select(c => balanced.Columns.ToList().IndexOf(c)).ToArray();
                var m = SoftnessLearning.Fit(balanced.SelectColumns(cols), p);
                var l = new List<double>(); var sc = new List<double>();
                foreach (var s in tests)
                {
                    var raw = m.PredictMargin(SoftnessModel.Table(s.Features, m.FeatureNames), o.Threads);
                    foreach (int i in s.IncludedAtoms()) { l.Add(s.Labels.Plastic[i] ? 1 : 0); sc.Add(raw[i]); }
                }
                names.Add(set.Name); aucs.Add(Metrics.RocAuc(l.ToArray(), sc.ToArray()));
            }
            var ft = new ResultTable().Add("feature_set", names).Add("columns", sets.Select(s => s.Columns.Count).ToArray()).Add("auc", aucs);
            run.WriteTable("feature_set_auc.csv", ft, "Interpretation", $"AUC ({evalName} atoms) of boosted trees trained on one feature set alone");
            run.AddFigure("Interpretation", Plots.Bars("feature_set_auc", "AUC of each feature set alone", "AUC", names, [("AUC", aucs)], horizontal: true));
        }
    }

    private static int Bin(double[] grid, double v)
    {
        for (int k = 0; k < grid.Length - 1; k++) if (v < 0.5 * (grid[k] + grid[k + 1])) return k;
        return grid.Length - 1;
    }

    private static string Safe(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) || ch == '_' ? ch : '_').ToArray());

    private static void Generalization(RunDirectory run, SoftnessTrainResult r, SoftnessTrainOptions o, FeatureTable balanced, FeatureTable selected, Action<string> log)
    {
        var conds = r.Samples.Select(s => s.Condition).Distinct().ToList();
        var trainConds = conds.Where(c => r.Samples.Any(s => s.Condition == c && s.Role == SampleRole.Train)).ToList();
        if (conds.Count < 2 || trainConds.Count == 0)
        {
            run.Report.Section("Generalisation").Paragraphs.Add(conds.Count < 2
                ? "One condition only (manifest column 'condition'): no generalisation matrix."
                : "No condition has training samples.");
            return;
        }
        var p = r.Model.Trees.Parameters;
        var cols = r.Model.Columns;
        var m = new double[trainConds.Count, conds.Count];
        for (int a = 0; a < trainConds.Count; a++)
        {
            var tr = r.Samples.Where(s => s.Condition == trainConds[a] && s.Role == SampleRole.Train).ToList();
            var t = SoftnessTrainer.Table(tr, tr[0].Features.Names);
            var bal = t.SelectRows(Sampling.Undersample(t.Labels, (ulong)o.Seed));
            var idx = cols.Select(c => bal.Columns.ToList().IndexOf(c)).ToArray();
            var model = SoftnessLearning.Fit(bal.SelectColumns(idx), p);
            for (int b = 0; b < conds.Count; b++)
            {
                // on its own condition: the held-out samples; on another: every sample of it (none was seen)
                var ev = r.Samples.Where(s => s.Condition == conds[b] && (conds[b] != trainConds[a] || s.Role == SampleRole.Test)).ToList();
                var l = new List<double>(); var sc = new List<double>();
                foreach (var s in ev)
                {
                    var raw = model.PredictMargin(SoftnessModel.Table(s.Features, model.FeatureNames), o.Threads);
                    foreach (int i in s.IncludedAtoms()) { l.Add(s.Labels.Plastic[i] ? 1 : 0); sc.Add(raw[i]); }
                }
                int pos = l.Count(v => v == 1);
                m[a, b] = pos == 0 || pos == l.Count ? double.NaN : Metrics.RocAuc(l.ToArray(), sc.ToArray());
            }
        }
        var ratio = new double[trainConds.Count, conds.Count];
        for (int a = 0; a < trainConds.Count; a++)
            for (int b = 0; b < conds.Count; b++)
            {
                int diag = trainConds.IndexOf(conds[b]);
                ratio[a, b] = diag < 0 ? double.NaN : m[a, b] / m[diag, b];
            }
        var gt = new ResultTable().Add("trained_on", Enumerable.Range(0, trainConds.Count).SelectMany(a => conds.Select(_ => trainConds[a])).ToArray())
            .Add("tested_on", Enumerable.Range(0, trainConds.Count).SelectMany(_ => conds).ToArray())
            .Add("auc", Enumerable.Range(0, trainConds.Count).SelectMany(a => Enumerable.Range(0, conds.Count).Select(b => m[a, b])).ToArray())
            .Add("ratio_to_diagonal", Enumerable.Range(0, trainConds.Count).SelectMany(a => Enumerable.Range(0, conds.Count).Select(b => ratio[a, b])).ToArray());
        run.WriteTable("generalization.csv", gt, "Generalisation", "AUC of a model trained on one condition (rows) on each condition (columns; own condition: its test samples), and its ratio to the diagonal");
        run.AddFigure("Generalisation", Plots.Heatmap("generalization_auc", "AUC: trained on (rows) × tested on (columns)", trainConds, conds, m, "tested on", "trained on", "F3"));
        run.AddFigure("Generalisation", Plots.Heatmap("generalization_ratio", "AUC / AUC of the target condition's own model", trainConds, conds, ratio, "tested on", "trained on", "F3"));
    }
}
