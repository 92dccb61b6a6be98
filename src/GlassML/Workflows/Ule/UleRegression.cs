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
public sealed record UleCrossValidation(double[] OutOfFold, int[] Fold, UleMetrics Pooled, IReadOnlyList<UleMetrics> PerFold);

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
        var m = new GradientBoostedTrees(p with { Objective = GbdtObjective.SquaredError, BaseScore = mean, Threads = threads }).Fit(train, validation);
        // the thread count is not part of the model (files are identical for any --threads)
        return new GradientBoostedTreesModel(m.FeatureNames, m.Parameters with { Threads = 0 }, m.BaseMargin, m.Trees, m.BestIteration, [.. m.ValidationHistory], m.Metrics);
    }

    /// <summary>Grouped k-fold CV (folds = min(k, groups)); metrics pooled over all out-of-fold predictions.</summary>
    public static UleCrossValidation CrossValidate(FeatureTable table, int[] groups, int[] atoms, GradientBoostedTreesParameters p, int folds, int seed, int threads)
    {
        int ng = groups.Distinct().Count();
        int k = Math.Min(folds, ng);
        if (k < 2) throw new ArgumentException($"cross-validation needs training samples from at least 2 groups (trajectories); got {ng}");
        var splits = Splits.GroupKFold(groups, k, (ulong)seed);
        var oof = new double[table.Rows];
        var fold = new int[table.Rows];
        var per = new List<UleMetrics>();
        for (int f = 0; f < splits.Length; f++)
        {
            var (tr, te) = Splits.Apply(table, splits[f]);
            var m = Fit(tr, p, threads);
            var pred = m.Predict(te, threads);
            for (int i = 0; i < splits[f].Test.Length; i++) { oof[splits[f].Test[i]] = pred[i]; fold[splits[f].Test[i]] = f; }
            per.Add(UleMetrics.Of(te.Labels!, pred, splits[f].Test.Select(i => atoms[i]).ToArray()));
        }
        return new UleCrossValidation(oof, fold, UleMetrics.Of(table.Labels!, oof, atoms), per);
    }

    /// <summary>
    /// Bayesian search (grouped k-fold, pooled RMSE) over max_depth 2–8, η 0.01–0.3 (log), γ/var(y) 0–0.05, min_child_weight
    /// 1–10, subsample 0.5–1, colsample_bytree 0.3–1. γ is in loss units ((eV/atom)²), hence scaled by the variance of the
    /// per-atom target; with squared error the hessian is 1 per sample, so min_child_weight is a sample count and needs no
    /// scaling. Returns the best parameters and every trial.
    /// </summary>
    public static (GradientBoostedTreesParameters Best, SearchResult Result) Search(FeatureTable table, int[] groups, int[] atoms,
        GradientBoostedTreesParameters start, int evaluations, int folds, int seed, int threads)
    {
        var y = table.Labels!;
        double mean = y.Average(), var = y.Sum(v => (v - mean) * (v - mean)) / y.Length;
        var space = new SearchSpace([2, 0.01, 0, 1, 0.5, 0.3], [8, 0.3, 0.05, 10, 1, 1], [false, true, false, false, false, false]);
        GradientBoostedTreesParameters Make(double[] v) => start with
        {
            MaxDepth = (int)Math.Round(v[0]), LearningRate = v[1], Gamma = v[2] * var, MinChildWeight = v[3], Subsample = v[4], ColsampleBytree = v[5],
        };
        var res = HyperparameterSearch.Bayesian(space, v => -CrossValidate(table, groups, atoms, Make(v), folds, seed, threads).Pooled.RmseMeVPerAtom,
            new BayesianSearchOptions(Evaluations: Math.Max(evaluations, 2), InitialPoints: Math.Min(5, Math.Max(evaluations, 2)), Seed: seed, Threads: threads));
        return (Make(res.Best.Parameters), res);
    }
}
