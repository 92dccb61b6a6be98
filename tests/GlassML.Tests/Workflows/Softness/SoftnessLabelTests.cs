using System.Globalization;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows.Softness;
using static GlassML.Tests.Workflows.Softness.SoftnessTestData;

namespace GlassML.Tests.Workflows.Softness;

[Collection("Console")]
public class SoftnessLabelTests
{
    private static readonly string G1 = Fixtures.Path("softness", "g1.dump.gz");

    [Theory]
    [InlineData("sum", "d2min")]
    [InlineData("mean", "d2min_mean")]
    public void LabelsEqualTheStrainCommandOnTheSameFrames(string mode, string column)
    {
        var o = new SoftnessLabelOptions { Strain = 0.04, D2 = mode == "sum" ? D2Measure.Sum : D2Measure.Mean };
        var lab = SoftnessLabels.Compute(G1, CuZr, o);
        string dir = TempDir("strain");
        string csv = Path.Combine(dir, "strain.csv");
        var (code, _, err) = Run("strain", G1, G1, "--frame", "all", "--cutoff", "4.5", "--types", "1:Cu,2:Zr", "--out", csv);
        Assert.True(code == 0, err);
        long ts = StructureReader.ReadFrame(G1, lab.LabelFrame, CuZr).Timestep;
        var d2 = Column(csv, $"{column}_t{ts}");
        var ids = Column(csv, "id");
        Assert.Equal(lab.Reference.Ids.Select(x => (double)x), ids);
        Assert.Equal(d2.Length, lab.D2.Length);
        for (int i = 0; i < d2.Length; i++) Assert.True(Math.Abs(d2[i] - lab.D2[i]) <= 1e-12 * Math.Max(1, Math.Abs(d2[i])), $"atom {ids[i]}: {lab.D2[i]} vs strain {d2[i]}");
        for (int i = 0; i < d2.Length; i++) Assert.Equal(d2[i] > 5.0, lab.Plastic[i]);
        // every other frame's flags too
        for (int k = 1; k < lab.Strains.Length; k += 7)
        {
            long tk = StructureReader.ReadFrame(G1, k, CuZr).Timestep;
            var dk = Column(csv, $"{column}_t{tk}");
            for (int i = 0; i < dk.Length; i++) Assert.Equal(dk[i] > 5.0 ? 1 : 0, (int)lab.PlasticByFrame[k][i]);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void StrainOfEachFrameComesFromTheBoxAlongTheLoadingAxis()
    {
        var lab = SoftnessLabels.Compute(G1, CuZr, new SoftnessLabelOptions());
        // independent: the dump's z bounds, parsed as text
        var lz = new List<double>();
        using (var r = Fixtures.OpenText("softness", "g1.dump.gz"))
        {
            string? line;
            while ((line = r.ReadLine()) is not null)
                if (line.StartsWith("ITEM: BOX BOUNDS", StringComparison.Ordinal))
                {
                    r.ReadLine(); r.ReadLine();
                    var t = r.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    lz.Add(t[1] - t[0]);
                }
        }
        Assert.Equal(lz.Count, lab.Strains.Length);
        Assert.Equal(41, lz.Count);
        for (int k = 0; k < lz.Count; k++) Assert.Equal(Math.Abs(lz[k] - lz[0]) / lz[0], lab.Strains[k], 12);
        int nearest = Enumerable.Range(0, lz.Count).OrderBy(k => Math.Abs(lab.Strains[k] - 0.04)).First();
        Assert.Equal(nearest, lab.LabelFrame);
        Assert.InRange(lab.Strains[lab.LabelFrame], 0.039, 0.041);
    }

    [Fact]
    public void ALabelStrainWithNoFrameNearIsAnError()
    {
        Assert.Equal(1, SoftnessLabels.NearestFrame([0, 0.01, 0.02, 0.03], 0.0149, "t"));
        Assert.Equal(2, SoftnessLabels.NearestFrame([0, 0.01, 0.02, 0.03], 0.0151, "t"));
        Assert.Equal(3, SoftnessLabels.NearestFrame([0, 0.01, 0.02, 0.03], 0.035, "t"));
        var e = Assert.Throws<InputFormatException>(() => SoftnessLabels.NearestFrame([0, 0.01, 0.02, 0.03], 0.0351, "t"));
        Assert.Contains("half a dump interval", e.Message);
        Assert.Throws<InputFormatException>(() => SoftnessLabels.NearestFrame([0], 0.0, "t"));
        // through the CLI: one line, exit 2, nothing written
        string dir = TempDir("far");
        File.WriteAllText(Path.Combine(dir, "samples.csv"), $"file,role\n{G1},train\n");
        var (code, _, err) = Run("softness", "train", "--samples", Path.Combine(dir, "samples.csv"), "--out", Path.Combine(dir, "run"), "--types", "1:Cu,2:Zr", "--strain", "0.2");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("no frame within half a dump interval", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void AnAffineOnlyTrajectoryIsAnErrorNotAnAucOfOneHalf()
    {
        string dir = TempDir("affine");
        var glass = Glass("g2");
        WriteTrajectory(glass, new bool[glass.Count], Path.Combine(dir, "a.dump"));
        File.WriteAllText(Path.Combine(dir, "samples.csv"), "file,role\na.dump,train\n");
        var (code, outp, err) = Run("softness", "train", "--samples", Path.Combine(dir, "samples.csv"), "--out", Path.Combine(dir, "run"), "--types", "1:Cu,2:Zr");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("no plastic atoms", err);
        Assert.DoesNotContain("AUC", outp);
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void InnerLeavesOutAtomsNearNonPeriodicFaces()
    {
        var species = new SpeciesTable(["Cu"]);
        int cu = 0;
        var x = new double[] { 0.5, 5, 9.5, 5 }; var y = new double[] { 5, 5, 5, 0.2 }; var z = new double[] { 5, 5, 5, 5 };
        var box = new Box(Vec3.Zero, new Vec3(10, 0, 0), new Vec3(0, 10, 0), new Vec3(0, 0, 10), periodicX: false);
        var f = new Frame(box, species, [1, 2, 3, 4], [cu, cu, cu, cu], x, y, z);
        Assert.Equal([false, true, false, true], SoftnessLabels.InnerMask(f, 2.0));
        Assert.Equal([true, true, true, true], SoftnessLabels.InnerMask(f, null));
    }

    [Fact]
    public void PlasticFractionFlagsTheTopAtomsByD2()
    {
        var d2 = new double[] { 1, 9, 3, 7, 5, 2, 8, 4, 6, 0 };
        var inc = Enumerable.Repeat(true, 10).ToArray();
        var p = SoftnessLabels.PlasticFlags(d2, inc, new SoftnessLabelOptions { PlasticFraction = 0.3 });
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0, 0, 1, 0, 0, 0 }, p);
        var t = SoftnessLabels.PlasticFlags(d2, inc, new SoftnessLabelOptions { D2Threshold = 6.5 });
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0, 0, 1, 0, 0, 0 }, t);
    }

    [Fact]
    public void CascadeTextParses()
    {
        Assert.Equal(new CascadeOptions(0.1, 0.95, 40, 10), CascadeOptions.Parse("variance=0.1,corr=0.95,top=40,rfe=10"));
        Assert.Equal(new CascadeOptions(0, 0.99, 50, 13), CascadeOptions.Parse(null));
        Assert.Throws<ArgumentException>(() => CascadeOptions.Parse("foo=1"));
        Assert.Throws<ArgumentException>(() => CascadeOptions.Parse("top=-1"));
    }
}
