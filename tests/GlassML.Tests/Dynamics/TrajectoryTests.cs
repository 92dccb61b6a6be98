using GlassML.Dynamics;
using GlassML.Structure;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Dynamics;

public class TrajectoryTests
{
    [Theory]
    [InlineData("compression_ortho.dump.gz")]
    [InlineData("compression_tri.dump.gz")]
    public void ImageFlagsReproduceLammpsUnwrappedColumns(string name)
    {
        var traj = Trajectory.Open(Path(name), new TrajectoryOptions { Dt = 0.002, Unwrap = UnwrapMode.ImageFlags }, CuZr);
        int frames = 0, crossed = 0;
        foreach (var f in traj)
        {
            Assert.True(f.PositionsUnwrapped);
            for (int i = 0; i < f.Count; i++)
            {
                Close(f.Columns["xu"][i], f.X[i], 3e-10, 0, "xu");
                Close(f.Columns["yu"][i], f.Y[i], 3e-10, 0, "yu");
                Close(f.Columns["zu"][i], f.Z[i], 3e-10, 0, "zu");
                if (f.Images![0][i] != 0 || f.Images[1][i] != 0 || f.Images[2][i] != 0) crossed++;
            }
            frames++;
        }
        Assert.Equal(5, frames);
        Assert.True(crossed > 0, "some atoms must carry non-zero image flags");
    }

    [Fact]
    public void ContinuityUnwrappingRecoversLammpsImageChangesInTiltedDeformingCell()
    {
        // drop the image flags: continuity must find LAMMPS' image changes relative to frame 0, and so
        // positions x + H_t·(img_t − img_0)
        var frames = ReadDump("compression_tri.dump.gz");
        var img = frames.Select(f => f.Images!).ToList();
        foreach (var f in frames) f.Images = null;
        var traj = Trajectory.FromFrames(frames, new TrajectoryOptions { Unwrap = UnwrapMode.Continuity });
        int t = 0, changed = 0;
        foreach (var f in traj)
        {
            for (int i = 0; i < f.Count; i++)
            {
                int a = img[t][0][i] - img[0][0][i], b = img[t][1][i] - img[0][1][i], c = img[t][2][i] - img[0][2][i];
                Assert.Equal(a, f.Images![0][i]); Assert.Equal(b, f.Images[1][i]); Assert.Equal(c, f.Images[2][i]);
                if (a != 0 || b != 0 || c != 0) changed++;
                var want = frames[t].Position(i) + f.Box.ShiftVector(a, b, c);
                Close(want.X, f.X[i], 1e-12, 1e-14, "x"); Close(want.Y, f.Y[i], 1e-12, 1e-14, "y"); Close(want.Z, f.Z[i], 1e-12, 1e-14, "z");
            }
            t++;
        }
        Assert.Equal(5, t);
        Assert.True(changed > 0, "some atoms must cross a boundary in the fixture");
        Assert.Null(frames[0].Images); // source frames untouched
    }

