using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Learner defaults follow the target; classifiers refuse a continuous target with one line.</summary>
public class LearningTaskTests
{
    private static FeatureTable Pe(int rows = 300) => LearnerRegistryTests.Slice("pe", 0, rows);
    private static readonly Dictionary<string, string> None = new();

    [Fact]
    public void TaskIsInferredFromTheTarget()
    {
        Assert.Equal(LearningTask.Classification, LearningTasks.Infer([0, 1, 1, 0]));
        Assert.Equal(LearningTask.Classification, LearningTasks.Infer([3, 1, 2, 7]));
        Assert.Equal(LearningTask.Regression, LearningTasks.Infer([0, 1, 0.5]));
        Assert.Equal(LearningTask.Regression, LearningTasks.Infer(Enumerable.Range(0, 21).Select(i => (double)i).ToArray()));
        Assert.Equal(LearningTask.Classification, LearningTasks.Infer(Enumerable.Range(0, 20).Select(i => (double)i).ToArray()));
        Assert.True(LearningTasks.IsBinary01([0, 1, 1]));
        Assert.False(LearningTasks.IsBinary01([1, 2]));
        Assert.False(LearningTasks.IsBinary01([1, 1]));
    }

    [Fact]
    public void ClassifiersRefuseAContinuousTarget()
    {
        var t = Pe();
        foreach (var (learner, p) in new (string, Dictionary<string, string>)[]
                 { ("svc", None), ("knn", new() { ["rule"] = "vote" }), ("gbdt", new() { ["objective"] = "binary" }) })
        {
            var e = Assert.Throws<ArgumentException>(() => LearnerRegistry.Fit(learner, t, p));
            Assert.Contains("classifier but the target is continuous", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void DefaultsFollowTheTarget()
    {
        var t = Pe();
        var test = LearnerRegistryTests.Slice("pe", 300, 400);
        var gbdt = LearnerRegistry.Fit("gbdt", t, None);
        Assert.False(gbdt.IsClassifier);
        Assert.Equal("regression", gbdt.Parameters["objective"]);
        Assert.True(Metrics.R2(test.Labels, gbdt.Predict(test).Prediction) > 0.3); // a real regression, not a probability
        var knn = LearnerRegistry.Fit("knn", t, None);
        Assert.False(knn.IsClassifier);
        Assert.Equal("mean", knn.Parameters["rule"]);

        var cls = LearnerRegistryTests.Slice("high_pe", 0, 300);
        Assert.True(LearnerRegistry.Fit("gbdt", cls, None).IsClassifier);
        Assert.True(LearnerRegistry.Fit("knn", cls, None).IsClassifier);
        // class labels other than 0/1 are not silently regressed by gbdt
        var threeClasses = cls.WithLabels(cls.Labels!.Select((v, i) => (double)(i % 3)).ToArray());
        Assert.Contains("objective=regression", Assert.Throws<ArgumentException>(() => LearnerRegistry.Fit("gbdt", threeClasses, None)).Message);
    }
}
