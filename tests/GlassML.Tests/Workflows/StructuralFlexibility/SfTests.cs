using System.Globalization;
using GlassML.Cli;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows.StructuralFlexibility;

namespace GlassML.Tests.Workflows.StructuralFlexibility;

/// <summary>
/// The sf method on the committed NVE fixture of glass s1 (tests/fixtures/dynamics/nve/nve_start.dump.gz with the
/// numpy v_flex of vflex_ref.csv.gz) against independent references: numpy radial structure functions with per-pair
/// r_p and LIBLINEAR 2.3 <c>-s 11</c> weights (tests/fixtures/sf, tools/make_sf_fixtures.py).
/// </summary>
[Collection("Console")]
public class SfTests
{
    internal static string Dyn(params string[] p) => Fixtures.Path(["dynamics", .. p]);
    internal static string Start => Dyn("nve", "nve_start.dump.gz");
    internal static string VflexRef => Dyn("vflex_ref.csv.gz");
    internal static readonly GlassML.Io.ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    /// <summary>r_p of the reference script (tools/make_sf_fixtures.py).</summary>
    internal static readonly Dictionary<string, double> RefRp = new() { ["Cu-Cu"] = 2.59, ["Cu-Zr"] = 2.82, ["Zr-Cu"] = 2.82, ["Zr-Zr"] = 3.18 };

    internal static SfSample Sample() => SfInputs.LoadSample(Start, VflexRef, CuZr);

