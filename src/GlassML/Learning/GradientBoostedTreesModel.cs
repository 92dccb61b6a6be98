namespace GlassML.Learning;

/// <summary>
/// A trained boosted-tree ensemble: margin(x) = base_margin + Σ_trees tree(x); for binary:logistic the probability
/// is 1/(1+e^(−margin)). Immutable. Save/load as versioned JSON with <see cref="Save"/> / <see cref="Load"/>
/// (bit-identical predictions after a round trip).
/// </summary>
public sealed class GradientBoostedTreesModel
{
    private readonly DecisionTree[] trees;

    /// <summary>Creates a model (arrays are taken, not copied).</summary>
    public GradientBoostedTreesModel(IReadOnlyList<string> featureNames, GradientBoostedTreesParameters parameters, double baseMargin,
        IReadOnlyList<DecisionTree> trees, int bestIteration, double[] validationHistory, IReadOnlyDictionary<string, double> metrics)
    {
        FeatureNames = featureNames; Parameters = parameters; BaseMargin = baseMargin;
        this.trees = [.. trees];
        foreach (var t in this.trees)
            for (int i = 0; i < t.NodeCount; i++)
                if (!t.IsLeaf(i) && t.feature[i] >= featureNames.Count) throw new ArgumentException($"tree uses feature {t.feature[i]} but the model has {featureNames.Count}");
        BestIteration = bestIteration; ValidationHistory = validationHistory; Metrics = metrics;
    }

    /// <summary>Feature names in training order; prediction tables must have exactly these columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Training parameters.</summary>
    public GradientBoostedTreesParameters Parameters { get; }
    /// <summary>Objective.</summary>
    public GbdtObjective Objective => Parameters.Objective;
    /// <summary>Initial margin (logit(base_score) for binary:logistic, base_score for regression).</summary>
    public double BaseMargin { get; }
    /// <summary>The trees in boosting order.</summary>
    public IReadOnlyList<DecisionTree> Trees => trees;
    /// <summary>Round (0-based) with the best validation metric, or −1 when trained without validation.</summary>
    public int BestIteration { get; }
    /// <summary>Validation metric per round (log-loss for binary, RMSE for regression); empty without validation.</summary>
    public IReadOnlyList<double> ValidationHistory { get; }
    /// <summary>Free-form metrics stored with the model (e.g. test AUC), saved in the model file.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>A copy with other stored metrics.</summary>
    public GradientBoostedTreesModel WithMetrics(IReadOnlyDictionary<string, double> metrics) =>
        new(FeatureNames, Parameters, BaseMargin, trees, BestIteration, ValidationHistory.ToArray(), metrics);

    /// <summary>Raw margin of one row (features in model order).</summary>
    public double PredictMarginRow(ReadOnlySpan<double> row)
    {
        double m = BaseMargin;
        foreach (var t in trees) m += t.Predict(row);
        return m;
    }

    /// <summary>Prediction of one row: probability for binary:logistic, value for regression.</summary>
    public double PredictRow(ReadOnlySpan<double> row) => Transform(PredictMarginRow(row));

    /// <summary>Margin → prediction (sigmoid for binary:logistic, identity for regression).</summary>
    public double Transform(double margin) => Objective == GbdtObjective.BinaryLogistic ? 1.0 / (1.0 + Math.Exp(-margin)) : margin;

    /// <summary>Raw margins of all rows (length = rows). Columns are matched by name (see <see cref="Align(FeatureTable)"/>).</summary>
    public double[] PredictMargin(FeatureTable table, int threads = 0) => Margins(table, threads, transform: false);

    // the margins of all rows, each chunk of rows mapped through Transform on its thread when transform is set (no serial pass)
    private double[] Margins(FeatureTable table, int threads, bool transform)
    {
        var t = Align(table);
        var outp = new double[t.Rows];
        const int chunk = 1024;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        var flat = Flat;
        if (flat is not null)
        {
            int block = FlatForest.BlockRows(t.ColumnCount);
            Parallel.For(0, (t.Rows + chunk - 1) / chunk, po, c =>
            {
                int end = Math.Min(t.Rows, (c + 1) * chunk);
                Span<int> node = stackalloc int[64];
                for (int i = c * chunk; i < end; i += block)
                {
                    int count = Math.Min(block, end - i);
                    var m = outp.AsSpan(i, count);
                    m.Fill(BaseMargin);
                    flat.AddBlock(t.Values, t.ColumnCount, i, count, m, node);
                    if (transform) TransformInPlace(m);
                }
            });
            return outp;
        }
        var walks = new DecisionTree.Walk[trees.Length];
        for (int k = 0; k < walks.Length; k++) walks[k] = trees[k].Walker;
        Parallel.For(0, (t.Rows + chunk - 1) / chunk, po, c =>
        {
            int end = Math.Min(t.Rows, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i += Lanes) PredictBlock(t, walks, i, Math.Min(Lanes, end - i), outp);
            if (transform) TransformInPlace(outp.AsSpan(c * chunk, end - c * chunk));
        });
        return outp;
    }

