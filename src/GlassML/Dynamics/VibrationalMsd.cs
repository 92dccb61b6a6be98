using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Statistics;
using GlassML.Structure;

namespace GlassML.Dynamics;

/// <summary>
/// Per-atom vibrational mean squared displacement from a set of short runs started from one configuration
/// (spec physics.md "Displacements and flexibility"; Ding et al., PNAS 113, 2016, doi:10.1073/pnas.1607506113):
/// for run r with M_r frames, MSD_i,r = (1/M_r) Σ_t |r_i(t) − r̄_i|² with r̄_i the run-average position
/// (unwrapped positions), and MSD_i = mean over runs of MSD_i,r (Å²). Each run is streamed once
/// (running sums of displacements from the run's first frame), so memory does not grow with run length.
/// </summary>
public sealed class VibrationalMsd
{
    /// <summary>Creates the calculator.</summary>
    /// <param name="threads">Maximum degree of parallelism (0 = all cores).</param>
    public VibrationalMsd(int threads = 0)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        Threads = threads;
    }

    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }

    /// <summary>
    /// Computes the per-atom MSD over the runs. Each run is a time-ordered sequence of frames with unwrapped positions
    /// (e.g. a <see cref="Trajectory"/> over one dump). Atoms are matched by id to the first run's first frame.
    /// </summary>
    /// <exception cref="ArgumentException">No runs, a run with fewer than two frames, or mismatched atoms.</exception>
    public VibrationalMsdResult Compute(IEnumerable<IEnumerable<Frame>> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        Frame? reference = null;
        var perRun = new List<double[]>();
        var frameCounts = new List<int>();
        foreach (var run in runs)
        {
            double[]? x0 = null, y0 = null, z0 = null;
            double[] sx = [], sy = [], sz = [], s2 = [];
            int m = 0;
            foreach (var f in run)
            {
                var (x, y, z) = Positions(f);
                if (reference is null) reference = f;
                int[] map = AtomMatching.Map(reference, f);
                int n = reference.Count;
                if (x0 is null)
                {
                    x0 = new double[n]; y0 = new double[n]; z0 = new double[n];
                    for (int i = 0; i < n; i++) { x0[i] = x[map[i]]; y0[i] = y[map[i]]; z0[i] = z[map[i]]; }
                    sx = new double[n]; sy = new double[n]; sz = new double[n]; s2 = new double[n];
                }
                double[] ax = x0, ay = y0!, az = z0!, bx = sx, by = sy, bz = sz, b2 = s2;
                Parallel.For(0, n, po, i =>
                {
                    int j = map[i];
                    double a = x[j] - ax[i], b = y[j] - ay[i], c = z[j] - az[i];
                    bx[i] += a; by[i] += b; bz[i] += c; b2[i] += a * a + b * b + c * c;
                });
                m++;
            }
            if (m < 2) throw new ArgumentException($"run {perRun.Count + 1} has {m} frame(s); at least two are needed");
            var msd = new double[s2.Length];
            for (int i = 0; i < msd.Length; i++)
            {
                double mx = sx[i] / m, my = sy[i] / m, mz = sz[i] / m;
                msd[i] = Math.Max(0, s2[i] / m - (mx * mx + my * my + mz * mz));
            }
            perRun.Add(msd);
            frameCounts.Add(m);
        }
        if (reference is null || perRun.Count == 0) throw new ArgumentException("no runs given");
        return new VibrationalMsdResult((long[])reference.Ids.Clone(), (int[])reference.SpeciesIndex.Clone(), perRun.ToArray(), frameCounts.ToArray());
    }

    private static (double[] X, double[] Y, double[] Z) Positions(Frame f)
    {
        if (f.PositionsUnwrapped) return (f.X, f.Y, f.Z);
        if (f.Images is not null) return f.UnwrappedPositions();
        throw new ArgumentException($"frame at timestep {f.Timestep} has wrapped positions and no image flags: read it through a Trajectory or dump xu yu zu");
    }
}

/// <summary>Result of <see cref="VibrationalMsd.Compute"/>.</summary>
public sealed class VibrationalMsdResult
{
    internal VibrationalMsdResult(long[] ids, int[] species, double[][] perRun, int[] frames)
    {
        Ids = ids; SpeciesIndex = species; PerRun = perRun; FrameCounts = frames;
        Msd = MeanOver(Enumerable.Range(0, perRun.Length));
    }

    /// <summary>Atom ids (order of the first frame of the first run).</summary>
    public long[] Ids { get; }
    /// <summary>Species index per atom.</summary>
    public int[] SpeciesIndex { get; }
    /// <summary>Per-atom vibrational MSD averaged over all runs (Å²).</summary>
    public double[] Msd { get; }
    /// <summary>Per-run per-atom MSD (Å²): PerRun[run][atom].</summary>
    public double[][] PerRun { get; }
    /// <summary>Frames per run.</summary>
    public int[] FrameCounts { get; }
    /// <summary>Number of runs.</summary>
    public int RunCount => PerRun.Length;

    /// <summary>Per-atom MSD averaged over a subset of runs (e.g. one half, for a split-half reliability check).</summary>
    public double[] MeanOver(IEnumerable<int> runs)
    {
        var sel = runs.ToArray();
        if (sel.Length == 0) throw new ArgumentException("select at least one run");
        var r = new double[Ids.Length];
        foreach (int k in sel)
        {
            if (k < 0 || k >= PerRun.Length) throw new ArgumentOutOfRangeException(nameof(runs), $"run {k} does not exist (0..{PerRun.Length - 1})");
            for (int i = 0; i < r.Length; i++) r[i] += PerRun[k][i];
        }
        for (int i = 0; i < r.Length; i++) r[i] /= sel.Length;
        return r;
    }
}

