using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;

namespace GlassML.Tests.Descriptors;

public class RsfTests(ITestOutputHelper output)
{
    [Fact]
    public void NamesFollowTheSpec()
    {
        var rsf = new RadialStructureFunctions(new RadialStructureFunctionOptions { ReferenceDistance = 2.5 });
        var names = rsf.FeatureNames(["Cu", "Zr"]);
        Assert.Equal(2 * 49 + 1, names.Count);
        Assert.Equal("rsf_Cu_0.60", names[0]);
        Assert.Equal("rsf_Cu_3.00", names[48]);
        Assert.Equal("rsf_Zr_0.60", names[49]);
        Assert.Equal("rsf_bias", names[^1]);
    }

    private static void CompareWithBruteForce(Frame g, RadialStructureFunctions rsf, Func<int, double> rpOf, double rcReduced, double[] grid, double sigma, int atoms)
    {
        double maxRp = Enumerable.Range(0, g.Count).Max(rpOf);
        var nl = new NeighborSearch().Ball(g, rcReduced * maxRp + 1e-9);
        var res = rsf.Compute(g, nl);
        int m = grid.Length;
        for (int i = 0; i < atoms; i++)
        {
            var expect = new double[2 * m + 1];
            expect[^1] = 1;
            double rp = rpOf(i);
            foreach (var (j, _, _, _, r) in SoapBruteForce.Neighbours(g, i, rcReduced * rp))
            {
                double rb = r / rp;
                for (int k = 0; k < m; k++) expect[g.SpeciesIndex[j] * m + k] += Math.Exp(-(grid[k] - rb) * (grid[k] - rb) / (2 * sigma * sigma));
            }
            var row = res.Row(i);
            for (int f = 0; f < expect.Length; f++) Assert.True(Math.Abs(row[f] - expect[f]) <= 1e-12 * (1 + Math.Abs(expect[f])), $"atom {i} feature {res.Names[f]}: {row[f]} vs {expect[f]}");
        }
    }

    [Fact]
    public void ReducedMatchesBruteForceDoubleLoop()
    {
        var g = SoapTestData.Glass;
        var rsf = new RadialStructureFunctions(new RadialStructureFunctionOptions { ReferenceDistances = new Dictionary<string, double> { ["Cu"] = 2.55, ["Zr"] = 3.15 } });
        var grid = rsf.Grid.ToArray();
        CompareWithBruteForce(g, rsf, i => g.SpeciesIndex[i] == 0 ? 2.55 : 3.15, 3.0, grid, 0.05, 60);
    }

    [Fact]
    public void RealDistanceMatchesBruteForceDoubleLoop()
    {
        var g = SoapTestData.Glass;
        var rsf = new RadialStructureFunctions(RadialStructureFunctionOptions.Real(rMin: 2.0, rMax: 6.6, step: 0.1, sigma: 0.1, cutoff: 6.6));
        Assert.Equal(47, rsf.Grid.Count);
        Assert.Equal("rsf_Cu_2.00", rsf.FeatureNames(["Cu", "Zr"])[0]);
        CompareWithBruteForce(g, rsf, _ => 1.0, 6.6, rsf.Grid.ToArray(), 0.1, 60);
    }

    [Fact]
    public void ReferenceDistanceFromPartialRdfIsLammpsFirstPeak()
    {
        // LAMMPS compute rdf of the same glass (200 bins to 10 Å): columns row, r, g11, c11, g12, c12, g21, c21, g22, c22
        var rows = SoapTestData.Lines("s1_cu50zr50_500.lammps-rdf.txt").Where(l => !l.StartsWith('#')).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray()).ToList();
        double PeakOf(int col)
        {
            // first-shell maximum of the LAMMPS curve (largest value below 4.0 Å), refined by the parabola through it and its neighbours
            var shell = rows.Where(r => r[1] < 4.0).ToList();
            int k = shell.IndexOf(shell.MaxBy(r => r[col])!);
            double a = shell[k - 1][col], b = shell[k][col], c = shell[k + 1][col];
            return shell[k][1] + 0.5 * (a - c) / (a - 2 * b + c) * (shell[k][1] - shell[k - 1][1]);
        }
        double cuLammps = PeakOf(2), zrLammps = PeakOf(8);
        var g = SoapTestData.Glass;
        var rsf = new RadialStructureFunctions(new RadialStructureFunctionOptions());
        var nl = new NeighborSearch().Ball(g, 10.0);
        var rp = rsf.ReferenceDistancesFor(g, nl);
        output.WriteLine($"r_p Cu {rp["Cu"]:F4} (LAMMPS {cuLammps:F4}), Zr {rp["Zr"]:F4} (LAMMPS {zrLammps:F4})");
        Assert.InRange(rp["Cu"], cuLammps - 0.005, cuLammps + 0.005);
        Assert.InRange(rp["Zr"], zrLammps - 0.005, zrLammps + 0.005);
        // and the features are computed with them
        var res = rsf.Compute(g, nl);
        Assert.Equal(99, res.FeatureCount);
    }

    [Fact]
    public void FirstPeakOfAParabolaIsItsVertex()
    {
        var r = Enumerable.Range(0, 100).Select(k => 0.01 + 0.02 * k).ToArray();
        var gg = r.Select(x => x < 1.0 ? 0.0 : 3.0 - 10 * (x - 1.2345) * (x - 1.2345)).ToArray();
        Assert.Equal(1.2345, RadialStructureFunctions.FirstPeak(r, gg), 9);
    }

    [Fact]
    public void TooShortNeighbourListIsRejected()
    {
        var g = SoapTestData.Glass;
        var rsf = new RadialStructureFunctions(new RadialStructureFunctionOptions { ReferenceDistance = 2.5 });
        var nl = new NeighborSearch().Ball(g, 5.0);
        Assert.Throws<ArgumentException>(() => rsf.Compute(g, nl));
    }
}
