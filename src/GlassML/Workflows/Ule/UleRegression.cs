using GlassML.Learning;

namespace GlassML.Workflows.Ule;

/// <summary>Options of the ULE energy regression.</summary>
public sealed record UleTrainOptions
{
    /// <summary>
    /// Default GBDT: squared error, 300 rounds, η 0.05, depth 4 (base score is always the training mean). For a
    /// per-atom target (eV/atom, spread of meV) gamma is in (eV/atom)²: the search scales it by the target variance.
    /// </summary>
    public static GradientBoostedTreesParameters DefaultGbdt { get; } = new()
    {
        Objective = GbdtObjective.SquaredError, NEstimators = 300, LearningRate = 0.05, MaxDepth = 4, MinChildWeight = 1, Subsample = 1, ColsampleBytree = 1,
    };

    /// <summary>GBDT parameters (base score replaced by the training mean).</summary>
    public GradientBoostedTreesParameters Gbdt { get; init; } = DefaultGbdt;
    /// <summary>Grouped k-fold CV folds (reduced to the number of groups when there are fewer).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Bayesian search evaluations (0 = no search).</summary>
    public int SearchEvaluations { get; init; }
    /// <summary>
    /// Early-stopping patience (rounds) on an inner grouped split (see <see cref="UleRegression.FitEarlyStopped"/>):
    /// null = <see cref="DefaultEarlyStopping"/> with a search and off without one; 0 = off (always the full n_estimators).
    /// </summary>
    public int? EarlyStoppingRounds { get; init; }
    /// <summary>Patience used by the search when <see cref="EarlyStoppingRounds"/> is not given.</summary>
    public const int DefaultEarlyStopping = 20;
    /// <summary>The patience in effect (0 = no early stopping).</summary>
    public int EffectiveEarlyStopping => EarlyStoppingRounds ?? (SearchEvaluations > 0 ? DefaultEarlyStopping : 0);
    /// <summary>Barcode length K (top ULEs by mean |SHAP|).</summary>
    public int Top { get; init; } = 40;
    /// <summary>Heterogeneity window ΔE (eV/atom): references within ±ΔE of a probe's energy.</summary>
    public double Window { get; init; } = 0.001;
    /// <summary>Seed of folds, search and subsampling.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Worker threads (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>Pooled out-of-fold regression metrics.</summary>
/// <param name="RmseMeVPerAtom">RMSE (meV/atom).</param>
/// <param name="MaeMeVPerAtom">MAE (meV/atom).</param>
/// <param name="RmseEvPerSample">RMSE of the sample energy (eV/sample: per-atom error × N).</param>
/// <param name="MaeEvPerSample">MAE of the sample energy (eV/sample).</param>
/// <param name="R2">Coefficient of determination of all predictions pooled.</param>
/// <param name="Pearson">Pearson correlation of all predictions pooled.</param>
/// <param name="Count">Number of predictions.</param>
public sealed record UleMetrics(double RmseMeVPerAtom, double MaeMeVPerAtom, double RmseEvPerSample, double MaeEvPerSample, double R2, double Pearson, int Count)
{
    /// <summary>Metrics of predictions y_pred for y (eV/atom) of samples of N atoms.</summary>
    public static UleMetrics Of(IReadOnlyList<double> y, IReadOnlyList<double> pred, IReadOnlyList<int> atoms)
    {
        int n = y.Count;
        if (n == 0) return new UleMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        double se = 0, ae = 0, se2 = 0, ae2 = 0;
        for (int i = 0; i < n; i++)
        {
            double d = pred[i] - y[i];
            se += d * d; ae += Math.Abs(d);
            se2 += d * atoms[i] * d * atoms[i]; ae2 += Math.Abs(d) * atoms[i];
        }
        var ya = y.ToArray(); var pa = pred.ToArray();
        return new UleMetrics(1000 * Math.Sqrt(se / n), 1000 * ae / n, Math.Sqrt(se2 / n), ae2 / n,
            n > 1 ? Metrics.R2(ya, pa) : double.NaN, n > 2 ? Metrics.Pearson(ya, pa) : double.NaN, n);
    }

