using System.Numerics;

namespace GlassML.Learning;

/// <summary>
/// A k-d tree over n points in d dimensions (Euclidean metric) for exact k-nearest-neighbour queries.
/// Nodes split at the median of the coordinate of largest spread; leaves hold at most <c>leafSize</c> points.
/// Points are copied into tree order for cache locality. Thread-safe for concurrent queries.
/// </summary>
/// <remarks>
/// Result order: ascending distance, ties in distance broken by the smaller training index. scikit-learn's
/// kd-tree/brute order for exactly equal distances is implementation-defined, so exact ties are the only
/// case where neighbour lists may differ (the neighbour distances are still the same).
/// </remarks>
public sealed class KdTree
{
    private readonly double[] _cols;    // tree-ordered copy, column-major d × n (a leaf's coordinates are contiguous per column)
    private readonly int[] _perm;       // tree position → original index
    private readonly int[] _start, _end, _left, _right; // node ranges and children (−1 for leaves)
    private readonly double[] _lo, _hi; // node bounding boxes, nodes × d
    private int _nodes;

    /// <summary>Builds the tree.</summary>
    /// <param name="points">Row-major n × d coordinates.</param>
    /// <param name="n">Number of points (≥ 1).</param>
    /// <param name="d">Dimension (≥ 1).</param>
    /// <param name="leafSize">Maximum points per leaf (≥ 1; default 30 as scikit-learn's KNeighbors*).</param>
    public KdTree(ReadOnlySpan<double> points, int n, int d, int leafSize = 30) : this(points, n, d, leafSize, d) { }

