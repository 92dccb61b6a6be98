using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>
/// Interstice distribution around each atom from an atomic hard-sphere model with given radii (Wang &amp; Jain,
/// Nat. Commun. 10, 5537 (2019), doi:10.1038/s41467-019-13511-9; the idea of matminer's IntersticeDistribution,
/// implemented independently). Neighbours are the atom's Voronoi neighbours (faces towards atoms of a
/// <see cref="VoronoiResult"/>); their convex hull is triangulated (coplanar hull faces fan-triangulated).
/// <list type="bullet">
/// <item><c>interstice_dist_*</c>: per neighbour j, d_ij / (R_i + R_j) − 1 (relative gap along the bond; matminer's convention).</item>
/// <item><c>interstice_area_*</c>: per hull triangle, 1 − (Σ_v θ_v R_v²/2) / A_triangle, θ_v the triangle's angle at neighbour v
/// (fraction of the triangle not covered by the neighbours' discs), clamped at 0.</item>
/// <item><c>interstice_vol_*</c>: per tetrahedron (centre, hull triangle), 1 − (Σ_v Ω_v R_v³/3) / V_tetrahedron over its four
/// vertices, Ω_v the solid angle at v, clamped at 0.</item>
/// <item><c>interstice_packing</c>: (4/3)π R_i³ / V_i, the atom's sphere volume over its Voronoi cell volume.</item>
/// <item><c>cpe_voro</c> (cluster packing efficiency, Yang et al., Phys. Rev. Lett. 109, 105502 (2012), amlearn's
/// ClusterPackingEfficiency): the fraction of the volume of the cluster's convex hull (centre + Voronoi
/// neighbours) covered by the atomic spheres, Σ_t Σ_{v∈t} Ω_v R_v³/3 / Σ_t V_t over the tetrahedra t = (centre, hull triangle)
/// (Ω_v the solid angle of t at vertex v). For FCC with touching spheres this is (12·arccos(−1/√3) − 5π)/(10√2) ≈ 0.7444
/// (cuboctahedral hull; Gram's relation gives the vertex solid angles). Since the tetrahedra fill the hull when the centre lies inside
/// it (always so for Voronoi neighbours), this is amlearn's ((4/3)π R_i³ + Σ_j Ω_j R_j³/3) / V_hull with Ω_j the hull's interior solid
/// angle at neighbour j.</item>
/// <item><c>ape_voro</c> (atomic packing efficiency of Laws, Miracle &amp; Ferry, Nat. Commun. 6, 8123 (2015), as in amlearn):
/// R_i / R̄ − R*(N), with R̄ the mean radius of the N Voronoi neighbours and R*(N) Miracle's ideal radius ratio for coordination N
/// (<see cref="IdealRadiusRatio"/>; 0 = ideally packed, &gt; 0 centre too large for its shell, &lt; 0 too small). NaN for N outside 3–24.</item>
/// </list>
/// Each distribution gives <c>_sum</c>, <c>_mean</c>, <c>_std</c> (population), <c>_min</c>, <c>_max</c> (source suffix <c>_voro</c>);
/// 18 columns in all. An atom with
/// fewer than 4 non-coplanar neighbours gets NaN area/volume statistics and <c>cpe_voro</c> (amlearn writes 0 for all its
/// interstice and packing columns when an atom has fewer than 4 neighbours). With the same neighbours and radii every column except
/// <c>interstice_packing</c> (not an amlearn feature) equals amlearn's DistanceInterstice, VolumeAreaInterstice,
/// ClusterPackingEfficiency and AtomicPackingEfficiency (glass s1: ≤ 1e-13 relative).
/// </summary>
public sealed class IntersticeDistribution
{
    private static readonly string[] Names =
    [
        "interstice_dist_voro_sum", "interstice_dist_voro_mean", "interstice_dist_voro_std", "interstice_dist_voro_min", "interstice_dist_voro_max",
        "interstice_area_voro_sum", "interstice_area_voro_mean", "interstice_area_voro_std", "interstice_area_voro_min", "interstice_area_voro_max",
        "interstice_vol_voro_sum", "interstice_vol_voro_mean", "interstice_vol_voro_std", "interstice_vol_voro_min", "interstice_vol_voro_max",
        "interstice_packing", "cpe_voro", "ape_voro",
    ];

