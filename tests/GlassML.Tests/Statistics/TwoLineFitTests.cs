using GlassML.Statistics;

namespace GlassML.Tests.Statistics;

public class TwoLineFitTests
{
    // V(T) of a glass (slope 0.2 Å³/K) and its liquid (0.6 Å³/K) meeting at Tg = 685 K, sampled every 50 K from 300 K
    private static double Volume(double t) => t <= 685 ? 5000 + 0.2 * t : 5000 + 0.2 * 685 + 0.6 * (t - 685);

    [Fact]
    public void ExactBilinearDataGiveTgAndTheSlopes()
    {
        var t = Enumerable.Range(0, 25).Select(i => 300.0 + 50 * i).Reverse().ToArray(); // cooling order: unsorted input
        var v = t.Select(Volume).ToArray();
        var r = TwoLineFit.Fit(t, v);
        Assert.Equal(8, r.Split); // 300 … 650 K below Tg
        Assert.Equal(685, r.Crossing, 1e-8);
        Assert.Equal(0.2, r.LowSlope, 1e-12); Assert.Equal(0.6, r.HighSlope, 1e-12);
        Assert.True(r.Sse < 1e-12);
    }

    [Fact]
    public void NoisyBilinearDataGiveTgWithinTheNoise()
    {
        var rng = new Random(3);
        var t = Enumerable.Range(0, 61).Select(i => 300.0 + 20 * i).ToArray();
        var v = t.Select(x => Volume(x) + (rng.NextDouble() - 0.5)).ToArray();
        var r = TwoLineFit.Fit(t, v);
        Assert.InRange(r.Crossing, 670, 700);
        // a single line (no transition) is fitted worse than two at the true split
        Assert.True(r.Sse < 61 * 0.25);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => TwoLineFit.Fit([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentException>(() => TwoLineFit.Fit([1, 2, 3, 4, 5, double.NaN], [1, 2, 3, 4, 5, 6]));
        Assert.Throws<ArgumentException>(() => TwoLineFit.Fit([1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6]));
    }
}
