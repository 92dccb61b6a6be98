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
        var test = Table(1237, 2);   // 1237 = 154 blocks of 8 + 5
        var blocked = model.PredictMargin(test, threads);
        for (int r = 0; r < test.Rows; r++) Assert.Equal(model.PredictMarginRow(test.Row(r)), blocked[r]);
    }
}