    /// <summary>Builds the tree, splitting nodes only on the first <paramref name="splitDims"/> coordinates (1..d).</summary>
    internal KdTree(ReadOnlySpan<double> points, int n, int d, int leafSize, int splitDims)
    {
        if (n < 1 || d < 1) throw new ArgumentException("need at least one point and one dimension");
        if (points.Length != (long)n * d) throw new ArgumentException($"expected {n} × {d} values, got {points.Length}");
        if (leafSize < 1) throw new ArgumentOutOfRangeException(nameof(leafSize), "leafSize must be ≥ 1");
        foreach (double v in points) if (!double.IsFinite(v)) throw new ArgumentException("points contain NaN or infinity");
        if (splitDims < 1 || splitDims > d) throw new ArgumentOutOfRangeException(nameof(splitDims), $"splitDims must be in 1..{d}");
        Count = n; Dimension = d; LeafSize = leafSize; SplitDims = splitDims;
        _perm = new int[n];
        for (int i = 0; i < n; i++) _perm[i] = i;
        int maxNodes = 2 * Math.Max(1, (n + leafSize - 1) / leafSize) * 2 + 1;
        _start = new int[maxNodes]; _end = new int[maxNodes]; _left = new int[maxNodes]; _right = new int[maxNodes];
        _lo = new double[(long)maxNodes * d]; _hi = new double[(long)maxNodes * d];
        var src = points.ToArray();
        Build(src, 0, n);
        _cols = new double[(long)n * d];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < d; c++) _cols[(long)c * n + i] = src[(long)_perm[i] * d + c];
    }

    /// <summary>Number of points.</summary>
    public int Count { get; }
    /// <summary>Dimension.</summary>
    public int Dimension { get; }
    /// <summary>Maximum points per leaf.</summary>
    public int LeafSize { get; }
    /// <summary>Nodes split on the coordinate of largest spread among the first this many (all by default).</summary>
    internal int SplitDims { get; }

    /// <summary>Original point indices in tree order (points of one leaf are adjacent: a spatially coherent order).</summary>
    internal ReadOnlySpan<int> Order => _perm;

    private int Build(double[] src, int start, int end)
    {
        int node = _nodes++;
        int d = Dimension;
        _start[node] = start; _end[node] = end; _left[node] = -1; _right[node] = -1;
        var lo = _lo.AsSpan(node * d, d); var hi = _hi.AsSpan(node * d, d);
        lo.Fill(double.PositiveInfinity); hi.Fill(double.NegativeInfinity);
        for (int i = start; i < end; i++)
        {
            int b = _perm[i] * d;
            for (int c = 0; c < d; c++)
            {
                double v = src[b + c];
                if (v < lo[c]) lo[c] = v;
                if (v > hi[c]) hi[c] = v;
            }
        }
        if (end - start <= LeafSize) return node;
        int dim = 0; double spread = -1;
        for (int c = 0; c < SplitDims; c++) if (hi[c] - lo[c] > spread) { spread = hi[c] - lo[c]; dim = c; }
        if (spread <= 0) return node; // all points identical
        int mid = (start + end) / 2;
        Select(src, start, end - 1, mid, dim);
        _left[node] = Build(src, start, mid);
        _right[node] = Build(src, mid, end);
        return node;
    }

    // Quickselect on _perm[lo..hi] by coordinate dim so that position k holds the k-th smallest (ties by index).
    private void Select(double[] src, int lo, int hi, int k, int dim)
    {
        int d = Dimension;
        while (hi > lo)
        {
            int m = lo + (hi - lo) / 2;
            // median of three pivot
            int a = _perm[lo], b = _perm[m], c = _perm[hi];
            double va = src[a * d + dim], vb = src[b * d + dim], vc = src[c * d + dim];
            int pivIdx = (va < vb) ? (vb < vc ? m : (va < vc ? hi : lo)) : (va < vc ? lo : (vb < vc ? hi : m));
            int pv = _perm[pivIdx]; double pval = src[pv * d + dim];
            (_perm[pivIdx], _perm[hi]) = (_perm[hi], _perm[pivIdx]);
            int store = lo;
            for (int i = lo; i < hi; i++)
            {
                int p = _perm[i]; double v = src[p * d + dim];
                if (v < pval || (v == pval && p < pv)) { (_perm[i], _perm[store]) = (_perm[store], _perm[i]); store++; }
            }
            (_perm[store], _perm[hi]) = (_perm[hi], _perm[store]);
            if (store == k) return;
            if (store < k) lo = store + 1; else hi = store - 1;
        }
    }

    /// <summary>
    /// The k nearest points of one query point. Writes original indices and Euclidean distances in ascending
    /// distance order (ties by smaller index). k must not exceed <see cref="Count"/>.
    /// </summary>
    public void Query(ReadOnlySpan<double> query, int k, Span<int> indices, Span<double> distances)
    {
        if (query.Length != Dimension) throw new ArgumentException($"query has {query.Length} values, tree dimension {Dimension}");
        if (k < 1 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{Count}");
        if (indices.Length < k || distances.Length < k) throw new ArgumentException("output spans shorter than k");
        var heapD = distances[..k]; var heapI = indices[..k];
        heapD.Fill(double.PositiveInfinity); heapI.Fill(int.MaxValue);
        Span<Vector<double>> qv = stackalloc Vector<double>[Dimension];
        for (int c = 0; c < Dimension; c++) qv[c] = new Vector<double>(query[c]);
        Search(0, query, qv, heapD, heapI, k, 0, null);
        // heap sort ascending by (distance, index)
        for (int end = k - 1; end > 0; end--)
        {
            (heapD[0], heapD[end]) = (heapD[end], heapD[0]);
            (heapI[0], heapI[end]) = (heapI[end], heapI[0]);
            SiftDown(heapD, heapI, 0, end);
        }
        for (int i = 0; i < k; i++) heapD[i] = Math.Sqrt(heapD[i]);
    }

    /// <summary>
    /// Every point whose squared distance to the query is at most the k-th smallest squared distance plus
    /// <paramref name="margin"/> (≥ 0): appended to <paramref name="candidates"/> (cleared first) with its squared
    /// distance. The exact k nearest under any other distance that differs from this one by less than margin / 2 in
    /// squared terms are among them.
    /// </summary>
    internal void QueryCandidates(ReadOnlySpan<double> query, int k, double margin, CandidateList candidates)
    {
        if (query.Length != Dimension) throw new ArgumentException($"query has {query.Length} values, tree dimension {Dimension}");
        if (k < 1 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{Count}");
        if (!(margin >= 0)) throw new ArgumentOutOfRangeException(nameof(margin), "margin must be ≥ 0");
        Span<double> heapD = k <= 256 ? stackalloc double[k] : new double[k];
        Span<int> heapI = k <= 256 ? stackalloc int[k] : new int[k];
        heapD.Fill(double.PositiveInfinity); heapI.Fill(int.MaxValue);
        Span<Vector<double>> qv = stackalloc Vector<double>[Dimension];
        for (int c = 0; c < Dimension; c++) qv[c] = new Vector<double>(query[c]);
        candidates.Clear();
        Search(0, query, qv, heapD, heapI, k, margin, candidates);
        candidates.Keep(heapD[0] + margin);
    }

    private double MinDist2(int node, ReadOnlySpan<double> q)
    {
        int d = Dimension; int b = node * d; double s = 0;
        for (int c = 0; c < d; c++)
        {
            double v = q[c], l = _lo[b + c], h = _hi[b + c];
            double t = v < l ? l - v : (v > h ? v - h : 0);
            s += t * t;
        }
        return s;
    }

    private void Search(int node, ReadOnlySpan<double> q, ReadOnlySpan<Vector<double>> qv, Span<double> hd, Span<int> hi, int k,
        double margin, CandidateList? cand)
    {
        if (_left[node] < 0)
        {
            // squared distances Σ_c (p_c − q_c)², dimensions added in order from 0: the same value in every vector
            // lane and in the scalar tail, so results do not depend on the vector width. Partial sums are lower
            // bounds of the full sum (rounding is monotone), so a group of points whose partial sums already exceed
            // the bound is skipped exactly.
            int d = Dimension, n = Count, w = Vector<double>.Count, i = _start[node], end = _end[node];
            int early = d >= 6 ? 3 : d;
            for (; i <= end - w; i += w)
            {
                var acc = Vector<double>.Zero;
                var bound = new Vector<double>(hd[0] + margin);
                int c = 0;
                for (; c < early; c++) { var t = new Vector<double>(_cols, c * n + i) - qv[c]; acc += t * t; }
                if (c < d && Vector.LessThanOrEqualAny(acc, bound))
                    for (; c < d; c++) { var t = new Vector<double>(_cols, c * n + i) - qv[c]; acc += t * t; }
                if (!Vector.LessThanOrEqualAny(acc, bound)) continue;
                for (int lane = 0; lane < w; lane++) Offer(acc[lane], _perm[i + lane], hd, hi, k, margin, cand);
            }
            for (; i < end; i++)
            {
                double s = 0;
                for (int c = 0; c < d; c++) { double t = _cols[c * n + i] - q[c]; s += t * t; }
                Offer(s, _perm[i], hd, hi, k, margin, cand);
            }
            return;
        }
        int l = _left[node], r = _right[node];
        double dl = MinDist2(l, q), dr = MinDist2(r, q);
        if (dl <= dr)
        {
            if (dl <= hd[0] + margin) Search(l, q, qv, hd, hi, k, margin, cand);
            if (dr <= hd[0] + margin) Search(r, q, qv, hd, hi, k, margin, cand);
        }
        else
        {
            if (dr <= hd[0] + margin) Search(r, q, qv, hd, hi, k, margin, cand);
            if (dl <= hd[0] + margin) Search(l, q, qv, hd, hi, k, margin, cand);
        }
    }

    private static void Offer(double s, int orig, Span<double> hd, Span<int> hi, int k, double margin, CandidateList? cand)
    {
        if (cand is not null && s <= hd[0] + margin) cand.Add(orig, s, hd[0] + margin);
        Offer(s, orig, hd, hi, k);
    }

    private static void Offer(double s, int orig, Span<double> hd, Span<int> hi, int k)
    {
        if (s > hd[0] || (s == hd[0] && orig > hi[0])) return;
        hd[0] = s; hi[0] = orig;
        SiftDown(hd, hi, 0, k);
    }

    // max-heap on (distance, index)
    private static bool Greater(double da, int ia, double db, int ib) => da > db || (da == db && ia > ib);

    private static void SiftDown(Span<double> hd, Span<int> hi, int i, int n)
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < n && Greater(hd[l], hi[l], hd[m], hi[m])) m = l;
            if (r < n && Greater(hd[r], hi[r], hd[m], hi[m])) m = r;
            if (m == i) return;
            (hd[i], hd[m]) = (hd[m], hd[i]);
            (hi[i], hi[m]) = (hi[m], hi[i]);
            i = m;
        }
    }
}