    internal static (int Code, string Out, string Err) RunCli(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    internal static string TempDir()
    {
        string d = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"glassml-sf-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void PairRsfEqualNumpy()
    {
        var s = Sample();
        var recipe = new SfRecipe(["Cu", "Zr"], RefRp);
        var f = recipe.Features(s.Frame, 2);
        Assert.Equal(98, f.FeatureCount);
        var rows = Fixtures.ReadLines("sf", "rsf_numpy.csv.gz").Skip(1).ToArray();
        Assert.Equal(50, rows.Length);
        var at = Enumerable.Range(0, s.Frame.Count).ToDictionary(i => s.Frame.Ids[i]);
        double worst = 0;
        foreach (var line in rows)
        {
            var c = line.Split(',');
            int i = at[long.Parse(c[0], CultureInfo.InvariantCulture)];
            Assert.Equal(c[1], s.Frame.Species[s.Frame.SpeciesIndex[i]].Name);
            for (int k = 0; k < 98; k++) worst = Math.Max(worst, Math.Abs(f[i, k] - D(c[k + 2])));
        }
        Assert.True(worst < 1e-9, $"max |ΔG| = {worst}");
        // the list-free computation equals the one over a Ball neighbour list bit for bit
        var listed = recipe.Functions(1).Compute(s.Frame, new GlassML.Neighbors.NeighborSearch(1).Ball(s.Frame, recipe.NeighborCutoff));
        Assert.Equal(listed.Values, f.Values);
        // a per-centre r_p (the old featurize behaviour) gives other features: the pair values are really used
        var perCentre = new SfRecipe(["Cu", "Zr"], new Dictionary<string, double> { ["Cu-Cu"] = 2.59, ["Cu-Zr"] = 2.59, ["Zr-Cu"] = 3.18, ["Zr-Zr"] = 3.18 });
        var g = perCentre.Features(s.Frame, 1);
        Assert.NotEqual(f.Values, g.Values);
    }

    [Fact]
    public void WeightsEqualLiblinear()
    {
        var res = SfTrainer.Train([Sample()], new SfTrainOptions { RpMode = SfRpMode.Explicit, ExplicitRp = RefRp, TestFraction = 0, Tolerance = 1e-10, Threads = 2 });
        var rows = Fixtures.ReadLines("sf", "liblinear_weights.csv").Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(2 * 99, rows.Length);
        double worst = 0, largest = 0;
        foreach (var r in rows)
        {
            var svr = res.Model.LearnerOf(r[0])!;
            int k = int.Parse(r[1], CultureInfo.InvariantCulture);
            double ours = k < svr.Features ? svr.Weights[k] : svr.BiasWeight;
            worst = Math.Max(worst, Math.Abs(ours - D(r[2])));
            largest = Math.Max(largest, Math.Abs(D(r[2])));
        }
        Assert.True(worst <= 1e-5, $"max |Δw| = {worst}");
        Assert.True(largest > 1e-3, "reference weights are not trivially zero");
    }

    [Fact]
    public void SeededTestSplitMeetsThePearsonTargets()
    {
        var res = SfTrainer.Train([Sample()], new SfTrainOptions { TestFraction = 0.2, Seed = 1 });
        var m = res.Model.Metrics;
        Assert.True(m["test_pearson_Cu"] >= 0.70, $"Cu test Pearson {m["test_pearson_Cu"]}");
        Assert.True(m["test_pearson_Zr"] >= 0.65, $"Zr test Pearson {m["test_pearson_Zr"]}");
        // the split holds out 20 % of each species
        var set = res.Parity;
        int test = Enumerable.Range(0, set.Rows).Count(r => set.Cell(r, 3) == "test");
        Assert.Equal(100, test);
        // the metrics are those of the parity table (recomputed independently of the trainer's bookkeeping)
        var y = set.Numbers("ln_v_flex"); var p = set.Numbers("sf");
        var cuTest = Enumerable.Range(0, set.Rows).Where(r => set.Cell(r, 2) == "Cu" && set.Cell(r, 3) == "test").ToArray();
        double pe = GlassML.Learning.Metrics.Pearson(cuTest.Select(r => y[r]).ToArray(), cuTest.Select(r => p[r]).ToArray());
        Assert.Equal(pe, m["test_pearson_Cu"], 12);
    }

    [Fact]
    public void LowFlexRpIsWidenedAndPrinted()
    {
        var res = SfTrainer.Train([Sample()], new SfTrainOptions { TestFraction = 0.2, RpPercent = 10 });
        Assert.Contains(res.Messages, m => m.Contains("r_p of centre Cu: q widened from 10 % to 100 %", StringComparison.Ordinal));
        var all = SfTrainer.Train([Sample()], new SfTrainOptions { TestFraction = 0.2, RpMode = SfRpMode.All });
        // with 200 training atoms per species both select all training atoms: the same r_p
        Assert.Equal(all.Model.Recipe.PairRp["Cu-Zr"], res.Model.Recipe.PairRp["Cu-Zr"]);
        // a smaller minimum keeps q = 10 %: 20 atoms, another peak position
        var few = SfTrainer.Train([Sample()], new SfTrainOptions { TestFraction = 0.2, RpMinAtoms = 20 });
        Assert.DoesNotContain(few.Messages, m => m.Contains("widened", StringComparison.Ordinal));
        Assert.Equal(20, (int)few.RpTable.Numbers("centre_atoms")[0]);
        foreach (var rp in res.Model.Recipe.PairRp.Values) Assert.InRange(rp, 2.4, 3.4);
    }

    [Fact]
    public void SaveLoadApplyReproducesTrainingBitForBit()
    {
        var sample = Sample();
        var res = SfTrainer.Train([sample], new SfTrainOptions { TestFraction = 0.2 });
        string dir = TempDir(), path = System.IO.Path.Combine(dir, "model.json");
        res.Model.Save(path);
        var loaded = SfModel.Load(path);
        var fresh = StructureReader.ReadFrame(Start, 0, CuZr);
        fresh.SortById();
        var sf = loaded.Apply(fresh, 1);
        for (int i = 0; i < sf.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(sf[i]) == BitConverter.DoubleToInt64Bits(res.Sf[0][i]), $"atom {i}: {sf[i]:R} vs {res.Sf[0][i]:R}");
        // saving the loaded model gives the same bytes
        string again = System.IO.Path.Combine(dir, "again.json");
        loaded.Save(again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));

        // scaled by 1.02: r_p is not recomputed, so SF changes
        var big = StructureReader.ReadFrame(Start, 0, CuZr);
        big.SortById();
        var scaled = new Frame(new Box(big.Box.Origin * 1.02, big.Box.A * 1.02, big.Box.B * 1.02, big.Box.C * 1.02), big.Species, big.Ids, big.SpeciesIndex,
            big.X.Select(v => v * 1.02).ToArray(), big.Y.Select(v => v * 1.02).ToArray(), big.Z.Select(v => v * 1.02).ToArray());
        var sf2 = loaded.Apply(scaled, 1);
        double meanShift = Enumerable.Range(0, sf.Length).Average(i => sf2[i] - sf[i]);
        Assert.True(Math.Abs(meanShift) > 0.05, $"mean SF shift {meanShift}");
    }

    [Fact]
    public void TrainingIsTheSameForAnyThreadCount()
    {
        string dir = TempDir();
        var a = SfTrainer.Train([Sample()], new SfTrainOptions { Threads = 1, Folds = 3 });
        var b = SfTrainer.Train([Sample()], new SfTrainOptions { Threads = 2, Folds = 3 });
        a.Model.Save(System.IO.Path.Combine(dir, "a.json"));
        b.Model.Save(System.IO.Path.Combine(dir, "b.json"));
        Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(dir, "a.json")), File.ReadAllBytes(System.IO.Path.Combine(dir, "b.json")));
        Assert.True(a.Model.Metrics.ContainsKey("cv_pearson_Cu"));
    }
}
