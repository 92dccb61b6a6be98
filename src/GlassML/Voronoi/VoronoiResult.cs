using GlassML.Neighbors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GlassML.Voronoi;

/// <summary>
/// A Voronoi (or radical) tessellation of one frame. Per atom: cell volume and surface area; per face (CSR over atoms:
/// faces of atom i are <c>FaceOffsets[i] .. FaceOffsets[i+1]−1</c>, sorted by neighbour distance, then index, then
/// displacement, with wall faces of non-periodic boxes last): neighbour index, displacement of the neighbour's
/// periodic image, face area, edge count and sub-polyhedron (pyramid) volume. Immutable once built.
/// </summary>
public sealed class VoronoiResult
{
    private NeighborList? _neighbors;

    internal VoronoiResult(double[] volume, double[] area, int[] faceOffsets, int[] faceNeighbor, double[] dx, double[] dy, double[] dz,
        double[] distance, double[] faceArea, int[] faceEdges, double[] subVolume, int[]? vertexOffsets, double[]? vx, double[]? vy, double[]? vz,
        bool radical, bool hasWalls)
    {
        Volume = volume; Area = area; IsRadical = radical; HasWalls = hasWalls;
        _placed = new Placed(faceOffsets, faceNeighbor, dx, dy, dz, distance, null, faceArea, faceEdges, subVolume, vertexOffsets, vx, vy, vz);
        _faceTotal = faceOffsets[^1];
    }

    /// <summary>
    /// A result whose faces keep (neighbour, periodic image) only (no walls): the displacement and distance arrays are recomputed
    /// bit for bit from <paramref name="pairs"/> on their first read, and <see cref="Neighbors"/> is a compact list over the same pairs.
    /// </summary>
    internal VoronoiResult(double[] volume, double[] area, int[] faceOffsets, int[] faceNeighbor, PairImages pairs,
        double[] faceArea, int[] faceEdges, double[] subVolume, int[]? vertexOffsets, double[]? vx, double[]? vy, double[]? vz, bool radical)
    {
        Volume = volume; Area = area; IsRadical = radical; HasWalls = false;
        _placed = new Placed(faceOffsets, faceNeighbor, null, null, null, null, pairs, faceArea, faceEdges, subVolume, vertexOffsets, vx, vy, vz);
        _faceTotal = faceOffsets[^1];
    }

    /// <summary>
    /// A result (periodic cells, no walls, no vertices) whose faces were kept for per-atom statistics only
    /// (<see cref="VoronoiOptions.StatisticsOnly"/>): <paramref name="runs"/> holds each atom's edge counts, areas and
    /// sub-volumes where the tessellation's workers wrote them, read by <see cref="FacesAt"/>; the atom-ordered face arrays
    /// (<see cref="FaceOffsets"/> …, <see cref="Neighbors"/>) were not made and reading them throws.
    /// </summary>
    internal VoronoiResult(double[] volume, double[] area, FaceRuns runs, int faceTotal, bool radical)
    {
        Volume = volume; Area = area; IsRadical = radical; HasWalls = false;
        _runs = runs; _faceTotal = faceTotal;
    }

    /// <summary>
    /// The atom-ordered face arrays (CSR over atoms): for a compact result <paramref name="Pairs"/> instead of the displacement
    /// arrays; the vertex arrays when vertices were kept.
    /// </summary>
    private sealed record Placed(int[] Offsets, int[] Neighbor, double[]? Dx, double[]? Dy, double[]? Dz, double[]? Distance, PairImages? Pairs,
        double[] Area, int[] Edges, double[] SubVolume, int[]? VertexOffsets, double[]? VertexX, double[]? VertexY, double[]? VertexZ);

    private readonly Placed? _placed;
    private readonly FaceRuns? _runs;
    private readonly int _faceTotal;

    private Placed P => _placed ?? throw new InvalidOperationException(
        "this tessellation kept its faces for per-atom statistics only (VoronoiOptions.StatisticsOnly): the face arrays and the Voronoi neighbour list were not made");

    /// <summary>True when the atom-ordered face arrays exist (always, unless the faces were kept for per-atom statistics only).</summary>
    internal bool FacesPlaced => _placed is not null;