    /// <summary>Name → value with a prefix (e.g. <c>cv_rmse_mev_per_atom</c>).</summary>
    public IEnumerable<KeyValuePair<string, double>> Named(string prefix) =>
    [
        new($"{prefix}_rmse_mev_per_atom", RmseMeVPerAtom), new($"{prefix}_mae_mev_per_atom", MaeMeVPerAtom),
        new($"{prefix}_rmse_ev_per_sample", RmseEvPerSample), new($"{prefix}_mae_ev_per_sample", MaeEvPerSample),
        new($"{prefix}_r2", R2), new($"{prefix}_pearson", Pearson), new($"{prefix}_count", Count),
    ];
}

/// <summary>Result of <see cref="UleRegression.CrossValidate"/>.</summary>
/// <param name="OutOfFold">Out-of-fold prediction per training row.</param>
/// <param name="Fold">Fold of each training row.</param>
/// <param name="Pooled">Metrics pooled over all out-of-fold predictions.</param>
/// <param name="PerFold">Metrics of each fold (secondary).</param>
/// <param name="Rounds">Boosting rounds of each fold's model (chosen by inner validation loss with early stopping, else n_estimators).</param>
public sealed record UleCrossValidation(double[] OutOfFold, int[] Fold, UleMetrics Pooled, IReadOnlyList<UleMetrics> PerFold, IReadOnlyList<int> Rounds);

/// <summary>
/// The ULE energy regression: gradient-boosted trees (squared error, base score = training mean) on the ULE fractions,
/// grouped k-fold cross-validation with metrics pooled over the out-of-fold predictions, optional Bayesian search.
/// </summary>
public static class UleRegression
{
    /// <summary>A feature table of sample vectors (labels = energy per atom when every row has one).</summary>
    public static FeatureTable Table(IReadOnlyList<UleSampleVector> rows, IReadOnlyList<string> columns, IReadOnlyList<int>? groups = null)
    {
        int u = columns.Count;
        var x = new double[(long)rows.Count * u];
        for (int r = 0; r < rows.Count; r++) rows[r].Fractions.AsSpan(0, u).CopyTo(x.AsSpan(r * u, u));
        var y = rows.All(r => !double.IsNaN(r.EnergyPerAtom)) ? rows.Select(r => r.EnergyPerAtom).ToArray() : null;
        return new FeatureTable(columns, rows.Count, x, y, groups?.ToArray());
    }

    /// <summary>Fits the GBDT with base score = mean of the labels.</summary>
    public static GradientBoostedTreesModel Fit(FeatureTable train, GradientBoostedTreesParameters p, int threads, FeatureTable? validation = null)
    {
        double mean = train.Labels!.Average();
        // fractions are mostly 0: sparse histograms (the default bin of each ULE from the difference to the node's sums)
        var m = new GradientBoostedTrees(p with { Objective = GbdtObjective.SquaredError, BaseScore = mean, Threads = threads }) { SparseHistograms = true }.Fit(train, validation);
        // the thread count is not part of the model (files are identical for any --threads)
        return new GradientBoostedTreesModel(m.FeatureNames, m.Parameters with { Threads = 0 }, m.BaseMargin, m.Trees, m.BestIteration, [.. m.ValidationHistory], m.Metrics);
    }

    /// <summary>
    /// Early stopping on an inner split: the groups of <paramref name="train"/> are split again
    /// (<see cref="Splits.HoldOutGroups(ReadOnlySpan{int}, double, ulong)"/>, fraction 1/<paramref name="folds"/>, at least one
    /// group) into inner-train and inner-validation; boosting on inner-train stops after <paramref name="patience"/> rounds
    /// without a lower inner-validation RMSE; the rounds up to the best one are the number kept, and the model is refitted
    /// on all of <paramref name="train"/> with that many rounds (at most n_estimators). Patience 0 = a plain fit.
    /// </summary>
    /// <exception cref="ArgumentException">Early stopping with fewer than 2 groups in <paramref name="train"/>.</exception>
    public static (GradientBoostedTreesModel Model, int Rounds) FitEarlyStopped(FeatureTable train, int[] groups, GradientBoostedTreesParameters p,
        int patience, int folds, int seed, int threads)
    {
        if (patience <= 0) return (Fit(train, p, threads), p.NEstimators);
        if (groups.Distinct().Count() < 2)
            throw new ArgumentException("early stopping on an inner split needs training samples from at least 2 groups in every training fold (use --early-stopping 0)");
        var inner = Splits.HoldOutGroups(groups, 1.0 / Math.Max(folds, 2), (ulong)seed);
        var (itr, iva) = Splits.Apply(train, inner);
        var probe = Fit(itr, p with { EarlyStoppingRounds = patience }, threads, iva);
        int rounds = probe.BestIteration + 1;
        return (Fit(train, p with { NEstimators = rounds, EarlyStoppingRounds = 0 }, threads), rounds);
    }

