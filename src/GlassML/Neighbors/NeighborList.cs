namespace GlassML.Neighbors;

/// <summary>
/// Neighbours of every atom in compressed-sparse-row form: the neighbours of atom i are the pair
/// entries <c>Offsets[i] .. Offsets[i+1]−1</c>, sorted by distance (ties by neighbour index, then by
/// displacement). Each entry holds the neighbour's atom index, the displacement vector
/// r_j − r_i of the periodic image concerned (Å) and its length. An optional per-pair weight holds
/// e.g. Voronoi face areas. Built once per frame and shared by every descriptor.
/// </summary>
public sealed class NeighborList
{
    /// <summary>Creates a list from its arrays (taken, not copied).</summary>
    public NeighborList(int[] offsets, int[] index, double[] dx, double[] dy, double[] dz, double[] distance, double[]? weight = null, string source = "custom", double cutoff = double.NaN)
    {
        int p = offsets[^1];
        if (index.Length != p || dx.Length != p || dy.Length != p || dz.Length != p || distance.Length != p || (weight is not null && weight.Length != p))
            throw new ArgumentException("pair arrays must all have Offsets[N] entries");
        Offsets = offsets; Index = index; _dx = dx; _dy = dy; _dz = dz; _distance = distance; Weight = weight;
        Source = source; Cutoff = cutoff;
    }

    /// <summary>
    /// A compact list: pairs as (neighbour, periodic image) in <paramref name="pairs"/>, whose displacements and distances are
    /// recomputed bit for bit — per atom by <see cref="Geometry"/>, or for every pair on the first read of <see cref="Dx"/>,
    /// <see cref="Dy"/>, <see cref="Dz"/> or <see cref="Distance"/>.
    /// </summary>
    internal NeighborList(int[] offsets, int[] index, PairImages pairs, double[]? weight, string source, double cutoff)
    {
        if (index.Length != offsets[^1] || (weight is not null && weight.Length != offsets[^1]))
            throw new ArgumentException("pair arrays must all have Offsets[N] entries");
        Offsets = offsets; Index = index; _pairs = pairs; Weight = weight;
        Source = source; Cutoff = cutoff;
    }

    private readonly double[]? _dx, _dy, _dz, _distance;
    private readonly PairImages? _pairs;

    /// <summary>Number of centre atoms.</summary>
    public int AtomCount => Offsets.Length - 1;
    /// <summary>Total number of (directed) pairs.</summary>
    public int PairCount => Offsets[^1];
    /// <summary>Per-atom start offsets (length N+1).</summary>
    public int[] Offsets { get; }
    /// <summary>Neighbour atom index per pair.</summary>
    public int[] Index { get; }
    /// <summary>x component of r_j − r_i per pair (Å).</summary>
    public double[] Dx => _dx ?? _pairs!.Arrays.Dx;
    /// <summary>y component of r_j − r_i per pair (Å).</summary>
    public double[] Dy => _dy ?? _pairs!.Arrays.Dy;
    /// <summary>z component of r_j − r_i per pair (Å).</summary>
    public double[] Dz => _dz ?? _pairs!.Arrays.Dz;
    /// <summary>|r_j − r_i| per pair (Å).</summary>
    public double[] Distance => _distance ?? _pairs!.Arrays.Distance;
    /// <summary>Optional per-pair weight (Voronoi face area, Å²), else null.</summary>
    public double[]? Weight { get; }
    /// <summary>Where the list came from: "cut", "nearest", "voro", "custom".</summary>
    public string Source { get; }
    /// <summary>Cutoff radius used (Å), NaN when not a cutoff list.</summary>
    public double Cutoff { get; }

    /// <summary>Number of neighbours of atom i.</summary>
    public int CountOf(int i) => Offsets[i + 1] - Offsets[i];

    /// <summary>Neighbour indices of atom i.</summary>
    public ReadOnlySpan<int> IndicesOf(int i) => Index.AsSpan(Offsets[i], Offsets[i + 1] - Offsets[i]);

    /// <summary>Distances of atom i's neighbours.</summary>
    public ReadOnlySpan<double> DistancesOf(int i) => Distance.AsSpan(Offsets[i], Offsets[i + 1] - Offsets[i]);

    /// <summary>For a compact list, the atoms in a spatial order (the bin order of the grid that found the pairs), else null.</summary>
    internal int[]? SpatialOrder => _pairs?.SpatialOrder;

    /// <summary>True when the displacement arrays exist (an eager list, or a compact one whose arrays have been read).</summary>
    internal bool StoresDisplacements => _dx is not null || _pairs!.ExpandedOrNull is not null;

    /// <summary>
    /// Displacements and distances of atom i's pairs, in list order: spans of the arrays, or, for a compact list whose arrays have
    /// not been expanded, the same values recomputed into <paramref name="buffer"/> (valid until its next use).
    /// </summary>
    internal void Geometry(int i, PairBuffer buffer, out ReadOnlySpan<double> dx, out ReadOnlySpan<double> dy, out ReadOnlySpan<double> dz, out ReadOnlySpan<double> distance)
    {
        int p0 = Offsets[i], c = Offsets[i + 1] - p0;
        if (StoresDisplacements)
        {
            dx = Dx.AsSpan(p0, c); dy = Dy.AsSpan(p0, c); dz = Dz.AsSpan(p0, c); distance = Distance.AsSpan(p0, c);
            return;
        }
        buffer.Ensure(c);
        _pairs!.Displacements(i, buffer.X.AsSpan(0, c), buffer.Y.AsSpan(0, c), buffer.Z.AsSpan(0, c), buffer.D.AsSpan(0, c));
        dx = buffer.X.AsSpan(0, c); dy = buffer.Y.AsSpan(0, c); dz = buffer.Z.AsSpan(0, c); distance = buffer.D.AsSpan(0, c);
    }

    /// <summary>
    /// A new list keeping only the pairs for which <paramref name="keep"/>(i, pair) is true
    /// (a NeighborList → NeighborList filter; order is preserved).
    /// </summary>
    public NeighborList Filter(Func<int, int, bool> keep, string? source = null)
    {
        int n = AtomCount;
        var offs = new int[n + 1];
        var mask = new bool[PairCount];
        for (int i = 0; i < n; i++)
        {
            int c = 0;
            for (int p = Offsets[i]; p < Offsets[i + 1]; p++) if (mask[p] = keep(i, p)) c++;
            offs[i + 1] = offs[i] + c;
        }
        int m = offs[n];
        var idx = new int[m]; var dx = new double[m]; var dy = new double[m]; var dz = new double[m]; var d = new double[m];
        var w = Weight is null ? null : new double[m];
        int k = 0;
        for (int p = 0; p < PairCount; p++)
        {
            if (!mask[p]) continue;
            idx[k] = Index[p]; dx[k] = Dx[p]; dy[k] = Dy[p]; dz[k] = Dz[p]; d[k] = Distance[p];
            if (w is not null) w[k] = Weight![p];
            k++;
        }
        return new NeighborList(offs, idx, dx, dy, dz, d, w, source ?? Source, Cutoff);
    }

    /// <summary>Keeps the pairs closer than <paramref name="cutoff"/>.</summary>
    public NeighborList WithinCutoff(double cutoff) =>
        Filter((_, p) => Distance[p] < cutoff, Source) is var f ? new NeighborList(f.Offsets, f.Index, f.Dx, f.Dy, f.Dz, f.Distance, f.Weight, Source, cutoff) : null!;
}
