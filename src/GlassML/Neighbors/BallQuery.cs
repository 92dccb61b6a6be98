using GlassML.Structure;

namespace GlassML.Neighbors;

/// <summary>
/// The neighbours of <see cref="NeighborSearch.Ball"/> one atom at a time, without a list: the cell grid of the search, queried
/// for an atom when its neighbours are needed (on the caller's thread, into a per-thread <see cref="Buffer"/>). An atom's
/// neighbours, order, displacements and distances are bit for bit those of its entries in <see cref="NeighborSearch.Ball"/>'s
/// list, and the same inputs are refused (<see cref="SearchBudget.CheckBall"/>; coincident atoms as
/// <see cref="SearchBudget.CheckSeparation"/> reports them, when an atom with such a neighbour is queried). For a consumer that
/// reads each atom's neighbours once (SOAP): no memory per pair (≈ 36 bytes per pair of a list), no pass over a list.
/// </summary>
internal sealed class BallQuery
{
    private readonly Frame _frame;
    private readonly NeighborSearch.CellGrid _grid;

    /// <summary>Bins the atoms for queries of radius <paramref name="cutoff"/> (strictly closer), on up to <paramref name="threads"/> threads.</summary>
    /// <exception cref="ArgumentException">As <see cref="NeighborSearch.Ball"/>: a bad cutoff, box or position, or a search over the memory limit.</exception>
    public BallQuery(Frame frame, double cutoff, int threads)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "cutoff must be a positive finite distance");
        SearchBudget.CheckBall(frame, cutoff, threads);
        _frame = frame;
        Cutoff = cutoff;
        _grid = new NeighborSearch.CellGrid(frame, cutoff, threads);
        ExpectedPerAtom = frame.Count == 0 ? 0 : SearchBudget.ExpectedPairs(frame, cutoff) / frame.Count;
    }

    /// <summary>The query radius (Å).</summary>
    public double Cutoff { get; }

    /// <summary>The frame queried.</summary>
    public Frame Frame => _frame;

    /// <summary>The mean number of neighbours per atom expected from the number density.</summary>
    public double ExpectedPerAtom { get; }

    /// <summary>One thread's query scratch (the spans of <see cref="Neighbors"/> point into it).</summary>
    public sealed class Buffer
    {
        internal NeighborSearch.Scratch S = new(64);
    }

    /// <summary>
    /// Atom i's neighbours in list order (sorted by distance, ties by neighbour index, then displacement): neighbour indices,
    /// displacements r_j − r_i and distances, valid until <paramref name="buffer"/> is used again; returns their number.
    /// </summary>
    /// <exception cref="ArgumentException">Coincident atoms in the frame (the first atom in index order that has such a neighbour is named, as by <see cref="NeighborSearch.Ball"/>).</exception>
    public int Neighbors(int i, Buffer buffer, out ReadOnlySpan<int> index, out ReadOnlySpan<double> dx, out ReadOnlySpan<double> dy,
        out ReadOnlySpan<double> dz, out ReadOnlySpan<double> distance)
    {
        ref var s = ref buffer.S;
        s.Count = 0;
        _grid.Query(i, Cutoff, ref s);
        s.SortByDistance();
        int c = s.Count;
        if (c > 0 && s.D[0] < SearchBudget.MinSeparation) ThrowFirstCoincident();
        index = s.Index.AsSpan(0, c);
        dx = s.Dx.AsSpan(0, c); dy = s.Dy.AsSpan(0, c); dz = s.Dz.AsSpan(0, c); distance = s.D.AsSpan(0, c);
        return c;
    }

    // the error Ball's separation check gives: the first atom in index order whose nearest neighbour is too close
    private void ThrowFirstCoincident()
    {
        var b = new Buffer();
        ref var s = ref b.S;
        for (int i = 0; i < _frame.Count; i++)
        {
            s.Count = 0;
            _grid.Query(i, Cutoff, ref s);
            s.SortByDistance();
            if (s.Count > 0 && s.D[0] < SearchBudget.MinSeparation) SearchBudget.ThrowCoincident(_frame, i, s.Index[0], s.D[0]);
        }
    }
}