    /// <summary>
    /// The faces of one atom as spans (valid while the result lives): area and sub-volume per face, with
    /// <see cref="IsWall"/> and <see cref="Edges"/> per face. From the placed arrays, or from the slabs of a result kept for
    /// statistics only (no walls there; edge counts above 255 read as 255).
    /// </summary>
    internal readonly ref struct AtomFaces
    {
        private readonly ReadOnlySpan<int> _neighbor, _edges;
        private readonly ReadOnlySpan<byte> _edges8;

        /// <summary>The faces of the placed arrays.</summary>
        public AtomFaces(ReadOnlySpan<int> neighbor, ReadOnlySpan<int> edges, ReadOnlySpan<double> area, ReadOnlySpan<double> subVolume)
        {
            _neighbor = neighbor; _edges = edges; Area = area; SubVolume = subVolume;
        }

        /// <summary>The faces of a statistics-only result's slab (periodic cells: no wall faces).</summary>
        public AtomFaces(ReadOnlySpan<byte> edges, ReadOnlySpan<double> area, ReadOnlySpan<double> subVolume)
        {
            _edges8 = edges; Area = area; SubVolume = subVolume;
        }

        /// <summary>Area per face (Å²).</summary>
        public readonly ReadOnlySpan<double> Area;
        /// <summary>Sub-polyhedron volume per face (Å³).</summary>
        public readonly ReadOnlySpan<double> SubVolume;
        /// <summary>Number of faces.</summary>
        public int Count => Area.Length;
        /// <summary>True when face p lies on a wall of a non-periodic direction (no neighbour atom).</summary>
        public bool IsWall(int p) => !_neighbor.IsEmpty && _neighbor[p] < 0;
        /// <summary>Edge count of face p.</summary>
        public int Edges(int p) => _edges8.IsEmpty ? _edges[p] : _edges8[p];
    }

    /// <summary>
    /// Atom i's faces in the order of <see cref="FaceOffsets"/>, read where they lie: the workers' slabs of a result kept for
    /// statistics only (<see cref="VoronoiOptions.StatisticsOnly"/>, which has no atom-ordered arrays), else those arrays.
    /// </summary>
    internal AtomFaces FacesAt(int i)
    {
        if (_runs is { } r)
        {
            int s = r.Slab[i], start = r.Start[i], c = r.Count[i];
            return new AtomFaces(r.Edges[s].AsSpan(start, c), r.Area[s].AsSpan(start, c), r.SubVolume[s].AsSpan(start, c));
        }
        var p = P;
        int o = p.Offsets[i], m = p.Offsets[i + 1] - o;
        return new AtomFaces(p.Neighbor.AsSpan(o, m), p.Edges.AsSpan(o, m), p.Area.AsSpan(o, m), p.SubVolume.AsSpan(o, m));
    }

    /// <summary>
    /// Asks the processor to start loading atom i's faces of a result kept for statistics only into its caches (a hint, no effect
    /// on values; nothing elsewhere than x86 or for the placed arrays, which are in atom order): a caller reading the atoms in
    /// another order than the tessellation's (its slabs follow the cells' spatial order) names the atom it reads a few atoms
    /// later, so that the loads of its faces overlap the work on the atoms before it instead of each stalling.
    /// </summary>
    internal void PrefetchFaces(int i)
    {
        if (_runs is not { } r || !System.Runtime.Intrinsics.X86.Sse.IsSupported || (uint)i >= (uint)r.Slab.Length) return;
        int s = r.Slab[i], start = r.Start[i];
        Prefetch(r.Area[s], start); Prefetch(r.SubVolume[s], start);
        Prefetch(r.Edges[s], start);
    }

