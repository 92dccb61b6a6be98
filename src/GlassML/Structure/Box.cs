namespace GlassML.Structure;

/// <summary>
/// A simulation cell: origin plus three lattice vectors a, b, c (the columns of the cell matrix H),
/// with per-axis periodicity. Orthogonal and triclinic cells (any orientation) are supported.
/// Fractional coordinates are s = H⁻¹(r − origin). LAMMPS cells have a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz).
/// </summary>
public sealed class Box
{
    private readonly double[] _h = new double[9];    // row-major H: _h[3*row+col], column k = lattice vector k
    private readonly double[] _hinv = new double[9];

    /// <summary>Creates a box from its origin, lattice vectors and periodicity.</summary>
    /// <exception cref="ArgumentException">When the volume is not positive and finite.</exception>
    public Box(Vec3 origin, Vec3 a, Vec3 b, Vec3 c, bool periodicX = true, bool periodicY = true, bool periodicZ = true)
    {
        Origin = origin; A = a; B = b; C = c;
        Periodic = [periodicX, periodicY, periodicZ];
        double[] m = [a.X, b.X, c.X, a.Y, b.Y, c.Y, a.Z, b.Z, c.Z];
        m.CopyTo(_h, 0);
        Volume = Vec3.Dot(a, Vec3.Cross(b, c));
        if (!(Volume > 0) || double.IsInfinity(Volume) || double.IsNaN(Volume))
            throw new ArgumentException($"cell volume {Volume} is not positive (lattice vectors must be right-handed and non-degenerate)");
        // inverse via adjugate: rows of H^-1 are (b×c, c×a, a×b)/V
        Vec3 r0 = Vec3.Cross(b, c) * (1 / Volume), r1 = Vec3.Cross(c, a) * (1 / Volume), r2 = Vec3.Cross(a, b) * (1 / Volume);
        double[] inv = [r0.X, r0.Y, r0.Z, r1.X, r1.Y, r1.Z, r2.X, r2.Y, r2.Z];
        inv.CopyTo(_hinv, 0);
        PlaneDistances = new Vec3(Volume / Vec3.Cross(b, c).Length, Volume / Vec3.Cross(c, a).Length, Volume / Vec3.Cross(a, b).Length);
    }

    /// <summary>An orthogonal box [lo, hi] on each axis.</summary>
    public static Box Orthogonal(Vec3 lo, Vec3 hi, bool periodic = true) =>
        new(lo, new Vec3(hi.X - lo.X, 0, 0), new Vec3(0, hi.Y - lo.Y, 0), new Vec3(0, 0, hi.Z - lo.Z), periodic, periodic, periodic);

    /// <summary>A cubic periodic box of side <paramref name="length"/> with origin 0.</summary>
    public static Box Cubic(double length) => Orthogonal(Vec3.Zero, new Vec3(length, length, length));

    /// <summary>A LAMMPS box from its (non-bounding) bounds and tilt factors.</summary>
    public static Box FromLammps(double xlo, double xhi, double ylo, double yhi, double zlo, double zhi,
        double xy = 0, double xz = 0, double yz = 0, bool px = true, bool py = true, bool pz = true) =>
        new(new Vec3(xlo, ylo, zlo), new Vec3(xhi - xlo, 0, 0), new Vec3(xy, yhi - ylo, 0), new Vec3(xz, yz, zhi - zlo), px, py, pz);

    /// <summary>A LAMMPS box from the bounding-box bounds written in dump files (physics.md conversion).</summary>
    public static Box FromLammpsBounding(double xloB, double xhiB, double yloB, double yhiB, double zloB, double zhiB,
        double xy, double xz, double yz, bool px = true, bool py = true, bool pz = true)
    {
        double xlo = xloB - Math.Min(Math.Min(0.0, xy), Math.Min(xz, xy + xz));
        double xhi = xhiB - Math.Max(Math.Max(0.0, xy), Math.Max(xz, xy + xz));
        double ylo = yloB - Math.Min(0.0, yz);
        double yhi = yhiB - Math.Max(0.0, yz);
        return FromLammps(xlo, xhi, ylo, yhi, zloB, zhiB, xy, xz, yz, px, py, pz);
    }

    /// <summary>Corner of the cell (Å).</summary>
    public Vec3 Origin { get; }
    /// <summary>First lattice vector (Å).</summary>
    public Vec3 A { get; }
    /// <summary>Second lattice vector (Å).</summary>
    public Vec3 B { get; }
    /// <summary>Third lattice vector (Å).</summary>
    public Vec3 C { get; }
    /// <summary>Periodicity along a, b, c.</summary>
    public IReadOnlyList<bool> Periodic { get; }
    /// <summary>Cell volume det(H) (Å³), always positive.</summary>
    public double Volume { get; }
    /// <summary>Distances between opposite cell faces (perpendicular widths) along a, b, c (Å).</summary>
    public Vec3 PlaneDistances { get; }

