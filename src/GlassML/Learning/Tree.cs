namespace GlassML.Learning;

/// <summary>
/// One regression tree of a boosted ensemble, as flat node arrays (node 0 = root). An internal node n sends a row
/// to <see cref="Left"/>[n] when <c>x[Feature[n]] &lt; Threshold[n]</c>, to <see cref="Right"/>[n] when not, and
/// NaN to the <see cref="DefaultLeft"/> side (XGBoost convention). Leaves have Left = Right = −1.
/// </summary>
public sealed class DecisionTree
{
    internal readonly int[] left, right, feature;
    internal readonly double[] threshold, value, cover, gain;
    internal readonly bool[] defaultLeft;

    /// <summary>Creates a tree from node arrays (all of the same length; taken, not copied).</summary>
    public DecisionTree(int[] left, int[] right, int[] feature, double[] threshold, bool[] defaultLeft, double[] value, double[] cover, double[] gain)
    {
        int n = left.Length;
        if (n == 0 || right.Length != n || feature.Length != n || threshold.Length != n || defaultLeft.Length != n || value.Length != n || cover.Length != n || gain.Length != n)
            throw new ArgumentException("tree node arrays must be non-empty and of equal length");
        for (int i = 0; i < n; i++)
        {
            bool leaf = left[i] < 0;
            if (leaf != (right[i] < 0)) throw new ArgumentException($"node {i}: both children or none");
            if (!leaf && (left[i] <= i || right[i] <= i || left[i] >= n || right[i] >= n)) throw new ArgumentException($"node {i}: child index out of range");
            if (!leaf && feature[i] < 0) throw new ArgumentException($"node {i}: negative feature index");
        }
        this.left = left; this.right = right; this.feature = feature; this.threshold = threshold;
        this.defaultLeft = defaultLeft; this.value = value; this.cover = cover; this.gain = gain;
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => left.Length;
    /// <summary>Left child per node, −1 for leaves.</summary>
    public ReadOnlySpan<int> Left => left;
    /// <summary>Right child per node, −1 for leaves.</summary>
    public ReadOnlySpan<int> Right => right;
    /// <summary>Split feature (column index) per internal node; −1 for leaves.</summary>
    public ReadOnlySpan<int> Feature => feature;
    /// <summary>Split threshold per internal node (go left when x &lt; threshold).</summary>
    public ReadOnlySpan<double> Threshold => threshold;
    /// <summary>Whether NaN goes left, per internal node.</summary>
    public ReadOnlySpan<bool> DefaultLeft => defaultLeft;
    /// <summary>Node value: for leaves the margin contribution η·w (w = −T_α(G)/(H+λ)); for internal nodes the same formula on the node's sums.</summary>
    public ReadOnlySpan<double> Value => value;
    /// <summary>Cover per node: sum of training hessians of the rows reaching it.</summary>
    public ReadOnlySpan<double> Cover => cover;
    /// <summary>Split gain (loss reduction) per internal node; 0 for leaves.</summary>
    public ReadOnlySpan<double> Gain => gain;
    /// <summary>Whether node n is a leaf.</summary>
    public bool IsLeaf(int n) => left[n] < 0;

    /// <summary>Leaf index reached by a row of raw feature values.</summary>
    public int LeafOf(ReadOnlySpan<double> row)
    {
        int n = 0;
        while (left[n] >= 0)
        {
            double x = row[feature[n]];
            n = double.IsNaN(x) ? (defaultLeft[n] ? left[n] : right[n]) : (x < threshold[n] ? left[n] : right[n]);
        }
        return n;
    }

    /// <summary>Next node from internal node n for value x (NaN = missing).</summary>
    public int Next(int n, double x) => double.IsNaN(x) ? (defaultLeft[n] ? left[n] : right[n]) : (x < threshold[n] ? left[n] : right[n]);

    /// <summary>Margin contribution of this tree for a row.</summary>
    public double Predict(ReadOnlySpan<double> row) => value[LeafOf(row)];

    private Walk? _walk;

    /// <summary>
    /// The tree as a fixed-length walk: child[2n] / child[2n+1] are node n's left / right child, a leaf points to itself,
    /// and every row reaches its leaf after exactly <see cref="Walk.Steps"/> steps, so rows can be moved down the tree
    /// together without data-dependent branches.
    /// </summary>
    internal Walk Walker => _walk ??= new Walk(this);

    internal sealed class Walk
    {
        public readonly int[] Child, Feature;
        public readonly double[] Threshold;
        public readonly int[] DefaultLeft;   // 1 = NaN goes left
        public readonly int Steps;

        public Walk(DecisionTree t)
        {
            int n = t.NodeCount;
            Child = new int[2 * n]; Feature = new int[n]; Threshold = new double[n]; DefaultLeft = new int[n];
            for (int i = 0; i < n; i++)
            {
                bool leaf = t.left[i] < 0;
                Child[2 * i] = leaf ? i : t.left[i];
                Child[2 * i + 1] = leaf ? i : t.right[i];
                Feature[i] = leaf ? 0 : t.feature[i];
                Threshold[i] = leaf ? 0 : t.threshold[i];
                DefaultLeft[i] = !leaf && t.defaultLeft[i] ? 1 : 0;
            }
            Steps = t.Depth;
        }
    }

    /// <summary>Depth of the tree (root only = 0).</summary>
    public int Depth
    {
        get
        {
            int max = 0;
            var depth = new int[NodeCount];
            for (int i = 0; i < NodeCount; i++)
            {
                if (left[i] < 0) { max = Math.Max(max, depth[i]); continue; }
                depth[left[i]] = depth[right[i]] = depth[i] + 1;
            }
            return max;
        }
    }
}
