namespace GlassML.Voronoi;

/// <summary>
/// The faces of a tessellation kept for per-atom statistics only (<see cref="VoronoiOptions.StatisticsOnly"/>), where its
/// workers wrote them: slabs of face columns (edge count as a byte, area, sub-volume), each atom's faces one run in one slab —
/// atom i's run is slab <see cref="Slab"/>[i] from <see cref="Start"/>[i] on, with <see cref="Count"/>[i] faces, in the order
/// an eager placement gives them. <see cref="VoronoiResult.FacesAt"/> reads it.
/// </summary>
internal sealed class FaceRuns(int[] slab, int[] start, int[] count, byte[][] edges, double[][] area, double[][] subVolume)
{
    /// <summary>Slab of each atom's run (index into the column arrays).</summary>
    public readonly int[] Slab = slab;
    /// <summary>Start of each atom's run in its slab.</summary>
    public readonly int[] Start = start;
    /// <summary>Faces of each atom.</summary>
    public readonly int[] Count = count;
    /// <summary>Edge count per face (at most 255), per slab.</summary>
    public readonly byte[][] Edges = edges;
    /// <summary>Face area per face, per slab.</summary>
    public readonly double[][] Area = area;
    /// <summary>Sub-polyhedron volume per face, per slab.</summary>
    public readonly double[][] SubVolume = subVolume;
}
