using GlassML.Structure;

namespace GlassML.Tests.Structure;

public class BoxTests
{
    [Fact]
    public void LammpsBoundingBoxConversionFollowsPhysicsSpec()
    {
        // a LAMMPS triclinic box: xlo 0 xhi 10, ylo -1 yhi 8, zlo 2 zhi 9, xy 3 xz -2 yz 1.5
        double xy = 3, xz = -2, yz = 1.5;
        double xloB = 0 + Math.Min(Math.Min(0, xy), Math.Min(xz, xy + xz)), xhiB = 10 + Math.Max(Math.Max(0, xy), Math.Max(xz, xy + xz));
        double yloB = -1 + Math.Min(0, yz), yhiB = 8 + Math.Max(0, yz);
        var b = Box.FromLammpsBounding(xloB, xhiB, yloB, yhiB, 2, 9, xy, xz, yz);
        Assert.Equal(new Vec3(0, -1, 2), b.Origin);
        Assert.Equal(new Vec3(10, 0, 0), b.A);
        Assert.Equal(new Vec3(3, 9, 0), b.B);
        Assert.Equal(new Vec3(-2, 1.5, 7), b.C);
        Assert.Equal(10 * 9 * 7, b.Volume, 1e-9);
        Assert.Equal(new Vec3(3, -2, 1.5), b.Tilts);
        Assert.True(b.IsLammpsForm);
        Assert.False(b.IsOrthogonal);
    }

    [Fact]
    public void FractionalRoundTripAndPlaneDistances()
    {
        var b = new Box(new(1, -2, 0.5), new(6, 1, -1), new(-2, 7, 0.5), new(1.5, -2, 6.5));
        var r = new Vec3(3.3, -4.1, 7.7);
        var back = b.ToCartesian(b.ToFractional(r));
        Assert.Equal(r.X, back.X, 1e-12); Assert.Equal(r.Y, back.Y, 1e-12); Assert.Equal(r.Z, back.Z, 1e-12);
        // plane distance along a = V / |b × c|
        Assert.Equal(b.Volume / Vec3.Cross(b.B, b.C).Length, b.PlaneDistances.X, 12);
        Assert.Equal(Vec3.Dot(b.A, Vec3.Cross(b.B, b.C)), b.Volume, 1e-9);
    }

    [Fact]
    public void MinimumImageIsTheShortestImageInStronglyTiltedCells()
    {
        var b = new Box(Vec3.Zero, new(5, 0, 0), new(4.9, 3, 0), new(-4.5, 2.8, 2.5));
        var rng = new Random(1);
        for (int t = 0; t < 2000; t++)
        {
            var d = new Vec3(rng.NextDouble() * 40 - 20, rng.NextDouble() * 40 - 20, rng.NextDouble() * 40 - 20);
            var mi = b.MinimumImage(d);
            double best = double.MaxValue;
            var s = b.DeltaToFractional(d);
            for (int i = -8; i <= 8; i++)
            for (int j = -8; j <= 8; j++)
            for (int k = -8; k <= 8; k++)
                best = Math.Min(best, (d + b.ShiftVector(i - Math.Round(s.X), j - Math.Round(s.Y), k - Math.Round(s.Z))).Length);
            Assert.Equal(best, mi.Length, 1e-10);
            // it is an image of d
            var diff = b.DeltaToFractional(mi - d);
            Assert.Equal(Math.Round(diff.X), diff.X, 1e-9); Assert.Equal(Math.Round(diff.Y), diff.Y, 1e-9); Assert.Equal(Math.Round(diff.Z), diff.Z, 1e-9);
        }
    }

    [Fact]
    public void WrapMapsIntoTheCellOnlyAlongPeriodicAxes()
    {
        var b = new Box(new(-1, -1, -1), new(4, 0, 0), new(1, 4, 0), new(0.5, 0.5, 4), true, false, true);
        var w = b.Wrap(new Vec3(10, 10, -7));
        var s = b.ToFractional(w);
        Assert.InRange(s.X, 0, 1); Assert.InRange(s.Z, 0, 1);
        Assert.True(s.Y > 1); // not periodic in b: unchanged
    }

    [Fact]
    public void DegenerateCellsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Box(Vec3.Zero, new(1, 0, 0), new(2, 0, 0), new(0, 0, 1)));
        Assert.Throws<ArgumentException>(() => Box.FromLammps(0, 0, 0, 1, 0, 1));
        Assert.Throws<ArgumentException>(() => Box.FromLammps(0, -1, 0, 1, 0, 1));
        Assert.Throws<ArgumentException>(() => Box.FromLammps(0, double.NaN, 0, 1, 0, 1));
    }

    [Fact]
    public void ReplicationKeepsDensityAndMultipliesVolume()
    {
        var f = Lattices.Bcc(2, 3.0);
        var r = f.Replicate(2, 3, 1);
        Assert.Equal(f.Count * 6, r.Count);
        Assert.Equal(f.Box.Volume * 6, r.Box.Volume, 1e-9);
        Assert.Equal(f.Count / f.Box.Volume, r.Count / r.Box.Volume, 12);
    }

    [Fact]
    public void SortByIdReordersEveryColumn()
    {
        var f = new Frame(Box.Cubic(10), new SpeciesTable(["Cu", "Zr"]), [3, 1, 2], [1, 0, 1], [3.0, 1.0, 2.0], [30.0, 10.0, 20.0], [0.3, 0.1, 0.2]);
        f.Columns["pe"] = [-3, -1, -2];
        f.SortById();
        Assert.Equal([1L, 2, 3], f.Ids);
        Assert.Equal([0, 1, 1], f.SpeciesIndex);
        Assert.Equal([1.0, 2.0, 3.0], f.X);
        Assert.Equal([-1.0, -2.0, -3.0], f.Columns["pe"]);
        Assert.Equal(63.546, f.Species[0].Mass);
        Assert.Equal(40, f.Species[1].AtomicNumber);
    }
}