    // the cache lines of a[start ..] that ~16 faces span: 2 lines of doubles (3 when not aligned), 1 of bytes (a prefetch of an
    // address past the array's end is harmless: it never faults)
    private static unsafe void Prefetch(double[] a, int start)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), start));
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(p);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + 64);
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + 127);
    }

    private static unsafe void Prefetch(byte[] a, int start) =>
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), start)));

    /// <summary>
    /// The neighbours closer than <see cref="VoronoiOptions.CutoffNeighbors"/> (Source "cut", identical to
    /// <c>NeighborSearch.Ball</c> with that cutoff), or null when that option was 0.
    /// </summary>
    public NeighborList? CutoffNeighbors { get; internal init; }

    /// <summary>Number of atoms N.</summary>
    public int AtomCount => Volume.Length;
    /// <summary>Total number of faces over all cells.</summary>
    public int FaceCount => _faceTotal;
    /// <summary>True for a radical (power) tessellation.</summary>
    public bool IsRadical { get; }
    /// <summary>True when some faces lie on the walls of non-periodic box directions.</summary>
    public bool HasWalls { get; }

    /// <summary>Cell volume per atom (Å³), N entries; Σ = box volume for a fully periodic cell. Always the full cell (face filters do not change it).</summary>
    public double[] Volume { get; }
    /// <summary>Cell surface area per atom (Å²), N entries: sum of all face areas before face filters.</summary>
    public double[] Area { get; }
    /// <summary>Face offsets per atom (N+1 entries).</summary>
    public int[] FaceOffsets => P.Offsets;
    /// <summary>Neighbour atom index per face; wall faces have −1 − w with w = 2·axis + (0 low, 1 high).</summary>
    public int[] FaceNeighbor => P.Neighbor;
    /// <summary>x of r_j − r_i for the neighbour image that makes the face (Å); for walls the mirror image of the atom.</summary>
    public double[] FaceDx => P.Dx ?? P.Pairs!.Arrays.Dx;
    /// <summary>y of the neighbour displacement (Å).</summary>
    public double[] FaceDy => P.Dy ?? P.Pairs!.Arrays.Dy;
    /// <summary>z of the neighbour displacement (Å).</summary>
    public double[] FaceDz => P.Dz ?? P.Pairs!.Arrays.Dz;
    /// <summary>|r_j − r_i| per face (Å).</summary>
    public double[] FaceDistance => P.Distance ?? P.Pairs!.Arrays.Distance;
    /// <summary>Face area (Å²).</summary>
    public double[] FaceArea => P.Area;
    /// <summary>Number of edges of the face (edges shorter than <see cref="VoronoiOptions.MinEdgeLength"/> not counted).</summary>
    public int[] FaceEdges => P.Edges;
    /// <summary>Sub-polyhedron volume A_f·h_f/3 (Å³), h_f the signed distance of the face plane from the atom; Σ over an unfiltered cell = Volume.</summary>
    public double[] FaceSubVolume => P.SubVolume;
    /// <summary>When vertices were kept: per-face offsets into the vertex arrays (FaceCount+1 entries), else null.</summary>
    public int[]? FaceVertexOffsets => P.VertexOffsets;
    /// <summary>Face vertex x relative to the atom (Å), counter-clockwise seen from outside the cell; null unless kept.</summary>
    public double[]? VertexX => P.VertexX;
    /// <summary>Face vertex y relative to the atom (Å).</summary>
    public double[]? VertexY => P.VertexY;
    /// <summary>Face vertex z relative to the atom (Å).</summary>
    public double[]? VertexZ => P.VertexZ;

    /// <summary>
    /// The same cells with only the faces for which <paramref name="keep"/> is true (one entry per face, in face order), as a
    /// neighbour-shell rule that drops faces without re-cutting the cells: <see cref="Volume"/> and <see cref="Area"/> stay those of
    /// the full cells, every other per-face array (and the vertices, when kept) is subset in order. The copy runs on up to
    /// <paramref name="threads"/> threads (0 = all cores) over fixed ranges of atoms; the result is the same for any count.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="keep"/> does not have <see cref="FaceCount"/> entries.</exception>
    public VoronoiResult KeepFaces(bool[] keep, int threads = 1)
    {
        int m = FaceCount, n = AtomCount;
        if (keep.Length != m) throw new ArgumentException($"expected {m} face flags, got {keep.Length}", nameof(keep));
        const int Range = 4096;
        int ranges = (n + Range - 1) / Range;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? -1 : threads };
        var fvo = FaceVertexOffsets;
        var src = P;
        var offsets = src.Offsets;
        // pass 1: kept faces per atom (offsets relative to the range) and kept faces and vertices per range
        var off = new int[n + 1];
        var rangeFaces = new int[ranges + 1];
        var rangeVertices = new int[ranges + 1];
        Parallel.For(0, ranges, po, r =>
        {
            int lo = r * Range, hi = Math.Min(n, lo + Range), kept = 0, verts = 0;
            for (int i = lo; i < hi; i++)
            {
                for (int p = offsets[i]; p < offsets[i + 1]; p++)
                {
                    if (!keep[p]) continue;
                    kept++;
                    if (fvo is not null) verts += fvo[p + 1] - fvo[p];
                }
                off[i + 1] = kept;
            }
            rangeFaces[r + 1] = kept; rangeVertices[r + 1] = verts;
        });
        for (int r = 0; r < ranges; r++) { rangeFaces[r + 1] += rangeFaces[r]; rangeVertices[r + 1] += rangeVertices[r]; }
        int keptAll = rangeFaces[ranges], vCount = rangeVertices[ranges];
        var nb = new int[keptAll]; var dx = new double[keptAll]; var dy = new double[keptAll]; var dz = new double[keptAll];
        var dist = new double[keptAll]; var fa = new double[keptAll]; var fe = new int[keptAll]; var sv = new double[keptAll];
        int[]? vOff = fvo is null ? null : new int[keptAll + 1];
        double[]? vx = vOff is null ? null : new double[vCount], vy = vOff is null ? null : new double[vCount], vz = vOff is null ? null : new double[vCount];
        // pass 2: each range copies its kept faces (and vertices) from its offsets on
        double[] sdx = FaceDx, sdy = FaceDy, sdz = FaceDz, sdist = FaceDistance;
        Parallel.For(0, ranges, po, r =>
        {
            int lo = r * Range, hi = Math.Min(n, lo + Range), q = rangeFaces[r], vq = rangeVertices[r];
            for (int i = lo; i < hi; i++) off[i + 1] += rangeFaces[r];
            for (int p = offsets[lo]; p < offsets[hi]; p++)
            {
                if (!keep[p]) continue;
                nb[q] = src.Neighbor[p]; dx[q] = sdx[p]; dy[q] = sdy[p]; dz[q] = sdz[p];
                dist[q] = sdist[p]; fa[q] = src.Area[p]; fe[q] = src.Edges[p]; sv[q] = src.SubVolume[p];
                if (vOff is not null)
                {
                    vOff[q] = vq;
                    for (int v = fvo![p]; v < fvo[p + 1]; v++) { vx![vq] = src.VertexX![v]; vy![vq] = src.VertexY![v]; vz![vq] = src.VertexZ![v]; vq++; }
                }
                q++;
            }
        });
        if (vOff is not null) vOff[keptAll] = vCount;
        return new VoronoiResult(Volume, Area, off, nb, dx, dy, dz, dist, fa, fe, sv, vOff, vx, vy, vz, IsRadical, HasWalls) { CutoffNeighbors = CutoffNeighbors };
    }

    /// <summary>Number of faces of atom i.</summary>
    public int FacesOf(int i) => _runs is { } r ? r.Count[i] : FaceOffsets[i + 1] - FaceOffsets[i];

    /// <summary>Voronoi index of atom i: counts of faces with 3, 4, …, <paramref name="maxEdges"/> edges (last entry: ≥ maxEdges).</summary>
    public int[] Index(int i, int maxEdges = 7)
    {
        var idx = new int[maxEdges - 2];
        var faces = FacesAt(i);
        for (int f = 0; f < faces.Count; f++)
        {
            int e = faces.Edges(f);
            if (e < 3) continue;
            idx[Math.Min(e, maxEdges) - 3]++;
        }
        return idx;
    }

    /// <summary>
    /// The Voronoi neighbours as a neighbour list (Source "voro", Weight = face area in Å², Cutoff NaN): one pair per
    /// face (a neighbour seen through two periodic images appears twice), wall faces excluded, sorted by distance.
    /// </summary>
    public NeighborList Neighbors => _neighbors ??= BuildNeighbors();

    private NeighborList BuildNeighbors()
    {
        if (P.Pairs is { } pairs) return new NeighborList(FaceOffsets, FaceNeighbor, pairs, FaceArea, "voro", double.NaN);
        if (!HasWalls) return new NeighborList(FaceOffsets, FaceNeighbor, FaceDx, FaceDy, FaceDz, FaceDistance, FaceArea, "voro");
        var all = new NeighborList(FaceOffsets, FaceNeighbor, FaceDx, FaceDy, FaceDz, FaceDistance, FaceArea, "voro");
        return all.Filter((_, p) => FaceNeighbor[p] >= 0, "voro");
    }
}
