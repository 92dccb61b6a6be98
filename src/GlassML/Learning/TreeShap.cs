namespace GlassML.Learning;

/// <summary>
/// SHAP values of a tree ensemble in margin (log-odds for binary) space.
/// For every row, Σ_f Values[row, f] + ExpectedValue = margin(row).
/// </summary>
/// <param name="Features">Feature names (column order of <paramref name="Values"/>).</param>
/// <param name="Rows">Number of explained rows.</param>
/// <param name="Values">Row-major Rows × Features contributions φ.</param>
/// <param name="ExpectedValue">Base margin + Σ_trees cover-weighted mean leaf value (φ₀).</param>
public sealed record ShapValues(IReadOnlyList<string> Features, int Rows, double[] Values, double ExpectedValue)
{
    /// <summary>Contribution of feature f to row r.</summary>
    public double this[int r, int f] => Values[(long)r * Features.Count + f];

    /// <summary>Mean |φ| per feature over the rows.</summary>
    public double[] MeanAbsolute()
    {
        int nf = Features.Count;
        var m = new double[nf];
        for (int r = 0; r < Rows; r++)
            for (int f = 0; f < nf; f++) m[f] += Math.Abs(Values[(long)r * nf + f]);
        for (int f = 0; f < nf; f++) m[f] /= Math.Max(1, Rows);
        return m;
    }

    /// <summary>Features ranked by decreasing mean |φ| (ties: column order).</summary>
    public IReadOnlyList<(string Feature, double MeanAbsShap)> Ranking()
    {
        var m = MeanAbsolute();
        return Enumerable.Range(0, m.Length).OrderByDescending(f => m[f]).ThenBy(f => f).Select(f => (Features[f], m[f])).ToArray();
    }
}

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion &amp; Lee 2018, arXiv:1802.03888, Algorithm 2): Shapley values of
/// E[f(x) | x_S] where the conditional expectation follows the tree with cover (training hessian sum) weights for
/// features not in S, in O(T·L·D²). Missing values (NaN) follow the node's default direction. Rows are processed in
/// parallel, each written by index, so results do not depend on the thread count.
/// </summary>
public static class TreeShap
{
    private struct PathElement
    {
        public int Feature;
        public double Zero, One, Weight;
    }

    /// <summary>SHAP values of all rows of <paramref name="table"/> (columns matched to the model by name).</summary>
    public static ShapValues Explain(GradientBoostedTreesModel model, FeatureTable table, int threads = 0)
    {
        var t = model.Align(table);
        int nf = model.FeatureNames.Count;
        var values = new double[(long)t.Rows * nf];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        var trees = model.Trees;
        int maxDepth = trees.Count == 0 ? 0 : trees.Max(tr => tr.Depth);
        const int chunk = 64;
        Parallel.For(0, (t.Rows + chunk - 1) / chunk, po, () => new PathElement[PathSize(maxDepth)], (c, _, path) =>
        {
            int end = Math.Min(t.Rows, (c + 1) * chunk);
            for (int r = c * chunk; r < end; r++)
            {
                var phi = values.AsSpan((int)((long)r * nf), nf);
                foreach (var tree in trees) Recurse(tree, t.Row(r), phi, path, 0, 0, 0, 1, 1, -1);
            }
            return path;
        }, _ => { });
        return new ShapValues(model.FeatureNames, t.Rows, values, ExpectedValue(trees, model.BaseMargin));
    }

    /// <summary>Adds the SHAP values of one row for <paramref name="trees"/> into <paramref name="phi"/> (length = features).</summary>
    public static void ExplainRow(IReadOnlyList<DecisionTree> trees, ReadOnlySpan<double> row, Span<double> phi)
    {
        int maxDepth = trees.Count == 0 ? 0 : trees.Max(tr => tr.Depth);
        var path = new PathElement[PathSize(maxDepth)];
        foreach (var tree in trees) Recurse(tree, row, phi, path, 0, 0, 0, 1, 1, -1);
    }