    /// <summary>
    /// Grouped k-fold CV (folds = min(k, groups)); metrics pooled over all out-of-fold predictions. With
    /// <paramref name="earlyStopping"/> &gt; 0 each outer training fold chooses its rounds on an inner grouped split
    /// (<see cref="FitEarlyStopped"/>); the outer test fold is never seen.
    /// </summary>
    public static UleCrossValidation CrossValidate(FeatureTable table, int[] groups, int[] atoms, GradientBoostedTreesParameters p, int folds, int seed, int threads,
        int earlyStopping = 0)
    {
        int ng = groups.Distinct().Count();
        int k = Math.Min(folds, ng);
        if (k < 2) throw new ArgumentException($"cross-validation needs training samples from at least 2 groups (trajectories); got {ng}");
        var splits = Splits.GroupKFold(groups, k, (ulong)seed);
        var oof = new double[table.Rows];
        var fold = new int[table.Rows];
        var per = new List<UleMetrics>();
        var rounds = new List<int>();
        for (int f = 0; f < splits.Length; f++)
        {
            var (tr, te) = Splits.Apply(table, splits[f]);
            var (m, r) = FitEarlyStopped(tr, splits[f].Train.Select(i => groups[i]).ToArray(), p, earlyStopping, k, seed + f, threads);
            var pred = m.Predict(te, threads);
            for (int i = 0; i < splits[f].Test.Length; i++) { oof[splits[f].Test[i]] = pred[i]; fold[splits[f].Test[i]] = f; }
            per.Add(UleMetrics.Of(te.Labels!, pred, splits[f].Test.Select(i => atoms[i]).ToArray()));
            rounds.Add(r);
        }
        return new UleCrossValidation(oof, fold, UleMetrics.Of(table.Labels!, oof, atoms), per, rounds);
    }

    /// <summary>
    /// Bayesian search over max_depth 2–8, η 0.01–0.3 (log), γ/var(y) 0–0.05, min_child_weight 1–10, subsample 0.5–1,
    /// colsample_bytree 0.3–1; each evaluation is a grouped k-fold CV scored by the pooled out-of-fold RMSE, and with
    /// <paramref name="earlyStopping"/> &gt; 0 every outer training fold chooses its boosting rounds by early stopping on an
    /// inner grouped split and is then refitted (<see cref="FitEarlyStopped"/>; n_estimators is the cap).
    /// Scaling to the per-atom target: γ is a loss reduction, in units of the squared target ((eV/atom)², spreads of
    /// 1e-6), so the search draws γ/var(y) and multiplies by the variance of the training targets — the same range works
    /// for eV/atom or eV/sample. With squared error the hessian is 1 per sample whatever the target's unit, so
    /// min_child_weight is a number of samples and is not scaled. Returns the best parameters, every trial and the mean
    /// rounds per trial (n_estimators when not stopping early).
    /// </summary>
    public static (GradientBoostedTreesParameters Best, SearchResult Result, double[] MeanRounds) Search(FeatureTable table, int[] groups, int[] atoms,
        GradientBoostedTreesParameters start, int evaluations, int folds, int seed, int threads, int earlyStopping = 0)
    {
        var y = table.Labels!;
        double mean = y.Average(), var = y.Sum(v => (v - mean) * (v - mean)) / y.Length;
        var space = new SearchSpace([2, 0.01, 0, 1, 0.5, 0.3], [8, 0.3, 0.05, 10, 1, 1], [false, true, false, false, false, false]);
        GradientBoostedTreesParameters Make(double[] v) => start with
        {
            MaxDepth = (int)Math.Round(v[0]), LearningRate = v[1], Gamma = v[2] * var, MinChildWeight = v[3], Subsample = v[4], ColsampleBytree = v[5],
        };
        var rounds = new List<double>();
        var res = HyperparameterSearch.Bayesian(space, v =>
            {
                var cv = CrossValidate(table, groups, atoms, Make(v), folds, seed, threads, earlyStopping);
                rounds.Add(cv.Rounds.Average());
                return -cv.Pooled.RmseMeVPerAtom;
            },
            new BayesianSearchOptions(Evaluations: Math.Max(evaluations, 2), InitialPoints: Math.Min(5, Math.Max(evaluations, 2)), Seed: seed, Threads: threads));
        return (Make(res.Best.Parameters), res, [.. rounds]);
    }
}