    [Fact]
    public void ContinuityFollowsRandomWalkAcrossBoundariesOfAChangingTriclinicCell()
    {
        // analytic: a known unwrapped random walk, wrapped into a cell that changes every frame
        var rng = new Random(12);
        int n = 200, steps = 60;
        var ux = new double[n]; var uy = new double[n]; var uz = new double[n];
        for (int i = 0; i < n; i++) { ux[i] = rng.NextDouble() * 10; uy[i] = rng.NextDouble() * 10; uz[i] = rng.NextDouble() * 10; }
        var truth = new List<double[]>();
        var images = new List<int[]>();
        var frames = new List<Frame>();
        for (int t = 0; t < steps; t++)
        {
            double s = 1 + 0.002 * t;
            var box = Box.FromLammps(0, 10 * s, 0, 9.5, 0, 10.5 / s, xy: 2.0 + 0.05 * t, xz: -1.5, yz: 1.0);
            var x = new double[n]; var y = new double[n]; var z = new double[n];
            var tr = new double[3 * n];
            for (int i = 0; i < n; i++)
            {
                if (t > 0) { ux[i] += (rng.NextDouble() - 0.5) * 3; uy[i] += (rng.NextDouble() - 0.5) * 3; uz[i] += (rng.NextDouble() - 0.5) * 3; }
                var w = box.Wrap(new Vec3(ux[i], uy[i], uz[i]));
                x[i] = w.X; y[i] = w.Y; z[i] = w.Z;
                tr[3 * i] = ux[i]; tr[3 * i + 1] = uy[i]; tr[3 * i + 2] = uz[i];
            }
            truth.Add(tr);
            var im = new int[3 * n];
            for (int i = 0; i < n; i++)
            {
                var m = box.DeltaToFractional(new Vec3(ux[i] - x[i], uy[i] - y[i], uz[i] - z[i]));
                im[3 * i] = (int)Math.Round(m.X); im[3 * i + 1] = (int)Math.Round(m.Y); im[3 * i + 2] = (int)Math.Round(m.Z);
            }
            images.Add(im);
            var ids = Enumerable.Range(1, n).Select(v => (long)v).ToArray();
            frames.Add(new Frame(box, new SpeciesTable(["Cu"]), ids, new int[n], x, y, z, t * 10));
        }
        // the walk's own image numbers m_t (u = wrapped + H_t·m_t); continuity finds m_t − m_0
        int k = 0, crossings = 0;
        foreach (var f in Trajectory.FromFrames(frames))
        {
            for (int i = 0; i < n; i++)
            {
                for (int a = 0; a < 3; a++)
                {
                    Assert.Equal(images[k][3 * i + a] - images[0][3 * i + a], f.Images![a][i]);
                    if (f.Images[a][i] != 0) crossings++;
                }
                var m0 = f.Box.ShiftVector(images[0][3 * i], images[0][3 * i + 1], images[0][3 * i + 2]);
                Close(truth[k][3 * i] - m0.X, f.X[i], 1e-9, 0, "x");
                Close(truth[k][3 * i + 1] - m0.Y, f.Y[i], 1e-9, 0, "y");
                Close(truth[k][3 * i + 2] - m0.Z, f.Z[i], 1e-9, 0, "z");
            }
            k++;
        }
        Assert.True(crossings > 100);
        Assert.Equal(steps, k);
    }

    [Fact]
    public void SelectsFramesByIndexTimestepAndStrideAndSkipsDuplicates()
    {
        var path = Path("compression_ortho.dump.gz");
        var all = Trajectory.Open(path, new TrajectoryOptions { Dt = 0.002 }, CuZr).ToList();
        long[] steps = all.Select(f => f.Timestep).ToArray();
        Assert.Equal([0L, 250, 500, 750, 1000], steps);
        var byIndex = Trajectory.Open(path, new TrajectoryOptions { Dt = 0.002, Unwrap = UnwrapMode.ImageFlags, FrameIndices = new HashSet<int> { 1, 4 } }, CuZr);
        Assert.Equal([250L, 1000], byIndex.Select(f => f.Timestep).ToArray());
        Assert.Equal(2.0, byIndex.TimeOf(byIndex.Last()), 12);
        var byStep = Trajectory.Open(path, new TrajectoryOptions { Timesteps = new HashSet<long> { 500, 750 } }, CuZr);
        Assert.Equal([500L, 750], byStep.Select(f => f.Timestep).ToArray());
        var strided = Trajectory.Open(path, new TrajectoryOptions { Stride = 2 }, CuZr);
        Assert.Equal([0L, 500, 1000], strided.Select(f => f.Timestep).ToArray());
        Assert.Throws<InvalidOperationException>(() => strided.TimeOf(all[0]));

        var dup = new List<Frame> { all[0], all[1], all[1], all[2] };
        var t = Trajectory.FromFrames(dup);
        Assert.Equal(3, t.Count());
        Assert.Equal(1, t.DuplicatesSkipped);
        Assert.Throws<InvalidDataException>(() => Trajectory.FromFrames([all[2], all[1]]).ToList());
    }
}
