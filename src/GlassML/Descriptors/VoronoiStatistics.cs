using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>
/// Per-atom Voronoi cell statistics (names.md <c>voronoi</c> row, physics.md definitions) from a <see cref="VoronoiResult"/>.
/// Only faces towards atoms count (wall faces of non-periodic boxes do not); face filters of the tessellation apply.
/// Columns, in order: <c>voro_cn</c>; <c>voro_n3</c> … <c>voro_n7</c>, <c>voro_n8plus</c> (faces with that many edges);
/// <c>voro_volume</c> (Å³, whole cell), <c>voro_area</c> (Å², Σ of the kept face areas); <c>voro_facet_area_mean/std/min/max</c>
/// (Å²) and <c>voro_subvol_mean/std/min/max</c> (Å³, pyramid volumes A_f·h_f/3) over the faces, population standard deviation;
/// <c>voro_ifold_i</c> = n_i / Σ_{k=3..7} n_k and <c>voro_ifold_area_i</c> = Σ_{e_f=i} A_f / Σ_{3≤e_f≤7} A_f and
/// <c>voro_ifold_vol_i</c> = Σ_{e_f=i} V_f / Σ_{3≤e_f≤7} V_f (V_f the face's sub-polyhedron volume) for i = 3..7;
/// then per edge count i = 3..7: <c>voro_facet_area_n{i}_mean/std/min/max/sum</c> and <c>voro_subvol_n{i}_mean/std/min/max/sum</c>.
/// Statistics over an empty set of faces (and ratios with a zero denominator) are 0.
/// </summary>
public sealed class VoronoiStatistics
{
    private static readonly string[] Stat4 = ["mean", "std", "min", "max"];
    private static readonly string[] Stat5 = ["mean", "std", "min", "max", "sum"];

