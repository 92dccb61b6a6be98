using System.Globalization;
using GlassML.Learning;

namespace GlassML.Workflows.Softness;

/// <summary>One stage of the reduction cascade: its name, the columns it kept and a note (threshold, scale).</summary>
/// <param name="Stage">variance, correlation, top, rfe.</param>
/// <param name="Kept">Column names kept by the stage, in table order.</param>
/// <param name="Note">What the stage did, in words.</param>
public sealed record CascadeStage(string Stage, IReadOnlyList<string> Kept, string Note);

/// <summary>The cascade's outcome.</summary>
/// <param name="Stages">Stages in order (the first is the input).</param>
/// <param name="Final">Final column names.</param>
/// <param name="RfeCurve">(number of columns, CV AUC) of every RFE step, largest first; empty without RFE.</param>
public sealed record CascadeResult(IReadOnlyList<CascadeStage> Stages, IReadOnlyList<string> Final, IReadOnlyList<(int Columns, double CvAuc)> RfeCurve);

/// <summary>
/// Boosted-tree training pieces of the softness method: folds grouped by sample, out-of-fold raw scores, CV-averaged
/// gain and the feature-reduction cascade. Every step is deterministic for a seed and any thread count.
/// </summary>
public static class SoftnessLearning
{
    /// <summary>
    /// Folds over a table's rows: grouped by <see cref="FeatureTable.Groups"/> (the sample) with min(k, groups) folds when
    /// there are at least two groups, otherwise stratified k-fold over rows. Returns the folds and a description.
    /// </summary>
    public static (Split[] Folds, string Scheme) Folds(FeatureTable t, int k, ulong seed)
    {
        if (k < 2) throw new ArgumentException("--cv must be at least 2 folds");
        int groups = t.Groups is null ? 1 : t.Groups.Distinct().Count();
        if (groups >= 2)
        {
            int kk = Math.Min(k, groups);
            return (Splits.GroupKFold(t.Groups, kk, seed), $"{kk}-fold grouped by sample ({groups} training samples)");
        }
        return (Splits.StratifiedKFold(t.Labels, k, seed), $"{k}-fold stratified over atoms (one training sample: folds cannot be grouped by sample)");
    }

    /// <summary>Fits boosted trees.</summary>
    public static GradientBoostedTreesModel Fit(FeatureTable t, GradientBoostedTreesParameters p) => new GradientBoostedTrees(p).Fit(t);

    /// <summary>Out-of-fold raw scores (margins) of every row.</summary>
    public static double[] OutOfFold(FeatureTable t, Split[] folds, GradientBoostedTreesParameters p, int threads = 0)
    {
        var oof = new double[t.Rows];
        foreach (var s in folds)
        {
            var m = Fit(t.SelectRows(s.Train), p);
            var pred = m.PredictMargin(t.SelectRows(s.Test), threads);
            for (int i = 0; i < s.Test.Length; i++) oof[s.Test[i]] = pred[i];
        }
        return oof;
    }

    /// <summary>Pooled out-of-fold ROC AUC.</summary>
    public static double CvAuc(FeatureTable t, Split[] folds, GradientBoostedTreesParameters p, int threads = 0) =>
        Metrics.RocAuc(t.Labels, OutOfFold(t, folds, p, threads));

    /// <summary>Gain importance (XGBoost <c>gain</c>) averaged over the folds' models.</summary>
    public static double[] CvGain(FeatureTable t, Split[] folds, GradientBoostedTreesParameters p)
    {
        var g = new double[t.ColumnCount];
        foreach (var s in folds)
        {
            var gi = Fit(t.SelectRows(s.Train), p).GainImportance();
            for (int c = 0; c < g.Length; c++) g[c] += gi[c];
        }
        for (int c = 0; c < g.Length; c++) g[c] /= folds.Length;
        return g;
    }

