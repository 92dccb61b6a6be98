using GlassML.Workflows;
using GlassML.Workflows.Demo;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Tests.Workflows.MachineLearnedTemperature;

/// <summary>The shipped tml demo model: retraining as tools/train_demo_models/tml.sh does reproduces it byte for byte, and the demo applies it.</summary>
public class TmlDemoModelTests
{
    [Fact]
    public void RetrainingReproducesTheShippedModel()
    {
        var shipped = DemoJob.ShippedModel("tml");
        Assert.NotNull(shipped);
        double[] temps = [300, 700, 1000, 1500];
        var runs = temps.Select(t => new TmlRun($"tests/fixtures/tml/isothermal_{t}K.dump.gz", Fixtures.Path("tml", $"isothermal_{t}K.dump.gz"), t,
            $"tests/fixtures/tml/isothermal_{t}K.dump.gz")).ToArray();
        var inputs = runs.Select(r => InputHash.Of(r.Name, r.Path)).ToArray();
        var res = TmlTraining.Train(runs, new TmlTrainOptions
        {
            Lags = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5], Dt = 0.001, Tg = 700, K = 50, MaxPerClass = 250, Seed = 1, Threads = 2,
            Classes = temps.Select(t => (IReadOnlyList<double>)[t]).ToArray(),
            ReadOptions = TmlFixtureTests.Types,
        }, inputs);
        string tmp = Path.Combine(Path.GetTempPath(), $"glassml-tml-demo-{Guid.NewGuid():N}.json");
        try
        {
            res.Model.Save(tmp);
            Assert.True(File.ReadAllBytes(tmp).AsSpan().SequenceEqual(shipped), "retrained tml model differs from src/GlassML/Resources/tml.model.json; rerun tools/train_demo_models/tml.sh");
        }
        finally { File.Delete(tmp); }
        Assert.True(shipped!.Length < 500_000, $"shipped model is {shipped.Length} bytes");
    }

    [Fact]
    public void DemoAppliesTheShippedModelToTheEmbeddedTrajectory()
    {
        var glass = DemoGlass.Load();
        using var m = MethodModelFile.Load(DemoJob.ShippedModel("tml")!, "(shipped tml model)", "tml", int.MaxValue);
        var cols = TmlDemo.Apply(new DemoContext(glass, m, 2));
        Assert.Equal(2, cols.Length);
        Assert.All(cols[0], t => Assert.InRange(t, 300, 1500));
        for (int i = 0; i < glass.Count; i++) Assert.Equal(cols[0][i] > 700 ? 1.0 : 0.0, cols[1][i]);
        var entry = DemoJob.Methods.Single(x => x.Method == "tml");
        Assert.NotNull(entry.Apply);
        Assert.Equal(["tml", "liquid_like"], entry.Columns);
    }
}
