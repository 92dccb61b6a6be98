using GlassML;
using GlassML.Workflows;
using GlassML.Workflows.Demo;
using GlassML.Workflows.StructuralFlexibility;
using static GlassML.Tests.Workflows.StructuralFlexibility.SfTests;

namespace GlassML.Tests.Workflows.StructuralFlexibility;

/// <summary>The shipped sf model (src/GlassML/Resources/sf.model.json, tools/train_demo_models/sf.sh) and its demo entry.</summary>
public class SfDemoModelTests
{
    [Fact]
    public void RetrainingReproducesTheShippedModelByteForByte()
    {
        var shipped = DemoJob.ShippedModel("sf");
        Assert.NotNull(shipped);
        // the same call as `glassml sf train --data START:VFLEX --types 1:Cu,2:Zr --seed 1` from the repository root
        var inputs = new[]
        {
            InputHash.Of("tests/fixtures/dynamics/nve/nve_start.dump.gz", Start),
            InputHash.Of("tests/fixtures/dynamics/vflex_ref.csv.gz", VflexRef),
        };
        var res = SfTrainer.Train([Sample()], new SfTrainOptions { Seed = 1 }, inputs);
        string path = Path.Combine(TempDir(), "model.json");
        res.Model.Save(path);
        Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(shipped), "retrain with tools/train_demo_models/sf.sh");
    }

    [Fact]
    public void DemoEntryAppliesTheShippedModel()
    {
        var entry = DemoJob.Methods.Single(m => m.Method == "sf");
        Assert.NotNull(entry.Apply);
        var glass = DemoGlass.Load();
        using var model = MethodModelFile.Load(DemoJob.ShippedModel("sf")!, "(shipped sf model)", "sf", int.MaxValue);
        var cols = entry.Apply!(new DemoContext(glass, model, 1));
        Assert.Single(cols);
        Assert.Equal(glass.Count, cols[0].Length);
        Assert.All(cols[0], v => Assert.True(double.IsFinite(v)));
        // per-species means near the training ln v_flex (about −4.6)
        Assert.InRange(cols[0].Average(), -5.5, -3.5);
    }
}
