namespace GlassML.Neighbors;

/// <summary>
/// Compact pair geometry of a CSR pair list: each pair kept as (neighbour atom, periodic image) — 8 bytes instead of the
/// 40 of index, displacement and distance — with the displacements r_j − r_i and distances recomputed from the cell grid
/// of the query that found the pairs (<see cref="NeighborSearch.CellGrid.Displacements"/>, bit for bit the query's values):
/// per atom on request (<see cref="Displacements"/>), or once for every pair when a caller asks for whole arrays
/// (<see cref="Arrays"/>, kept from then on).
/// </summary>
internal sealed class PairImages
{
    private readonly NeighborSearch.CellGrid _grid;
    private readonly int[] _offsets, _index, _image;
    private readonly int _threads;
    private readonly Lock _lock = new();
    private Expanded? _expanded;

    /// <summary>The displacement and distance arrays of every pair.</summary>
    internal sealed record Expanded(double[] Dx, double[] Dy, double[] Dz, double[] Distance);

    /// <summary>Takes the arrays (not copied): pairs of atom i at offsets[i] .. offsets[i+1]−1, neighbour index[p] in image image[p].</summary>
    public PairImages(NeighborSearch.CellGrid grid, int[] offsets, int[] index, int[] image, int threads)
    {
        if (index.Length != offsets[^1] || image.Length != offsets[^1]) throw new ArgumentException("pair arrays must all have offsets[N] entries");
        _grid = grid; _offsets = offsets; _index = index; _image = image; _threads = threads;
    }

    /// <summary>The atoms in the grid's bin order (a spatial order: consecutive atoms are near each other).</summary>
    public int[] SpatialOrder => _grid.SortedAtoms;

    /// <summary>The expanded arrays if some caller has asked for them, else null.</summary>
    public Expanded? ExpandedOrNull => Volatile.Read(ref _expanded);

    /// <summary>Every pair's displacement and distance (computed on the first call, parallel over atoms; kept).</summary>
    public Expanded Arrays
    {
        get
        {
            if (Volatile.Read(ref _expanded) is { } e) return e;
            lock (_lock)
            {
                if (_expanded is not null) return _expanded;
                int n = _offsets.Length - 1, m = _offsets[^1];
                var dx = new double[m]; var dy = new double[m]; var dz = new double[m]; var d = new double[m];
                const int chunk = 4096;
                var po = new ParallelOptions { MaxDegreeOfParallelism = _threads <= 0 ? -1 : _threads };
                Parallel.For(0, (n + chunk - 1) / chunk, po, c =>
                {
                    for (int i = c * chunk, end = Math.Min(n, i + chunk); i < end; i++)
                    {
                        int p0 = _offsets[i], cnt = _offsets[i + 1] - p0;
                        Displacements(i, dx.AsSpan(p0, cnt), dy.AsSpan(p0, cnt), dz.AsSpan(p0, cnt), d.AsSpan(p0, cnt));
                    }
                });
                Volatile.Write(ref _expanded, new Expanded(dx, dy, dz, d));
                return _expanded!;
            }
        }
    }

    /// <summary>Displacements and distances of atom i's pairs (spans of its pair count), in list order.</summary>
    public void Displacements(int i, Span<double> dx, Span<double> dy, Span<double> dz, Span<double> distance)
    {
        int p0 = _offsets[i], cnt = _offsets[i + 1] - p0;
        _grid.Displacements(i, _index.AsSpan(p0, cnt), _image.AsSpan(p0, cnt), dx, dy, dz, distance);
    }
}

/// <summary>Per-thread buffer for one atom's recomputed pair geometry (<see cref="NeighborList.Geometry"/>).</summary>
internal sealed class PairBuffer
{
    /// <summary>Displacement components and distances; at least the pair count of the last atom asked for.</summary>
    public double[] X = new double[64], Y = new double[64], Z = new double[64], D = new double[64];

    /// <summary>Grows the arrays to hold n pairs.</summary>
    public void Ensure(int n)
    {
        if (n <= X.Length) return;
        int cap = Math.Max(n, 2 * X.Length);
        X = new double[cap]; Y = new double[cap]; Z = new double[cap]; D = new double[cap];
    }
}
