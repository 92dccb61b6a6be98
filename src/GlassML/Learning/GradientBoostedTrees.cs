namespace GlassML.Learning;

/// <summary>
/// Histogram gradient-boosted regression trees, following XGBoost 1.7 <c>tree_method=hist</c>
/// (Chen &amp; Guestrin 2016, doi:10.1145/2939672.2939785): quantile bins (max_bin), second-order gradient
/// statistics, split gain and leaf weight as in XGBoost, depthwise or lossguide growth, NaN default directions,
/// row subsampling (Bernoulli per tree) and per-tree column sampling, early stopping on a validation table.
/// Usage: <c>var model = new GradientBoostedTrees(parameters).Fit(train, validation);</c>
/// Results are bit-identical for any thread count.
/// </summary>
public sealed class GradientBoostedTrees
{
    /// <summary>Validated parameters.</summary>
    public GradientBoostedTreesParameters Parameters { get; }

    /// <summary>Validates the parameters (throws <see cref="ArgumentOutOfRangeException"/> naming a bad one).</summary>
    public GradientBoostedTrees(GradientBoostedTreesParameters parameters)
    {
        parameters.Validate();
        Parameters = parameters;
    }

    /// <summary>
    /// Sparse histograms (squared error only; see <see cref="TreeBuilder"/>): for tables whose columns mostly hold one
    /// value, such as ULE fractions. Trees equal the dense ones up to the rounding of the gradient sums. Internal: not a
    /// model parameter, so models of other callers are unchanged.
    /// </summary>
    internal bool SparseHistograms { get; init; }

