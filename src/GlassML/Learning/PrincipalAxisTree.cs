using GlassML.Dynamics;

namespace GlassML.Learning;

/// <summary>
/// Exact k-nearest-neighbour search (Euclidean) through a k-d tree built on the points rotated to their principal axes.
/// Correlated features (such as lg(Δr²/T) at neighbouring lags) fill a thin, tilted region that axis-aligned boxes in
/// the original coordinates cover badly; in the principal-axis frame the boxes are tight and the first axes carry most
/// of the distance, so the tree prunes more and leaf scans stop after the leading axes.
/// </summary>
/// <remarks>
/// The result equals <see cref="KdTree.Query"/> on the original points bit for bit: distances are rotation-invariant
/// only up to rounding, so the rotated tree only gathers candidates — every point whose rotated squared distance is
/// within the k-th smallest one plus a margin 2η, where η bounds |rotated − original| squared distance from the
/// rounding of the rotation and the measured non-orthogonality ω = ‖AAᵀ − I‖_F of the axes A — and the k nearest
/// candidates are then ranked by the squared distance computed in the original coordinates exactly as the k-d tree
/// does (Σ over dimensions in order, ties by the smaller index). Queries that are not finite go to a plain k-d tree
/// over the original points (built on first use).
/// </remarks>
internal sealed class PrincipalAxisTree
{
    private const double Unit = 1.1102230246251565e-16; // unit round-off 2^-53
    private readonly double[] _points;   // row-major n × d, the coordinates distances are reported in
    private readonly double[] _mean;     // d
    private readonly double[] _axes;     // d × d row-major, row j = j-th principal axis (descending variance)
    private readonly KdTree _tree;       // over the rotated points
    private readonly double _radius;     // max ‖x − mean‖ over the points
    private readonly double _relative;   // η = _relative · (radius + ‖q − mean‖)²
    private readonly Lazy<KdTree> _plain;

    /// <summary>Builds the rotated tree over row-major n × d points (finite).</summary>
    public PrincipalAxisTree(ReadOnlySpan<double> points, int n, int d, int leafSize)
    {
        if (n < 1 || d < 1) throw new ArgumentException("need at least one point and one dimension");
        if (points.Length != (long)n * d) throw new ArgumentException($"expected {n} × {d} values, got {points.Length}");
        foreach (double v in points) if (!double.IsFinite(v)) throw new ArgumentException("points contain NaN or infinity");
        Count = n; Dimension = d;
        _points = points.ToArray();
        _mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) _mean[c] += _points[(long)i * d + c];
        for (int c = 0; c < d; c++) _mean[c] /= n;
        var cov = new double[d * d];
        var row = new double[d];
        double r2max = 0;
        for (int i = 0; i < n; i++)
        {
            double r2 = 0;
            for (int c = 0; c < d; c++) { row[c] = _points[(long)i * d + c] - _mean[c]; r2 += row[c] * row[c]; }
            if (r2 > r2max) r2max = r2;
            for (int a = 0; a < d; a++) for (int b = a; b < d; b++) cov[a * d + b] += row[a] * row[b];
        }
        for (int a = 0; a < d; a++) for (int b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
        _radius = Math.Sqrt(r2max);
        var (_, vecs) = SymmetricEigensolver.Solve(cov, d, d, 1);
        _axes = new double[d * d];
        for (int j = 0; j < d; j++) Array.Copy(vecs, (d - 1 - j) * d, _axes, j * d, d); // descending eigenvalues
        // ω = ‖A Aᵀ − I‖_F bounds how far the computed axes are from a rotation
        double w2 = 0;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double s = 0;
                for (int c = 0; c < d; c++) s += _axes[a * d + c] * _axes[b * d + c];
                double e = s - (a == b ? 1 : 0);
                w2 += e * e;
            }
        double omega = Math.Sqrt(w2);
        // a generous bound: the rounding of the rotation, of both squared distances and the axes' non-orthogonality
        // together stay well below (ω + (d+2)² u) · (‖p − mean‖ + ‖q − mean‖)²; 64 × that is the margin used
        _relative = 64 * (omega + (d + 2.0) * (d + 2.0) * Unit);
        var y = new double[(long)n * d];
        for (int i = 0; i < n; i++) Rotate(_points.AsSpan((int)((long)i * d), d), y.AsSpan((int)((long)i * d), d));
        // splits only on the leading axes, about three per axis over the tree's depth log2(n / leafSize): boxes thin in the
        // directions that carry the distance (on 350,000 × 10 lag features, 4 axes cost half the time of all 10)
        int depth = (int)Math.Ceiling(Math.Log2(Math.Max(2.0, (double)n / leafSize)));
        SplitAxes = Math.Clamp((int)Math.Round(depth / 3.0), 1, d);
        _tree = new KdTree(y, n, d, leafSize, SplitAxes);
        var copy = _points;
        _plain = new Lazy<KdTree>(() => new KdTree(copy, n, d, leafSize), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Number of points.</summary>
    public int Count { get; }
    /// <summary>Number of leading principal axes the tree splits on.</summary>
    public int SplitAxes { get; }
    /// <summary>Dimension.</summary>
    public int Dimension { get; }

    /// <summary>Rotated coordinates (principal-axis frame, centred) of one point.</summary>
    public void Rotate(ReadOnlySpan<double> x, Span<double> y)
    {
        int d = Dimension;
        Span<double> c = d <= 64 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++) c[i] = x[i] - _mean[i];
        for (int j = 0; j < d; j++)
        {
            double s = 0;
            for (int i = 0; i < d; i++) s += _axes[j * d + i] * c[i];
            y[j] = s;
        }
    }

