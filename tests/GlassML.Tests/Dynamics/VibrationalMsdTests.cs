using GlassML.Dynamics;
using GlassML.Learning;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Dynamics;

public class VibrationalMsdTests(ITestOutputHelper output)
{
    /// <summary>First minimum of the total g(r) of glass s1 (tools/dynamics_reference.py); a_i uses this cutoff list in place of Voronoi neighbours.</summary>
    private const double FirstMinimum = 3.775;

    /// <summary>nve/nve_1.dump.gz, nve_2, ... in seed order (nve_start.dump.gz is the starting configuration, not a run).</summary>
    private static string[] RunFiles() =>
        Directory.GetFiles(Path("nve"), "nve_*.dump.gz")
            .Select(f => (File: f, Key: System.IO.Path.GetFileName(f)[4..^8]))
            .Where(f => f.Key.All(char.IsAsciiDigit)).OrderBy(f => int.Parse(f.Key)).Select(f => f.File).ToArray();

    /// <summary>The NVE fixture read once through the library's own reader (Trajectory over each run's dump).</summary>
    private static readonly Lazy<(VibrationalMsdResult Msd, Frame Start)> Nve = new(() =>
    {
        var files = RunFiles();
        var res = new VibrationalMsd().Compute(files.Select(f => (IEnumerable<Frame>)Trajectory.Open(f, new TrajectoryOptions { Dt = 0.002 }, CuZr)));
        return (res, Trajectory.Open(Path("nve", "nve_start.dump.gz"), null, CuZr).Single());
    });

    private static int[] Half(int runs, int parity) => Enumerable.Range(0, runs).Where(k => k % 2 == parity).ToArray();

    [Fact]
    public void MsdAndFlexibilityVolumeEqualNumpyReference()
    {
        var (res, start) = Nve.Value;
        Assert.Equal(RunFiles().Length, res.RunCount);
        Assert.True(res.RunCount >= 8);
        var nl = new NeighborSearch().Ball(start, FirstMinimum);
        var feats = FlexibilityVolume.ToFeatures(res, start, nl);
        var even = res.MeanOver(Half(res.RunCount, 0));
        var odd = res.MeanOver(Half(res.RunCount, 1));
        var reference = ReadCsv("vflex_ref.csv.gz");
        Assert.Equal(500, reference.Count);
        foreach (var row in reference)
        {
            int i = Array.IndexOf(res.Ids, (long)row["id"]);
            Close(row["msd_vib"], res.Msd[i], 1e-14, 1e-9, "msd_vib");
            Close(row["msd_even_runs"], even[i], 1e-14, 1e-9, "msd even");
            Close(row["msd_odd_runs"], odd[i], 1e-14, 1e-9, "msd odd");
            Close(row["a_mean"], feats[i, 1], 1e-12, 1e-12, "a_mean");
            Close(row["v_flex"], feats[i, 2], 1e-14, 1e-9, "v_flex");
        }
    }

    [Fact]
    public void FlexibilityVolumeOfIndependentHalvesOfTheRunsCorrelates()
    {
        // Issue 5 done-when: v_flex from the NVE runs correlates with itself across two independent halves of the
        // runs (even vs odd seeds), ρ > 0.9 for both Pearson and Spearman, recomputed here with GlassML's own
        // VibrationalMsd, FlexibilityVolume and Learning.Metrics.
        var (res, start) = Nve.Value;
        var a = FlexibilityVolume.MeanNeighborDistance(new NeighborSearch().Ball(start, FirstMinimum));
        var va = FlexibilityVolume.Compute(res.MeanOver(Half(res.RunCount, 0)), a);
        var vb = FlexibilityVolume.Compute(res.MeanOver(Half(res.RunCount, 1)), a);
        double pearson = Metrics.Pearson(va, vb), spearman = Metrics.Spearman(va, vb);
        output.WriteLine($"v_flex split-half over {res.RunCount} runs ({res.FrameCounts[0]} frames each): Pearson {pearson:F4}, Spearman {spearman:F4}");
        // the same numbers from scipy (tools/dynamics_reference.py) on the same dumps
        var scipy = ReadCsv("vflex_split_half.csv").Single();
        Assert.Equal(res.RunCount, (int)scipy["runs"]);
        Close(scipy["pearson"], pearson, 1e-9, 0, "Pearson vs scipy");
        Close(scipy["spearman"], spearman, 1e-9, 0, "Spearman vs scipy");
        Assert.True(pearson > 0.9, $"split-half Pearson {pearson:F4} ≤ 0.9");
        Assert.True(spearman > 0.9, $"split-half Spearman {spearman:F4} ≤ 0.9");
    }

