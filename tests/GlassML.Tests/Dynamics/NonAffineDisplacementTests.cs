using GlassML.Dynamics;
using GlassML.Neighbors;
using GlassML.Structure;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Dynamics;

public class NonAffineDisplacementTests
{
    private const double Cutoff = 4.5;

    [Theory]
    [InlineData("ortho")]
    [InlineData("tri")]
    public void MatchesNumpyReferenceOnCompressionTrajectory(string tag)
    {
        var frames = ReadDump($"compression_{tag}.dump.gz");
        Assert.Equal(5, frames.Count);
        if (tag == "tri") Assert.False(frames[0].Box.IsOrthogonal);
        var reference = ReadCsv($"strain_ref_{tag}.csv.gz");
        var calc = new NonAffineDisplacement();
        var search = new NeighborSearch();
        var nl0 = search.Ball(frames[0], Cutoff);
        var nl3 = search.Ball(frames[3], Cutoff);
        var results = new Dictionary<(int, int), NonAffineResult>
        {
            [(0, 2)] = calc.Compute(frames[0], nl0, frames[2]),
            [(0, 4)] = calc.Compute(frames[0], nl0, frames[4]),
            [(3, 4)] = calc.Compute(frames[3], nl3, frames[4]),
        };
        int checkedRows = 0;
        double maxD2 = 0;
        foreach (var row in reference)
        {
            var res = results[((int)row["ref_frame"], (int)row["cur_frame"])];
            int i = Array.IndexOf(res.Ids, (long)row["id"]);
            Assert.Equal((int)row["nneigh"], res.NeighborCount[i]);
            Close(row["d2min"], res.D2min[i], 1e-10, 1e-8, $"d2min id {row["id"]}");
            Close(row["d2min_mean"], res.D2minMean[i], 1e-10, 1e-8, "d2min_mean");
            Close(row["shear_strain"], res.ShearStrain[i], 1e-10, 1e-8, "shear_strain");
            Close(row["volumetric_strain"], res.VolumetricStrain[i], 1e-10, 1e-8, "volumetric_strain");
            Close(row["rotation_angle"], res.RotationAngle[i], 1e-10, 1e-8, "rotation_angle");
            maxD2 = Math.Max(maxD2, row["d2min"]);
            checkedRows++;
        }
        Assert.Equal(3 * 500, checkedRows);
        Assert.True(maxD2 > 0.1, "the fixture must contain non-affine motion");
        foreach (var r in results.Values) Assert.Equal(0, r.InvalidCount);
    }

    [Theory]
    [InlineData("ortho")]
    [InlineData("tri")]
    public void TrajectoryModesEqualPairwiseComputation(string tag)
    {
        var frames = ReadDump($"compression_{tag}.dump.gz");
        var reference = ReadCsv($"strain_ref_{tag}.csv.gz");
        var calc = new NonAffineDisplacement();
        var first = calc.ComputeTrajectory(frames, Cutoff, StrainReference.First).ToList();
        var prev = calc.ComputeTrajectory(frames, Cutoff, StrainReference.Previous).ToList();
        Assert.Equal(4, first.Count);
        Assert.Equal(4, prev.Count);
        foreach (var row in reference)
        {
            int a = (int)row["ref_frame"], b = (int)row["cur_frame"];
            var res = a == 0 ? first[b - 1] : prev[b - 1];
            Assert.Equal(frames[b].Timestep, res.Timestep);
            int i = Array.IndexOf(res.Ids, (long)row["id"]);
            Close(row["d2min"], res.D2min[i], 1e-10, 1e-8, "d2min");
            Close(row["shear_strain"], res.ShearStrain[i], 1e-10, 1e-8, "shear_strain");
        }
    }

    public static TheoryData<double[], double[], double> AffineCases() => new()
    {
        // F = R(axis, θ) · U with U symmetric positive definite; expected rotation angle θ
        { [1, 0, 0], [1.02, 0.01, -0.015, 0.01, 0.97, 0.02, -0.015, 0.02, 1.05], 0.3 },
        { [1, 2, -0.5], [1.1, 0.05, 0, 0.05, 0.9, -0.03, 0, -0.03, 1.0], 1.2 },
        { [0, 0, 1], [0.95, 0, 0, 0, 0.95, 0, 0, 0, 1.1], 0.0 },
        { [0.3, -1, 0.2], [1, 0, 0, 0, 1, 0, 0, 0, 1], 2.9 },
    };

