using GlassML.Learning;
using static GlassML.Tests.Learning.LearningFixtures;

namespace GlassML.Tests.Learning;

public class GaussianProcessTests
{
    private static double[][] Rows(double[] v, int cols) => Enumerable.Range(0, v.Length / cols).Select(r => v[(r * cols)..((r + 1) * cols)]).ToArray();

    [Fact]
    public void VectorKernelsEqualScikitLearn()
    {
        var g = LoadGlass();
        var sc = Standardizer.Fit(g.Slice(0, 400), 400, 6);
        var xs = Rows(sc.Transform(g.Features), 6);
        var train = xs[..400]; var test = xs[400..];
        var y = g.Pe[..400];
        var kernels = new Dictionary<string, IKernel<double[]>>
        {
            ["rbf"] = Kernels.Scaled(2.0, new RbfKernel(1.5)),
            ["rbf_norm"] = Kernels.Scaled(2.0, new RbfKernel(1.5)),
            ["dot2"] = Kernels.Power(new DotProductKernel(0.7), 2),
            ["sum"] = Kernels.Sum(new RbfKernel(2.5), Kernels.Scaled(0.3, new DotProductKernel(1.0))),
        };
        var lines = Lines("gpr_vector.txt.gz");
        int li = 1, cases = 0;
        while (li < lines.Length)
        {
            var h = lines[li++].Split(' ');
            string name = h[1]; double alpha = D(h[2]); bool norm = h[3] == "1"; double lml = D(h[4]);
            var gp = GaussianProcessRegression<double[]>.Fit(kernels[name], train, y, new GaussianProcessOptions(Alpha: alpha, NormalizeY: norm));
            var p = gp.Predict(test);
            Close(lml, gp.LogMarginalLikelihood, 1e-9, 1e-9, $"{name} lml");
            for (int r = 0; r < 100; r++)
            {
                var t = lines[li++].Split(' ');
                Close(D(t[0]), p.Mean[r], 1e-8, 1e-10, $"{name} mean {r}");
                Close(D(t[1]), p.Std![r], 1e-8, 1e-10, $"{name} std {r}");
            }
            cases++;
        }
        Assert.Equal(4, cases);
    }

    [Fact]
    public void ResultsDoNotDependOnThreadCount()
    {
        var g = LoadGlass();
        var x = Kernels.SplitRows(Standardizer.Fit(g.Features, 500, 6).Transform(g.Features), 6);
        var k = Kernels.Sum(new RbfKernel(1.2), new DotProductKernel(0.5));
        GaussianProcessPrediction Run(int t) => GaussianProcessRegression<double[]>.Fit(k, x[..450], g.Pe[..450],
            new GaussianProcessOptions(NoiseFraction: 0.02, NormalizeY: true, Threads: t)).Predict(x[450..]);
        var a = Run(1); var b = Run(2);
        Assert.Equal(a.Mean, b.Mean); Assert.Equal(a.Std!, b.Std!);
    }

    internal static (BondRecord[] bonds, double[] y) LoadBonds()
    {
        var soap = Lines("bond_soap.csv.gz").Skip(1).Select(l => l.Split(',').Select(D).ToArray()).ToArray();
        var bl = Lines("gpr_bond.txt.gz").Where(l => l.StartsWith("bond ")).Select(l => l.Split(' ')).ToArray();
        var bonds = bl.Select(t => new BondRecord(D(t[3]), soap[int.Parse(t[1])], soap[int.Parse(t[2])], normalize: false)).ToArray();
        return (bonds, bl.Select(t => D(t[4])).ToArray());
    }

    [Fact]
    public void BondKernelGprEqualsScikitLearnWithTheSameKernel()
    {
        var (bonds, y) = LoadBonds();
        int ntr = 2 * bonds.Length / 3;
        var lines = Lines("gpr_bond.txt.gz");
        int li = Array.FindIndex(lines, l => l.StartsWith("case ")), cases = 0;
        while (li < lines.Length)
        {
            var h = lines[li++].Split(' ');
            double theta = D(h[1]), zeta = D(h[2]), gamma = D(h[4]); bool norm = h[5] == "1"; double lml = D(h[6]);
            var gp = GaussianProcessRegression<BondRecord>.Fit(new BondKernel(theta, zeta), bonds[..ntr], y[..ntr],
                new GaussianProcessOptions(NoiseFraction: gamma, NormalizeY: norm));
            var p = gp.Predict(bonds[ntr..]);
            Close(lml, gp.LogMarginalLikelihood, 1e-9, 1e-9, $"bond θ={theta} lml");
            for (int r = 0; r < bonds.Length - ntr; r++)
            {
                var t = lines[li++].Split(' ');
                Close(D(t[0]), p.Mean[r], 1e-8, 1e-10, $"bond mean {r}");
                Close(D(t[1]), p.Std![r], 1e-8, 1e-10, $"bond std {r}");
            }
            cases++;
        }
        Assert.Equal(2, cases);
    }

    [Fact]
    public void BondKernelIsSymmetricInAtomsAndPrecomputedGramGivesSamePrediction()
    {
        var (bonds, y) = LoadBonds();
        var k = new BondKernel(0.3, 3);
        var swapped = new BondRecord(bonds[1].Distance, bonds[1].SoapJ, bonds[1].SoapI, normalize: false);
        Assert.Equal(k.Evaluate(bonds[0], bonds[1]), k.Evaluate(bonds[0], swapped), 14);
        // analytic: identical bonds with unit vectors → k = 1
        Assert.Equal(1.0, k.Evaluate(new BondRecord(2.5, bonds[0].SoapI, bonds[0].SoapI, false), new BondRecord(2.5, bonds[0].SoapI, bonds[0].SoapI, false)), 9);
        int n = bonds.Length, ntr = 15;
        var gram = Kernels.Gram(k, bonds, bonds);
        var idx = Enumerable.Range(0, n).ToArray();
        var a = GaussianProcessRegression<BondRecord>.Fit(k, bonds[..ntr], y[..ntr], new GaussianProcessOptions(Alpha: 1e-3)).Predict(bonds[ntr..]);
        var b = GaussianProcessRegression<int>.Fit(new PrecomputedKernel(gram, n), idx[..ntr], y[..ntr], new GaussianProcessOptions(Alpha: 1e-3)).Predict(idx[ntr..]);
        for (int r = 0; r < n - ntr; r++) { Assert.Equal(a.Mean[r], b.Mean[r], 10); Assert.Equal(a.Std![r], b.Std![r], 10); }
    }
}
