using System.Globalization;
using GlassML.Dynamics;
using GlassML.Structure;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Dynamics;

public class LaggedDisplacementTests
{
    private static readonly double[] Lags = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];
    private const double Dt = 0.001;

    /// <summary>LAMMPS compute msd rows: origin, origin step, step, then 9 values (see recipes/lammps/isothermal.in).</summary>
    private static List<double[]> LammpsMsd() =>
        File.ReadLines(Path("isothermal_1500K.msd.txt")).Where(l => !l.StartsWith('#') && l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();

    private static Trajectory Iso() => Trajectory.Open(Path("isothermal_1500K.dump.gz"), new TrajectoryOptions { Dt = Dt }, CuZr);

    [Fact]
    public void SpeciesMsdEqualsLammpsComputeMsdForEachOriginAndAveraged()
    {
        var rows = LammpsMsd();
        Assert.Equal(16, rows.Count);
        // one origin at a time (explicit origin times), then both origins averaged
        foreach (long originStep in new long[] { 0, 2000 })
        {
            var res = new LaggedDisplacement(Lags, Dt, new LaggedDisplacementOptions { OriginTimes = [originStep * Dt] }).Compute(Iso());
            Assert.Equal(1, res.OriginsUsed);
            foreach (var r in rows.Where(r => (long)r[1] == originStep))
            {
                int k = Array.IndexOf(res.LagSteps, (long)r[2] - originStep);
                Assert.True(k >= 0);
                Check(res, k, r);
            }
        }
        var both = new LaggedDisplacement(Lags, Dt).Compute(Iso());
        Assert.Equal(2, both.OriginsUsed);
        for (int k = 0; k < Lags.Length; k++)
        {
            Assert.Equal(2, both.OriginCount[k]);
            var mean = new double[12];
            foreach (var r in rows.Where(r => (long)r[2] - (long)r[1] == both.LagSteps[k]))
                for (int c = 0; c < 12; c++) mean[c] += r[c] / 2;
            Check(both, k, mean);
        }
    }

    private static void Check(LaggedDisplacementResult res, int k, double[] r)
    {
        string[] groups = ["Cu", "Zr", "all"];
        for (int g = 0; g < 3; g++)
        {
            Close(r[3 + g], res.Msd(groups[g], k), 1e-12, 1e-8, $"msd {groups[g]} lag {res.Lags[k]}");
            Close(r[6 + g], res.Msd(groups[g], k, LaggedDisplacementResult.PerpendicularTo(0)), 1e-12, 1e-8, $"msd_yz {groups[g]}");
            Close(r[9 + g], res.Msd(groups[g], k, Axes.XY), 1e-12, 1e-8, $"msd_xy {groups[g]}");
        }
    }

    [Fact]
    public void PerAtomDr2EqualsNumpyAndFeaturesFollowNames()
    {
        var reference = ReadCsv("dr2_ref.csv.gz");
        var res = new LaggedDisplacement(Lags, Dt, new LaggedDisplacementOptions { Threads = 2 }).Compute(Iso());
        var feats = res.ToFeatures(1500);
        Assert.Equal("dr2_0.01", feats.Names[0]);
        Assert.Equal("dr2_2", feats.Names[7]);
        Assert.Equal("lg_dr2_over_T_0.05", feats.Names[10]);
        foreach (var row in reference)
        {
            int i = Array.IndexOf(res.Ids, (long)row["id"]);
            foreach (double lag in Lags)
            {
                string name = "dr2_" + lag.ToString("R", CultureInfo.InvariantCulture);
                double want = row[name];
                Close(want, feats[i, feats.IndexOf(name)], 1e-12, 1e-10, name);
                Close(Math.Log10(want / 1500), feats[i, feats.IndexOf("lg_dr2_over_T_" + lag.ToString("R", CultureInfo.InvariantCulture))], 1e-10, 0, "lg");
            }
        }
    }

    [Fact]
    public void BallisticMotionGivesVelocitySquaredTimesLagSquaredAndUserGroups()
    {
        // atoms moving at constant velocity v_i: Δr² = |v_i|² Δt² for any origin; group curves are group means
        int n = 50, nf = 40;
        var rng = new Random(3);
        var v = Enumerable.Range(0, 3 * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var box = Box.Cubic(20);
        var frames = new List<Frame>();
        for (int t = 0; t < nf; t++)
        {
            double time = t * 0.01;
            var x = new double[n]; var y = new double[n]; var z = new double[n];
            for (int i = 0; i < n; i++) { x[i] = i * 0.3 + v[3 * i] * time; y[i] = v[3 * i + 1] * time; z[i] = 2 + v[3 * i + 2] * time; }
            var ids = Enumerable.Range(1, n).Select(k => (long)k).ToArray();
            frames.Add(new Frame(box, new SpeciesTable(["Cu", "Zr"]), ids, ids.Select(k => (int)(k % 2)).ToArray(), x, y, z, t * 10) { PositionsUnwrapped = true });
        }
        double[] lags = [0.01, 0.05, 0.2];
        var groups = new Dictionary<string, long[]> { ["first10"] = Enumerable.Range(1, 10).Select(k => (long)k).ToArray() };
        var res = new LaggedDisplacement(lags, 0.001, new LaggedDisplacementOptions { OriginInterval = 0, Groups = groups }).Compute(frames);
        Assert.Equal(nf - 1, res.OriginCount[0]);
        Assert.Equal(nf - 20, res.OriginCount[2]);
        for (int k = 0; k < lags.Length; k++)
        {
            double g = 0, gx = 0;
            for (int i = 0; i < n; i++)
            {
                double v2 = v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2];
                Close(v2 * lags[k] * lags[k], res.Dr2[k][i], 1e-15, 1e-9, "ballistic");
                if (i < 10) { g += v2 / 10; gx += v[3 * i] * v[3 * i] / 10; }
            }
            Close(g * lags[k] * lags[k], res.Msd("first10", k), 1e-15, 1e-9, "group");
            Close(gx * lags[k] * lags[k], res.Msd("first10", k, Axes.X), 1e-15, 1e-9, "group x");
        }
    }

    [Fact]
    public void RejectsBadLagsAndWrappedFramesWithoutImages()
    {
        Assert.Throws<ArgumentException>(() => new LaggedDisplacement([0.0015], 0.001));
        Assert.Throws<ArgumentException>(() => new LaggedDisplacement([0.01, 0.01], 0.001));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaggedDisplacement([0.01], 0));
        var f = ReadDump("compression_ortho.dump.gz")[0];
        f.Images = null;
        Assert.Throws<ArgumentException>(() => new LaggedDisplacement([0.01], 0.001).Compute([f]));
        Assert.Throws<ArgumentException>(() => new LaggedDisplacement([0.01], 0.001).Compute([]));
        var ok = new LaggedDisplacement([0.5], 0.002).Compute(ReadDump("compression_ortho.dump.gz"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ok.ToFeatures(0));
    }
}
