using System.Globalization;
using GlassML.Io;
using GlassML.Potentials;
using GlassML.Structure;
using GlassML.Workflows;
using GlassML.Workflows.BondStrength;

namespace GlassML.Tests.Workflows.BondStrength;

public class BondWorkflowTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static EamPotential Potential() => EamPotential.Read(Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"));

    private static BondSample Sample(string name, Frame f, SampleRole role, BondCutoffs? cut = null) =>
        new(name, role, EamBondLabels.Label(Potential(), BondTable.Find(f, cut ?? BondCutoffs.FirstMinimum([f], 2), 2), 0, 2));

    [Fact]
    public void EamLabelsEqualTheLammpsExclusionDeck()
    {
        // recipes/lammps/bond_cut_energy.in (eam helper): E with the pair excluded, and the reference E
        var f = StructureReader.ReadFrame(Fixtures.Path("eam", "ortho500.fs.dump.gz"), 0, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        var lines = Fixtures.ReadLines("eam", "ortho500.fs.bonds.txt");
        double eref = D(lines[0].Split(' ')[1]);
        double rc = Potential().Cutoff; // the deck's pairs reach out to the potential's cutoff
        var labels = EamBondLabels.Label(Potential(), BondTable.Find(f, BondCutoffs.From([("Cu", "Cu", rc), ("Cu", "Zr", rc), ("Zr", "Zr", rc)]), 2), 0, 2);
        var ids = f.Ids; var b = labels.Bonds;
        int checkedBonds = 0;
        foreach (var l in lines.Skip(1))
        {
            var t = l.Split(' ');
            long a = long.Parse(t[0], CultureInfo.InvariantCulture), c = long.Parse(t[1], CultureInfo.InvariantCulture);
            var rows = Enumerable.Range(0, b.Count).Where(k => ids[b.I[k]] == Math.Min(a, c) && ids[b.J[k]] == Math.Max(a, c)).ToArray();
            Assert.Single(rows);
            double want = D(t[2]) - eref;
            Assert.True(Math.Abs(labels.Values[rows[0]] - want) <= 1e-8, $"bond {a}-{c}: {labels.Values[rows[0]]} vs LAMMPS {want}");
            checkedBonds++;
        }
        Assert.True(checkedBonds >= 10);
    }

    [Fact]
    public void TrainedOnGlassS1PredictsEveryDemoBondAndBeatsTheDistanceOnlyGpr()
    {
        var s1 = Fixtures.GlassS1();
        var demo = DemoGlass.Load();
        BondSample[] samples = [Sample("s1", s1, SampleRole.Train), Sample("demo", demo, SampleRole.Test)];
        var withSoap = BondTrain.Run(samples, new BondTrainOptions(Threads: 2));
        var distanceOnly = BondTrain.Run(samples, new BondTrainOptions(Parameters: new BondGprParameters(UseSoap: false), Threads: 2));
        foreach (var pair in new[] { "Cu-Cu", "Cu-Zr", "Zr-Zr" })
        {
            Assert.InRange(withSoap.Metrics["n_train_" + pair], 500, 600); // all of s1's Zr-Zr bonds when fewer than 600
            Assert.True(withSoap.Metrics["n_test_" + pair] > 1000);
            double r2 = withSoap.Metrics["test_r2_" + pair], rmse = withSoap.Metrics["test_rmse_" + pair], rmse0 = distanceOnly.Metrics["test_rmse_" + pair];
            Assert.True(r2 >= 0.97, $"{pair}: R² {r2}");
            Assert.True(rmse0 >= 4 * rmse, $"{pair}: RMSE {rmse} vs distance-only {rmse0}");
        }
    }

    private static BondSample[] SmallSamples()
    {
        var s1 = Fixtures.GlassS1();
        return [Sample("s1", s1, SampleRole.Train, BondCutoffs.Parse("Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9"))];
    }

    [Fact]
    public void ReloadedModelPredictsBitForBitAndTrainingIsThreadIndependent()
    {
        var samples = SmallSamples();
        var o = new BondTrainOptions(PerType: 80, Soap: "nmax=3,lmax=3", LearningCurve: [20, 40], Repeats: 2, Threads: 1);
        var a = BondTrain.Run(samples, o);
        var b = BondTrain.Run(samples, o with { Threads = 2 });
        string dir = Path.Combine(Path.GetTempPath(), $"bonds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            a.Model.Save(Path.Combine(dir, "a.json"), a.Metrics, []);
            b.Model.Save(Path.Combine(dir, "b.json"), b.Metrics, []);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.json")), File.ReadAllBytes(Path.Combine(dir, "b.json")));
            Assert.Equal(a.LearningCurve.Numbers("rmse"), b.LearningCurve.Numbers("rmse"));
            var (loaded, header) = BondModel.Load(Path.Combine(dir, "a.json"));
            Assert.Equal(["Cu", "Zr"], header.Species);
            var demo = DemoGlass.Load();
            var p1 = a.Model.Predict(demo, 2); var p2 = loaded.Predict(demo, 1);
            Assert.Equal(p1.Values, p2.Values);
            Assert.DoesNotContain(p1.Values, double.IsNaN);
            // the test predictions of training were made by the same path
            for (int t = 0; t < 3; t++) Assert.Equal(a.TestPredicted[t], b.TestPredicted[t]);
            // a model of another method is refused
            File.WriteAllText(Path.Combine(dir, "c.json"), System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(dir, "a.json")), "\"method\":\\s*\"bonds\"", "\"method\": \"sf\""));
            Assert.Throws<InputFormatException>(() => BondModel.Load(Path.Combine(dir, "c.json")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PerAtomStatisticsAndGroupsFollowTheirDefinition()
    {
        var f = Fixtures.GlassS1();
        var b = BondTable.Find(f, BondCutoffs.Parse("Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9"), 2);
        var v = Enumerable.Range(0, b.Count).Select(k => Math.Sin(k * 0.37)).ToArray();
        var s = BondApply.PerAtom(f, b, v);
        for (int i = 0; i < f.Count; i += 37)
        {
            var mine = Enumerable.Range(0, b.Count).Where(k => b.I[k] == i || b.J[k] == i).Select(k => v[k]).ToArray();
            Assert.Equal(mine.Length, s.Count[i]);
            Assert.Equal(mine.Average(), s.Mean[i], 12); Assert.Equal(mine.Min(), s.Min[i]); Assert.Equal(mine.Max(), s.Max[i]);
        }
        Assert.Equal(2L * b.Count, s.Count.Sum(c => (long)c));
        var th = BondApply.Thresholds(f, s, null);
        var cls = BondApply.Classify(f, s, th);
        for (int sp = 0; sp < 2; sp++)
        {
            int n = Enumerable.Range(0, f.Count).Count(i => f.SpeciesIndex[i] == sp);
            int wb = Enumerable.Range(0, f.Count).Count(i => f.SpeciesIndex[i] == sp && cls[i] == 0);
            Assert.InRange(wb, n / 2 - 1, n / 2 + 1); // the median splits each species in halves
        }
        var th2 = BondApply.Thresholds(f, s, "Cu:0.1,Zr:-0.2");
        Assert.Equal(0.1, th2[f.Species.IndexOf("Cu")]); Assert.Equal(-0.2, th2[f.Species.IndexOf("Zr")]);
        Assert.Throws<ArgumentException>(() => BondApply.Thresholds(f, s, "Cu:0.1"));
        var sweep = BondApply.Sweep(f, s);
        Assert.Equal(42, sweep.Rows);
        var nwb = sweep.Numbers("n_wb");
        for (int r = 1; r < 21; r++) Assert.True(nwb[r] >= nwb[r - 1]);
    }

    [Fact]
    public void GroupMsdEqualsNumpyOnTheCompressionTrajectory()
    {
        var groups = GroupMsd.ReadGroups(Fixtures.Path("bonds", "compression_groups.csv"));
        var res = GroupMsd.Compute(StructureReader.ReadFrames(Fixtures.Path("dynamics", "compression_ortho.dump.gz"),
            new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } }), groups, GroupMsd.Axis("z"));
        var want = Fixtures.ReadLines("bonds", "compression_msd.csv").Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(want.Length, res.Groups.Length * res.Steps.Length);
        int row = 0;
        for (int g = 0; g < res.Groups.Length; g++)
            for (int f = 0; f < res.Steps.Length; f++, row++)
            {
                var w = want[row];
                Assert.Equal(w[0], res.Groups[g]);
                Assert.Equal(int.Parse(w[1], CultureInfo.InvariantCulture), res.Sizes[g]);
                Assert.Equal(long.Parse(w[2], CultureInfo.InvariantCulture), res.Steps[f]);
                Assert.True(Math.Abs(D(w[3]) - res.Strain[f]) <= 1e-12);
                Assert.True(Math.Abs(D(w[4]) - res.Perpendicular[g][f]) <= 1e-9, $"{w[0]} step {w[2]} perp");
                Assert.True(Math.Abs(D(w[5]) - res.Total[g][f]) <= 1e-9, $"{w[0]} step {w[2]} total");
            }
        Assert.True(res.Perpendicular[0][^1] > 0);
    }
}