    /// <summary>φ₀ = base margin + Σ_trees (cover-weighted mean of the leaf values).</summary>
    public static double ExpectedValue(IReadOnlyList<DecisionTree> trees, double baseMargin)
    {
        double e = baseMargin;
        foreach (var t in trees) e += MeanValue(t, 0);
        return e;
    }

    /// <summary>Cover-weighted mean leaf value below node n.</summary>
    public static double MeanValue(DecisionTree t, int n)
    {
        if (t.IsLeaf(n)) return t.value[n];
        int l = t.left[n], r = t.right[n];
        return (t.cover[l] * MeanValue(t, l) + t.cover[r] * MeanValue(t, r)) / t.cover[n];
    }

    private static int PathSize(int depth) { int d = depth + 2; return d * (d + 1) / 2 + d; }

    private static void Extend(PathElement[] p, int o, int depth, double zero, double one, int feature)
    {
        p[o + depth] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = depth == 0 ? 1.0 : 0.0 };
        for (int i = depth - 1; i >= 0; i--)
        {
            p[o + i + 1].Weight += one * p[o + i].Weight * (i + 1) / (depth + 1);
            p[o + i].Weight = zero * p[o + i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(PathElement[] p, int o, int depth, int index)
    {
        double one = p[o + index].One, zero = p[o + index].Zero;
        double next = p[o + depth].Weight;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                double tmp = p[o + i].Weight;
                p[o + i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - p[o + i].Weight * zero * (depth - i) / (depth + 1);
            }
            else
            {
                p[o + i].Weight = p[o + i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }
        for (int i = index; i < depth; i++)
        {
            p[o + i].Feature = p[o + i + 1].Feature;
            p[o + i].Zero = p[o + i + 1].Zero;
            p[o + i].One = p[o + i + 1].One;
        }
    }

    private static double UnwoundSum(PathElement[] p, int o, int depth, int index)
    {
        double one = p[o + index].One, zero = p[o + index].Zero;
        double next = p[o + depth].Weight, total = 0;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                double tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = p[o + i].Weight - tmp * zero * (depth - i) / (depth + 1);
            }
            else if (zero != 0)
            {
                total += p[o + i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }
        return total;
    }

    /// <param name="tree">Tree.</param><param name="x">Row.</param><param name="phi">Output.</param>
    /// <param name="p">Path storage.</param><param name="parentOffset">Offset of the parent's path in p.</param>
    /// <param name="node">Node.</param><param name="depth">Unique depth of this node's path.</param>
    /// <param name="zero">Fraction of zero paths (feature not in S) flowing here.</param>
    /// <param name="one">Fraction of one paths (feature in S) flowing here.</param>
    /// <param name="feature">Feature split on by the parent (−1 at the root).</param>
    private static void Recurse(DecisionTree tree, ReadOnlySpan<double> x, Span<double> phi, PathElement[] p, int parentOffset,
        int node, int depth, double zero, double one, int feature)
    {
        int o = parentOffset + depth + 1;
        Array.Copy(p, parentOffset, p, o, depth + 1);
        Extend(p, o, depth, zero, one, feature);
        if (tree.IsLeaf(node))
        {
            double v = tree.value[node];
            for (int i = 1; i <= depth; i++)
            {
                double w = UnwoundSum(p, o, depth, i);
                phi[p[o + i].Feature] += w * (p[o + i].One - p[o + i].Zero) * v;
            }
            return;
        }
        int split = tree.feature[node];
        int hot = tree.Next(node, x[split]);
        int cold = hot == tree.left[node] ? tree.right[node] : tree.left[node];
        double c = tree.cover[node];
        double hotZero = tree.cover[hot] / c, coldZero = tree.cover[cold] / c;
        double inZero = 1, inOne = 1;
        int k = 0;
        for (; k <= depth; k++) if (p[o + k].Feature == split) break;
        if (k != depth + 1)
        {
            inZero = p[o + k].Zero; inOne = p[o + k].One;
            Unwind(p, o, depth, k);
            depth--;
        }
        Recurse(tree, x, phi, p, o, hot, depth + 1, hotZero * inZero, inOne, split);
        Recurse(tree, x, phi, p, o, cold, depth + 1, coldZero * inZero, 0, split);
    }
}
