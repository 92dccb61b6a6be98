using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Dynamics;

/// <summary>Which frame serves as the reference when strain is computed along a trajectory.</summary>
public enum StrainReference
{
    /// <summary>The first frame of the trajectory (cumulative strain).</summary>
    First,
    /// <summary>The previous frame (incremental strain between consecutive frames).</summary>
    Previous,
}

/// <summary>
/// Falk–Langer non-affine displacement and local strain with OVITO's conventions (spec physics.md
/// "Non-affine displacement and strain"; Falk &amp; Langer, Phys. Rev. E 57, 7192 (1998), doi:10.1103/PhysRevE.57.7192).
/// For atom i with reference neighbours j (a cutoff list built on the reference frame):
/// d⁰_j = r⁰_j − r⁰_i (the image in the neighbour list), d_j = r_j − r_i by the minimum image in the current
/// frame's own cell (cells may differ, e.g. under compression). With row vectors,
/// V = Σ d⁰ᵀd⁰, W = Σ d⁰ᵀd, J = V⁻¹W, F = Jᵀ (the local deformation gradient, d ≈ F·d⁰);
/// <c>d2min</c> = Σ_j |d_j − d⁰_j J|² (Å²), <c>d2min_mean</c> = d2min / N_i;
/// Green–Lagrange η = ½(FᵀF − I); <c>shear_strain</c> = √(η_xy² + η_xz² + η_yz² + ((η_xx−η_yy)² + (η_xx−η_zz)² + (η_yy−η_zz)²)/6);
/// <c>volumetric_strain</c> = (η_xx + η_yy + η_zz)/3; <c>rotation_angle</c> (radians, [0, π]) of R in F = R·U.
/// Atoms with fewer than three non-coplanar neighbours (det V ≤ tolerance·(tr V / 3)³) get NaN in every column
/// and are counted in <see cref="NonAffineResult.InvalidCount"/>. Parallel over atoms; each atom's values are
/// computed by one thread in a fixed order, so results are identical for any thread count.
/// </summary>
public sealed class NonAffineDisplacement
{
    /// <summary>Output column names in order (docs/names.md "strain").</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["d2min", "d2min_mean", "shear_strain", "volumetric_strain", "rotation_angle"];