    /// <summary>a_i of nve_start within the first g(r) minimum, reordered to the atoms of <paramref name="res"/> (by id).</summary>
    private static double[] MeanDistanceById(VibrationalMsdResult res, Frame start)
    {
        var a = FlexibilityVolume.MeanNeighborDistance(new NeighborSearch().Ball(start, FirstMinimum));
        var at = new Dictionary<long, int>();
        for (int j = 0; j < start.Count; j++) at[start.Ids[j]] = j;
        return res.Ids.Select(id => a[at[id]]).ToArray();
    }

    [Fact]
    public void SplitHalfEqualsScipyAndThePythonScript()
    {
        // all 96 runs: scipy pearsonr / spearmanr of the even vs the odd runs' v_flex (tools/dynamics_reference.py)
        var (res, start) = Nve.Value;
        var (pearson, spearman) = FlexibilityVolume.SplitHalf(res, MeanDistanceById(res, start));
        var scipy = ReadCsv("vflex_split_half.csv").Single();
        Assert.Equal(res.RunCount, (int)scipy["runs"]);
        Close(scipy["pearson"], pearson, 1e-9, 0, "Pearson vs scipy");
        Close(scipy["spearman"], spearman, 1e-9, 0, "Spearman vs scipy");
        // the first 16 runs: tools/vflex_split_half.py prints Pearson 0.713, Spearman 0.750 (3 decimals)
        var res16 = new VibrationalMsd().Compute(RunFiles().Take(16).Select(f => (IEnumerable<Frame>)Trajectory.Open(f, new TrajectoryOptions { Dt = 0.002 }, CuZr)));
        var (p16, s16) = FlexibilityVolume.SplitHalf(res16, MeanDistanceById(res16, start));
        Close(0.713, p16, 5.1e-4, 0, "16-run Pearson vs vflex_split_half.py");
        Close(0.750, s16, 5.1e-4, 0, "16-run Spearman vs vflex_split_half.py");
        // errors: one run has no halves; a_i of the wrong length
        var res1 = new VibrationalMsd().Compute(RunFiles().Take(1).Select(f => (IEnumerable<Frame>)Trajectory.Open(f, null, CuZr)));
        Assert.Throws<ArgumentException>(() => FlexibilityVolume.SplitHalf(res1, MeanDistanceById(res1, start)));
        Assert.Throws<ArgumentException>(() => FlexibilityVolume.SplitHalf(res, new double[res.Ids.Length - 1]));
    }

    [Fact]
    public void KnownOscillationsGiveExactMsd()
    {
        // atom i oscillates between r0 ± A_i along x (two frames each side) in run 1 and along y with 2·A_i in run 2
        int n = 7;
        var amp = Enumerable.Range(0, n).Select(i => 0.01 * (i + 1)).ToArray();
        var box = Box.Cubic(30);
        List<Frame> Run(int axis, double scale, long t0)
        {
            var frames = new List<Frame>();
            double[] signs = [1, -1, 1, -1];
            for (int t = 0; t < signs.Length; t++)
            {
                var x = new double[n]; var y = new double[n]; var z = new double[n];
                for (int i = 0; i < n; i++)
                {
                    x[i] = 3 * i + (axis == 0 ? signs[t] * amp[i] * scale : 0);
                    y[i] = 5 + (axis == 1 ? signs[t] * amp[i] * scale : 0);
                    z[i] = 7;
                }
                var ids = Enumerable.Range(1, n).Select(k => (long)k).Reverse().ToArray(); // matched by id
                frames.Add(new Frame(box, new SpeciesTable(["Cu"]), ids, new int[n], x.Reverse().ToArray(), y.Reverse().ToArray(), z, t0 + t) { PositionsUnwrapped = true });
            }
            return frames;
        }
        var res = new VibrationalMsd(threads: 1).Compute([Run(0, 1, 0), Run(1, 2, 100)]);
        Assert.Equal(2, res.RunCount);
        for (int k = 0; k < n; k++)
        {
            int i = Array.IndexOf(res.Ids, (long)(k + 1)); // both ids and positions are reversed: amplitude k belongs to id k+1
            Close(amp[k] * amp[k], res.PerRun[0][i], 1e-15, 1e-10, "run 1");
            Close(4 * amp[k] * amp[k], res.PerRun[1][i], 1e-15, 1e-10, "run 2");
            Close(2.5 * amp[k] * amp[k], res.Msd[i], 1e-15, 1e-10, "mean");
        }
        Assert.Throws<ArgumentException>(() => new VibrationalMsd().Compute([Run(0, 1, 0).Take(1)]));
        Assert.Throws<ArgumentException>(() => new VibrationalMsd().Compute([]));
    }
}
