namespace GlassML.Learning;

/// <summary>Options of <see cref="NearestNeighbors"/>.</summary>
/// <param name="K">Number of neighbours (≥ 1).</param>
/// <param name="Standardize">Standardise features with the training rows' mean and population std (StandardScaler).</param>
/// <param name="LeafSize">k-d tree leaf size (the results do not depend on it; 64 suits the vectorised leaf scan, scikit-learn uses 30).</param>
/// <param name="Threads">Maximum degree of parallelism over query rows (0 = all cores).</param>
/// <param name="PrincipalAxes">Search a k-d tree over the rows rotated to their principal axes (exact: the same
/// neighbours and distances, bit for bit, as the plain k-d tree; faster on correlated features); false = the plain tree.</param>
public sealed record NearestNeighborsOptions(int K = 5, bool Standardize = true, int LeafSize = 64, int Threads = 0, bool PrincipalAxes = true);

/// <summary>Neighbour lists of query rows: row-major queries × K arrays, ascending distance.</summary>
/// <param name="K">Neighbours per query.</param>
/// <param name="Indices">Training row index of each neighbour (queries × K).</param>
/// <param name="Distances">Euclidean distance in the (standardised) feature space (queries × K).</param>
public sealed record NeighborQueryResult(int K, int[] Indices, double[] Distances)
{
    /// <summary>Number of query rows.</summary>
    public int Queries => Indices.Length / K;
}

/// <summary>
/// k-nearest-neighbour learner (Euclidean k-d tree, uniform weights): majority-vote classification
/// (ties → smallest class label, as scikit-learn's KNeighborsClassifier), mean-label prediction
/// (regression, and the machine-learned-temperature rule T_ML = mean of the k neighbours' temperature labels),
/// equal to scikit-learn's KNeighborsRegressor(weights='uniform').
/// </summary>
public sealed class NearestNeighbors
{
    private readonly KdTree? _tree;
    private readonly PrincipalAxisTree? _rotated;
    private readonly double[] _labels;
    private readonly double[] _classes;

    private NearestNeighbors(NearestNeighborsOptions options, KdTree? tree, PrincipalAxisTree? rotated, Standardizer? scaler, double[] labels)
    {
        Options = options; _tree = tree; _rotated = rotated; Scaler = scaler; _labels = labels;
        var cl = (double[])labels.Clone();
        Array.Sort(cl);
        var u = new List<double>();
        foreach (double v in cl) if (u.Count == 0 || u[^1] != v) u.Add(v);
        _classes = u.ToArray();
    }

    /// <summary>Options used.</summary>
    public NearestNeighborsOptions Options { get; }
    /// <summary>The fitted scaler, or null without standardisation.</summary>
    public Standardizer? Scaler { get; }
    /// <summary>Distinct training labels, ascending (the classes of <see cref="PredictVote"/>).</summary>
    public IReadOnlyList<double> Classes => _classes;
    /// <summary>Number of training rows.</summary>
    public int TrainingRows => _labels.Length;
    /// <summary>Number of features.</summary>
    public int Features { get; private init; }