    /// <summary>Creates the calculator.</summary>
    /// <param name="threads">Maximum degree of parallelism (0 = all cores).</param>
    /// <param name="degeneracyTolerance">Relative threshold on det V below which a neighbourhood counts as coplanar (default 1e-10).</param>
    public NonAffineDisplacement(int threads = 0, double degeneracyTolerance = 1e-10)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        if (!(degeneracyTolerance >= 0) || double.IsInfinity(degeneracyTolerance))
            throw new ArgumentOutOfRangeException(nameof(degeneracyTolerance), "tolerance must be a finite number ≥ 0");
        Threads = threads; DegeneracyTolerance = degeneracyTolerance;
    }

    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }
    /// <summary>Relative coplanarity threshold on det V.</summary>
    public double DegeneracyTolerance { get; }

    /// <summary>
    /// Strain of <paramref name="current"/> relative to <paramref name="reference"/>. Atoms are matched by id
    /// (any order); both frames must hold the same ids. Results are in reference-frame atom order.
    /// </summary>
    /// <param name="reference">Reference configuration.</param>
    /// <param name="referenceNeighbors">Neighbours in the reference frame, e.g. <c>NeighborSearch.Ball(reference, 4.5)</c>.</param>
    /// <param name="current">Deformed configuration.</param>
    /// <exception cref="ArgumentException">Mismatched atoms, or neighbour vectors not shorter than half the smallest cell width (minimum image ambiguous).</exception>
    public NonAffineResult Compute(Frame reference, NeighborList referenceNeighbors, Frame current)
    {
        ArgumentNullException.ThrowIfNull(reference); ArgumentNullException.ThrowIfNull(referenceNeighbors); ArgumentNullException.ThrowIfNull(current);
        int n = reference.Count;
        if (referenceNeighbors.AtomCount != n) throw new ArgumentException($"neighbour list covers {referenceNeighbors.AtomCount} atoms, reference frame has {n}");
        int[] map = AtomMatching.Map(reference, current);
        double maxD = 0;
        for (int p = 0; p < referenceNeighbors.PairCount; p++) maxD = Math.Max(maxD, referenceNeighbors.Distance[p]);
        CheckCell(reference.Box, maxD, "reference");
        CheckCell(current.Box, maxD, "current");

        var d2 = new double[n]; var d2m = new double[n]; var shear = new double[n]; var vol = new double[n]; var rot = new double[n];
        var count = new int[n]; var fgrad = new double[9L * n <= int.MaxValue ? 9 * n : throw new ArgumentException("too many atoms")];
        var invalid = new bool[n];
        var box = current.Box;
        var mi = new FastMinimumImage(box);
        double[] cx = current.X, cy = current.Y, cz = current.Z;
        var nl = referenceNeighbors;
        double tol = DegeneracyTolerance;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        Parallel.For(0, n, po, i =>
        {
            Span<double> v = stackalloc double[9];
            Span<double> w = stackalloc double[9];
            Span<double> vinv = stackalloc double[9];
            Span<double> j = stackalloc double[9];
            int start = nl.Offsets[i], end = nl.Offsets[i + 1];
            count[i] = end - start;
            int ci = map[i];
            double xi = cx[ci], yi = cy[ci], zi = cz[ci];
            v.Clear(); w.Clear();
            for (int p = start; p < end; p++)
            {
                double ax = nl.Dx[p], ay = nl.Dy[p], az = nl.Dz[p];
                int cj = map[nl.Index[p]];
                var d = mi.Apply(cx[cj] - xi, cy[cj] - yi, cz[cj] - zi);
                v[0] += ax * ax; v[1] += ax * ay; v[2] += ax * az; v[4] += ay * ay; v[5] += ay * az; v[8] += az * az;
                w[0] += ax * d.X; w[1] += ax * d.Y; w[2] += ax * d.Z;
                w[3] += ay * d.X; w[4] += ay * d.Y; w[5] += ay * d.Z;
                w[6] += az * d.X; w[7] += az * d.Y; w[8] += az * d.Z;
            }
            v[3] = v[1]; v[6] = v[2]; v[7] = v[5];
            double tr = (v[0] + v[4] + v[8]) / 3;
            if (end - start < 3 || !(Matrix3.Det(v) > tol * tr * tr * tr))
            {
                invalid[i] = true;
                d2[i] = d2m[i] = shear[i] = vol[i] = rot[i] = double.NaN;
                fgrad.AsSpan(9 * i, 9).Fill(double.NaN);
                return;
            }
            Matrix3.Invert(v, vinv);
            Matrix3.Mul(vinv, w, j);
            double sum = 0;
            for (int p = start; p < end; p++)
            {
                double ax = nl.Dx[p], ay = nl.Dy[p], az = nl.Dz[p];
                int cj = map[nl.Index[p]];
                var d = mi.Apply(cx[cj] - xi, cy[cj] - yi, cz[cj] - zi);
                double ex = d.X - (ax * j[0] + ay * j[3] + az * j[6]);
                double ey = d.Y - (ax * j[1] + ay * j[4] + az * j[7]);
                double ez = d.Z - (ax * j[2] + ay * j[5] + az * j[8]);
                sum += ex * ex + ey * ey + ez * ez;
            }
            d2[i] = sum; d2m[i] = sum / (end - start);
            // F = Jᵀ (row-major F[a,b] = J[b,a])
            var f = fgrad.AsSpan(9 * i, 9);
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) f[3 * a + b] = j[3 * b + a];
            StrainInvariants(f, out shear[i], out vol[i]);
            rot[i] = Matrix3.PolarRotationAngle(f);
        });
        int bad = 0;
        foreach (bool b in invalid) if (b) bad++;
        return new NonAffineResult((long[])reference.Ids.Clone(), current.Timestep, d2, d2m, shear, vol, rot, count, fgrad, bad);
    }

    /// <summary>
    /// Strain of every frame after the reference along a trajectory: against the first frame
    /// (<see cref="StrainReference.First"/>) or against the previous frame (<see cref="StrainReference.Previous"/>,
    /// neighbours rebuilt on each new reference). Streams: holds at most the reference, the current frame and one
    /// neighbour list. Yields one result per frame after the first.
    /// </summary>
    /// <param name="frames">Frames in time order (e.g. a <see cref="Trajectory"/>).</param>
    /// <param name="cutoff">Neighbour cutoff R_c in the reference (Å).</param>
    /// <param name="mode">Reference choice.</param>
    /// <param name="search">Neighbour search to use (default: a new one with this object's thread count).</param>
    public IEnumerable<NonAffineResult> ComputeTrajectory(IEnumerable<Frame> frames, double cutoff, StrainReference mode = StrainReference.First, NeighborSearch? search = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "cutoff must be a positive finite distance (Å)");
        if (mode is not (StrainReference.First or StrainReference.Previous)) throw new ArgumentOutOfRangeException(nameof(mode), "mode must be one of: First, Previous");
        return Iterate(frames, cutoff, mode, search ?? new NeighborSearch(Threads));
    }

    private IEnumerable<NonAffineResult> Iterate(IEnumerable<Frame> frames, double cutoff, StrainReference mode, NeighborSearch search)
    {
        Frame? reference = null;
        NeighborList? nl = null;
        foreach (var f in frames)
        {
            // the half-cell condition bounds every neighbour distance by the cutoff: check it before the search
            if (reference is null) { CheckCutoff(f.Box, cutoff); reference = f; nl = search.Ball(f, cutoff); continue; }
            yield return Compute(reference, nl!, f);
            if (mode == StrainReference.Previous) { CheckCutoff(f.Box, cutoff); reference = f; nl = search.Ball(f, cutoff); }
        }
    }

    /// <summary>Von Mises shear invariant and volumetric part of the Green–Lagrange strain ½(FᵀF − I) of a row-major F.</summary>
    public static void StrainInvariants(ReadOnlySpan<double> f, out double shear, out double volumetric)
    {
        Span<double> e = stackalloc double[9];
        for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            e[3 * a + b] = 0.5 * (f[a] * f[b] + f[3 + a] * f[3 + b] + f[6 + a] * f[6 + b] - (a == b ? 1 : 0));
        double xx = e[0], yy = e[4], zz = e[8], xy = e[1], xz = e[2], yz = e[5];
        shear = Math.Sqrt(xy * xy + xz * xz + yz * yz + ((xx - yy) * (xx - yy) + (xx - zz) * (xx - zz) + (yy - zz) * (yy - zz)) / 6);
        volumetric = (xx + yy + zz) / 3;
    }

    /// <summary>Refuses, before any neighbour search, a cutoff not below half the smallest width of the reference cell
    /// (the minimum image of a neighbour vector would be ambiguous).</summary>
    /// <exception cref="ArgumentException">The cutoff is too large for the cell.</exception>
    public static void CheckCutoff(Box box, double cutoff)
    {
        ArgumentNullException.ThrowIfNull(box);
        CheckCell(box, cutoff, "reference");
    }

    private static void CheckCell(Box box, double maxD, string which)
    {
        var pd = box.PlaneDistances;
        double minW = double.PositiveInfinity;
        if (box.Periodic[0]) minW = Math.Min(minW, pd.X);
        if (box.Periodic[1]) minW = Math.Min(minW, pd.Y);
        if (box.Periodic[2]) minW = Math.Min(minW, pd.Z);
        if (maxD >= minW / 2)
            throw new ArgumentException($"neighbour distance {maxD:G6} Å is not below half the smallest width of the {which} cell ({minW / 2:G6} Å): the minimum image is ambiguous; use a smaller cutoff or a replicated cell");
    }
}

