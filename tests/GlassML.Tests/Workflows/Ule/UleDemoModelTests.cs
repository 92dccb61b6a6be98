using System.Text.Json;
using GlassML.Cli;
using GlassML.Workflows;
using GlassML.Workflows.Demo;
using GlassML.Workflows.Ule;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>The shipped demo model (src/GlassML/Resources/ule.model.json, tools/train_demo_models/ule.sh).</summary>
[Collection("Console")]
public class UleDemoModelTests
{
    private static int Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        Console.SetOut(new StringWriter()); var e = new StringWriter(); Console.SetError(e);
        try { int c = Program.Main(["ule", .. args]); Assert.True(c == 0, e.ToString()); return c; }
        finally { Console.SetOut(so); Console.SetError(se); }
    }

    [Fact]
    public void RetrainingReproducesTheShippedModelAndRecipeSections()
    {
        string t = Path.Combine(Path.GetTempPath(), $"glassml-ule-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(t);
        string samples = Fixtures.Path("ule", "samples.csv");
        // the settings of tools/train_demo_models/ule.sh
        Run("build", "--samples", samples, "--types", "1:Cu,2:Zr", "--soap", "n_max=4,l_max=4", "--target-count", "40", "--threads", "1", "--out", Path.Combine(t, "ules.json"));
        Run("encode", "--dict", Path.Combine(t, "ules.json"), "--samples", samples, "--types", "1:Cu,2:Zr", "--threads", "1", "--out", Path.Combine(t, "fractions.csv"));
        Run("train", "--fractions", Path.Combine(t, "fractions.csv"), "--dict", Path.Combine(t, "ules.json"), "--cv", "5", "--top", "20", "--gbdt", "n_estimators=100",
            "--seed", "1", "--threads", "1", "--out", Path.Combine(t, "run"));
        var shipped = DemoJob.ShippedModel("ule");
        Assert.NotNull(shipped);
        Assert.True(shipped!.Length < 500_000);
        using var a = JsonDocument.Parse(shipped);
        using var b = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(t, "run", "model.json")));
        foreach (var section in new[] { "recipe", "model", "metrics", "species" })
            Assert.Equal(a.RootElement.GetProperty(section).GetRawText(), b.RootElement.GetProperty(section).GetRawText());
        Directory.Delete(t, true);
    }

    [Fact]
    public void DemoApplyGivesEveryAtomOfTheDemoGlassItsUle()
    {
        var bytes = DemoJob.ShippedModel("ule")!;
        using var loaded = MethodModelFile.Load(bytes, "(shipped ule model)", "ule", UleModel.Schema);
        var glass = GlassML.DemoGlass.Load();
        var cols = UleDemo.Apply(new DemoContext(glass, loaded, 0));
        var model = UleModel.FromLoaded(loaded);
        Assert.Single(cols);
        Assert.Equal(glass.Count, cols[0].Length);
        Assert.All(cols[0], v => Assert.True(v >= -1 && v < model.Dictionary.Count && v == Math.Floor(v)));
        // the demo glass (2,048 atoms, a slower quench than the fixture) is mostly covered by the fixture's ULEs
        Assert.True(cols[0].Count(v => v < 0) < 0.2 * glass.Count);
        Assert.True(cols[0].Distinct().Count() >= 10);
        // same as assigning the id-sorted glass directly
        var sorted = GlassML.DemoGlass.Load(); sorted.SortById();
        var a = model.Dictionary.Assign(sorted, "demo");
        var byId = glass.Ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => cols[0][x.i]);
        for (int k = 0; k < sorted.Count; k++) Assert.Equal(a.Ule[k], byId[sorted.Ids[k]]);
    }
}