    private readonly IReadOnlyDictionary<string, double> _radii;

    /// <summary>Creates the family with atomic radii (Å) by species name and a degree of parallelism (0 = all cores).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A radius is not positive and finite, or threads &lt; 0.</exception>
    public IntersticeDistribution(IReadOnlyDictionary<string, double> radii, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(radii);
        foreach (var kv in radii)
            if (!(kv.Value > 0) || double.IsInfinity(kv.Value))
                throw new ArgumentOutOfRangeException(nameof(radii), $"radius of {kv.Key} must be positive and finite, got {kv.Value}");
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        _radii = radii;
        Threads = threads;
    }

    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }

    /// <summary>Column names in output order.</summary>
    public IReadOnlyList<string> FeatureNames => Names;

    /// <summary>Number of columns (18).</summary>
    public int FeatureCount => Names.Length;

    /// <summary>Computes the columns for every atom (N × 18, atoms in frame order) over the tessellation's neighbours (every face
    /// towards an atom, however small).</summary>
    /// <exception cref="ArgumentException">A species has no radius, or the tessellation has a different atom count.</exception>
    public PerAtomFeatures Compute(Frame frame, VoronoiResult voronoi)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var values = new double[(long)frame.Count * Names.Length];
        ComputeInto(frame, voronoi, values, Names.Length, 0);
        return new PerAtomFeatures(Names, frame.Count, values);
    }

    /// <summary>
    /// Writes the columns of atom i to dest[i·stride + offset .. + 18) for every atom (every entry of that range; the values of
    /// <see cref="Compute(Frame, VoronoiResult)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A species has no radius, or the tessellation has a different atom count.</exception>
    internal void ComputeInto(Frame frame, VoronoiResult voronoi, double[] dest, int stride, int offset)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(voronoi);
        if (voronoi.AtomCount != frame.Count) throw new ArgumentException($"the tessellation has {voronoi.AtomCount} atoms, the frame {frame.Count}");
        Run(frame, new Shells(voronoi.FaceOffsets, voronoi.FaceNeighbor, voronoi.FaceDx, voronoi.FaceDy, voronoi.FaceDz,
            voronoi.FaceDistance, voronoi.Volume), dest, stride, offset);
    }

    /// <summary>
    /// Computes the columns for every atom (N × 18) over any neighbour list, e.g. a Voronoi list with small faces removed (amlearn's
    /// <c>small_face_thres</c>) or a cutoff shell. <paramref name="cellVolumes"/> (Å³, one per atom, e.g.
    /// <see cref="VoronoiResult.Volume"/>) feeds <c>interstice_packing</c>, which is NaN without it. The column names keep the
    /// <c>_voro</c> suffix.
    /// </summary>
    /// <exception cref="ArgumentException">A species has no radius, or the list or volumes have a different atom count.</exception>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors, IReadOnlyList<double>? cellVolumes = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException($"the neighbour list has {neighbors.AtomCount} atoms, the frame {frame.Count}");
        if (cellVolumes is not null && cellVolumes.Count != frame.Count) throw new ArgumentException($"{cellVolumes.Count} cell volumes for {frame.Count} atoms");
        double[]? vol = cellVolumes is null ? null : [.. cellVolumes];
        var values = new double[(long)frame.Count * Names.Length];
        Run(frame, new Shells(neighbors.Offsets, neighbors.Index, neighbors.Dx, neighbors.Dy, neighbors.Dz, neighbors.Distance, vol), values, Names.Length, 0);
        return new PerAtomFeatures(Names, frame.Count, values);
    }

    /// <summary>Per-atom neighbour shells (CSR; index &lt; 0 = not an atom, skipped) and optional cell volumes.</summary>
    private sealed record Shells(int[] Offsets, int[] Index, double[] Dx, double[] Dy, double[] Dz, double[] Distance, double[]? Volume);

    /// <summary>Writes the 18 columns of atom i to dest[i·stride + offset ..) for every atom.</summary>
    private void Run(Frame frame, Shells shells, double[] dest, int stride, int offset)
    {
        int n = frame.Count;
        var rad = new double[frame.Species.Count];
        for (int s = 0; s < rad.Length; s++)
        {
            string name = frame.Species[s].Name;
            if (!_radii.TryGetValue(name, out rad[s]))
                throw new ArgumentException($"no radius given for species '{name}' (radii given for: {string.Join(", ", _radii.Keys)}); give every species a radius with --radii, e.g. --radii {name}:1.0");
        }
        int fc = Names.Length;
        RowLayout.Check(dest, n, stride, offset, fc);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        Parallel.For(0, n, po, () => new Scratch(), (i, _, sc) =>
        {
            Row(frame, shells, rad, i, sc, dest.AsSpan(RowLayout.Start(i, stride, offset), fc));
            return sc;
        }, _ => { });
    }

    private sealed class Scratch
    {
        public double[] X = new double[64], Y = new double[64], Z = new double[64], R = new double[64];
        public int[] Tri = new int[3 * 256];
        public int NTri;
        public List<ulong> DoneMasks = [];
        public int[] Poly = new int[64];
        public double[] Ang = new double[64];

        public void Ensure(int m)
        {
            if (m <= X.Length) return;
            X = new double[m]; Y = new double[m]; Z = new double[m]; R = new double[m]; Poly = new int[m]; Ang = new double[m];
        }

        public void AddTri(int a, int b, int c)
        {
            if (3 * NTri + 3 > Tri.Length) Array.Resize(ref Tri, Tri.Length * 2);
            Tri[3 * NTri] = a; Tri[3 * NTri + 1] = b; Tri[3 * NTri + 2] = c; NTri++;
        }
    }

    private static void Row(Frame frame, Shells v, double[] rad, int i, Scratch sc, Span<double> row)
    {
        double ri = rad[frame.SpeciesIndex[i]];
        int start = v.Offsets[i], end = v.Offsets[i + 1];
        sc.Ensure(end - start);
        int m = 0;
        var acc = new Acc();
        double rsum = 0;
        for (int p = start; p < end; p++)
        {
            int j = v.Index[p];
            if (j < 0) continue;
            double rj = rad[frame.SpeciesIndex[j]];
            sc.X[m] = v.Dx[p]; sc.Y[m] = v.Dy[p]; sc.Z[m] = v.Dz[p]; sc.R[m] = rj; m++;
            acc.Add(v.Distance[p] / (ri + rj) - 1);
            rsum += rj;
        }
        acc.Write(row[..5]);
        Hull(sc, m);
        var area = new Acc();
        var vol = new Acc();
        double hullVol = 0, packedHull = 0;
        for (int t = 0; t < sc.NTri; t++)
        {
            int a = sc.Tri[3 * t], b = sc.Tri[3 * t + 1], c = sc.Tri[3 * t + 2];
            double ax = sc.X[a], ay = sc.Y[a], az = sc.Z[a];
            double bx = sc.X[b], by = sc.Y[b], bz = sc.Z[b];
            double cx = sc.X[c], cy = sc.Y[c], cz = sc.Z[c];
            // area interstice of triangle abc
            double packedArea = 0.5 * (Angle(bx - ax, by - ay, bz - az, cx - ax, cy - ay, cz - az) * sc.R[a] * sc.R[a]
                + Angle(ax - bx, ay - by, az - bz, cx - bx, cy - by, cz - bz) * sc.R[b] * sc.R[b]
                + Angle(ax - cx, ay - cy, az - cz, bx - cx, by - cy, bz - cz) * sc.R[c] * sc.R[c]);
            double ux = bx - ax, uy = by - ay, uz = bz - az, wx = cx - ax, wy = cy - ay, wz = cz - az;
            double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
            double triArea = 0.5 * Math.Sqrt(nx * nx + ny * ny + nz * nz);
            area.Add(Math.Max(0, 1 - packedArea / triArea));
            // volume interstice of tetrahedron (centre at origin, a, b, c)
            double tetVol = Math.Abs(ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)) / 6;
            double packedVol = (SolidAngle(ax, ay, az, bx, by, bz, cx, cy, cz) * ri * ri * ri
                + SolidAngle(-ax, -ay, -az, bx - ax, by - ay, bz - az, cx - ax, cy - ay, cz - az) * sc.R[a] * sc.R[a] * sc.R[a]
                + SolidAngle(-bx, -by, -bz, ax - bx, ay - by, az - bz, cx - bx, cy - by, cz - bz) * sc.R[b] * sc.R[b] * sc.R[b]
                + SolidAngle(-cx, -cy, -cz, ax - cx, ay - cy, az - cz, bx - cx, by - cy, bz - cz) * sc.R[c] * sc.R[c] * sc.R[c]) / 3;
            vol.Add(tetVol > 0 ? Math.Max(0, 1 - packedVol / tetVol) : 0);
            hullVol += tetVol; packedHull += packedVol;
        }
        area.Write(row.Slice(5, 5));
        vol.Write(row.Slice(10, 5));
        row[15] = v.Volume is not null && v.Volume[i] > 0 ? 4.0 / 3.0 * Math.PI * ri * ri * ri / v.Volume[i] : double.NaN;
        row[16] = hullVol > 0 ? packedHull / hullVol : double.NaN;
        row[17] = m >= 3 && m < IdealRatios.Length + 3 ? ri / (rsum / m) - IdealRatios[m - 3] : double.NaN;
    }

    // Miracle's ideal centre/shell radius ratios R*(N) for N = 3..24 (Miracle, Sanders & Senkov, Phil. Mag. 83, 2409 (2003),
    // as used by Laws, Miracle & Ferry 2015 and amlearn), 6 decimals.
    private static readonly double[] IdealRatios =
    [
        0.154701, 0.224745, 0.361654, 0.414214, 0.518145, 0.616517, 0.709914, 0.798907, 0.884003, 0.902113, 0.976006, 1.04733,
        1.11632, 1.18318, 1.2481, 1.31123, 1.37271, 1.43267, 1.49119, 1.5484, 1.60436, 1.65915,
    ];

    /// <summary>
    /// Miracle's ideal radius ratio R*(N) = R_centre / R_shell at which N equal shell spheres touch the centre sphere and pack its
    /// surface efficiently, for N = 3..24 (Miracle, Sanders &amp; Senkov, Phil. Mag. 83, 2409 (2003); e.g. N = 4: √(3/2) − 1,
    /// N = 6: √2 − 1, N = 12 (icosahedron): 0.902113); NaN for other N. Dimensionless, 6 significant decimals.
    /// </summary>
    public static double IdealRadiusRatio(int coordination) =>
        coordination >= 3 && coordination < IdealRatios.Length + 3 ? IdealRatios[coordination - 3] : double.NaN;

    /// <summary>Angle between vectors u and w (radians).</summary>
    private static double Angle(double ux, double uy, double uz, double wx, double wy, double wz)
    {
        double cx = uy * wz - uz * wy, cy = uz * wx - ux * wz, cz = ux * wy - uy * wx;
        return Math.Atan2(Math.Sqrt(cx * cx + cy * cy + cz * cz), ux * wx + uy * wy + uz * wz);
    }

    /// <summary>Solid angle subtended at the origin by the triangle with vertices a, b, c (Van Oosterom &amp; Strackee).</summary>
    private static double SolidAngle(double ax, double ay, double az, double bx, double by, double bz, double cx, double cy, double cz)
    {
        double la = Math.Sqrt(ax * ax + ay * ay + az * az), lb = Math.Sqrt(bx * bx + by * by + bz * bz), lc = Math.Sqrt(cx * cx + cy * cy + cz * cz);
        double triple = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        double den = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (ax * cx + ay * cy + az * cz) * lb + (bx * cx + by * cy + bz * cz) * la;
        return 2 * Math.Atan2(Math.Abs(triple), den);
    }

    /// <summary>
    /// Triangulated convex hull of points 0..m−1 by brute force over triples (m ≤ 64, a few dozen in practice): a triple is a hull
    /// facet when no point lies strictly on the outer side of its plane. Planes holding 4+ points are fan-triangulated once from
    /// their lowest-index point in angular order.
    /// </summary>
    private static void Hull(Scratch sc, int m)
    {
        sc.NTri = 0;
        sc.DoneMasks.Clear();
        if (m < 4 || m > 64) return;
        double scale = 0;
        for (int k = 0; k < m; k++) scale = Math.Max(scale, Math.Abs(sc.X[k]) + Math.Abs(sc.Y[k]) + Math.Abs(sc.Z[k]));
        double eps = 1e-9 * scale;
        var X = sc.X; var Y = sc.Y; var Z = sc.Z;
        for (int a = 0; a < m; a++)
        for (int b = a + 1; b < m; b++)
        for (int c = b + 1; c < m; c++)
        {
            double ux = X[b] - X[a], uy = Y[b] - Y[a], uz = Z[b] - Z[a], wx = X[c] - X[a], wy = Y[c] - Y[a], wz = Z[c] - Z[a];
            double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
            double nl = Math.Sqrt(nx * nx + ny * ny + nz * nz);
            if (nl <= eps * scale) continue; // collinear
            nx /= nl; ny /= nl; nz /= nl;
            int pos = 0, neg = 0;
            ulong mask = (1UL << a) | (1UL << b) | (1UL << c);
            for (int q = 0; q < m && (pos == 0 || neg == 0); q++)
            {
                if (q == a || q == b || q == c) continue;
                double s = nx * (X[q] - X[a]) + ny * (Y[q] - Y[a]) + nz * (Z[q] - Z[a]);
                if (s > eps) pos++;
                else if (s < -eps) neg++;
                else mask |= 1UL << q;
            }
            if (pos > 0 && neg > 0) continue;
            if (mask == ((1UL << a) | (1UL << b) | (1UL << c))) { sc.AddTri(a, b, c); continue; }
            if (sc.DoneMasks.Contains(mask)) continue;
            sc.DoneMasks.Add(mask);
            FanTriangulate(sc, mask, nx, ny, nz);
        }
    }

    private static void FanTriangulate(Scratch sc, ulong mask, double nx, double ny, double nz)
    {
        int cnt = 0;
        double cx = 0, cy = 0, cz = 0;
        for (int q = 0; q < 64; q++)
            if ((mask >> q & 1) != 0) { sc.Poly[cnt++] = q; cx += sc.X[q]; cy += sc.Y[q]; cz += sc.Z[q]; }
        cx /= cnt; cy /= cnt; cz /= cnt;
        // in-plane basis
        int p0 = sc.Poly[0];
        double ex = sc.X[p0] - cx, ey = sc.Y[p0] - cy, ez = sc.Z[p0] - cz;
        double el = Math.Sqrt(ex * ex + ey * ey + ez * ez);
        ex /= el; ey /= el; ez /= el;
        double fx = ny * ez - nz * ey, fy = nz * ex - nx * ez, fz = nx * ey - ny * ex;
        for (int k = 0; k < cnt; k++)
        {
            int q = sc.Poly[k];
            double dx = sc.X[q] - cx, dy = sc.Y[q] - cy, dz = sc.Z[q] - cz;
            sc.Ang[k] = Math.Atan2(dx * fx + dy * fy + dz * fz, dx * ex + dy * ey + dz * ez);
        }
        Array.Sort(sc.Ang, sc.Poly, 0, cnt);
        // rotate so the lowest index comes first, then fan
        int first = 0;
        for (int k = 1; k < cnt; k++) if (sc.Poly[k] < sc.Poly[first]) first = k;
        for (int k = 1; k + 1 < cnt; k++)
            sc.AddTri(sc.Poly[first], sc.Poly[(first + k) % cnt], sc.Poly[(first + k + 1) % cnt]);
    }

    /// <summary>Running mean / population std / min / max.</summary>
    private struct Acc
    {
        private int _n; private double _s, _s2, _min, _max;
        public void Add(double x)
        {
            if (_n == 0) { _min = x; _max = x; }
            else { _min = Math.Min(_min, x); _max = Math.Max(_max, x); }
            _n++; _s += x; _s2 += x * x;
        }
        public readonly void Write(Span<double> o)
        {
            o[0] = _s;
            if (_n == 0) { o[1] = o[2] = o[3] = o[4] = double.NaN; return; }
            double mean = _s / _n;
            o[1] = mean; o[2] = Math.Sqrt(Math.Max(0, _s2 / _n - mean * mean)); o[3] = _min; o[4] = _max;
        }
    }
}
