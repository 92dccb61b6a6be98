using System.Numerics;
using System.Runtime.InteropServices;
using GlassML.Neighbors;

namespace GlassML.Descriptors;

/// <summary>One statistic of the neighbours' values used by <see cref="NeighborCoarseGraining"/>.</summary>
public enum MroStat
{
    /// <summary>Σ_j v_j (<c>__nn_sum</c>).</summary>
    Sum,
    /// <summary>(1/N_i) Σ_j v_j (<c>__nn_mean</c>).</summary>
    Mean,
    /// <summary>Population standard deviation of the v_j (<c>__nn_std</c>).</summary>
    Std,
    /// <summary>min_j v_j (<c>__nn_min</c>).</summary>
    Min,
    /// <summary>max_j v_j (<c>__nn_max</c>).</summary>
    Max,
    /// <summary>Mean over neighbours minus the atom's own value (<c>__nn_diff</c>).</summary>
    Diff,
}

/// <summary>Parameters of <see cref="NeighborCoarseGraining"/>.</summary>
public sealed record NeighborCoarseGrainingOptions
{
    /// <summary>Statistics per input column, in output order. Default mean, std, min, max, sum, diff.</summary>
    public IReadOnlyList<MroStat> Stats { get; init; } = [MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max, MroStat.Sum, MroStat.Diff];
    /// <summary>
    /// Include the centre atom among the values (N_i + 1 values). Default false (neighbours only, as amlearn's
    /// MRO featurizer).
    /// </summary>
    public bool IncludeSelf { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Medium-range order by coarse-graining any per-atom feature block over a <see cref="NeighborList"/>: for each
/// input column c and statistic s, the column <c>{c}__nn_{s}</c> holds the statistic of c over the neighbours
/// j of atom i (each pair entry counts once, so periodic images count separately): sum, mean, population std,
/// min, max, and diff = mean − own value. Output columns are grouped by input column, statistics in option order.
/// Atoms without neighbours get NaN (the sum too); NaN inputs propagate. Bit-identical for any thread count.
/// </summary>
public sealed class NeighborCoarseGraining
{
    /// <summary>Creates the compute.</summary>
    public NeighborCoarseGraining(NeighborCoarseGrainingOptions? options = null)
    {
        Options = options ?? new NeighborCoarseGrainingOptions();
        if (Options.Stats is null || Options.Stats.Count == 0) throw new ArgumentException("select at least one statistic", nameof(options));
        if (Options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        // loops rather than LINQ over the enum (generic code over a value type is jitted at run time)
        _stats = new MroStat[Options.Stats.Count];
        for (int k = 0; k < _stats.Length; k++)
        {
            _stats[k] = Options.Stats[k];
            for (int q = 0; q < k; q++) if (_stats[q] == _stats[k]) throw new ArgumentException("statistics must be distinct", nameof(options));
            _needStd |= _stats[k] == MroStat.Std;
        }
    }

    private readonly MroStat[] _stats;
    private readonly bool _needStd;

    /// <summary>The options in force.</summary>
    public NeighborCoarseGrainingOptions Options { get; }

    /// <summary>Suffix of a statistic: "sum", "mean", "std", "min", "max", "diff".</summary>
    public static string Suffix(MroStat s) => s switch
    {
        MroStat.Sum => "sum", MroStat.Mean => "mean", MroStat.Std => "std", MroStat.Min => "min", MroStat.Max => "max", MroStat.Diff => "diff",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>
    /// Parses a comma-separated list such as "mean,std,min,max,sum" (CLI <c>--mro</c>); "all" means every statistic.
    /// Throws <see cref="FormatException"/> naming the legal set for an unknown entry.
    /// </summary>
    public static IReadOnlyList<MroStat> ParseStats(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<MroStat>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Equals("all", StringComparison.OrdinalIgnoreCase)) { list.AddRange(Enum.GetValues<MroStat>()); continue; }
            MroStat s = raw.ToLowerInvariant() switch
            {
                "sum" => MroStat.Sum, "mean" => MroStat.Mean, "std" => MroStat.Std, "min" => MroStat.Min, "max" => MroStat.Max, "diff" => MroStat.Diff,
                _ => throw new FormatException($"unknown MRO statistic '{raw}' (one of: mean, std, min, max, sum, diff, all)"),
            };
            list.Add(s);
        }
        if (list.Count == 0) throw new FormatException("no MRO statistic given (one of: mean, std, min, max, sum, diff, all)");
        return list.Distinct().ToList();
    }

    /// <summary>Output name of column <paramref name="column"/> under statistic <paramref name="stat"/>: <c>{column}__nn_{stat}</c>.</summary>
    public static string Name(string column, MroStat stat) => $"{column}__nn_{Suffix(stat)}";

    /// <summary>Output names for the given input columns, in output order.</summary>
    public IReadOnlyList<string> FeatureNames(IReadOnlyList<string> columns)
    {
        var names = new List<string>(columns.Count * Options.Stats.Count);
        foreach (var c in columns) foreach (var s in Options.Stats) names.Add(Name(c, s));
        return names;
    }

    /// <summary>Coarse-grains every column of <paramref name="features"/> over <paramref name="neighbors"/>.</summary>
    public PerAtomFeatures Compute(PerAtomFeatures features, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(neighbors);
        int n = features.AtomCount, fin = features.FeatureCount;
        if (neighbors.AtomCount != n) throw new ArgumentException($"neighbour list has {neighbors.AtomCount} atoms, features have {n}");
        var names = FeatureNames(features.Names);
        var v = Numerics.HugePages.NewDoubles(checked(n * names.Count));
        ComputeInto(features.Values, fin, 0, fin, neighbors, v, names.Count, 0);
        return new PerAtomFeatures(names, n, v);
    }

    /// <summary>
    /// The values of <see cref="Compute"/> for input columns src[i·srcStride + srcOffset .. + fin) of the neighbour list's atoms,
    /// written to dest[i·destStride + destOffset .. + fin·Stats.Count) (every entry). src and dest may be the same array
    /// (same stride) when the column ranges do not overlap.
    /// </summary>
    internal void ComputeInto(double[] src, int srcStride, int srcOffset, int fin, NeighborList neighbors, double[] dest, int destStride, int destOffset)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        int n = neighbors.AtomCount;
        int fout = fin * _stats.Length;
        RowLayout.Check(src, n, srcStride, srcOffset, fin);
        RowLayout.Check(dest, n, destStride, destOffset, fout);
        if (ReferenceEquals(src, dest) && (srcStride != destStride || (srcOffset < destOffset + fout && destOffset < srcOffset + fin)))
            throw new ArgumentException("source and destination columns overlap");
        var off = neighbors.Offsets; var idx = neighbors.Index;
        ParallelChunks.Run(n, Options.Threads, () => new Accumulator(fin), (lo, hi, a) =>
        {
            for (int i = lo; i < hi; i++) RowInto(i, src, srcStride, srcOffset, fin, off, idx, dest, (long)i * destStride + destOffset, a);
        });
    }

    /// <summary>
    /// Atom i's values of <see cref="ComputeInto"/> (its fin · Stats.Count outputs) written to dest[destStart ..), from the input
    /// columns src[j·srcStride + srcOffset .. + fin) of i and of its neighbours j (<paramref name="offsets"/>, <paramref name="index"/>
    /// of a <see cref="NeighborList"/>); <paramref name="a"/> holds at least fin columns. No argument checks (the callers check
    /// the layout once): loops over many atoms and several coarse-grainings use it to visit each atom's neighbours while they are
    /// in the cache. With <paramref name="columnDest"/>, input column c's outputs go to dest[destStart + columnDest[c] ..) instead
    /// (each column's statistics side by side, the columns anywhere), and a column whose columnDest is negative is not written
    /// (a column inside the range that is not wanted: its statistics are computed with the others', as they are column by column).
    /// </summary>
    internal void RowInto(int i, double[] src, int srcStride, int srcOffset, int fin, int[] offsets, int[] index, double[] dest, long destStart, Accumulator a,
        int[]? columnDest = null)
    {
        var stats = _stats;
        int ns = stats.Length, fout = fin * ns;
        bool self = Options.IncludeSelf;
        int p0 = offsets[i], p1 = offsets[i + 1];
        int cnt = p1 - p0 + (self ? 1 : 0);
        if (cnt == 0)
        {
            if (columnDest is null) dest.AsSpan((int)destStart, fout).Fill(double.NaN);
            else foreach (int c in columnDest.AsSpan(0, fin)) if (c >= 0) dest.AsSpan((int)(destStart + c), ns).Fill(double.NaN);
            return;
        }
        a.Reset(fin);
        if (self) a.Add(src.AsSpan(RowLayout.Start(i, srcStride, srcOffset), fin));
        for (int p = p0; p < p1; p++) a.Add(src.AsSpan(RowLayout.Start(index[p], srcStride, srcOffset), fin));
        // second pass for the standard deviation (two-pass, as the definition)
        if (_needStd)
        {
            for (int c = 0; c < fin; c++) a.Mean[c] = a.Sum[c] / cnt;
            if (self) a.AddSq(src.AsSpan(RowLayout.Start(i, srcStride, srcOffset), fin));
            for (int p = p0; p < p1; p++) a.AddSq(src.AsSpan(RowLayout.Start(index[p], srcStride, srcOffset), fin));
        }
        long own = (long)i * srcStride + srcOffset;
        for (int c = 0; c < fin; c++)
        {
            if (columnDest is not null && columnDest[c] < 0) continue;
            double mean = a.Sum[c] / cnt;
            long o = destStart + (columnDest is null ? (long)c * ns : columnDest[c]);
            for (int k = 0; k < ns; k++)
                dest[o + k] = stats[k] switch
                {
                    MroStat.Sum => a.Sum[c],
                    MroStat.Mean => mean,
                    MroStat.Std => Math.Sqrt(a.Sq[c] / cnt),
                    MroStat.Min => a.Min[c],
                    MroStat.Max => a.Max[c],
                    _ => mean - src[own + c],
                };
        }
    }

    /// <summary>
    /// amlearn's "MRO_Avg_{i}_fold_symm_idx": i-fold symmetry of the neighbour-averaged Voronoi index,
    /// mean(n_i) / Σ_{k=3..7} mean(n_k) for i = 3..7, from the columns <c>voro_n{k}__nn_mean</c> of an MRO block.
    /// Columns <c>voro_ifold_{i}__nn_avgidx</c>; NaN where the denominator is 0 or NaN.
    /// </summary>
    public static PerAtomFeatures AverageIFold(PerAtomFeatures mro)
    {
        ArgumentNullException.ThrowIfNull(mro);
        var cols = new int[5];
        for (int k = 3; k <= 7; k++)
        {
            cols[k - 3] = mro.IndexOf(Name($"voro_n{k}", MroStat.Mean));
            if (cols[k - 3] < 0) throw new KeyNotFoundException($"missing column {Name($"voro_n{k}", MroStat.Mean)}");
        }
        int n = mro.AtomCount;
        var v = new double[(long)n * 5];
        AverageIFoldInto(mro.Values, mro.FeatureCount, cols, n, v, 5, 0);
        return new PerAtomFeatures(AverageIFoldNames, n, v);
    }

    /// <summary>Names of the <see cref="AverageIFold"/> columns: <c>voro_ifold_{i}__nn_avgidx</c>, i = 3..7.</summary>
    internal static readonly IReadOnlyList<string> AverageIFoldNames =
        ["voro_ifold_3__nn_avgidx", "voro_ifold_4__nn_avgidx", "voro_ifold_5__nn_avgidx", "voro_ifold_6__nn_avgidx", "voro_ifold_7__nn_avgidx"];

    /// <summary>
    /// The values of <see cref="AverageIFold"/> for n atoms: mean(n_k) of atom i at src[i·srcStride + meanColumns[k − 3]], k = 3..7,
    /// written to dest[i·destStride + destOffset .. + 5). src and dest may be the same array when the columns do not overlap.
    /// </summary>
    internal static void AverageIFoldInto(double[] src, int srcStride, int[] meanColumns, int n, double[] dest, int destStride, int destOffset)
    {
        RowLayout.Check(dest, n, destStride, destOffset, 5);
        foreach (int c in meanColumns)
        {
            RowLayout.Check(src, n, srcStride, c, 1);
            if (ReferenceEquals(src, dest) && (srcStride != destStride || (c >= destOffset && c < destOffset + 5)))
                throw new ArgumentException("source and destination columns overlap");
        }
        for (int i = 0; i < n; i++) AverageIFoldRow(src, (long)i * srcStride, meanColumns, dest, (long)i * destStride + destOffset);
    }

    /// <summary>One atom's <see cref="AverageIFoldInto"/>: the means at src[srcRow + meanColumns[k]], the five values to dest[destStart ..).</summary>
    internal static void AverageIFoldRow(double[] src, long srcRow, int[] meanColumns, double[] dest, long destStart)
    {
        double s = 0;
        for (int k = 0; k < 5; k++) s += src[srcRow + meanColumns[k]];
        for (int k = 0; k < 5; k++) dest[destStart + k] = s > 0 ? src[srcRow + meanColumns[k]] / s : double.NaN;
    }

    /// <summary>
    /// Per-column running sums, squared deviations, minima and maxima of one atom's neighbour values (scratch of
    /// <see cref="RowInto"/>, one per worker). Each column is accumulated on its own, neighbours in list order, so the vector
    /// lanes give the scalar loop's values bit for bit.
    /// </summary>
    internal sealed class Accumulator
    {
        public readonly double[] Sum, Sq, Min, Max, Mean;

        /// <summary>Scratch for up to <paramref name="f"/> columns.</summary>
        public Accumulator(int f) { Sum = new double[f]; Sq = new double[f]; Min = new double[f]; Max = new double[f]; Mean = new double[f]; }

        /// <summary>Empties the first f columns.</summary>
        public void Reset(int f)
        {
            Array.Clear(Sum, 0, f); Array.Clear(Sq, 0, f);
            Array.Fill(Min, double.PositiveInfinity, 0, f); Array.Fill(Max, double.NegativeInfinity, 0, f);
        }

        /// <summary>Adds one neighbour's values (columns 0 .. row.Length).</summary>
        public void Add(ReadOnlySpan<double> row)
        {
            int c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var sum = MemoryMarshal.Cast<double, Vector<double>>(Sum.AsSpan(0, row.Length));
                var min = MemoryMarshal.Cast<double, Vector<double>>(Min.AsSpan(0, row.Length));
                var max = MemoryMarshal.Cast<double, Vector<double>>(Max.AsSpan(0, row.Length));
                var xs = MemoryMarshal.Cast<double, Vector<double>>(row);
                for (int v = 0; v < xs.Length; v++)
                {
                    var x = xs[v];
                    sum[v] += x;
                    // NaN propagates into min/max as well: x replaces the extreme when it is beyond it or NaN
                    var nan = ~Vector.Equals(x, x);
                    min[v] = Vector.ConditionalSelect(Vector.LessThan(x, min[v]) | nan, x, min[v]);
                    max[v] = Vector.ConditionalSelect(Vector.GreaterThan(x, max[v]) | nan, x, max[v]);
                }
                c = xs.Length * Vector<double>.Count;
            }
            for (; c < row.Length; c++)
            {
                double x = row[c];
                Sum[c] += x;
                if (x < Min[c] || double.IsNaN(x)) Min[c] = x;
                if (x > Max[c] || double.IsNaN(x)) Max[c] = x;
            }
        }

        /// <summary>Adds one neighbour's squared deviations from <see cref="Mean"/>.</summary>
        public void AddSq(ReadOnlySpan<double> row)
        {
            int c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var sq = MemoryMarshal.Cast<double, Vector<double>>(Sq.AsSpan(0, row.Length));
                var mean = MemoryMarshal.Cast<double, Vector<double>>(Mean.AsSpan(0, row.Length));
                var xs = MemoryMarshal.Cast<double, Vector<double>>(row);
                for (int v = 0; v < xs.Length; v++) { var e = xs[v] - mean[v]; sq[v] += e * e; }
                c = xs.Length * Vector<double>.Count;
            }
            for (; c < row.Length; c++) { double e = row[c] - Mean[c]; Sq[c] += e * e; }
        }
    }
}