    /// <summary>
    /// Runs the cascade on a balanced, labelled table: raw-variance filter, correlation filter keeping the column of larger
    /// CV-averaged gain, the top columns by CV-averaged gain, RFE (one column at a time, importance = gain of a fit on
    /// all rows, score = pooled out-of-fold AUC) down to the requested count.
    /// </summary>
    public static CascadeResult Cascade(FeatureTable t, CascadeOptions c, Split[] folds, GradientBoostedTreesParameters p, int threads = 0)
    {
        var stages = new List<CascadeStage>();
        int[] cols = Enumerable.Range(0, t.ColumnCount).ToArray();
        string[] Names(int[] cc) => cc.Select(i => t.Columns[i]).ToArray();
        stages.Add(new CascadeStage("input", Names(cols), "every column of the feature set"));
        if (c.Variance >= 0)
        {
            var v = FeatureSelection.Variances(t.Values, t.Rows, t.ColumnCount);
            cols = cols.Where(i => v[i] > c.Variance).ToArray();
            stages.Add(new CascadeStage("variance", Names(cols), string.Create(CultureInfo.InvariantCulture,
                $"raw (unscaled) variance over the balanced training rows > {c.Variance}; standardised columns all have variance 1, so only the raw scale can filter")));
        }
        if (cols.Length == 0) throw new ArgumentException("--cascade: the variance filter left no column");
        if (c.Correlation < 1 && cols.Length > 1)
        {
            var sub = t.SelectColumns(cols);
            var gain = CvGain(sub, folds, p);
            var order = Enumerable.Range(0, cols.Length).OrderByDescending(i => gain[i]).ThenBy(i => i).ToArray();
            var kept = FeatureSelection.CorrelationFilter(sub.Values, sub.Rows, sub.ColumnCount, c.Correlation, order);
            cols = kept.Select(i => cols[i]).ToArray();
            stages.Add(new CascadeStage("correlation", Names(cols), string.Create(CultureInfo.InvariantCulture,
                $"of two columns with |Pearson ρ| > {c.Correlation}, the one with the larger CV-averaged gain is kept")));
        }
        if (c.Top > 0 && cols.Length > c.Top)
        {
            var sub = t.SelectColumns(cols);
            var gain = CvGain(sub, folds, p);
            var top = FeatureSelection.TopK(gain, c.Top);
            Array.Sort(top);
            cols = top.Select(i => cols[i]).ToArray();
            stages.Add(new CascadeStage("top", Names(cols), $"the {c.Top} columns of largest CV-averaged gain"));
        }
        var curve = new List<(int, double)>();
        if (c.Rfe > 0 && cols.Length > c.Rfe)
        {
            var baseCols = cols;
            var res = FeatureSelection.RecursiveElimination(baseCols.Length,
                sub => Fit(t.SelectColumns(sub.Select(i => baseCols[i]).ToArray()), p).GainImportance(),
                sub => CvAuc(t.SelectColumns(sub.Select(i => baseCols[i]).ToArray()), folds, p, threads),
                step: 1, minFeatures: c.Rfe);
            for (int i = 0; i < res.Subsets.Count; i++) curve.Add((res.Subsets[i].Length, res.Scores[i]));
            cols = res.Subsets[^1].Select(i => baseCols[i]).ToArray();
            stages.Add(new CascadeStage("rfe", Names(cols), $"recursive feature elimination (one column per step, by gain) down to {c.Rfe}"));
        }
        return new CascadeResult(stages, Names(cols), curve);
    }

    /// <summary>
    /// Optional hyper-parameter search scored by CV AUC: <c>random:N</c> or <c>bayes:N</c> over learning rate
    /// (0.01–0.3, log), depth (2–8), trees (50–500, log) and min child weight (0.5–10, log).
    /// </summary>
    public static (GradientBoostedTreesParameters Best, IReadOnlyList<SearchTrial> Trials) Search(string spec, FeatureTable t, Split[] folds,
        GradientBoostedTreesParameters p, int seed, int threads = 0)
    {
        var parts = spec.Split(':');
        if (parts.Length != 2 || parts[0] is not ("random" or "bayes") || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            throw new ArgumentException($"--search: '{spec}' is not random:N or bayes:N (N ≥ 1 evaluations)");
        var space = new SearchSpace([0.01, 2, 50, 0.5], [0.3, 8, 500, 10], [true, false, true, true]);
        GradientBoostedTreesParameters Of(double[] x) => p with
        {
            LearningRate = x[0], MaxDepth = (int)Math.Round(x[1]), NEstimators = (int)Math.Round(x[2]), MinChildWeight = x[3],
        };
        double Objective(double[] x) => CvAuc(t, folds, Of(x), threads);
        var res = parts[0] == "random"
            ? HyperparameterSearch.Random(space, Objective, n, seed)
            : HyperparameterSearch.Bayesian(space, Objective, new BayesianSearchOptions(Evaluations: Math.Max(n, 1), InitialPoints: Math.Min(5, n), Seed: seed));
        return (Of(res.Best.Parameters), res.Trials);
    }

    /// <summary>
    /// Percentile bootstrap interval of the ROC AUC: <paramref name="resamples"/> resamples of the rows with replacement
    /// (SplitMix64 seeded); resamples with one class only are skipped. Returns (low, high) at 2.5 % and 97.5 % (linear
    /// interpolation between order statistics, as numpy.percentile).
    /// </summary>
    public static (double Low, double High) BootstrapAuc(IReadOnlyList<double> labels, IReadOnlyList<double> scores, int resamples, ulong seed)
    {
        int n = labels.Count;
        if (resamples < 1 || n == 0) return (double.NaN, double.NaN);
        var rng = new SplitMix64(seed);
        var aucs = new List<double>(resamples);
        var l = new double[n]; var s = new double[n];
        for (int b = 0; b < resamples; b++)
        {
            int pos = 0;
            for (int i = 0; i < n; i++)
            {
                int j = rng.NextInt(n);
                l[i] = labels[j]; s[i] = scores[j];
                if (l[i] == 1) pos++;
            }
            if (pos == 0 || pos == n) continue;
            aucs.Add(Metrics.RocAuc(l, s));
        }
        if (aucs.Count == 0) return (double.NaN, double.NaN);
        aucs.Sort();
        return (Percentile(aucs, 2.5), Percentile(aucs, 97.5));
    }

    /// <summary>numpy.percentile (linear) of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        double pos = q / 100.0 * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