/// <summary>A growing list of (point index, squared distance) candidates of <see cref="KdTree.QueryCandidates"/> (one per thread).</summary>
internal sealed class CandidateList
{
    private int[] _index = new int[256];
    private double[] _dist2 = new double[256];

    /// <summary>Number of candidates.</summary>
    public int Count { get; private set; }
    /// <summary>Candidate point indices (first <see cref="Count"/>).</summary>
    public int[] Index => _index;
    /// <summary>Their squared distances.</summary>
    public double[] Dist2 => _dist2;

    /// <summary>Empties the list.</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends a candidate; when full, first drops those above the current bound (which only decreases).</summary>
    public void Add(int index, double dist2, double bound)
    {
        if (Count == _index.Length)
        {
            Keep(bound);
            if (Count * 2 > _index.Length) { Array.Resize(ref _index, _index.Length * 2); Array.Resize(ref _dist2, _dist2.Length * 2); }
        }
        _index[Count] = index; _dist2[Count] = dist2; Count++;
    }

    /// <summary>Keeps the candidates with squared distance ≤ bound (order kept).</summary>
    public void Keep(double bound)
    {
        int m = 0;
        for (int i = 0; i < Count; i++)
            if (_dist2[i] <= bound) { _index[m] = _index[i]; _dist2[m] = _dist2[i]; m++; }
        Count = m;
    }
}