    private FlatForest? _flat;
    private bool _flatBuilt;

    /// <summary>The prediction layout of the trees (built once), or null when a tree is too deep for it.</summary>
    private FlatForest? Flat
    {
        get
        {
            if (!Volatile.Read(ref _flatBuilt)) { _flat = FlatForest.TryBuild(trees); Volatile.Write(ref _flatBuilt, true); }
            return _flat;
        }
    }

    private const int Lanes = 8;

    /// <summary>
    /// Margins of rows r0 .. r0+count−1: the rows walk each tree together (a fixed number of branch-free steps, several
    /// independent walks in flight), and each row's margin adds the trees' values in tree order, so it equals
    /// <see cref="PredictMarginRow"/> bit for bit. A NaN goes to the default side: "x &lt; t" is false for NaN (right),
    /// "not x ≥ t" is true for NaN (left), and both agree with x &lt; t otherwise.
    /// </summary>
    private void PredictBlock(FeatureTable t, DecisionTree.Walk[] walks, int r0, int count, double[] outp)
    {
        int cols = t.ColumnCount;
        var values = t.Values;
        Span<int> node = stackalloc int[Lanes];
        Span<long> rowStart = stackalloc long[Lanes];
        Span<double> m = stackalloc double[Lanes];
        for (int k = 0; k < count; k++) { rowStart[k] = (long)(r0 + k) * cols; m[k] = BaseMargin; }
        for (int w = 0; w < walks.Length; w++)
        {
            var walk = walks[w];
            int[] child = walk.Child, feat = walk.Feature, dl = walk.DefaultLeft;
            double[] thr = walk.Threshold;
            node[..count].Clear();
            for (int step = 0; step < walk.Steps; step++)
            {
                for (int k = 0; k < count; k++)
                {
                    int n = node[k];
                    double x = values[rowStart[k] + feat[n]], th = thr[n];
                    int lt = x < th ? 1 : 0, notGe = x >= th ? 0 : 1, d = dl[n];
                    int left = (d & notGe) | ((d ^ 1) & lt);
                    node[k] = child[2 * n + 1 - left];
                }
            }
            var value = trees[w].value;
            for (int k = 0; k < count; k++) m[k] += value[node[k]];
        }
        for (int k = 0; k < count; k++) outp[r0 + k] = m[k];
    }

    /// <summary>Predictions of all rows: probabilities (binary:logistic) or values (regression).</summary>
    public double[] Predict(FeatureTable table, int threads = 0) => Margins(table, threads, transform: true);

    private void TransformInPlace(Span<double> margins)
    {
        for (int i = 0; i < margins.Length; i++) margins[i] = Transform(margins[i]);
    }

    /// <summary>
    /// Returns <paramref name="table"/> with its columns in model order. Throws <see cref="ArgumentException"/>
    /// listing missing and unexpected columns when the names differ from <see cref="FeatureNames"/>.
    /// </summary>
    public FeatureTable Align(FeatureTable table) => table.AlignTo(FeatureNames);

    /// <summary>
    /// <see cref="Align(FeatureTable)"/> for a table read from <paramref name="file"/>: a column mismatch is a user
    /// error, thrown as <see cref="Io.InputFormatException"/> naming the file (line 1, the header).
    /// </summary>
    public FeatureTable Align(FeatureTable table, string file)
    {
        try { return Align(table); }
        catch (ArgumentException e) { throw new Io.InputFormatException(file, 1, e.Message); }
    }

    /// <summary>Sum of split gains per feature (XGBoost <c>total_gain</c>), length = features.</summary>
    public double[] TotalGainImportance()
    {
        var g = new double[FeatureNames.Count];
        foreach (var t in trees)
            for (int i = 0; i < t.NodeCount; i++)
                if (!t.IsLeaf(i)) g[t.feature[i]] += t.gain[i];
        return g;
    }

    /// <summary>Mean split gain per feature over its splits (XGBoost <c>gain</c>); 0 for unused features.</summary>
    public double[] GainImportance()
    {
        var g = TotalGainImportance();
        var c = SplitCounts();
        for (int f = 0; f < g.Length; f++) g[f] = c[f] > 0 ? g[f] / c[f] : 0;
        return g;
    }

    /// <summary>Number of splits per feature (XGBoost <c>weight</c>).</summary>
    public int[] SplitCounts()
    {
        var c = new int[FeatureNames.Count];
        foreach (var t in trees)
            for (int i = 0; i < t.NodeCount; i++)
                if (!t.IsLeaf(i)) c[t.feature[i]]++;
        return c;
    }

    /// <summary>Writes the model as versioned JSON (see <see cref="ModelFile"/>), atomically.</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Reads a model written by <see cref="Save"/>; bad files throw <see cref="Io.InputFormatException"/>.</summary>
    public static GradientBoostedTreesModel Load(string path) => ModelFile.LoadGbdt(path);
}