/// <summary>
/// Minimum image with a fast exact path: fractional rounding gives d; if |d| is below half the smallest cell width
/// it is the unique shortest image (every other image is at least w_min − |d| long), otherwise
/// <see cref="Box.MinimumImage"/> searches the neighbouring images.
/// </summary>
internal readonly struct FastMinimumImage
{
    private readonly Box _box;
    private readonly double _h00, _h01, _h02, _h10, _h11, _h12, _h20, _h21, _h22;
    private readonly double _i00, _i01, _i02, _i10, _i11, _i12, _i20, _i21, _i22;
    private readonly double _pa, _pb, _pc, _safe2;

    public FastMinimumImage(Box box)
    {
        _box = box;
        _h00 = box.H(0, 0); _h01 = box.H(0, 1); _h02 = box.H(0, 2);
        _h10 = box.H(1, 0); _h11 = box.H(1, 1); _h12 = box.H(1, 2);
        _h20 = box.H(2, 0); _h21 = box.H(2, 1); _h22 = box.H(2, 2);
        _i00 = box.HInv(0, 0); _i01 = box.HInv(0, 1); _i02 = box.HInv(0, 2);
        _i10 = box.HInv(1, 0); _i11 = box.HInv(1, 1); _i12 = box.HInv(1, 2);
        _i20 = box.HInv(2, 0); _i21 = box.HInv(2, 1); _i22 = box.HInv(2, 2);
        _pa = box.Periodic[0] ? 1 : 0; _pb = box.Periodic[1] ? 1 : 0; _pc = box.Periodic[2] ? 1 : 0;
        double w = double.PositiveInfinity;
        var pd = box.PlaneDistances;
        if (box.Periodic[0]) w = Math.Min(w, pd.X);
        if (box.Periodic[1]) w = Math.Min(w, pd.Y);
        if (box.Periodic[2]) w = Math.Min(w, pd.Z);
        _safe2 = double.IsPositiveInfinity(w) ? double.PositiveInfinity : 0.25 * w * w * (1 - 1e-12);
    }

    public Vec3 Apply(double dx, double dy, double dz)
    {
        double sa = _pa * Math.Round(_i00 * dx + _i01 * dy + _i02 * dz);
        double sb = _pb * Math.Round(_i10 * dx + _i11 * dy + _i12 * dz);
        double sc = _pc * Math.Round(_i20 * dx + _i21 * dy + _i22 * dz);
        double x = dx - (_h00 * sa + _h01 * sb + _h02 * sc);
        double y = dy - (_h10 * sa + _h11 * sb + _h12 * sc);
        double z = dz - (_h20 * sa + _h21 * sb + _h22 * sc);
        if (x * x + y * y + z * z < _safe2) return new Vec3(x, y, z);
        return _box.MinimumImage(new Vec3(dx, dy, dz));
    }
}