    /// <summary>Creates the family with a degree of parallelism (0 = all cores).</summary>
    public VoronoiStatistics(int threads = 0)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        Threads = threads;
        var names = new List<string> { "voro_cn" };
        for (int e = 3; e <= 7; e++) names.Add($"voro_n{e}");
        names.Add("voro_n8plus");
        names.Add("voro_volume"); names.Add("voro_area");
        foreach (var s in Stat4) names.Add($"voro_facet_area_{s}");
        foreach (var s in Stat4) names.Add($"voro_subvol_{s}");
        for (int e = 3; e <= 7; e++) names.Add($"voro_ifold_{e}");
        for (int e = 3; e <= 7; e++) names.Add($"voro_ifold_area_{e}");
        for (int e = 3; e <= 7; e++) names.Add($"voro_ifold_vol_{e}");
        for (int e = 3; e <= 7; e++) foreach (var s in Stat5) names.Add($"voro_facet_area_n{e}_{s}");
        for (int e = 3; e <= 7; e++) foreach (var s in Stat5) names.Add($"voro_subvol_n{e}_{s}");
        FeatureNames = names;
    }

    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }

    /// <summary>Column names in output order (82 columns).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of columns.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Computes the columns for every atom of <paramref name="frame"/> (N × 82, atoms in frame order).</summary>
    /// <exception cref="ArgumentException">The tessellation was made for a different number of atoms.</exception>
    public PerAtomFeatures Compute(Frame frame, VoronoiResult voronoi)
    {
        int n = DescriptorArguments.Check(frame, voronoi);
        int fc = FeatureCount;
        var values = Numerics.HugePages.NewDoubles(checked(n * fc));
        ComputeInto(frame, voronoi, values, fc, 0);
        return new PerAtomFeatures(FeatureNames, n, values);
    }

    /// <summary>
    /// Writes the columns of atom i to dest[i·stride + offset .. + FeatureCount) (every entry of that range, for every atom);
    /// the values are those of <see cref="Compute"/>.
    /// </summary>
    internal void ComputeInto(Frame frame, VoronoiResult voronoi, double[] dest, int stride, int offset) =>
        ComputeRows(frame, voronoi, AtomRows.All(frame.Count), dest, stride, offset);

    /// <summary>The rows of the given atoms only (row k ← atom rows.Atom(k)), values identical to <see cref="ComputeInto"/>'s.</summary>
    internal void ComputeRows(Frame frame, VoronoiResult voronoi, AtomRows rows, double[] dest, int stride, int offset)
    {
        DescriptorArguments.Check(frame, voronoi);
        int fc = FeatureCount;
        RowLayout.Check(dest, rows.Count, stride, offset, fc);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        // in chunks of rows, each atom's faces prefetched a few rows ahead: the rows (id order) visit the faces of a statistics-only
        // tessellation out of the order its slabs hold them, and each atom's loads would otherwise wait for memory (≈ 2/3 of
        // this loop's time at 32,768 atoms without the prefetch)
        int chunks = (rows.Count + RowChunk - 1) / RowChunk;
        Parallel.For(0, chunks, po, c =>
        {
            int k0 = c * RowChunk, k1 = Math.Min(rows.Count, k0 + RowChunk);
            for (int k = k0; k < Math.Min(k1, k0 + PrefetchAhead); k++) voronoi.PrefetchFaces(rows.Atom(k));
            for (int k = k0; k < k1; k++)
            {
                if (k + PrefetchAhead < k1) voronoi.PrefetchFaces(rows.Atom(k + PrefetchAhead));
                Row(voronoi, rows.Atom(k), dest.AsSpan(RowLayout.Start(k, stride, offset), fc));
            }
        });
    }

    private const int RowChunk = 512, PrefetchAhead = 8;

    private static void Row(VoronoiResult v, int i, Span<double> row)
    {
        Span<int> count = stackalloc int[9];           // by edge count 0..7, 8 = 8 or more
        Span<double> aSum = stackalloc double[8], aSq = stackalloc double[8], aMin = stackalloc double[8], aMax = stackalloc double[8];
        Span<double> sSum = stackalloc double[8], sSq = stackalloc double[8], sMin = stackalloc double[8], sMax = stackalloc double[8];
        aMin.Fill(double.PositiveInfinity); sMin.Fill(double.PositiveInfinity);
        aMax.Fill(double.NegativeInfinity); sMax.Fill(double.NegativeInfinity);
        int cn = 0;
        double tA = 0, tA2 = 0, tAmin = double.PositiveInfinity, tAmax = double.NegativeInfinity;
        double tS = 0, tS2 = 0, tSmin = double.PositiveInfinity, tSmax = double.NegativeInfinity;
        // the atom's faces where they lie (VoronoiResult.FacesAt: no atom-ordered copy of the face table is made for them)
        var faces = v.FacesAt(i);
        var area = faces.Area; var sub = faces.SubVolume;
        for (int p = 0; p < area.Length; p++)
        {
            if (faces.IsWall(p)) continue;
            double a = area[p], s = sub[p];
            int e = faces.Edges(p);
            cn++;
            tA += a; tA2 += a * a; tAmin = Math.Min(tAmin, a); tAmax = Math.Max(tAmax, a);
            tS += s; tS2 += s * s; tSmin = Math.Min(tSmin, s); tSmax = Math.Max(tSmax, s);
            if (e >= 8) { count[8]++; continue; }
            count[e]++;
            aSum[e] += a; aSq[e] += a * a; aMin[e] = Math.Min(aMin[e], a); aMax[e] = Math.Max(aMax[e], a);
            sSum[e] += s; sSq[e] += s * s; sMin[e] = Math.Min(sMin[e], s); sMax[e] = Math.Max(sMax[e], s);
        }
        int k = 0;
        row[k++] = cn;
        for (int e = 3; e <= 7; e++) row[k++] = count[e];
        row[k++] = count[8];
        row[k++] = v.Volume[i];
        row[k++] = tA;
        k = Stats4(row, k, cn, tA, tA2, tAmin, tAmax);
        k = Stats4(row, k, cn, tS, tS2, tSmin, tSmax);
        int n37 = 0; double a37 = 0;
        for (int e = 3; e <= 7; e++) { n37 += count[e]; a37 += aSum[e]; }
        for (int e = 3; e <= 7; e++) row[k++] = n37 > 0 ? (double)count[e] / n37 : 0;
        for (int e = 3; e <= 7; e++) row[k++] = a37 > 0 ? aSum[e] / a37 : 0;
        double s37 = 0;
        for (int e = 3; e <= 7; e++) s37 += sSum[e];
        for (int e = 3; e <= 7; e++) row[k++] = s37 > 0 ? sSum[e] / s37 : 0;
        for (int e = 3; e <= 7; e++) { k = Stats4(row, k, count[e], aSum[e], aSq[e], aMin[e], aMax[e]); row[k++] = aSum[e]; }
        for (int e = 3; e <= 7; e++) { k = Stats4(row, k, count[e], sSum[e], sSq[e], sMin[e], sMax[e]); row[k++] = sSum[e]; }
    }

    private static int Stats4(Span<double> row, int k, int n, double sum, double sq, double min, double max)
    {
        if (n == 0) { row[k] = row[k + 1] = row[k + 2] = row[k + 3] = 0; return k + 4; }
        double mean = sum / n;
        double var = Math.Max(0, sq / n - mean * mean);
        row[k] = mean; row[k + 1] = Math.Sqrt(var); row[k + 2] = min; row[k + 3] = max;
        return k + 4;
    }
}
