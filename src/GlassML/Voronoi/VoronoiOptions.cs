namespace GlassML.Voronoi;

/// <summary>
/// Parameters of a <see cref="VoronoiTessellation"/>. All face filters default to "keep everything", which
/// reproduces voro++ 0.4.6 / LAMMPS <c>compute voronoi/atom</c>. Validated by the tessellation's constructor.
/// </summary>
public sealed record VoronoiOptions
{
    /// <summary>
    /// Atomic radii (Å) by species name for the radical (power) diagram; null = plain Voronoi.
    /// The face between i and j lies at distance (d² + R_i² − R_j²)/(2d) from atom i.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Radii { get; init; }

    /// <summary>Faces with area below this absolute threshold (Å²) are dropped from the face list (OVITO's face_threshold). Default 0.</summary>
    public double MinFaceArea { get; init; }

    /// <summary>Faces with area below this fraction of the cell's total surface area are dropped (OVITO's relative_face_threshold). Default 0.</summary>
    public double MinRelativeFaceArea { get; init; }

    /// <summary>
    /// amlearn's small-face rule (seed 002): faces with area below this fraction of the mean face area of the cell are
    /// dropped from the neighbour shell, without re-cutting the cell. Default 0 (off); amlearn uses 0.05.
    /// </summary>
    public double SmallFaceFractionOfMean { get; init; }

    /// <summary>Edges shorter than this length (Å) are not counted in a face's edge count (OVITO's edge_threshold). Default 0.</summary>
    public double MinEdgeLength { get; init; }

    /// <summary>Keep every face's vertex coordinates in the result (memory: about 2 kB per atom). Default false.</summary>
    public bool KeepVertices { get; init; }

    /// <summary>
    /// When &gt; 0, also collect every neighbour (each periodic image) closer than this distance (Å) from the candidate lists the
    /// cell construction queries anyway, as <see cref="VoronoiResult.CutoffNeighbors"/>: the same list, bit for bit, as
    /// <c>NeighborSearch.Ball(frame, CutoffNeighbors)</c>, without a second neighbour search. Default 0 (none).
    /// </summary>
    public double CutoffNeighbors { get; init; }

    /// <summary>
    /// Keep each face and cutoff pair as (neighbour, periodic image) only, the displacements and distances recomputed bit for bit when
    /// read (per atom by the descriptor families, or as whole arrays on the first read of <see cref="VoronoiResult.FaceDx"/> …):
    /// 8 instead of 40 bytes per pair (the streamed featurizer). Ignored for cells bounded by walls.
    /// </summary>
    internal bool CompactDisplacements { get; init; }

    /// <summary>
    /// With <see cref="CompactDisplacements"/>, for periodic cells without kept vertices: the faces are read only by per-atom
    /// statistics (<see cref="VoronoiResult.FacesAt"/>: the voronoi and motifs families of the streamed featurizer). They stay in
    /// the slabs the workers wrote them into, each keeping its edge count (as a byte: counts above 255 read as 255, which no
    /// statistic tells apart from 8), area and sub-volume only, 17 instead of 28 bytes; the atom-ordered face arrays
    /// (<see cref="VoronoiResult.FaceOffsets"/> …, the Voronoi neighbour list) are not made, and reading them throws. Ignored (the
    /// faces placed as usual) with walls, kept vertices or without compact displacements.
    /// </summary>
    internal bool StatisticsOnly { get; init; }

    /// <summary>
    /// amlearn's small-face rule (<c>Descriptors.AmlearnNeighbors</c>, threshold as its <c>small_face_thres</c>) applied to each cell's
    /// faces as the cell is built, for fully periodic boxes (ignored when a direction has walls): the result is that of
    /// <c>AmlearnNeighbors.SmallFaceFilteredTessellation</c> with this threshold, bit for bit, without a second copy of the face arrays.
    /// Default 0 (off).
    /// </summary>
    internal double AmlearnSmallFaceThreshold { get; init; }

    /// <summary>
    /// Capacity (records) of every slab the workers write faces, vertices and cutoff pairs into; 0 (default) = planned from the
    /// frame (<c>Numerics.Slabs</c>). A small value makes every chunk's run outgrow its slab and move (tests of that path).
    /// </summary>
    internal int SlabRecords { get; init; }

    /// <summary>Maximum degree of parallelism (0 = all cores). Results are identical for any value.</summary>
    public int Threads { get; init; }
}