/// <summary>Per-atom result of <see cref="NonAffineDisplacement"/> (reference-frame atom order).</summary>
public sealed class NonAffineResult
{
    internal NonAffineResult(long[] ids, long timestep, double[] d2min, double[] d2minMean, double[] shear, double[] vol, double[] rot, int[] count, double[] f, int invalid)
    {
        Ids = ids; Timestep = timestep; D2min = d2min; D2minMean = d2minMean; ShearStrain = shear; VolumetricStrain = vol;
        RotationAngle = rot; NeighborCount = count; DeformationGradient = f; InvalidCount = invalid;
    }

    /// <summary>Atom ids (reference order).</summary>
    public long[] Ids { get; }
    /// <summary>Timestep of the current frame.</summary>
    public long Timestep { get; }
    /// <summary><c>d2min</c>: Σ_j |d_j − d⁰_j J|² (Å²), length N.</summary>
    public double[] D2min { get; }
    /// <summary><c>d2min_mean</c>: d2min / N_i (Å²).</summary>
    public double[] D2minMean { get; }
    /// <summary><c>shear_strain</c>: von Mises invariant of the Green–Lagrange strain (dimensionless).</summary>
    public double[] ShearStrain { get; }
    /// <summary><c>volumetric_strain</c>: trace of the Green–Lagrange strain / 3.</summary>
    public double[] VolumetricStrain { get; }
    /// <summary><c>rotation_angle</c>: angle of the polar rotation R in F = R·U (radians, [0, π]).</summary>
    public double[] RotationAngle { get; }
    /// <summary>Number of reference neighbours N_i.</summary>
    public int[] NeighborCount { get; }
    /// <summary>Local deformation gradient F per atom, row-major 3×3 (N × 9).</summary>
    public double[] DeformationGradient { get; }
    /// <summary>Number of atoms with a degenerate neighbourhood (NaN outputs).</summary>
    public int InvalidCount { get; }

    /// <summary>The five columns <see cref="NonAffineDisplacement.FeatureNames"/> as a feature block.</summary>
    public PerAtomFeatures ToFeatures()
    {
        int n = Ids.Length;
        var v = new double[5 * n];
        for (int i = 0; i < n; i++)
        {
            v[5 * i] = D2min[i]; v[5 * i + 1] = D2minMean[i]; v[5 * i + 2] = ShearStrain[i];
            v[5 * i + 3] = VolumetricStrain[i]; v[5 * i + 4] = RotationAngle[i];
        }
        return new PerAtomFeatures(NonAffineDisplacement.FeatureNames, n, v);
    }
}
