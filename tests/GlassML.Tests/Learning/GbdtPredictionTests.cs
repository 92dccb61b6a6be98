using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// The blocked, branch-free prediction (<see cref="GradientBoostedTreesModel.PredictMargin"/>) against the plain
/// row-by-row traversal (<see cref="GradientBoostedTreesModel.PredictMarginRow"/>): equal bit for bit, with missing values
/// sent either way, trees of uneven depth, and row counts that are not a multiple of the block width.
/// </summary>
public class GbdtPredictionTests
{
    private static FeatureTable Table(int rows, int seed)
    {
        // synthetic on purpose: this checks that two evaluation paths of the same model agree exactly
        var rng = new Random(seed);
        const int cols = 5;
        var x = new double[rows * cols];
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++) x[r * cols + c] = rng.NextDouble() < 0.1 ? double.NaN : rng.NextDouble() * 4 - 2;
            double a = x[r * cols], b = x[r * cols + 1];
            // missing values of column 0 mean "high", of column 1 "low": trained splits send NaN both ways
            double sa = double.IsNaN(a) ? 3 : a, sb = double.IsNaN(b) ? -3 : b;
            y[r] = sa + 0.5 * sb * sb - (double.IsNaN(x[r * cols + 2]) ? 0 : x[r * cols + 2]) > 0.7 ? 1 : 0;
        }
        return new FeatureTable(["a", "b", "c", "d", "e"], rows, x, y);
    }

    // the table with the missing values of its first rows filled in: blocks of those rows have no NaN (the one-comparison path
    // of the flat layout), the later ones do
    private static FeatureTable WithoutNaNBefore(FeatureTable t, int rows)
    {
        var x = (double[])t.Values.Clone();
        for (int i = 0; i < rows * t.ColumnCount; i++) if (double.IsNaN(x[i])) x[i] = 0.25 * (i % 7) - 0.5;
        return new FeatureTable(t.Columns, t.Rows, x, t.Labels);
    }

    [Theory]
    [InlineData(GbdtGrowPolicy.Depthwise, 5, 0, 1)]
    [InlineData(GbdtGrowPolicy.LossGuide, 0, 23, 2)]
    public void BlockedPredictionEqualsRowByRow(GbdtGrowPolicy policy, int depth, int leaves, int threads)
    {
        var train = Table(3000, 1);
        var model = new GradientBoostedTrees(new GradientBoostedTreesParameters
        {
            Objective = GbdtObjective.BinaryLogistic, NEstimators = 40, MaxDepth = depth, MaxLeaves = leaves, GrowPolicy = policy, Threads = threads,
        }).Fit(train);
        Assert.Contains(model.Trees, t => t.Depth != model.Trees[0].Depth || t.Depth >= 3);
        bool leftAndRightNaN = false;
        foreach (var t in model.Trees)
            for (int n = 0; n < t.NodeCount; n++)
                if (!t.IsLeaf(n) && t.DefaultLeft[n]) leftAndRightNaN = true;
        Assert.True(leftAndRightNaN, "no split sends missing values left");
        var test = WithoutNaNBefore(Table(1237, 2), 600);   // 1237 rows: not a multiple of any block width
        var blocked = model.PredictMargin(test, threads);
        for (int r = 0; r < test.Rows; r++) Assert.Equal(model.PredictMarginRow(test.Row(r)), blocked[r]);
        AssertPredictionsLikeRowByRow(model, test, threads);
    }

    /// <summary>
    /// A chain tree deeper than the flat layout takes (<see cref="FlatForest.MaxDepth"/>) beside shallow trees: the model
    /// falls back to the node walk, and both paths still equal the row-by-row traversal; a one-leaf tree and a tree whose
    /// leaves sit at different depths are laid out by pushing leaves down.
    /// </summary>
    [Theory]
    [InlineData(FlatForest.MaxDepth, 1)]
    [InlineData(FlatForest.MaxDepth + 1, 2)]
    public void DeepAndUnevenTreesPredictLikeRowByRow(int chainDepth, int threads)
    {
        // chain: node 2i is internal (feature i % 5, threshold i/depth - 1) with children 2i+1 (leaf) and 2i+2
        int nodes = 2 * chainDepth + 1;
        var left = new int[nodes]; var right = new int[nodes]; var feature = new int[nodes];
        var thr = new double[nodes]; var dl = new bool[nodes]; var value = new double[nodes];
        for (int n = 0; n < nodes; n++) { left[n] = right[n] = feature[n] = -1; value[n] = 0.01 * n - 0.1; }
        for (int i = 0; i < chainDepth; i++)
        {
            int n = 2 * i;
            left[n] = n + 1; right[n] = n + 2; feature[n] = i % 5; thr[n] = (double)i / chainDepth * 4 - 2; dl[n] = i % 3 == 0;
        }
        var chain = new DecisionTree(left, right, feature, thr, dl, value, new double[nodes], new double[nodes]);
        var stump = new DecisionTree([-1], [-1], [-1], [0.0], [false], [0.25], [1.0], [0.0]);
        var uneven = new DecisionTree([1, -1, 3, -1, -1], [2, -1, 4, -1, -1], [1, -1, 3, -1, -1], [0.1, 0, -0.5, 0, 0],
            [false, false, true, false, false], [0, -0.3, 0, 0.7, 0.2], new double[5], new double[5]);
        var model = new GradientBoostedTreesModel(["a", "b", "c", "d", "e"], new GradientBoostedTreesParameters { Objective = GbdtObjective.BinaryLogistic }, 0.1,
            [uneven, chain, stump, uneven], -1, [], new Dictionary<string, double>());
        Assert.Equal(chainDepth, chain.Depth);
        var test = WithoutNaNBefore(Table(1237, 3), 700);
        var blocked = model.PredictMargin(test, threads);
        for (int r = 0; r < test.Rows; r++) Assert.Equal(model.PredictMarginRow(test.Row(r)), blocked[r]);
        AssertPredictionsLikeRowByRow(model, test, threads);
        Assert.Equal(chainDepth <= FlatForest.MaxDepth, FlatForest.TryBuild(model.Trees) is not null);
    }

    // Predict (the sigmoid applied chunk by chunk on the prediction threads) equals PredictRow bit for bit on every row
    private static void AssertPredictionsLikeRowByRow(GradientBoostedTreesModel model, FeatureTable test, int threads)
    {
        Assert.Equal(GbdtObjective.BinaryLogistic, model.Objective);
        var predicted = model.Predict(test, threads);
        Assert.Equal(test.Rows, predicted.Length);
        for (int r = 0; r < test.Rows; r++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.PredictRow(test.Row(r))), BitConverter.DoubleToInt64Bits(predicted[r]));
    }
}
