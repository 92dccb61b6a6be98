using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Parameters of <see cref="DistanceStatistics"/>.</summary>
public sealed record DistanceStatisticsOptions
{
    /// <summary>Also report the sum of neighbour distances, <c>dist_SRC_sum</c> (amlearn's <c>distance_sum_voro</c>). Default false.</summary>
    public bool IncludeSum { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Coordination number and neighbour-distance statistics per atom from any <see cref="NeighborList"/>:
/// <c>cn_SRC</c> = N_i, <c>dist_SRC_mean</c>, <c>dist_SRC_std</c> (population standard deviation,
/// sqrt(Σ(d − mean)²/N_i)), <c>dist_SRC_min</c>, <c>dist_SRC_max</c> (Å), optionally <c>dist_SRC_sum</c>.
/// SRC is the list's <see cref="NeighborList.Source"/>. Atoms without neighbours get cn = 0 and NaN statistics.
/// </summary>
public sealed class DistanceStatistics
{
    /// <summary>Creates the compute.</summary>
    public DistanceStatistics(DistanceStatisticsOptions? options = null)
    {
        Options = options ?? new DistanceStatisticsOptions();
        if (Options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
    }

    /// <summary>The options in force.</summary>
    public DistanceStatisticsOptions Options { get; }

    /// <summary>Column names for a neighbour source suffix, in output order.</summary>
    public IReadOnlyList<string> FeatureNames(string source)
    {
        var n = new List<string> { $"cn_{source}", $"dist_{source}_mean", $"dist_{source}_std", $"dist_{source}_min", $"dist_{source}_max" };
        if (Options.IncludeSum) n.Add($"dist_{source}_sum");
        return n;
    }

    /// <summary>Computes the columns for every atom (N × F, order of <see cref="FeatureNames"/>).</summary>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        var names = FeatureNames(neighbors.Source);
        var v = new double[(long)n * names.Count];
        ComputeInto(frame, neighbors, v, names.Count, 0);
        return new PerAtomFeatures(names, n, v);
    }

    /// <summary>Number of columns (order of <see cref="FeatureNames"/>).</summary>
    internal int FeatureCount => Options.IncludeSum ? 6 : 5;

    /// <summary>Writes the columns of atom i to dest[i·stride + offset ..) for every atom (values of <see cref="Compute"/>).</summary>
    internal void ComputeInto(Frame frame, NeighborList neighbors, double[] dest, int stride, int offset) =>
        ComputeRows(frame, neighbors, AtomRows.All(frame.Count), dest, stride, offset);

    /// <summary>The rows of the given atoms only (row k ← atom rows.Atom(k)), values identical to <see cref="ComputeInto"/>'s.</summary>
    internal void ComputeRows(Frame frame, NeighborList neighbors, AtomRows rows, double[] dest, int stride, int offset)
    {
        DescriptorArguments.Check(frame, neighbors);
        int n = rows.Count;
        int f = FeatureCount;
        RowLayout.Check(dest, n, stride, offset, f);
        var v = dest;
        var off = neighbors.Offsets;
        bool sum = Options.IncludeSum;
        ParallelChunks.Run(n, Options.Threads, () => new PairBuffer(), (lo, hi, pairs) =>
        {
            for (int k = lo; k < hi; k++)
            {
                int i = rows.Atom(k);
                var dist = ReadOnlySpan<double>.Empty;
                if (off[i + 1] > off[i]) neighbors.Geometry(i, pairs, out _, out _, out _, out dist);
                Row(dist, v.AsSpan(RowLayout.Start(k, stride, offset), f), sum);
            }
        });
    }

    /// <summary>
    /// The columns of one atom from its neighbour distances (any order of the list's; none: cn = 0 and NaN statistics) into
    /// row[0 .. 5), and the sum into row[5] when <paramref name="sum"/>.
    /// </summary>
    internal static void Row(ReadOnlySpan<double> dist, Span<double> row, bool sum)
    {
        int c = dist.Length;
        row[0] = c;
        if (c == 0)
        {
            row[1..(sum ? 6 : 5)].Fill(double.NaN);
            return;
        }
        double s = 0, mn = double.PositiveInfinity, mx = double.NegativeInfinity;
        for (int p = 0; p < c; p++) { double d = dist[p]; s += d; if (d < mn) mn = d; if (d > mx) mx = d; }
        double mean = s / c, ss = 0;
        for (int p = 0; p < c; p++) { double e = dist[p] - mean; ss += e * e; }
        row[1] = mean; row[2] = Math.Sqrt(ss / c); row[3] = mn; row[4] = mx;
        if (sum) row[5] = s;
    }
}
