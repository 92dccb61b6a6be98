using GlassML.Structure;

namespace GlassML.Neighbors;

/// <summary>
/// Refuses a neighbour search that cannot fit before it starts: the pair count is estimated from the number density and
/// the cutoff sphere (N² · 4/3 π r³ / V), the per-query stencil from the number of periodic images a cutoff reaches in a
/// cell thinner than it, and both are compared with <see cref="MaxMemoryBytes"/>. Also refuses densities no condensed
/// matter has. Every neighbour search of the library (<see cref="NeighborSearch"/>, Voronoi) runs these checks.
/// </summary>
public static class SearchBudget
{
    /// <summary>Bytes a neighbour pair costs while a list is built and kept (index, image, displacement, distance).</summary>
    public const int BytesPerPair = 48;

    /// <summary>Bytes a periodic-image cell of a query stencil costs per thread.</summary>
    public const int BytesPerStencilCell = 40;

    /// <summary>Highest number density accepted (atoms per length unit cubed): far above any solid in Å (diamond 0.18, metals
    /// ≤ 0.17) and above inputs in reduced units (Lennard-Jones glasses ≈ 1.2, lattices with unit spacing 1–5).</summary>
    public const double MaxNumberDensity = 100.0;

    /// <summary>How far (in box lengths, fractional coordinate distance from the box centre) an atom may lie outside its box.</summary>
    public const double MaxBoxLengthsOutside = 1000;

    /// <summary>Default memory limit: half the memory available to this process (physical memory or a container limit).</summary>
    public static long DefaultMaxMemoryBytes
    {
        get
        {
            long avail = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return avail > 0 ? avail / 2 : 4L << 30;
        }
    }

    // Flows with the execution context (into parallel loops and tasks started by the run) rather than being one
    // process-wide value, so concurrent in-process runs with different --max-memory do not see each other's limit.
    private static readonly AsyncLocal<long> _max = new();

    /// <summary>Memory a neighbour search may plan to use (bytes); the CLI sets it from <c>--max-memory</c>. Defaults to
    /// <see cref="DefaultMaxMemoryBytes"/>. The value belongs to the current execution context (it flows into tasks and
    /// parallel loops started after it is set).</summary>
    public static long MaxMemoryBytes
    {
        get => _max.Value > 0 ? _max.Value : DefaultMaxMemoryBytes;
        set => _max.Value = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "the memory limit must be positive");
    }

    /// <summary>Restores the default limit.</summary>
    public static void Reset() => _max.Value = 0;

    /// <summary>Expected number of (directed) neighbour pairs within <paramref name="cutoff"/>: N² · 4/3 π r³ / V.</summary>
    public static double ExpectedPairs(Frame frame, double cutoff)
    {
        double n = frame.Count;
        return n * n * (4.0 / 3.0 * Math.PI * cutoff * cutoff * cutoff) / frame.Box.Volume;
    }

    /// <summary>Periodic-image cells a query of radius <paramref name="cutoff"/> visits: Π (2⌈r / h⌉ + 1) over periodic axes
    /// thinner than the cutoff (h the distance between opposite faces), at least 27.</summary>
    public static double StencilCells(Box box, double cutoff)
    {
        double cells = 1;
        var h = box.PlaneDistances;
        double[] hs = [h.X, h.Y, h.Z];
        for (int a = 0; a < 3; a++)
            cells *= box.Periodic[a] ? 2 * Math.Max(1, Math.Ceiling(cutoff / hs[a])) + 1 : 3;
        return cells;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the cutoff when a search of radius
    /// <paramref name="cutoff"/> over <paramref name="frame"/> would need more than <see cref="MaxMemoryBytes"/>, or when
    /// the number density is impossible for condensed matter.</summary>
    public static void CheckBall(Frame frame, double cutoff, int threads = 0)
    {
        if (frame.Count == 0) return;
        double v = frame.Box.Volume;
        bool periodic = frame.Box.Periodic[0] || frame.Box.Periodic[1] || frame.Box.Periodic[2];
        if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"box volume {v:G4} Å³ is not a positive finite number");
        double rho = frame.Count / v;
        if (periodic && rho > MaxNumberDensity)
            throw new ArgumentException($"number density {rho:G3} atoms/Å³ ({frame.Count} atoms in {v:G3} Å³) is far above any condensed matter (≤ {MaxNumberDensity}); check the box and the units (Å expected)");
        long limit = MaxMemoryBytes;
        double pairs = ExpectedPairs(frame, cutoff);
        double bytes = pairs * BytesPerPair;
        int t = threads > 0 ? threads : Environment.ProcessorCount;
        double stencil = StencilCells(frame.Box, cutoff);
        bytes += stencil * BytesPerStencilCell * t;
        if (bytes > limit || pairs > int.MaxValue || stencil > int.MaxValue)
            throw new ArgumentException($"a neighbour search to {cutoff:G4} Å over {frame.Count} atoms in {v:G4} Å³ would need about {Human(bytes)} "
                + $"(~{pairs:G3} pairs, {stencil:G3} periodic cells per atom), more than the limit {Human(limit)}: use a smaller cutoff or raise --max-memory");
    }

    /// <summary>Closest distance two atoms may have (Å); closer atoms are taken as coincident (a duplicated atom).</summary>
    public const double MinSeparation = 0.01;

    /// <summary>Throws an <see cref="ArgumentException"/> naming two atoms closer than <see cref="MinSeparation"/> (the
    /// lists are sorted by distance, so only each atom's first neighbour is looked at).</summary>
    public static void CheckSeparation(Frame frame, NeighborList list)
    {
        for (int i = 0; i < list.AtomCount; i++)
        {
            int p = list.Offsets[i];
            if (p < list.Offsets[i + 1] && list.Distance[p] < MinSeparation) ThrowCoincident(frame, i, list.Index[p], list.Distance[p]);
        }
    }

    /// <summary>The error of <see cref="CheckSeparation"/> for atoms i and j (indices) at distance d.</summary>
    internal static void ThrowCoincident(Frame frame, int i, int j, double d) =>
        throw new ArgumentException($"atoms {frame.Ids[i]} and {frame.Ids[j]} are {d:G3} Å apart (coincident atoms; closer than {MinSeparation} Å)");

    /// <summary>Bytes as "1.2 GB".</summary>
    public static string Human(double bytes) => bytes switch
    {
        >= 1e12 => $"{bytes / 1e12:G3} TB",
        >= 1e9 => $"{bytes / 1e9:G3} GB",
        >= 1e6 => $"{bytes / 1e6:G3} MB",
        _ => $"{bytes / 1e3:G3} kB",
    };
}
