using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GlassML.Learning;

/// <summary>
/// The trees of an ensemble laid out for fast prediction: every tree of depth D becomes a perfect binary tree in heap
/// order (node h has children 2h+1 and 2h+2, so no child array is read) with 2^D − 1 split nodes and 2^D leaves, all
/// trees in one struct-of-arrays (split code, threshold; leaf values). A leaf above depth D is pushed down: its split
/// nodes send every row to copies of the same value. A row therefore reaches its leaf after exactly D steps of
/// h ← 2h + 1 + right, without branches on the data. Split code = 2·feature + (1 when NaN goes right).
/// A block of rows walks one tree at a time (the tree's nodes stay in L1 for the whole block), and each row adds the
/// trees' leaf values in tree order, so the margins equal the row-by-row traversal bit for bit.
/// Used when every tree is at most <see cref="MaxDepth"/> deep (depthwise trees); deeper trees keep the node walk.
/// </summary>
internal sealed class FlatForest
{
    /// <summary>Deepest tree laid out (a depth-12 tree takes 4,095 split nodes).</summary>
    public const int MaxDepth = 12;

    private readonly int[] depth, nodeStart, leafStart;
    private readonly int[] code;
    private readonly double[] threshold, leaf;

    private FlatForest(int[] depth, int[] nodeStart, int[] leafStart, int[] code, double[] threshold, double[] leaf)
    {
        this.depth = depth; this.nodeStart = nodeStart; this.leafStart = leafStart;
        this.code = code; this.threshold = threshold; this.leaf = leaf;
    }

    /// <summary>The layout of <paramref name="trees"/>, or null when a tree is deeper than <see cref="MaxDepth"/>.</summary>
    public static FlatForest? TryBuild(IReadOnlyList<DecisionTree> trees)
    {
        int n = trees.Count;
        var depth = new int[n];
        var nodeStart = new int[n + 1];
        var leafStart = new int[n + 1];
        for (int t = 0; t < n; t++)
        {
            int d = trees[t].Depth;
            if (d > MaxDepth) return null;
            depth[t] = d;
            nodeStart[t + 1] = nodeStart[t] + (1 << d) - 1;
            leafStart[t + 1] = leafStart[t] + (1 << d);
        }
        var code = new int[nodeStart[n]];
        var threshold = new double[nodeStart[n]];
        var leaf = new double[leafStart[n]];
        for (int t = 0; t < n; t++)
            Place(trees[t], 0, 0, 0, depth[t], code.AsSpan(nodeStart[t]), threshold.AsSpan(nodeStart[t]), leaf.AsSpan(leafStart[t]));
        return new FlatForest(depth, nodeStart, leafStart, code, threshold, leaf);
    }

    private static void Place(DecisionTree tree, int node, int heap, int level, int d, Span<int> code, Span<double> threshold, Span<double> leaf)
    {
        if (level == d) { leaf[heap - ((1 << d) - 1)] = tree.value[node]; return; }
        bool isLeaf = tree.left[node] < 0;
        // a pushed-down leaf: both subtrees hold the same value, so the comparison does not matter (feature 0, x < 0)
        code[heap] = isLeaf ? 0 : 2 * tree.feature[node] + (tree.defaultLeft[node] ? 0 : 1);
        threshold[heap] = isLeaf ? 0 : tree.threshold[node];
        Place(tree, isLeaf ? node : tree.left[node], 2 * heap + 1, level + 1, d, code, threshold, leaf);
        Place(tree, isLeaf ? node : tree.right[node], 2 * heap + 2, level + 1, d, code, threshold, leaf);
    }

    /// <summary>Rows per block: their values (row-major) and the current tree's nodes stay in L1 together.</summary>
    public static int BlockRows(int columns) => Math.Clamp(32768 / Math.Max(1, columns * sizeof(double)), 8, 64);

    private static bool HasNaN(ReadOnlySpan<double> v)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= v.Length; i += 4)
            {
                var x = Vector256.Create(v.Slice(i, 4));
                if (!Vector256.EqualsAll(x, x)) return true;
            }
        for (; i < v.Length; i++) if (double.IsNaN(v[i])) return true;
        return false;
    }

    /// <summary>
    /// Adds every tree's value to <paramref name="margin"/>[k] for the rows r0 .. r0+count−1 of the row-major
    /// <paramref name="values"/> (<paramref name="columns"/> per row); margin[k] must hold the base margin.
    /// <paramref name="node"/> is scratch of at least count ints.
    /// </summary>
    public void AddBlock(double[] values, int columns, long r0, int count, Span<double> margin, Span<int> node)
    {
        ref double x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), (nint)(r0 * columns));
        ref int codes = ref MemoryMarshal.GetArrayDataReference(code);
        ref double thresholds = ref MemoryMarshal.GetArrayDataReference(threshold);
        ref double leaves = ref MemoryMarshal.GetArrayDataReference(leaf);
        ref int h0 = ref MemoryMarshal.GetReference(node);
        ref double m0 = ref MemoryMarshal.GetReference(margin);
        bool hasNaN = HasNaN(values.AsSpan((int)(r0 * columns), count * columns));
        for (int t = 0; t < depth.Length; t++)
        {
            int d = depth[t];
            ref int c = ref Unsafe.Add(ref codes, nodeStart[t]);
            ref double th = ref Unsafe.Add(ref thresholds, nodeStart[t]);
            if (d == 0)
            {
                double v = Unsafe.Add(ref leaves, leafStart[t]);
                for (int k = 0; k < count; k++) Unsafe.Add(ref m0, k) += v;
                continue;
            }
            // first level: every row starts at the root
            int c0 = c;
            double t0 = th;
            int f0 = c0 >> 1, nanRight0 = c0 & 1;
            for (int k = 0; k < count; k++)
            {
                double x = Unsafe.Add(ref x0, (nint)k * columns + f0);
                int lt = x < t0 ? 1 : 0, ge = x >= t0 ? 1 : 0;
                Unsafe.Add(ref h0, k) = 1 + (ge | (nanRight0 & (1 ^ (lt | ge))));
            }
            if (!hasNaN)
            {
                // no missing value in the block: x < t and x ≥ t are complements, one comparison decides
                for (int level = 1; level < d; level++)
                {
                    for (int k = 0; k < count; k++)
                    {
                        int h = Unsafe.Add(ref h0, k);
                        double x = Unsafe.Add(ref x0, (nint)k * columns + (Unsafe.Add(ref c, h) >> 1));
                        Unsafe.Add(ref h0, k) = 2 * h + 1 + (x >= Unsafe.Add(ref th, h) ? 1 : 0);
                    }
                }
            }
            else for (int level = 1; level < d; level++)
            {
                for (int k = 0; k < count; k++)
                {
                    int h = Unsafe.Add(ref h0, k);
                    int cc = Unsafe.Add(ref c, h);
                    double tt = Unsafe.Add(ref th, h);
                    double x = Unsafe.Add(ref x0, (nint)k * columns + (cc >> 1));
                    int lt = x < tt ? 1 : 0, ge = x >= tt ? 1 : 0;
                    Unsafe.Add(ref h0, k) = 2 * h + 1 + (ge | (cc & 1 & (1 ^ (lt | ge))));
                }
            }
            int lb = leafStart[t] - ((1 << d) - 1);   // leaf of heap node h: leaf[lb + h]
            for (int k = 0; k < count; k++) Unsafe.Add(ref m0, k) += Unsafe.Add(ref leaves, lb + Unsafe.Add(ref h0, k));
        }
    }
}