    /// <summary>
    /// Trains on <paramref name="train"/> (labels required; 0/1 for binary:logistic). With a
    /// <paramref name="validation"/> table the per-round metric (log-loss or RMSE) is recorded, and with
    /// early_stopping_rounds &gt; 0 training stops after that many rounds without improvement and the model keeps
    /// the trees up to the best round.
    /// </summary>
    public GradientBoostedTreesModel Fit(FeatureTable train, FeatureTable? validation = null)
    {
        var p = Parameters;
        var labels = train.Labels ?? throw new ArgumentException("training table has no labels");
        CheckLabels(labels, "training");
        if (train.Rows == 0) throw new ArgumentException("training table has no rows");
        if (train.ColumnCount == 0) throw new ArgumentException("training table has no feature columns");
        if (validation is not null)
        {
            if (validation.Labels is null) throw new ArgumentException("validation table has no labels");
            CheckLabels(validation.Labels, "validation");
            validation = validation.AlignTo(train.Columns, "validation table");
        }
        if (p.EarlyStoppingRounds > 0 && validation is null) throw new ArgumentException("early_stopping_rounds needs a validation table");

        var po = new ParallelOptions { MaxDegreeOfParallelism = p.Threads > 0 ? p.Threads : Environment.ProcessorCount };
        int n = train.Rows, nf = train.ColumnCount;
        if (p.Objective == GbdtObjective.BinaryLogistic)
            for (int i = 0; i < n; i++)
                if (labels[i] != 0 && labels[i] != 1) throw new ArgumentException($"binary:logistic needs labels 0 or 1; row {i} has {labels[i]}");
        var binning = HistogramBinning.Build(train.Values, n, nf, p.MaxBin, po);
        using var team = new WorkerTeam(po.MaxDegreeOfParallelism);
        var builder = new TreeBuilder(binning, p, team, SparseHistograms);
        double baseMargin = p.BaseMargin;
        var margin = new double[n];
        Array.Fill(margin, baseMargin);
        var gh = new double[2 * (long)n];
        var leafOf = new int[n];
        var rng = new SplitMix64(p.Seed);
        var trees = new List<DecisionTree>();
        var history = new List<double>();
        double[]? vmargin = null;
        if (validation is not null) { vmargin = new double[validation.Rows]; Array.Fill(vmargin, baseMargin); }
        double bestMetric = double.PositiveInfinity;
        int bestIter = -1;
        int[] allRows = Enumerable.Range(0, n).ToArray();
        var inSample = new bool[n];
        bool logistic = p.Objective == GbdtObjective.BinaryLogistic;

        for (int t = 0; t < p.NEstimators; t++)
        {
            Gradients(margin, labels, gh, logistic, team);
            int[] rows = allRows;
            if (p.Subsample < 1)
            {
                var list = new List<int>(n);
                for (int i = 0; i < n; i++) { bool keep = rng.NextDouble() < p.Subsample; inSample[i] = keep; if (keep) list.Add(i); }
                rows = [.. list];
            }
            var mask = new bool[nf];
            if (p.ColsampleBytree < 1)
            {
                int k = Math.Max(1, (int)Math.Round(p.ColsampleBytree * nf, MidpointRounding.AwayFromZero));
                var perm = Enumerable.Range(0, nf).ToArray();
                rng.Shuffle(perm.AsSpan());
                for (int i = 0; i < k; i++) mask[perm[i]] = true;
            }
            else Array.Fill(mask, true);

            var tree = builder.Build(gh, rows, mask, leafOf);
            trees.Add(tree);
            var value = tree.value;
            if (p.Subsample < 1)
            {
                team.For((n + Chunk - 1) / Chunk, c =>
                {
                    int end = Math.Min(n, (c + 1) * Chunk);
                    for (int i = c * Chunk; i < end; i++)
                        margin[i] += inSample[i] ? value[leafOf[i]] : tree.Predict(train.Row(i));
                });
            }
            else
            {
                team.For((n + Chunk - 1) / Chunk, c =>
                {
                    int end = Math.Min(n, (c + 1) * Chunk);
                    for (int i = c * Chunk; i < end; i++) margin[i] += value[leafOf[i]];
                });
            }

            if (validation is not null)
            {
                var vm = vmargin!;
                team.For((validation.Rows + Chunk - 1) / Chunk, c =>
                {
                    int end = Math.Min(validation.Rows, (c + 1) * Chunk);
                    for (int i = c * Chunk; i < end; i++) vm[i] += tree.Predict(validation.Row(i));
                });
                double metric = logistic ? Metrics.LogLossFromMargin(validation.Labels!, vm) : Metrics.Rmse(validation.Labels!, vm);
                history.Add(metric);
                if (metric < bestMetric) { bestMetric = metric; bestIter = t; }
                if (p.EarlyStoppingRounds > 0 && t - bestIter >= p.EarlyStoppingRounds) break;
            }
        }
        int keepTrees = trees.Count;
        if (p.EarlyStoppingRounds > 0 && bestIter >= 0) keepTrees = bestIter + 1;
        return new GradientBoostedTreesModel(train.Columns.ToArray(), p, baseMargin, trees.GetRange(0, keepTrees),
            validation is null ? -1 : bestIter, history.ToArray(), new Dictionary<string, double>());
    }

    private const int Chunk = 4096;

    private static void CheckLabels(double[] labels, string what)
    {
        for (int i = 0; i < labels.Length; i++)
            if (!double.IsFinite(labels[i])) throw new ArgumentException($"{what} label of row {i} is not finite");
    }

    private static void Gradients(double[] margin, double[] y, double[] gh, bool logistic, WorkerTeam team)
    {
        int n = margin.Length;
        team.For((n + Chunk - 1) / Chunk, c =>
        {
            int end = Math.Min(n, (c + 1) * Chunk);
            for (int i = c * Chunk; i < end; i++)
            {
                if (logistic)
                {
                    double pr = 1.0 / (1.0 + Math.Exp(-margin[i]));
                    gh[2 * i] = pr - y[i];
                    gh[2 * i + 1] = Math.Max(pr * (1.0 - pr), 1e-16);
                }
                else
                {
                    gh[2 * i] = margin[i] - y[i];
                    gh[2 * i + 1] = 1.0;
                }
            }
        });
    }
}
