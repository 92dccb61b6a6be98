using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class PairDistributionTests
{
    [Fact]
    public void PartialAndTotalEqualLammpsComputeRdf()
    {
        var f = Fixtures.GlassS1();
        var nl = new NeighborSearch().Ball(f, 10.0);
        var g = new PairDistribution(10.0, 200).Compute(f, nl);
        Assert.Equal(["Cu-Cu", "Cu-Zr", "Zr-Zr"], g.PairNames);

        // LAMMPS: row r g11 c11 g12 c12 g21 c21 g22 c22
        using var r = Fixtures.OpenText("glass-s1", "s1_cu50zr50_500.lammps-rdf.txt");
        string? line; int rows = 0;
        while ((line = r.ReadLine()) is not null)
        {
            if (line.StartsWith('#')) continue;
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length != 10) continue;
            int bin = int.Parse(t[0], CultureInfo.InvariantCulture) - 1;
            double V(int k) => double.Parse(t[k], CultureInfo.InvariantCulture);
            Assert.Equal(V(1), g.R[bin], 1e-12);
            Assert.Equal(V(2), g.Partial[0][bin], 1e-6);
            Assert.Equal(V(3), g.Coordination[0][bin], 1e-6);
            Assert.Equal(V(4), g.Partial[1][bin], 1e-6);
            Assert.Equal(V(5), g.Coordination[1][bin], 1e-6);
            Assert.Equal(V(8), g.Partial[2][bin], 1e-6);
            Assert.Equal(V(9), g.Coordination[2][bin], 1e-6);
            rows++;
        }
        Assert.Equal(200, rows);
    }

    [Fact]
    public void TotalIsConcentrationWeightedSumOfPartials()
    {
        var f = Fixtures.GlassS1();
        var g = new PairDistribution(8.0, 160).Compute(f, new NeighborSearch().Ball(f, 8.0));
        var c = f.SpeciesCounts();
        double n = f.Count, ca = c[0] / n, cb = c[1] / n;
        for (int b = 0; b < 160; b++)
        {
            // g = Σ c_a c_b g_ab with LAMMPS' (N_b − δ_ab) normalisation: exact up to the self-exclusion factors
            double expect = (ca * ca * g.Partial[0][b] * (c[0] - 1) / c[0] + 2 * ca * cb * g.Partial[1][b] + cb * cb * g.Partial[2][b] * (c[1] - 1) / c[1]) * n / (n - 1);
            Assert.Equal(expect, g.Total[b], 1e-10);
        }
    }

    [Fact]
    public void IdealGasTendsToOne()
    {
        var f = Lattices.RandomGas(Box.Cubic(40), 20000, seed: 11);
        var g = new PairDistribution(6.0, 12).Compute(f, new NeighborSearch().Ball(f, 6.0));
        for (int b = 4; b < 12; b++) Assert.InRange(g.Total[b], 0.95, 1.05);
    }

    [Fact]
    public void NeighbourListShorterThanRmaxIsRejected()
    {
        var f = Lattices.Fcc(2, 3.6);
        Assert.Throws<ArgumentException>(() => new PairDistribution(6.0, 10).Compute(f, new NeighborSearch().Ball(f, 5.0)));
    }
}
