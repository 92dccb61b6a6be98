using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>Split invariants: partitions, fold sizes, stratification, group integrity, determinism.</summary>
public class SplitsTests
{
    private static void AssertPartition(Split[] folds, int n)
    {
        var seen = new int[n];
        foreach (var s in folds)
        {
            Assert.Equal(n, s.Train.Length + s.Test.Length);
            Assert.Empty(s.Train.Intersect(s.Test));
            Assert.Equal(s.Train.OrderBy(i => i), s.Train);
            Assert.Equal(s.Test.OrderBy(i => i), s.Test);
            foreach (int i in s.Test) seen[i]++;
        }
        Assert.All(seen, c => Assert.Equal(1, c)); // every row is tested exactly once
    }

    [Fact]
    public void KFoldSizesAndDeterminism()
    {
        var a = Splits.KFold(103, 5, 7);
        AssertPartition(a, 103);
        Assert.Equal([21, 21, 21, 20, 20], a.Select(s => s.Test.Length));
        var b = Splits.KFold(103, 5, 7);
        for (int f = 0; f < 5; f++) Assert.Equal(a[f].Test, b[f].Test);
        Assert.NotEqual(a[0].Test, Splits.KFold(103, 5, 8)[0].Test);
        var ordered = Splits.KFold(10, 5, 0, shuffle: false);
        Assert.Equal([0, 1], ordered[0].Test);
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.KFold(3, 5, 0));
    }

    [Fact]
    public void StratifiedKFoldKeepsClassShares()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i % 10 < 3 ? 1.0 : 0.0).ToArray(); // 60 positives
        var folds = Splits.StratifiedKFold(labels, 4, 3);
        AssertPartition(folds, 200);
        foreach (var s in folds)
        {
            Assert.Equal(50, s.Test.Length);
            Assert.Equal(15, s.Test.Count(i => labels[i] == 1));
        }
    }

    [Fact]
    public void GroupKFoldKeepsGroupsTogether()
    {
        var groups = Enumerable.Range(0, 300).Select(i => i / 25 + (i % 7 == 0 ? 100 : 0)).ToArray();
        var folds = Splits.GroupKFold(groups, 3, 11);
        AssertPartition(folds, 300);
        foreach (var s in folds)
        {
            var testGroups = s.Test.Select(i => groups[i]).ToHashSet();
            Assert.DoesNotContain(s.Train, i => testGroups.Contains(groups[i]));
        }
        Assert.True(folds.Max(s => s.Test.Length) - folds.Min(s => s.Test.Length) <= 25);
    }

    [Fact]
    public void HoldOutVariants()
    {
        var h = Splits.HoldOut(1000, 0.2, 5);
        Assert.Equal(200, h.Test.Length);
        Assert.Equal(h.Test, Splits.HoldOut(1000, 0.2, 5).Test);
        var groups = Enumerable.Range(0, 100).Select(i => i / 10).ToArray();
        var g = Splits.HoldOutGroups(groups, [3, 7]);
        Assert.Equal(Enumerable.Range(30, 10).Concat(Enumerable.Range(70, 10)), g.Test);
        var gr = Splits.HoldOutGroups(groups, 0.3, 1);
        Assert.Equal(30, gr.Test.Length);
        Assert.Equal(3, gr.Test.Select(i => groups[i]).Distinct().Count());
    }

    [Fact]
    public void UndersamplingBalancesClasses()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? 1.0 : i % 10 < 4 ? 2.0 : 0.0).ToArray();
        var keep = Sampling.Undersample(labels, 9);
        Assert.Equal(300, keep.Length);
        Assert.Equal(100, keep.Count(i => labels[i] == 1));
        Assert.Equal(100, keep.Count(i => labels[i] == 2));
        Assert.Equal(keep.OrderBy(i => i), keep);
        Assert.Equal(keep, Sampling.Undersample(labels, 9));
    }
}
