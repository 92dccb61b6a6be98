using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>The argument checks every descriptor family's Compute / ComputeInto starts with (one wording everywhere).</summary>
internal static class DescriptorArguments
{
    /// <summary>Throws unless the frame and the neighbour list are given and cover the same atoms; returns the atom count.</summary>
    public static int Check(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        int n = frame.Count;
        if (neighbors.AtomCount != n) throw new ArgumentException($"neighbour list has {neighbors.AtomCount} atoms, frame has {n}");
        return n;
    }

    /// <summary>Throws unless the frame and the tessellation are given and cover the same atoms; returns the atom count.</summary>
    public static int Check(Frame frame, VoronoiResult voronoi)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(voronoi);
        int n = frame.Count;
        if (voronoi.AtomCount != n) throw new ArgumentException($"the tessellation has {voronoi.AtomCount} atoms, the frame {n}");
        return n;
    }
}
