using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>
/// The Voronoi neighbours as the seed authors' amlearn defines them (its <c>VoroNN</c> with the default
/// <c>small_face_thres = 0.05</c>): the tessellation's faces minus the "small" ones. Rule (read from amlearn's voronoi_nn.f90,
/// no code taken): the candidate faces of atom i are visited in the order of their neighbours' atom ids; with S the total area of
/// i's faces (fixed) and n a running count that starts at the number of faces, a face is dropped, and n decremented, when its area
/// is below threshold · S / n; otherwise it is kept. The threshold therefore rises as faces are dropped, so the result depends on
/// that visiting order. On the Cu50Zr50 glass s1 this reproduces amlearn's neighbour sets for all 500 atoms and removes faces
/// around 227 of them (tests/fixtures/amlearn).
/// </summary>
public static class AmlearnNeighbors
{
    /// <summary>amlearn's default small-face threshold (fraction of the cell's mean face area).</summary>
    public const double DefaultSmallFaceThreshold = 0.05;

    /// <summary>
    /// amlearn's distance-shell cutoff (Å): its <c>DistanceNN</c> default (<c>cutoff=4</c>, neighbours with d &lt; cutoff), also
    /// the value of the authors' own pipeline script (<c>scripts/featurize_interstice.py</c>: <c>DistanceNN(cutoff=4.0)</c>;
    /// github.com/Qi-max/amlearn, commit 8818951). The default cutoff shell of the "seed" set.
    /// </summary>
    public const double DefaultDistanceCutoff = 4.0;

    /// <summary>
    /// The tessellation's neighbour list (<see cref="VoronoiResult.Neighbors"/>, weights = face areas in Å²) with amlearn's small faces
    /// removed; pair order within each atom is kept. Threshold 0 keeps every face.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">threshold is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The tessellation has a different atom count than the frame.</exception>
    public static NeighborList SmallFaceFiltered(Frame frame, VoronoiResult voronoi, double threshold = DefaultSmallFaceThreshold)
    {
        var keep = SmallFaceMask(frame, voronoi, threshold);
        return voronoi.Neighbors.Filter((_, p) => keep[p]);
    }

    /// <summary>
    /// The tessellation with amlearn's small faces removed from every cell (<see cref="VoronoiResult.KeepFaces"/>: volumes and cell
    /// areas unchanged, nothing re-cut) — what the seed feature set computes its Voronoi-based columns from.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">threshold is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The tessellation has a different atom count than the frame, or has wall faces.</exception>
    public static VoronoiResult SmallFaceFilteredTessellation(Frame frame, VoronoiResult voronoi, double threshold = DefaultSmallFaceThreshold, int threads = 1)
    {
        var keep = SmallFaceMask(frame, voronoi, threshold, threads); // validates the arguments
        return voronoi.KeepFaces(keep, threads);
    }

    /// <summary>Per face of <paramref name="voronoi"/> (face order, = pair order of its neighbour list): true when amlearn keeps it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">threshold is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The tessellation has a different atom count than the frame, or has wall faces.</exception>
    public static bool[] SmallFaceMask(Frame frame, VoronoiResult voronoi, double threshold = DefaultSmallFaceThreshold, int threads = 1)
    {
        DescriptorArguments.Check(frame, voronoi);
        if (!(threshold >= 0) || double.IsInfinity(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), "threshold must be ≥ 0 and finite");
        if (voronoi.HasWalls) throw new ArgumentException("amlearn's small-face rule is defined for fully periodic cells only");
        var off = voronoi.FaceOffsets; var area = voronoi.FaceArea; var nbr = voronoi.FaceNeighbor;
        var keep = new bool[voronoi.FaceCount];
        var ids = frame.Ids;
        // atoms are independent (each writes only its own faces' flags): chunks in parallel, the same result for any thread count
        ParallelChunks.Run(frame.Count, threads, () => (Order: new int[64], Keys: new long[64]), (lo, hi, w) =>
        {
            var (order, keys) = w;
            for (int i = lo; i < hi; i++)
            {
                int a = off[i], m = off[i + 1] - a;
                if (m > order.Length) { order = new int[m]; keys = new long[m]; }
                double total = 0;
                for (int k = 0; k < m; k++) { order[k] = a + k; keys[k] = ids[nbr[a + k]]; total += area[a + k]; }
                Array.Sort(keys, order, 0, m); // not stable: two images of one atom (tiny cells only) have no amlearn counterpart anyway
                int n = m;
                for (int k = 0; k < m; k++)
                {
                    int p = order[k];
                    if (area[p] < threshold * total / n) n--;
                    else keep[p] = true;
                }
            }
        });
        return keep;
    }
}
