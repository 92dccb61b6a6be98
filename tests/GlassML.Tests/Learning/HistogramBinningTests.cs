using GlassML.Learning;

namespace GlassML.Tests.Learning;

/// <summary>
/// The quantile binning (radix-sorted keys, codes assigned in sorted order) against a direct reading of its definition:
/// bounds T from Array.Sort of the non-missing values (every distinct value when there are ≤ max_bin of them, else the order
/// statistics at ⌊k·n/max_bin⌋, duplicates merged), code = #{k ≥ 1 : T[k] ≤ x}, NaN → n_f.
/// </summary>
public class HistogramBinningTests
{
    private static (double[] T, int Nb) Reference(double[] col, int maxBin)
    {
        var v = col.Where(x => !double.IsNaN(x)).ToArray();
        Array.Sort(v);
        bool missing = v.Length < col.Length;
        int cap = missing ? Math.Min(maxBin, 255) : maxBin;
        var bounds = new List<double>();
        if (v.Length > 0)
        {
            int distinct = v.Distinct().Count(); // −0 and +0 are one value
            bounds.Add(v[0]);
            if (distinct <= cap) { for (int i = 1; i < v.Length; i++) if (v[i] != v[i - 1]) bounds.Add(v[i]); }
            else for (int k = 1; k < cap; k++) { double t = v[(int)((long)k * v.Length / cap)]; if (t > bounds[^1]) bounds.Add(t); }
        }
        int nb = bounds.Count;
        bounds.Add(double.MaxValue);
        return (bounds.ToArray(), nb);
    }

    [Theory]
    [InlineData(256, false)]   // more distinct values than bins: quantile bounds
    [InlineData(256, true)]    // with NaN: at most 255 bins
    [InlineData(8, false)]
    public void BoundsAndCodesFollowTheDefinition(int maxBin, bool withNaN)
    {
        // synthetic on purpose: signs, ±0, exact duplicates, tiny and huge magnitudes and NaN exercise the order-preserving keys
        var rng = new Random(11);
        int rows = 5000, features = 4;
        var x = new double[rows * features];
        for (int r = 0; r < rows; r++)
        {
            x[r * features] = rng.NextDouble() * 20 - 10;                                   // signed, all distinct
            x[r * features + 1] = rng.Next(0, 3) switch { 0 => 0.0, 1 => -0.0, _ => rng.Next(-3, 4) }; // few values, both zeros
            x[r * features + 2] = Math.Pow(10, rng.Next(-300, 300)) * (rng.NextDouble() - 0.5);     // every exponent
            x[r * features + 3] = Math.Round(rng.NextDouble() * 1000) / 7;                  // many ties
            if (withNaN) for (int f = 0; f < features; f++) if (rng.NextDouble() < 0.05) x[r * features + f] = double.NaN;
        }
        var b = HistogramBinning.Build(x, rows, features, maxBin, new ParallelOptions { MaxDegreeOfParallelism = 2 });
        for (int f = 0; f < features; f++)
        {
            var col = Enumerable.Range(0, rows).Select(r => x[r * features + f]).ToArray();
            var (t, nb) = Reference(col, maxBin);
            Assert.Equal(nb, b.BinCount[f]);
            Assert.Equal(t, b.Bounds[f]);
            Assert.Equal(col.Any(double.IsNaN), b.HasMissing[f]);
            for (int r = 0; r < rows; r++)
            {
                double v = col[r];
                int expected = double.IsNaN(v) ? nb : Enumerable.Range(1, nb - 1).Count(k => t[k] <= v);
                Assert.Equal(expected, b.Codes[(long)f * rows + r]);
            }
        }
    }
}
