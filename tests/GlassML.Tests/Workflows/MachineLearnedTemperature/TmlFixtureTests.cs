using System.Globalization;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Tests.Workflows.MachineLearnedTemperature;

/// <summary>
/// The T_ML workflow on the committed LAMMPS fixtures (tests/fixtures/tml: glass s1 isothermal at 300, 700, 1000 and
/// 1500 K; creep at 300 K and 2 GPa) against the numpy/scipy/scikit-learn references of tools/tml_reference.py.
/// </summary>
public class TmlFixtureTests
{
    internal static readonly double[] Lags = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];
    internal static readonly double[] Temps = [300, 700, 1000, 1500];
    internal static readonly ReadOptions Types = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    internal static TmlRun[] Runs() => Temps.Select(t => new TmlRun($"{t}K", Fixtures.Path("tml", $"isothermal_{t}K.dump.gz"), t, $"{t}K")).ToArray();

    /// <summary>Every class kept, every lag kept, ReliefF on every instance: the setting of the Python reference.</summary>
    private static readonly Lazy<TmlTrainResult> Full = new(() => TmlTraining.Train(Runs(), new TmlTrainOptions
    {
        Lags = Lags, Dt = 0.001, K = 50, Folds = 10, Classes = Temps.Select(t => (IReadOnlyList<double>)[t]).ToArray(),
        DropLags = TmlDropLags.None, Tg = 700, ReliefSamples = 0, ReadOptions = Types,
    }, []));

    private static double[][] Csv(string name, out string[] header)
    {
        var lines = Fixtures.ReadLines("tml", "reference", name);
        header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Fact]
    public void CvMeanTmlIncreasesStrictlyWithTemperature()
    {
        var r = TmlTraining.Train(Runs(), new TmlTrainOptions { Lags = Lags, Dt = 0.001, Tg = 700, ReadOptions = Types }, []);
        var means = r.ClassStats.Numbers("tml_mean");
        var labels = r.ClassStats.Numbers("label");
        Assert.True(labels.Length >= 2);
        for (int c = 1; c < means.Length; c++)
            Assert.True(means[c] > means[c - 1], $"class {labels[c]} K: mean T_ML {means[c]} is not above {means[c - 1]} of {labels[c - 1]} K");
        // the same with every class kept
        var full = Full.Value.ClassStats.Numbers("tml_mean");
        for (int c = 1; c < full.Length; c++) Assert.True(full[c] > full[c - 1], $"all classes: {string.Join(", ", full)}");
    }

    [Fact]
    public void ClassMeansDendrogramAndReliefFEqualTheReference()
    {
        var r = Full.Value;
        var means = Csv("class_means.csv", out _);
        for (int c = 0; c < Temps.Length; c++)
        {
            Assert.Equal(Temps[c], means[c][0]);
            for (int k = 0; k < Lags.Length; k++) Assert.Equal(means[c][k + 1], r.ClassMeans[c * Lags.Length + k], 1e-12);
        }
        var link = Csv("linkage.csv", out _);
        Assert.Equal(link.Length, r.Dendrogram.Merges.Count);
        for (int m = 0; m < link.Length; m++)
        {
            var g = r.Dendrogram.Merges[m];
            Assert.Equal((int)link[m][0], g.A); Assert.Equal((int)link[m][1], g.B); Assert.Equal((int)link[m][3], g.Size);
            Assert.True(Math.Abs(link[m][2] - g.Height) < 1e-10, $"merge {m}: {g.Height} vs scipy {link[m][2]}");
        }
        var w = Csv("relieff.csv", out _);
        for (int k = 0; k < Lags.Length; k++)
            Assert.True(Math.Abs(w[k][1] - r.Model.ReliefWeights[k]) < 1e-10, $"lag {Lags[k]}: ReliefF {r.Model.ReliefWeights[k]} vs {w[k][1]}");
    }

    [Fact]
    public void ApplyOnCreepEqualsScikitLearn()
    {
        var model = Full.Value.Model;
        var refRows = Csv("knn_creep.csv.gz", out _);
        foreach (var mode in new[] { AffineMode.Remove, AffineMode.Keep })
        {
            var res = TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), model, new TmlApplyOptions
            {
                Temperature = 300, Dt = 0.002, Starts = [0, 10, 20, 40], Affine = mode, ReadOptions = Types, Threads = 2,
            });
            Assert.Equal(4, res.Starts.Count);
            int n = res.Ids.Length, checkedRows = 0;
            foreach (var row in refRows)
            {
                var s = res.Starts.Single(x => x.Start == row[0]);
                int i = Array.BinarySearch(res.Ids, (long)row[1]);
                double expected = mode == AffineMode.Remove ? row[2] : row[3];
                Assert.True(Math.Abs(expected - s.Tml[i]) < 1e-9, $"{mode} t0 {row[0]} id {row[1]}: {s.Tml[i]} vs sklearn {expected}");
                checkedRows++;
            }
            Assert.Equal(4 * n, checkedRows);
        }
    }

    [Fact]
    public void StrainCorrelationEqualsNumpy()
    {
        // Pearson r of T_ML with D²min, von Mises strain and rotation angle per start and lag (numpy Falk–Langer, 4 Å)
        var res = TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), Full.Value.Model, new TmlApplyOptions
        {
            Temperature = 300, Dt = 0.002, Starts = [0, 10, 20, 40], ReadOptions = Types, Threads = 2, StrainCutoff = 4.0,
        });
        var sc = res.StrainCorrelation!;
        var expected = Csv("strain_correlation.csv", out var header);
        Assert.Equal(4 * Lags.Length, sc.Rows);
        Assert.Equal(expected.Length, sc.Rows);
        for (int i = 0; i < sc.Rows; i++)
        {
            Assert.Equal(expected[i][0], sc.Numbers("start_ps")[i]);
            Assert.Equal(expected[i][1], sc.Numbers("lag_ps")[i], 1e-12);
            Assert.Equal(0, sc.Numbers("degenerate_atoms")[i]);
            for (int c = 2; c < 5; c++)
                Assert.True(Math.Abs(expected[i][c] - sc.Numbers(header[c])[i]) < 1e-8, $"t0 {expected[i][0]} lag {expected[i][1]} {header[c]}: {sc.Numbers(header[c])[i]} vs numpy {expected[i][c]}");
        }
        // D²min of the longest window correlates with T_ML far more than at 0.01 ps (a result that can fail)
        Assert.True(sc.Numbers("pearson_d2min")[Lags.Length - 1] > sc.Numbers("pearson_d2min")[0] + 0.2);
        Assert.Null(TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), Full.Value.Model, new TmlApplyOptions
        {
            Temperature = 300, Dt = 0.002, Starts = [0], ReadOptions = Types,
        }).StrainCorrelation);
        Assert.Throws<ArgumentException>(() => TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), Full.Value.Model, new TmlApplyOptions
        {
            Temperature = 300, Dt = 0.002, Starts = [0], ReadOptions = Types, StrainCutoff = 12,
        }));
    }

    [Fact]
    public void ApplyFeaturesAreTheTrainingInstances()
    {
        var model = Full.Value.Model;
        // the 300 K run's instances are the first 2 × 500 training rows (windows at 0 and 20 ps, atoms by id)
        var ws = TmlWindows.Read(Fixtures.Path("tml", "isothermal_300K.dump.gz"), 0.001, model.Lags, 300, [0, 20], AffineMode.Remove, Types);
        var feats = ws.Windows.SelectMany(w => w.Features).ToArray();
        Assert.Equal(model.X.AsSpan(0, feats.Length).ToArray(), feats);
    }

    /// <summary>A homogeneous deformation growing from 0 at the start to 5 % at the last frame (x stretched, z compressed, xy shear).</summary>
    private static Frame Deform(Frame f, double s)
    {
        var b = f.Box;
        double[,] F = { { 1 + s, 0.4 * s, 0 }, { 0, 1, 0 }, { 0, 0, 1 - s } };
        Vec3 M(Vec3 v) => new(F[0, 0] * v.X + F[0, 1] * v.Y + F[0, 2] * v.Z, F[1, 0] * v.X + F[1, 1] * v.Y + F[1, 2] * v.Z, F[2, 0] * v.X + F[2, 1] * v.Y + F[2, 2] * v.Z);
        var box = new Box(b.Origin, M(b.A), M(b.B), M(b.C));
        int n = f.Count;
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            var r = b.Origin + M(new Vec3(f.X[i], f.Y[i], f.Z[i]) - b.Origin);
            x[i] = r.X; y[i] = r.Y; z[i] = r.Z;
        }
        return new Frame(box, f.Species, f.Ids, f.SpeciesIndex, x, y, z, f.Timestep) { PositionsUnwrapped = true };
    }

    [Fact]
    public void HomogeneousDeformationIsRemovedAndOnlyThen()
    {
        var model = Full.Value.Model;
        string src = Fixtures.Path("tml", "isothermal_300K.dump.gz");
        string dir = TmlSyntheticTests.TempDir();
        try
        {
            var frames = GlassML.Dynamics.Trajectory.Open(src, new GlassML.Dynamics.TrajectoryOptions { Dt = 0.001 }, Types).ToList();
            long last = frames[^1].Timestep;
            string deformed = Path.Combine(dir, "deformed.dump.gz");
            LammpsDumpWriter.Write(deformed, frames.Select(f => Deform(f, 0.05 * f.Timestep / last)));
            var o = new TmlApplyOptions { Temperature = 300, Dt = 0.001, Starts = [0], ReadOptions = Types };
            var plain = TmlApplication.Apply(src, model, o).Starts[0].Tml;
            var removed = TmlApplication.Apply(deformed, model, o).Starts[0].Tml;
            var kept = TmlApplication.Apply(deformed, model, o with { Affine = AffineMode.Keep }).Starts[0].Tml;
            for (int i = 0; i < plain.Length; i++) Assert.True(Math.Abs(plain[i] - removed[i]) < 1e-6, $"atom {i}: {removed[i]} vs {plain[i]}");
            int changed = Enumerable.Range(0, plain.Length).Count(i => Math.Abs(plain[i] - kept[i]) > 1e-6);
            Assert.True(changed > plain.Length / 2, $"keep changed only {changed} atoms");
            Assert.True(kept.Average() > plain.Average(), $"keep: mean {kept.Average()} vs {plain.Average()}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void WindowPastTheEndIsReportedNotShortened()
    {
        var model = Full.Value.Model;
        var res = TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), model, new TmlApplyOptions
        {
            Temperature = 300, Dt = 0.002, Starts = [0, 60, 50], ReadOptions = Types,
        });
        Assert.Single(res.Starts);
        // 60 ps is the last frame: its window runs past the end; 50 ps is inside the run but has no frame
        var w = res.Windows.Windows.Single(x => x.Start == 60);
        Assert.False(w.Complete);
        Assert.True(w.PastEnd);
        Assert.Contains("past the end", res.Summary.Cell(2, 1));
        Assert.Contains("not on the frame schedule", res.Summary.Cell(1, 1));
        Assert.False(res.Windows.Windows.Single(x => x.Start == 50).PastEnd);
        Assert.Throws<InputFormatException>(() => TmlApplication.Apply(Fixtures.Path("tml", "creep_300K_2GPa.dump.gz"), model,
            new TmlApplyOptions { Temperature = 300, Dt = 0.002, Starts = [60], ReadOptions = Types }));
    }
}
