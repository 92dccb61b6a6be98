using GlassML.Numerics;

namespace GlassML.Neighbors;

/// <summary>
/// A slab (<see cref="Slabs"/>) of (neighbour, periodic image) pairs: one worker appends the pairs of each chunk of atoms it
/// handles as one contiguous run. When the slab fills during a run, the run so far moves to a new slab (rare: the slabs are
/// sized for the worker's whole share), which then takes the rest; earlier runs stay where they are.
/// </summary>
internal sealed class PairSlab
{
    /// <summary>Neighbour atom and periodic image (<see cref="NeighborSearch.CellGrid.PackImage"/>) per pair.</summary>
    public readonly int[] Index, Image;
    /// <summary>Pairs written.</summary>
    public int Used;

    /// <summary>An empty slab of <paramref name="capacity"/> pairs.</summary>
    public PairSlab(int capacity)
    {
        Index = Slabs.Ints(capacity); Image = Slabs.Ints(capacity);
    }

    /// <summary>
    /// Appends the entries of <paramref name="s"/> to the run that starts at <paramref name="runStart"/>; returns the slab
    /// that then holds the run: this one, or (when the pairs do not fit) a new one of at least <paramref name="planned"/>
    /// pairs into which the run moved (<paramref name="runStart"/> is then 0).
    /// </summary>
    public PairSlab Append(ref NeighborSearch.Scratch s, ref int runStart, int planned)
    {
        var slab = this;
        if (Used + s.Count > Index.Length)
        {
            int run = Used - runStart;
            slab = new PairSlab(Slabs.Next(planned, run + s.Count));
            Array.Copy(Index, runStart, slab.Index, 0, run);
            Array.Copy(Image, runStart, slab.Image, 0, run);
            slab.Used = run; runStart = 0;
        }
        Array.Copy(s.Index, 0, slab.Index, slab.Used, s.Count);
        Array.Copy(s.Image, 0, slab.Image, slab.Used, s.Count);
        slab.Used += s.Count;
        return slab;
    }
}

/// <summary>The pairs of one chunk of atoms: from <paramref name="Start"/> on in <paramref name="Index"/> and <paramref name="Image"/>.</summary>
internal readonly record struct PairRun(int[] Index, int[] Image, int Start);
