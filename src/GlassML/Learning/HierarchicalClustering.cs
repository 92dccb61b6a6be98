namespace GlassML.Learning;

/// <summary>Linkage criterion of <see cref="HierarchicalClustering"/>.</summary>
public enum Linkage
{
    /// <summary>Ward's minimum-variance criterion on Euclidean distances (scipy 'ward').</summary>
    Ward,
    /// <summary>Mean pairwise distance (UPGMA, scipy 'average').</summary>
    Average,
    /// <summary>Maximum pairwise distance (scipy 'complete').</summary>
    Complete,
}

/// <summary>One merge of the dendrogram (scipy linkage-matrix row).</summary>
/// <param name="A">Smaller cluster id (observations 0..n−1, merge i creates id n+i).</param>
/// <param name="B">Larger cluster id.</param>
/// <param name="Height">Merge distance.</param>
/// <param name="Size">Observations in the merged cluster.</param>
public readonly record struct Merge(int A, int B, double Height, int Size);

/// <summary>
/// Agglomerative clustering of n observations (Euclidean distances) by the nearest-neighbour-chain algorithm
/// with Lance–Williams updates (Müllner 2011, arXiv:1109.2378), O(n²) memory. The merge list equals scipy's
/// <c>scipy.cluster.hierarchy.linkage(X, method)</c>: merges sorted by height (stable), cluster ids relabelled
/// in merge order, each row (min id, max id, height, size).
/// </summary>
public sealed class HierarchicalClustering
{
    private HierarchicalClustering(Linkage linkage, int n, Merge[] merges) { Method = linkage; Count = n; Merges = merges; }

    /// <summary>Linkage used.</summary>
    public Linkage Method { get; }
    /// <summary>Number of observations.</summary>
    public int Count { get; }
    /// <summary>The n − 1 merges in ascending height.</summary>
    public IReadOnlyList<Merge> Merges { get; }