/// <summary>
/// Flexibility volume v_flex,i = MSD_i · a_i (Å³) with a_i the mean distance from atom i to its neighbours, the
/// Voronoi neighbours in Ding et al. 2016 (spec physics.md; any <see cref="NeighborList"/> plugs in, e.g. a Voronoi
/// list or a cutoff list at the first minimum of g(r)). Output columns <c>msd_vib</c> (Å²), <c>a_mean</c> (Å), <c>v_flex</c> (Å³).
/// </summary>
public static class FlexibilityVolume
{
    /// <summary>Output column names in order.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["msd_vib", "a_mean", "v_flex"];

    /// <summary>a_i = mean neighbour distance per atom (Å); NaN for atoms without neighbours.</summary>
    public static double[] MeanNeighborDistance(NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        var a = new double[neighbors.AtomCount];
        for (int i = 0; i < a.Length; i++)
        {
            double s = 0;
            var d = neighbors.DistancesOf(i);
            foreach (double x in d) s += x;
            a[i] = d.Length == 0 ? double.NaN : s / d.Length;
        }
        return a;
    }

    /// <summary>v_flex,i = msd_i · a_i (Å³).</summary>
    public static double[] Compute(ReadOnlySpan<double> msd, ReadOnlySpan<double> meanNeighborDistance)
    {
        if (msd.Length != meanNeighborDistance.Length) throw new ArgumentException($"msd has {msd.Length} atoms, a has {meanNeighborDistance.Length}");
        var v = new double[msd.Length];
        for (int i = 0; i < v.Length; i++) v[i] = msd[i] * meanNeighborDistance[i];
        return v;
    }

    /// <summary>
    /// Split-half reliability of v_flex: Pearson and Spearman correlation (<see cref="Correlation"/>; Spearman with average
    /// ranks for ties) between v_flex,i = MSD_i · a_i from the runs with even 0-based index (1st, 3rd, … run) and from the
    /// odd ones (2nd, 4th, …), over the atoms whose v_flex is finite in both halves. NaN for both when fewer than three
    /// such atoms remain (and Pearson NaN when a half is constant).
    /// </summary>
    /// <param name="msd">Per-run MSD of at least two runs.</param>
    /// <param name="meanNeighborDistance">a_i (Å) per atom in the order of <see cref="VibrationalMsdResult.Ids"/> (e.g.
    /// <see cref="MeanNeighborDistance"/> of the starting configuration, reordered by id).</param>
    /// <returns>(Pearson r, Spearman ρ) of the two halves' v_flex.</returns>
    /// <exception cref="ArgumentException">Fewer than two runs, or a length that differs from the number of atoms.</exception>
    public static (double Pearson, double Spearman) SplitHalf(VibrationalMsdResult msd, ReadOnlySpan<double> meanNeighborDistance)
    {
        ArgumentNullException.ThrowIfNull(msd);
        if (msd.RunCount < 2) throw new ArgumentException("split-half reliability needs at least two runs");
        var even = Compute(msd.MeanOver(Enumerable.Range(0, msd.RunCount).Where(k => k % 2 == 0)), meanNeighborDistance);
        var odd = Compute(msd.MeanOver(Enumerable.Range(0, msd.RunCount).Where(k => k % 2 == 1)), meanNeighborDistance);
        var x = new List<double>(even.Length); var y = new List<double>(even.Length);
        for (int i = 0; i < even.Length; i++)
            if (double.IsFinite(even[i]) && double.IsFinite(odd[i])) { x.Add(even[i]); y.Add(odd[i]); }
        if (x.Count < 3) return (double.NaN, double.NaN);
        return (Correlation.Pearson([.. x], [.. y]), Correlation.Spearman([.. x], [.. y]));
    }

    /// <summary>
    /// Feature block <c>msd_vib</c>, <c>a_mean</c>, <c>v_flex</c> for the atoms of <paramref name="msd"/>; the neighbour list
    /// belongs to <paramref name="frame"/> (the starting configuration), whose atoms are matched to the MSD result by id.
    /// </summary>
    public static PerAtomFeatures ToFeatures(VibrationalMsdResult msd, Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(msd); ArgumentNullException.ThrowIfNull(frame); ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException($"neighbour list covers {neighbors.AtomCount} atoms, frame has {frame.Count}");
        var aFrame = MeanNeighborDistance(neighbors);
        var at = new Dictionary<long, int>(frame.Count);
        for (int i = 0; i < frame.Count; i++) at[frame.Ids[i]] = i;
        int n = msd.Ids.Length;
        if (n != frame.Count) throw new ArgumentException($"MSD covers {n} atoms, frame has {frame.Count}");
        var v = new double[3 * n];
        for (int i = 0; i < n; i++)
        {
            if (!at.TryGetValue(msd.Ids[i], out int j)) throw new ArgumentException($"atom id {msd.Ids[i]} is not in the frame");
            v[3 * i] = msd.Msd[i]; v[3 * i + 1] = aFrame[j]; v[3 * i + 2] = msd.Msd[i] * aFrame[j];
        }
        return new PerAtomFeatures(FeatureNames, n, v);
    }
}
