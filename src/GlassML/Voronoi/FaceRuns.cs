namespace GlassML.Voronoi;

/// <summary>
/// The faces of a tessellation where its workers wrote them: slabs of face columns (neighbour, edge count, area, sub-volume),
/// each atom's faces one run in one slab — atom i's run is slab <see cref="Slab"/>[i] from <see cref="Start"/>[i] on, with
/// <see cref="Count"/>[i] faces, in the order of the atom-ordered arrays. <see cref="VoronoiResult.FacesAt"/> reads it.
/// </summary>
internal sealed class FaceRuns(int[] slab, int[] start, int[] count, int[][] neighbor, int[][] edges, double[][] area, double[][] subVolume)
{
    /// <summary>Slab of each atom's run (index into the column arrays).</summary>
    public readonly int[] Slab = slab;
    /// <summary>Start of each atom's run in its slab.</summary>
    public readonly int[] Start = start;
    /// <summary>Faces of each atom.</summary>
    public readonly int[] Count = count;
    /// <summary>Neighbour index per face, per slab.</summary>
    public readonly int[][] Neighbor = neighbor;
    /// <summary>Edge count per face, per slab.</summary>
    public readonly int[][] Edges = edges;
    /// <summary>Face area per face, per slab.</summary>
    public readonly double[][] Area = area;
    /// <summary>Sub-polyhedron volume per face, per slab.</summary>
    public readonly double[][] SubVolume = subVolume;
}