    /// <summary>Lattice vector k (0..2).</summary>
    public Vec3 Vector(int k) => k switch { 0 => A, 1 => B, 2 => C, _ => throw new ArgumentOutOfRangeException(nameof(k)) };

    /// <summary>Lengths |a|, |b|, |c|.</summary>
    public Vec3 Lengths => new(A.Length, B.Length, C.Length);

    /// <summary>True when a, b, c lie along x, y, z (no tilt).</summary>
    public bool IsOrthogonal => A.Y == 0 && A.Z == 0 && B.X == 0 && B.Z == 0 && C.X == 0 && C.Y == 0;

    /// <summary>True when the cell is in LAMMPS form (a along x, b in the xy plane).</summary>
    public bool IsLammpsForm => A.Y == 0 && A.Z == 0 && B.Z == 0 && A.X > 0 && B.Y > 0 && C.Z > 0;

    /// <summary>LAMMPS tilt factors (xy, xz, yz); meaningful when <see cref="IsLammpsForm"/>.</summary>
    public Vec3 Tilts => new(B.X, C.X, C.Y);

    /// <summary>Cell matrix element H[row, col] (column col is lattice vector col).</summary>
    public double H(int row, int col) => _h[3 * row + col];

    /// <summary>Inverse cell matrix element.</summary>
    public double HInv(int row, int col) => _hinv[3 * row + col];

    /// <summary>Fractional coordinates of a Cartesian point.</summary>
    public Vec3 ToFractional(Vec3 r)
    {
        double x = r.X - Origin.X, y = r.Y - Origin.Y, z = r.Z - Origin.Z;
        var m = _hinv;
        return new Vec3(m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z);
    }

    /// <summary>Cartesian point of fractional coordinates.</summary>
    public Vec3 ToCartesian(Vec3 s) => Origin + ShiftVector(s.X, s.Y, s.Z);

    /// <summary>H·(na, nb, nc): the Cartesian vector of a lattice translation (no origin).</summary>
    public Vec3 ShiftVector(double na, double nb, double nc)
    {
        var m = _h;
        return new Vec3(m[0] * na + m[1] * nb + m[2] * nc, m[3] * na + m[4] * nb + m[5] * nc, m[6] * na + m[7] * nb + m[8] * nc);
    }

    /// <summary>Fractional components of a displacement (no origin).</summary>
    public Vec3 DeltaToFractional(Vec3 d)
    {
        var m = _hinv;
        return new Vec3(m[0] * d.X + m[1] * d.Y + m[2] * d.Z, m[3] * d.X + m[4] * d.Y + m[5] * d.Z, m[6] * d.X + m[7] * d.Y + m[8] * d.Z);
    }

    /// <summary>Maps a point into the cell along periodic axes.</summary>
    public Vec3 Wrap(Vec3 r)
    {
        var s = ToFractional(r);
        double na = Periodic[0] ? -Math.Floor(s.X) : 0, nb = Periodic[1] ? -Math.Floor(s.Y) : 0, nc = Periodic[2] ? -Math.Floor(s.Z) : 0;
        return r + ShiftVector(na, nb, nc);
    }

    /// <summary>
    /// The shortest periodic image of displacement <paramref name="d"/> (exact also in strongly tilted cells:
    /// fractional rounding followed by a search over the 27 adjacent images).
    /// </summary>
    public Vec3 MinimumImage(Vec3 d)
    {
        var s = DeltaToFractional(d);
        double ra = Periodic[0] ? -Math.Round(s.X) : 0, rb = Periodic[1] ? -Math.Round(s.Y) : 0, rc = Periodic[2] ? -Math.Round(s.Z) : 0;
        Vec3 best = d + ShiftVector(ra, rb, rc);
        double bestLen = best.LengthSquared;
        Vec3 start = best;
        for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++)
        for (int k = -1; k <= 1; k++)
        {
            if ((i | j | k) == 0) continue;
            if ((i != 0 && !Periodic[0]) || (j != 0 && !Periodic[1]) || (k != 0 && !Periodic[2])) continue;
            var c = start + ShiftVector(i, j, k);
            double l = c.LengthSquared;
            if (l < bestLen) { bestLen = l; best = c; }
        }
        return best;
    }

    /// <summary>A copy with every lattice vector multiplied by the integer replication counts.</summary>
    public Box Replicate(int na, int nb, int nc) =>
        new(Origin, A * na, B * nb, C * nc, Periodic[0], Periodic[1], Periodic[2]);

    /// <inheritdoc/>
    public override string ToString() => IsOrthogonal
        ? $"orthogonal {A.X:G6} x {B.Y:G6} x {C.Z:G6} Å, V = {Volume:G8} Å³"
        : $"triclinic a={A} b={B} c={C}, V = {Volume:G8} Å³";
}