    [Theory]
    [MemberData(nameof(AffineCases))]
    public void ExactlyAffineDeformationGivesZeroD2minAndAnalyticStrain(double[] axis, double[] u, double theta)
    {
        var f0 = ReadDump("compression_tri.dump.gz")[0];
        double[] r = Rotation(axis, theta);
        double[] f = Mul(r, u);
        var deformed = Transform(f0, f);
        var res = new NonAffineDisplacement().Compute(f0, new NeighborSearch().Ball(f0, Cutoff), deformed);

        // analytic Green–Lagrange strain: ½(FᵀF − I) = ½(U² − I)
        double[] e = new double[9];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++)
        {
            double s = 0;
            for (int k = 0; k < 3; k++) s += u[3 * a + k] * u[3 * k + b];
            e[3 * a + b] = 0.5 * (s - (a == b ? 1 : 0));
        }
        double vm = Math.Sqrt(e[1] * e[1] + e[2] * e[2] + e[5] * e[5] + ((e[0] - e[4]) * (e[0] - e[4]) + (e[0] - e[8]) * (e[0] - e[8]) + (e[4] - e[8]) * (e[4] - e[8])) / 6);
        double vol = (e[0] + e[4] + e[8]) / 3;
        for (int i = 0; i < f0.Count; i++)
        {
            Assert.True(res.D2min[i] < 1e-18, $"d2min {res.D2min[i]} for an affine map");
            Close(vm, res.ShearStrain[i], 1e-12, 1e-9, "shear");
            Close(vol, res.VolumetricStrain[i], 1e-12, 1e-9, "volumetric");
            Close(theta, res.RotationAngle[i], 1e-9, 1e-9, "rotation");
            for (int k = 0; k < 9; k++) Close(f[k], res.DeformationGradient[9 * i + k], 1e-12, 1e-10, "F");
        }
    }

    [Fact]
    public void CoplanarAndIsolatedAtomsGiveNaNAndACount()
    {
        // a square net in the plane z = 5 (4 in-plane neighbours within 1.2) plus one isolated atom far away
        var ids = new List<long>(); var x = new List<double>(); var y = new List<double>(); var z = new List<double>();
        for (int a = 0; a < 6; a++) for (int b = 0; b < 6; b++) { ids.Add(ids.Count + 1); x.Add(a); y.Add(b); z.Add(5); }
        ids.Add(ids.Count + 1); x.Add(3); y.Add(3); z.Add(15);
        var box = Box.Orthogonal(new Vec3(0, 0, 0), new Vec3(6, 6, 20));
        var frame = new Frame(box, new SpeciesTable(["Cu"]), ids.ToArray(), new int[ids.Count], x.ToArray(), y.ToArray(), z.ToArray());
        var moved = new Frame(box, frame.Species, ids.ToArray(), new int[ids.Count], x.Select(v => v * 1.01).ToArray(), y.ToArray(), z.ToArray());
        var res = new NonAffineDisplacement().Compute(frame, new NeighborSearch().Ball(frame, 1.2), moved);
        Assert.Equal(ids.Count, res.InvalidCount);
        Assert.All(res.D2min, v => Assert.True(double.IsNaN(v)));
        Assert.All(res.ShearStrain, v => Assert.True(double.IsNaN(v)));
        Assert.All(res.RotationAngle, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void ResultIsIdenticalForAnyThreadCountAndAtomOrder()
    {
        var frames = ReadDump("compression_ortho.dump.gz");
        var nl = new NeighborSearch().Ball(frames[0], Cutoff);
        var a = new NonAffineDisplacement(threads: 1).Compute(frames[0], nl, frames[4]);
        var b = new NonAffineDisplacement(threads: 2).Compute(frames[0], nl, frames[4]);
        Assert.Equal(a.D2min, b.D2min);
        Assert.Equal(a.RotationAngle, b.RotationAngle);
        // current frame with atoms in reverse order: matched by id
        var cur = frames[4];
        int n = cur.Count;
        var rev = new Frame(cur.Box, cur.Species, cur.Ids.Reverse().ToArray(), cur.SpeciesIndex.Reverse().ToArray(),
            cur.X.Reverse().ToArray(), cur.Y.Reverse().ToArray(), cur.Z.Reverse().ToArray(), cur.Timestep);
        var c = new NonAffineDisplacement(threads: 1).Compute(frames[0], nl, rev);
        Assert.Equal(a.D2min, c.D2min);
        Assert.Equal(n, c.Ids.Length);
    }

    [Fact]
    public void RejectsCutoffBeyondHalfTheCellAndMismatchedAtoms()
    {
        var frames = ReadDump("compression_ortho.dump.gz");
        var calc = new NonAffineDisplacement();
        var big = new NeighborSearch().Ball(frames[0], 11.0);
        Assert.Throws<ArgumentException>(() => calc.Compute(frames[0], big, frames[1]));
        var f1 = frames[1];
        var other = new Frame(f1.Box, f1.Species, f1.Ids.Select(i => i + 1000).ToArray(), f1.SpeciesIndex, f1.X, f1.Y, f1.Z);
        Assert.Throws<ArgumentException>(() => calc.Compute(frames[0], new NeighborSearch().Ball(frames[0], Cutoff), other));
        var feats = calc.Compute(frames[0], new NeighborSearch().Ball(frames[0], Cutoff), f1).ToFeatures();
        Assert.Equal(["d2min", "d2min_mean", "shear_strain", "volumetric_strain", "rotation_angle"], feats.Names);
    }

    internal static double[] Rotation(double[] axis, double theta)
    {
        double l = Math.Sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / l, y = axis[1] / l, z = axis[2] / l, c = Math.Cos(theta), s = Math.Sin(theta), t = 1 - c;
        return [t * x * x + c, t * x * y - s * z, t * x * z + s * y,
                t * x * y + s * z, t * y * y + c, t * y * z - s * x,
                t * x * z - s * y, t * y * z + s * x, t * z * z + c];
    }

    internal static double[] Mul(double[] a, double[] b)
    {
        var c = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) c[3 * i + j] += a[3 * i + k] * b[3 * k + j];
        return c;
    }

    private static Vec3 Apply(double[] f, Vec3 v) =>
        new(f[0] * v.X + f[1] * v.Y + f[2] * v.Z, f[3] * v.X + f[4] * v.Y + f[5] * v.Z, f[6] * v.X + f[7] * v.Y + f[8] * v.Z);

    /// <summary>Maps positions and cell by r → F·r (a general cell, not in LAMMPS form).</summary>
    internal static Frame Transform(Frame f, double[] m)
    {
        var box = new Box(Apply(m, f.Box.Origin), Apply(m, f.Box.A), Apply(m, f.Box.B), Apply(m, f.Box.C));
        int n = f.Count;
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++) { var p = Apply(m, f.Position(i)); x[i] = p.X; y[i] = p.Y; z[i] = p.Z; }
        return new Frame(box, f.Species, (long[])f.Ids.Clone(), (int[])f.SpeciesIndex.Clone(), x, y, z, f.Timestep + 1);
    }
}
