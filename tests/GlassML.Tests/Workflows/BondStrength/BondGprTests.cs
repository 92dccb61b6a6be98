using System.Globalization;
using GlassML.Learning;
using GlassML.Structure;
using GlassML.Workflows.BondStrength;

namespace GlassML.Tests.Workflows.BondStrength;

public class BondGprTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void PerTypeGprEqualsScikitLearnBondKernelFixture()
    {
        // the committed scikit-learn fixture: 25 bonds among atoms 1..40 of glass s1, unit DScribe SOAP, 16 train / 9 test
        var soap = Fixtures.ReadLines("learning", "bond_soap.csv.gz").Where(l => !l.StartsWith('#')).Select(l => l.Split(',').Select(D).ToArray()).ToArray();
        var lines = Fixtures.ReadLines("learning", "gpr_bond.txt.gz");
        var bl = lines.Where(l => l.StartsWith("bond ")).Select(l => l.Split(' ')).ToArray();
        int[] bi = bl.Select(t => int.Parse(t[1], CultureInfo.InvariantCulture)).ToArray(), bj = bl.Select(t => int.Parse(t[2], CultureInfo.InvariantCulture)).ToArray();
        double[] d = bl.Select(t => D(t[3])).ToArray(), y = bl.Select(t => D(t[4])).ToArray();
        int ntr = 16;
        int li = Array.FindIndex(lines, l => l.StartsWith("case ")), cases = 0;
        while (li < lines.Length && lines[li].StartsWith("case "))
        {
            var h = lines[li++].Split(' ');
            var p = new BondGprParameters(D(h[1]), D(h[2]), D(h[4]), h[5] == "1");
            var gp = BondTypeGpr.Fit("Cu-Zr", p, d[..ntr], bi[..ntr].Select(i => soap[i]).ToArray(), bj[..ntr].Select(j => soap[j]).ToArray(), y[..ntr], 1);
            var output = new double[d.Length];
            var rows = Enumerable.Range(ntr, d.Length - ntr).ToArray();
            gp.Predict(rows, d, bi, bj, UnitSoap.FromRows(soap), output, 2);
            for (int r = 0; r < rows.Length; r++)
            {
                double want = D(lines[li++].Split(' ')[0]);
                Assert.True(Math.Abs(want - output[rows[r]]) <= 1e-8 * Math.Max(1, Math.Abs(want)), $"case {cases} bond {r}: {output[rows[r]]} vs sklearn {want}");
            }
            cases++;
        }
        Assert.Equal(2, cases);
    }

    /// <summary>Synthetic labels for arithmetic tests (any labels serve: the test compares two ways of the same sum).</summary>
    private static double[] Labels(BondTable b, UnitSoap soap) =>
        Enumerable.Range(0, b.Count).Select(k => -(b.Distance[k] - 3.0) * (b.Distance[k] - 3.0) + soap.Row(b.I[k])[3] + 0.5 * soap.Row(b.J[k])[7]).ToArray();

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void FastPathEqualsDirectKernelSumOnEveryBondOfTheDemoGlass(double zeta)
    {
        var s1 = Fixtures.GlassS1();
        var demo = DemoGlass.Load();
        string[] species = ["Cu", "Zr"];
        var soapText = "nmax=4,lmax=4";
        var so = GlassML.Descriptors.DescriptorParameters.Soap(GlassML.Descriptors.DescriptorParameters.Split(soapText));
        var cut = BondCutoffs.Parse("Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9");
        var trainBonds = BondTable.Find(s1, cut, 2);
        var trainSoap = BondSoap.Unit(s1, so, species, 2);
        var y = Labels(trainBonds, trainSoap);
        var tt = trainBonds.TypesIn(species);
        var demoBonds = BondTable.Find(demo, cut, 2);
        var demoSoap = BondSoap.Unit(demo, so, species, 2);
        var dt = demoBonds.TypesIn(species);
        var p = new BondGprParameters(Zeta: zeta);
        for (int t = 0; t < 3; t++)
        {
            var rows = Enumerable.Range(0, trainBonds.Count).Where(b => tt[b] == t).Take(120).ToArray();
            var gp = BondTypeGpr.Fit("t", p, rows.Select(b => trainBonds.Distance[b]).ToArray(), rows.Select(b => trainSoap.RowCopy(trainBonds.I[b])).ToArray(),
                rows.Select(b => trainSoap.RowCopy(trainBonds.J[b])).ToArray(), rows.Select(b => y[b]).ToArray(), 2);
            // reference: the library GPR (= scikit-learn) with BondKernel on the same records
            var rec = rows.Select(b => new BondRecord(trainBonds.Distance[b], trainSoap.RowCopy(trainBonds.I[b]), trainSoap.RowCopy(trainBonds.J[b]), false)).ToArray();
            var refGp = GaussianProcessRegression<BondRecord>.Fit(new BondKernel(0.5, zeta), rec, rows.Select(b => y[b]).ToArray(),
                new GaussianProcessOptions(NoiseFraction: 0.01, NormalizeY: true));
            var q = Enumerable.Range(0, demoBonds.Count).Where(b => dt[b] == t).ToArray();
            Assert.True(q.Length > 1000);
            var want = refGp.Predict(q.Select(b => new BondRecord(demoBonds.Distance[b], demoSoap.RowCopy(demoBonds.I[b]), demoSoap.RowCopy(demoBonds.J[b]), false)).ToArray(), withStd: false).Mean;
            var output = new double[demoBonds.Count];
            gp.Predict(q, demoBonds.Distance, demoBonds.I, demoBonds.J, demoSoap, output, 2);
            double worst = 0;
            for (int k = 0; k < q.Length; k++) worst = Math.Max(worst, Math.Abs(output[q[k]] - want[k]));
            Assert.True(worst <= 1e-9, $"type {t} ζ {zeta}: max |fast − direct| = {worst}");
            // the stored-coefficient direct sum agrees too (spot check)
            Assert.True(Math.Abs(gp.PredictDirect(demoBonds.Distance[q[0]], demoSoap.RowCopy(demoBonds.I[q[0]]), demoSoap.RowCopy(demoBonds.J[q[0]])) - want[0]) <= 1e-9);
        }
    }

    [Fact]
    public void PredictionIsIdenticalForAnyThreadCountAndBlocking()
    {
        var s1 = Fixtures.GlassS1();
        string[] species = ["Cu", "Zr"];
        var so = GlassML.Descriptors.DescriptorParameters.Soap(GlassML.Descriptors.DescriptorParameters.Split("nmax=3,lmax=2"));
        var b = BondTable.Find(s1, BondCutoffs.Parse("Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9"), 1);
        var soap = BondSoap.Unit(s1, so, species, 1);
        var y = Labels(b, soap);
        var rows = Enumerable.Range(0, 200).ToArray();
        var gp1 = BondTypeGpr.Fit("x", new BondGprParameters(), rows.Select(r => b.Distance[r]).ToArray(), rows.Select(r => soap.RowCopy(b.I[r])).ToArray(), rows.Select(r => soap.RowCopy(b.J[r])).ToArray(), rows.Select(r => y[r]).ToArray(), 1);
        var gp2 = BondTypeGpr.Fit("x", new BondGprParameters(), rows.Select(r => b.Distance[r]).ToArray(), rows.Select(r => soap.RowCopy(b.I[r])).ToArray(), rows.Select(r => soap.RowCopy(b.J[r])).ToArray(), rows.Select(r => y[r]).ToArray(), 2);
        Assert.Equal(gp1.Alpha, gp2.Alpha);
        var all = Enumerable.Range(0, b.Count).ToArray();
        var o1 = new double[b.Count]; var o2 = new double[b.Count]; var o3 = new double[b.Count];
        gp1.Predict(all, b.Distance, b.I, b.J, soap, o1, 1);
        gp1.Predict(all, b.Distance, b.I, b.J, soap, o2, 2);
        gp1.Predict(all.Reverse().ToArray(), b.Distance, b.I, b.J, soap, o3, 2); // other block composition
        Assert.Equal(o1, o2);
        Assert.Equal(o1, o3);
    }
}
