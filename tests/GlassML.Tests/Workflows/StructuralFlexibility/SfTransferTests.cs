using GlassML.Workflows.StructuralFlexibility;
using static GlassML.Tests.Workflows.StructuralFlexibility.SfTests;

namespace GlassML.Tests.Workflows.StructuralFlexibility;

/// <summary>
/// Transfer: the model of the seeded 20 % split on the Cu50Zr50 NVE fixture (glass s1), applied to the Cu64Zr36 glass
/// ortho500 whose v_flex comes from its own NVE runs (tests/fixtures/dynamics/nve_ortho500, 32 runs) through
/// <c>glassml vflex</c> with the cutoff shell of the s1 reference (3.775 Å).
/// </summary>
[Collection("Console")]
public class SfTransferTests
{
    [Fact]
    public void ModelTransfersToOrtho500()
    {
        var res = SfTrainer.Train([Sample()], new SfTrainOptions { TestFraction = 0.2, Seed = 1 });
        string dir = TempDir(), vflex = Path.Combine(dir, "vflex.csv");
        string start = Dyn("nve_ortho500", "nve_start.dump.gz");
        var runs = Enumerable.Range(1, 32).Select(k => Dyn("nve_ortho500", $"nve_{k}.dump.gz")).ToArray();
        var (code, _, err) = RunCli(["vflex", .. runs, "--start", start, "--types", "1:Cu,2:Zr", "--neighbors", "cutoff", "--cutoff", "3.775", "--out", vflex]);
        Assert.True(code == 0, err);
        var o500 = SfInputs.LoadSample(start, vflex, CuZr);
        Assert.Equal(180, o500.Frame.SpeciesIndex.Count(t => o500.Frame.Species[t].Name == "Zr"));
        var sf = res.Model.Apply(o500.Frame, 2);
        foreach (var sp in new[] { "Cu", "Zr" })
        {
            var rows = Enumerable.Range(0, sf.Length).Where(i => o500.Frame.Species[o500.Frame.SpeciesIndex[i]].Name == sp).ToArray();
            var y = rows.Select(i => o500.LnVflex[i]).ToArray();
            var p = rows.Select(i => sf[i]).ToArray();
            double pe = GlassML.Learning.Metrics.Pearson(y, p), r2 = GlassML.Learning.Metrics.R2(y, p);
            Console.WriteLine($"ortho500 {sp}: Pearson {pe:F4}, R² {r2:F4}");
            Assert.True(pe >= 0.75, $"{sp}: Pearson {pe}");
            Assert.True(r2 > 0, $"{sp}: R² {r2}");
        }
    }
}
