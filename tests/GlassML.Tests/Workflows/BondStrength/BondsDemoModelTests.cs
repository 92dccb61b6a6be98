using GlassML.Cli;
using GlassML.Workflows;
using GlassML.Workflows.BondStrength;
using GlassML.Workflows.Demo;

namespace GlassML.Tests.Workflows.BondStrength;

/// <summary>The shipped demo model: retraining with tools/train_demo_models/bonds.sh's commands reproduces it byte for byte; the demo applies it.</summary>
[Collection("Console")]
public class BondsDemoModelTests
{
    [Fact]
    public void RetrainingReproducesTheShippedModel()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-bonds-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var so = Console.Out; Console.SetOut(new StringWriter());
        try
        {
            File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), Path.Combine(dir, "s1.data.gz"));
            Assert.Equal(0, Program.Main(["bonds", "label", Path.Combine(dir, "s1.data.gz"), "--types", "1:Cu,2:Zr", "--source", "eam", "--potential", Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"),
                "--bond-cutoffs", "Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9", "--out", Path.Combine(dir, "s1_labels.csv")]));
            File.WriteAllText(Path.Combine(dir, "samples.csv"), "file,labels\ns1.data.gz,s1_labels.csv\n");
            Assert.Equal(0, Program.Main(["bonds", "train", "--samples", Path.Combine(dir, "samples.csv"), "--types", "1:Cu,2:Zr", "--per-type", "80", "--soap", "nmax=3,lmax=2",
                "--bond-cutoffs", "Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9", "--seed", "1", "--out", Path.Combine(dir, "run")]));
            var shipped = DemoJob.ShippedModel("bonds");
            Assert.NotNull(shipped);
            Assert.Equal(shipped, File.ReadAllBytes(Path.Combine(dir, "run", "model.json")));
        }
        finally { Console.SetOut(so); Directory.Delete(dir, true); }
    }

    [Fact]
    public void TheDemoAppliesTheShippedModel()
    {
        var m = DemoJob.Methods.Single(x => x.Method == "bonds");
        Assert.NotNull(m.Apply);
        var glass = DemoGlass.Load();
        using var model = MethodModelFile.Load(DemoJob.ShippedModel("bonds")!, "(shipped bonds model)", "bonds", int.MaxValue);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var cols = m.Apply!(new DemoContext(glass, model, 2));
        Assert.Single(cols);
        Assert.Equal(glass.Count, cols[0].Length);
        Assert.DoesNotContain(cols[0], double.IsNaN);
        Assert.True(sw.Elapsed.TotalSeconds < 20, $"demo apply took {sw.Elapsed.TotalSeconds:F1} s");
        // the per-atom mean equals the mean of the predicted bonds of each atom
        var bm = BondModel.FromLoaded(model);
        var p = bm.Predict(glass, 1);
        int i = 17;
        var mine = Enumerable.Range(0, p.Bonds.Count).Where(b => p.Bonds.I[b] == i || p.Bonds.J[b] == i).Select(b => p.Values[b]).ToArray();
        Assert.Equal(mine.Average(), cols[0][i], 12);
    }
}