    /// <summary>Clusters the rows of a row-major rows × cols matrix.</summary>
    public static HierarchicalClustering Fit(ReadOnlySpan<double> x, int rows, int cols, Linkage linkage, int threads = 0)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException("need at least one row and one column");
        if (x.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {x.Length}");
        if (!Enum.IsDefined(linkage)) throw new ArgumentOutOfRangeException(nameof(linkage), "linkage must be one of: Ward, Average, Complete");
        int n = rows;
        var xa = x.ToArray();
        var dist = new double[(long)n * (n - 1) / 2];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, n, po, i =>
        {
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                for (int c = 0; c < cols; c++) { double t = xa[i * cols + c] - xa[j * cols + c]; s += t * t; }
                dist[Cond(n, i, j)] = Math.Sqrt(s);
            }
        });
        return FromDistances(dist, n, linkage);
    }

    /// <summary>Clusters from a condensed distance vector (pairs i &lt; j in row order, scipy pdist layout).</summary>
    public static HierarchicalClustering FromDistances(ReadOnlySpan<double> condensed, int n, Linkage linkage)
    {
        if (n < 1) throw new ArgumentException("need at least one observation");
        if (condensed.Length != (long)n * (n - 1) / 2) throw new ArgumentException($"condensed length must be n(n−1)/2 = {(long)n * (n - 1) / 2}");
        var d = condensed.ToArray();
        var size = new int[n]; Array.Fill(size, 1);
        var raw = new (int a, int b, double h, int s)[Math.Max(0, n - 1)];
        var chain = new int[n]; int len = 0;
        for (int k = 0; k < n - 1; k++)
        {
            if (len == 0) { for (int i = 0; i < n; i++) if (size[i] > 0) { chain[0] = i; len = 1; break; } }
            int x, y; double best;
            while (true)
            {
                x = chain[len - 1];
                if (len > 1) { y = chain[len - 2]; best = d[Cond(n, x, y)]; } else { y = -1; best = double.PositiveInfinity; }
                for (int i = 0; i < n; i++)
                {
                    if (size[i] == 0 || i == x) continue;
                    double v = d[Cond(n, x, i)];
                    if (v < best) { best = v; y = i; }
                }
                if (len > 1 && y == chain[len - 2]) break;
                chain[len++] = y;
            }
            len -= 2;
            if (x > y) (x, y) = (y, x);
            int nx = size[x], ny = size[y];
            raw[k] = (x, y, best, nx + ny);
            size[x] = 0; size[y] = nx + ny;
            for (int i = 0; i < n; i++)
            {
                int ni = size[i];
                if (ni == 0 || i == y) continue;
                double dxi = d[Cond(n, i, x)], dyi = d[Cond(n, i, y)];
                d[Cond(n, i, y)] = linkage switch
                {
                    Linkage.Ward => Math.Sqrt(((ni + nx) * dxi * dxi + (ni + ny) * dyi * dyi - ni * best * best) / (nx + ny + ni)),
                    Linkage.Average => (nx * dxi + ny * dyi) / (nx + ny),
                    _ => Math.Max(dxi, dyi),
                };
            }
        }
        // stable sort by height, then relabel with union–find (new cluster ids n + merge index)
        var order = Enumerable.Range(0, raw.Length).ToArray();
        var keys = raw.Select(r => r.h).ToArray();
        order = order.OrderBy(i => keys[i]).ToArray(); // LINQ OrderBy is stable
        var parent = new int[2 * n - 1]; for (int i = 0; i < parent.Length; i++) parent[i] = i;
        var root = new int[n]; for (int i = 0; i < n; i++) root[i] = i; // representative observation → cluster id
        int Find(int i) { while (parent[i] != i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; }
        var clusterOf = new int[2 * n - 1]; for (int i = 0; i < n; i++) clusterOf[i] = i;
        var merges = new Merge[raw.Length];
        for (int k = 0; k < order.Length; k++)
        {
            var (a, b, h, s) = raw[order[k]];
            int ra = Find(a), rb = Find(b);
            int ca = clusterOf[ra], cb = clusterOf[rb];
            merges[k] = new Merge(Math.Min(ca, cb), Math.Max(ca, cb), h, s);
            parent[ra] = rb; clusterOf[rb] = n + k;
        }
        return new HierarchicalClustering(linkage, n, merges);
    }

    private static long Cond(int n, int i, int j)
    {
        if (i > j) (i, j) = (j, i);
        return (long)n * i - (long)i * (i + 1) / 2 + (j - i - 1);
    }

    /// <summary>
    /// Flat clusters joining every merge of height ≤ <paramref name="threshold"/> (scipy fcluster 'distance'
    /// for monotone linkages). Labels 1..k numbered by first appearance in observation order.
    /// </summary>
    public int[] CutByDistance(double threshold)
    {
        int m = 0;
        while (m < Merges.Count && Merges[m].Height <= threshold) m++;
        return Cut(m);
    }

    /// <summary>
    /// Flat clusters with at most <paramref name="clusters"/> clusters (scipy fcluster 'maxclust': the first
    /// n − k merges). Labels 1..k numbered by first appearance in observation order.
    /// </summary>
    public int[] CutByCount(int clusters)
    {
        if (clusters < 1) throw new ArgumentOutOfRangeException(nameof(clusters), "clusters must be ≥ 1");
        return Cut(Math.Max(0, Count - clusters));
    }

    private int[] Cut(int mergesApplied)
    {
        int n = Count;
        var parent = new int[2 * n - 1]; for (int i = 0; i < parent.Length; i++) parent[i] = i;
        for (int k = 0; k < mergesApplied; k++) { parent[Merges[k].A] = n + k; parent[Merges[k].B] = n + k; }
        var labels = new int[n];
        var map = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int r = i; while (parent[r] != r) r = parent[r];
            if (!map.TryGetValue(r, out int l)) map[r] = l = map.Count + 1;
            labels[i] = l;
        }
        return labels;
    }
}
