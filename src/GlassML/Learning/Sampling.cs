namespace GlassML.Learning;

/// <summary>
/// SplitMix64 pseudo-random generator (Steele, Lea &amp; Flood 2014): a fixed, documented sequence for a given seed
/// on every platform and .NET version, used for all seeded choices in Learning (splits, sampling, boosting).
/// </summary>
public struct SplitMix64
{
    private ulong state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) { state = seed; }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (n &gt; 0), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be > 0");
        ulong un = (ulong)n;
        while (true)
        {
            ulong x = NextUInt64();
            UInt128 m = (UInt128)x * un;
            ulong low = (ulong)m;
            if (low < un)
            {
                ulong t = (0UL - un) % un;
                if (low < t) continue;
            }
            return (int)(m >> 64);
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>Seeded row sampling of tables.</summary>
public static class Sampling
{
    /// <summary>
    /// Balanced random undersampling: for every distinct label value, keeps a random subset of its rows of the size of
    /// the rarest class (all rows of the rarest class). Returns row indices in ascending order; deterministic for a seed.
    /// </summary>
    /// <param name="labels">Class labels (compared exactly; NaN is not allowed).</param>
    /// <param name="seed">Random seed.</param>
    public static int[] Undersample(ReadOnlySpan<double> labels, ulong seed)
    {
        var byClass = new SortedDictionary<double, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (double.IsNaN(labels[i])) throw new ArgumentException($"label of row {i} is NaN");
            if (!byClass.TryGetValue(labels[i], out var list)) byClass[labels[i]] = list = [];
            list.Add(i);
        }
        if (byClass.Count == 0) return [];
        int min = byClass.Values.Min(l => l.Count);
        var rng = new SplitMix64(seed);
        var keep = new List<int>();
        foreach (var list in byClass.Values)
        {
            int[] a = [.. list];
            rng.Shuffle(a.AsSpan());
            keep.AddRange(a.AsSpan(0, min).ToArray());
        }
        keep.Sort();
        return [.. keep];
    }

    /// <summary>Balanced undersampling of a labelled table (see <see cref="Undersample(ReadOnlySpan{double}, ulong)"/>).</summary>
    public static FeatureTable Undersample(FeatureTable table, ulong seed)
    {
        if (table.Labels is null) throw new ArgumentException("table has no labels");
        return table.SelectRows(Undersample(table.Labels, seed));
    }

    /// <summary>Bernoulli row sample: each row kept with probability <paramref name="fraction"/>; ascending indices.</summary>
    public static int[] Bernoulli(int rows, double fraction, ulong seed)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), "fraction must be in (0, 1]");
        var rng = new SplitMix64(seed);
        var keep = new List<int>();
        for (int i = 0; i < rows; i++) if (rng.NextDouble() < fraction) keep.Add(i);
        return [.. keep];
    }
}