    /// <summary>Fits on a row-major rows × cols matrix with one label per row.</summary>
    public static NearestNeighbors Fit(NearestNeighborsOptions options, ReadOnlySpan<double> x, int rows, int cols, double[] labels)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.K < 1) throw new ArgumentOutOfRangeException(nameof(options), "K must be ≥ 1");
        if (options.K > rows) throw new ArgumentOutOfRangeException(nameof(options), $"K = {options.K} exceeds the {rows} training rows");
        if (options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0");
        if (labels.Length != rows) throw new ArgumentException("labels length must equal rows");
        Standardizer? sc = options.Standardize ? Standardizer.Fit(x, rows, cols) : null;
        var pts = sc is null ? x : sc.Transform(x);
        if (options.LeafSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "LeafSize must be ≥ 1");
        var labelCopy = (double[])labels.Clone();
        return options.PrincipalAxes
            ? new NearestNeighbors(options, null, new PrincipalAxisTree(pts, rows, cols, options.LeafSize), sc, labelCopy) { Features = cols }
            : new NearestNeighbors(options, new KdTree(pts, rows, cols, options.LeafSize), null, sc, labelCopy) { Features = cols };
    }

    /// <summary>Fits on a table (its labels are required).</summary>
    public static NearestNeighbors Fit(NearestNeighborsOptions options, FeatureTable table)
    {
        if (table.Labels is null) throw new ArgumentException("the table has no labels");
        return Fit(options, table.Values, table.Rows, table.ColumnCount, table.Labels);
    }

    /// <summary>K nearest training rows of every query row (row-major queries × Features), parallel over rows.</summary>
    public NeighborQueryResult Query(ReadOnlySpan<double> queries)
    {
        int d = Features, k = Options.K;
        if (queries.Length % d != 0) throw new ArgumentException($"query length is not a multiple of {d}");
        int q = queries.Length / d;
        double[] qs = Scaler is null ? queries.ToArray() : Scaler.Transform(queries);
        var idx = new int[(long)q * k];
        var dist = new double[(long)q * k];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };
        // queries in a spatially coherent order (that of a k-d tree over them): consecutive searches touch the same
        // training leaves; every query's result is independent of the order and of the threads
        int[] order = q >= 1024 && Array.TrueForAll(qs, double.IsFinite) ? new KdTree(qs, q, d, 16).Order.ToArray() : Enumerable.Range(0, q).ToArray();
        const int chunk = 256;
        int chunks = (q + chunk - 1) / chunk;
        Parallel.For(0, chunks, po, c =>
        {
            int end = Math.Min(q, (c + 1) * chunk);
            var cand = _rotated is null ? null : new CandidateList();
            for (int t = c * chunk; t < end; t++)
            {
                int r = order[t];
                if (_rotated is not null) _rotated.Query(qs.AsSpan(r * d, d), k, idx.AsSpan(r * k, k), dist.AsSpan(r * k, k), cand!);
                else _tree!.Query(qs.AsSpan(r * d, d), k, idx.AsSpan(r * k, k), dist.AsSpan(r * k, k));
            }
        });
        return new NeighborQueryResult(k, idx, dist);
    }

    /// <summary>Query rows of a table.</summary>
    public NeighborQueryResult Query(FeatureTable table) => Query(table.Values);

    /// <summary>Mean of the K neighbours' labels per query (kNN regression; the T_ML rule).</summary>
    public double[] PredictMean(ReadOnlySpan<double> queries) => MeanLabels(Query(queries));

    /// <summary>Majority label of the K neighbours per query; ties → the smallest label.</summary>
    public double[] PredictVote(ReadOnlySpan<double> queries) => VoteLabels(Query(queries));

    /// <summary>Mean neighbour label of a neighbour query result.</summary>
    public double[] MeanLabels(NeighborQueryResult nb)
    {
        int k = nb.K, q = nb.Queries;
        var o = new double[q];
        for (int r = 0; r < q; r++)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += _labels[nb.Indices[r * k + j]];
            o[r] = s / k;
        }
        return o;
    }

    /// <summary>Class probabilities (fraction of the K neighbours per class in <see cref="Classes"/> order), queries × classes.</summary>
    public double[] ClassFractions(NeighborQueryResult nb)
    {
        int k = nb.K, q = nb.Queries, nc = _classes.Length;
        var o = new double[(long)q * nc];
        for (int r = 0; r < q; r++)
            for (int j = 0; j < k; j++) o[r * nc + Array.BinarySearch(_classes, _labels[nb.Indices[r * k + j]])] += 1.0 / k;
        return o;
    }

    /// <summary>Majority neighbour label of a neighbour query result (ties → smallest label).</summary>
    public double[] VoteLabels(NeighborQueryResult nb)
    {
        int k = nb.K, q = nb.Queries, nc = _classes.Length;
        var o = new double[q];
        var counts = new int[nc];
        for (int r = 0; r < q; r++)
        {
            Array.Clear(counts);
            for (int j = 0; j < k; j++) counts[Array.BinarySearch(_classes, _labels[nb.Indices[r * k + j]])]++;
            int best = 0;
            for (int c = 1; c < nc; c++) if (counts[c] > counts[best]) best = c;
            o[r] = _classes[best];
        }
        return o;
    }
}
