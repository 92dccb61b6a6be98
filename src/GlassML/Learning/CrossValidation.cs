namespace GlassML.Learning;

/// <summary>Metrics of one cross-validation fold (its held-out rows).</summary>
/// <param name="Fold">Fold index (0-based).</param>
/// <param name="Rows">Held-out rows in the fold.</param>
/// <param name="Metrics">Metrics of the fold's predictions (see <see cref="CrossValidation.Score"/>).</param>
public sealed record FoldMetrics(int Fold, int Rows, IReadOnlyList<(string Name, double Value)> Metrics);

/// <summary>
/// Result of <see cref="CrossValidation.Run"/>: every row's out-of-fold prediction, the metrics pooled over all of them
/// (the headline numbers), and the per-fold metrics (secondary: with grouped folds a fold's R² compares errors to the
/// small spread inside one group and can be very negative while the pooled R² is positive).
/// </summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(int folds, string scheme, bool classifier, int[] foldOf, TabularPrediction oof,
        IReadOnlyList<(string, double)> pooled, IReadOnlyList<FoldMetrics> perFold, int groupCount)
    {
        Folds = folds; Scheme = scheme; Classifier = classifier; FoldOf = foldOf; OutOfFold = oof; Pooled = pooled; PerFold = perFold;
        GroupCount = groupCount;
    }

    /// <summary>Number of folds k.</summary>
    public int Folds { get; }
    /// <summary>How folds were made: "group k-fold", "stratified k-fold" or "k-fold".</summary>
    public string Scheme { get; }
    /// <summary>True when folds keep every group (the table's <see cref="FeatureTable.Groups"/>) whole.</summary>
    public bool Grouped => GroupCount > 0;
    /// <summary>Number of distinct groups when grouped, else 0.</summary>
    public int GroupCount { get; }
    /// <summary>True when the learner is a classifier (metrics AUC/accuracy), else regression metrics.</summary>
    public bool Classifier { get; }
    /// <summary>Fold (0-based) in which each row was held out.</summary>
    public int[] FoldOf { get; }
    /// <summary>Out-of-fold predictions in row order (each row predicted by the model that did not see it).</summary>
    public TabularPrediction OutOfFold { get; }
    /// <summary>Metrics of all out-of-fold predictions together (scikit-learn's <c>cross_val_predict</c> then the metric).</summary>
    public IReadOnlyList<(string Name, double Value)> Pooled { get; }
    /// <summary>Metrics of each fold's held-out rows.</summary>
    public IReadOnlyList<FoldMetrics> PerFold { get; }

    /// <summary>Mean over folds of a per-fold metric (for comparison only; not the cross-validated estimate).</summary>
    /// <exception cref="ArgumentException">No fold has that metric.</exception>
    public double MeanOverFolds(string metric)
    {
        var v = PerFold.SelectMany(f => f.Metrics).Where(m => m.Name == metric).Select(m => m.Value).ToArray();
        return v.Length > 0 ? v.Average() : throw new ArgumentException($"no fold has metric '{metric}'");
    }
}

/// <summary>
/// k-fold cross-validation of any registry learner with metrics pooled over the out-of-fold predictions. Folds keep
/// groups whole when the table has groups (<see cref="Splits.GroupKFold"/>), are stratified for classifiers, and plain
/// shuffled k-fold otherwise; all seeded, so results are identical for any thread count.
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs k-fold cross-validation.</summary>
    /// <param name="learner">The learner.</param>
    /// <param name="table">Labelled table (with groups for grouped folds).</param>
    /// <param name="parameters">Learner parameters (the same for every fold).</param>
    /// <param name="k">Number of folds (≥ 2; at most the number of groups or rows).</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <param name="classifier">Whether the learner classifies under these parameters (stratification and metrics); e.g. the
    /// <see cref="ITrainedModel.IsClassifier"/> of a model fitted on the whole table.</param>
    /// <param name="threads">Threads (0 = all cores).</param>
    /// <exception cref="ArgumentException">No labels, k out of range, or a learner error in a fold.</exception>
    public static CrossValidationResult Run(ILearner learner, FeatureTable table, IReadOnlyDictionary<string, string> parameters, int k, ulong seed,
        bool classifier, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(learner); ArgumentNullException.ThrowIfNull(table);
        var y = table.Labels ?? throw new ArgumentException("cross-validation needs a target column");
        if (k < 2) throw new ArgumentException("cross-validation needs at least 2 folds");
        string scheme;
        Split[] splits;
        int groups = 0;
        try
        {
            if (table.Groups is not null) { splits = Splits.GroupKFold(table.Groups, k, seed); scheme = "group k-fold"; groups = table.Groups.Distinct().Count(); }
            else if (classifier) { splits = Splits.StratifiedKFold(y, k, seed); scheme = "stratified k-fold"; }
            else { splits = Splits.KFold(table.Rows, k, seed); scheme = "k-fold"; }
        }
        catch (ArgumentOutOfRangeException e) { throw new ArgumentException($"--cv {k}: {e.Message.Split(" (Parameter")[0]}"); }
        int n = table.Rows;
        var pred = new double[n];
        double[]? prob = null, std = null;
        var foldOf = new int[n];
        var perFold = new List<FoldMetrics>();
        for (int f = 0; f < splits.Length; f++)
        {
            var (tr, te) = Splits.Apply(table, splits[f]);
            var p = learner.Fit(tr, parameters, threads).Predict(te, threads);
            var rows = splits[f].Test;
            for (int j = 0; j < rows.Length; j++)
            {
                int r = rows[j];
                foldOf[r] = f;
                pred[r] = p.Prediction[j];
                if (p.Probability is not null) (prob ??= new double[n])[r] = p.Probability[j];
                if (p.Std is not null) (std ??= new double[n])[r] = p.Std[j];
            }
            perFold.Add(new FoldMetrics(f, rows.Length, Score(te.Labels!, p, classifier)));
        }
        var oof = new TabularPrediction(pred, prob, std);
        return new CrossValidationResult(splits.Length, scheme, classifier, foldOf, oof, Score(y, oof, classifier), perFold, groups);
    }

    /// <summary>
    /// Metrics of predictions against labels: AUC (when there are probabilities and both classes) and accuracy for
    /// classifiers; RMSE, MAE, R² and Pearson r otherwise.
    /// </summary>
    public static IReadOnlyList<(string Name, double Value)> Score(double[] y, TabularPrediction p, bool classifier)
    {
        ArgumentNullException.ThrowIfNull(y); ArgumentNullException.ThrowIfNull(p);
        var o = new List<(string, double)>();
        if (classifier)
        {
            if (p.Probability is not null && y.Distinct().Count() == 2) o.Add(("auc", Metrics.RocAuc(y, p.Probability)));
            o.Add(("accuracy", Metrics.Accuracy(y, p.Prediction)));
            return o;
        }
        o.Add(("rmse", Metrics.Rmse(y, p.Prediction)));
        o.Add(("mae", Metrics.Mae(y, p.Prediction)));
        o.Add(("r2", Metrics.R2(y, p.Prediction)));
        o.Add(("pearson", Metrics.Pearson(y, p.Prediction)));
        return o;
    }
}