    /// <summary>
    /// The k nearest points of a query: original indices and Euclidean distances in ascending order, ties by the
    /// smaller index — equal to <see cref="KdTree.Query"/> over the original points. <paramref name="cand"/> is a
    /// per-thread work list.
    /// </summary>
    public void Query(ReadOnlySpan<double> query, int k, Span<int> indices, Span<double> distances, CandidateList cand)
    {
        int d = Dimension;
        if (query.Length != d) throw new ArgumentException($"query has {query.Length} values, tree dimension {d}");
        if (k < 1 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{Count}");
        double q2 = 0;
        foreach (double v in query) if (!double.IsFinite(v)) { _plain.Value.Query(query, k, indices, distances); return; }
        for (int c = 0; c < d; c++) { double t = query[c] - _mean[c]; q2 += t * t; }
        double bound = _radius + Math.Sqrt(q2);
        double eta = _relative * bound * bound;
        Span<double> y = d <= 64 ? stackalloc double[d] : new double[d];
        Rotate(query, y);
        _tree.QueryCandidates(y, k, 2 * eta, cand);
        // exact squared distances in the original coordinates, as KdTree computes them (dimensions in order from 0)
        int m = cand.Count;
        var idx = cand.Index; var s2 = cand.Dist2;
        for (int j = 0; j < m; j++)
        {
            long b = (long)idx[j] * d;
            double s = 0;
            for (int c = 0; c < d; c++) { double t = _points[b + c] - query[c]; s += t * t; }
            s2[j] = s;
        }
        // ascending (distance, index): sort by distance, then order every run of equal distances by index
        var ss = s2.AsSpan(0, m); var ii = idx.AsSpan(0, m);
        ss.Sort(ii);
        for (int a = 0; a < m;)
        {
            int b = a + 1;
            while (b < m && ss[b] == ss[a]) b++;
            if (b - a > 1) ii[a..b].Sort();
            if (b >= k) break;
            a = b;
        }
        for (int r = 0; r < k; r++) { indices[r] = ii[r]; distances[r] = Math.Sqrt(ss[r]); }
    }
}
