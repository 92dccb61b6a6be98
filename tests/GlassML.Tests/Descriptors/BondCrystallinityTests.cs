using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;

namespace GlassML.Tests.Descriptors;

public class BondCrystallinityTests(ITestOutputHelper output)
{
    [Fact]
    public void PerfectFccHasTwelveCrystallineBondsWithSEqualOne()
    {
        var f = Lattices.Fcc(3, 3.6);
        var nl = new NeighborSearch().Ball(f, 3.0); // between the first (2.55 Å) and second (3.6 Å) shells
        var r = new BondCrystallinity().Compute(f, nl);
        Assert.Equal(12 * f.Count, r.S.Length);
        foreach (var s in r.S) Assert.Equal(1.0, s, 12);
        foreach (var c in r.Atoms.Column("xtal_bonds")) Assert.Equal(12.0, c);
        foreach (var c in r.Atoms.Column("xtal_bond_fraction")) Assert.Equal(1.0, c);
        // by-product q6 equals the FCC value 0.5745242597140697 (scipy.special.sph_harm over the 12 <110>/√2 bonds;
        // freud's float32 constant 0.57452416 agrees to its 7 digits)
        foreach (var q in r.Q6) Assert.Equal(0.5745242597140697, q, 12);
        for (int p = 0; p < r.S.Length; p++) Assert.Contains(r.Neighbor[p], nl.IndicesOf(r.Center[p]).ToArray());
    }

    [Fact]
    public void IcosahedronCentreHasKnownQ6()
    {
        var f = Lattices.Icosahedron(2.5);
        var nl = new NeighborSearch().Ball(f, 2.6).Filter((i, _) => i == 0);
        var r = new BondCrystallinity().Compute(f, nl);
        Assert.Equal(0.663325, r.Q6[0], 6);
    }

    [Fact]
    public void GlassHasFewCrystallineBonds()
    {
        var g = SoapTestData.Glass;
        var nl = new NeighborSearch().Ball(g, 3.6);
        var r = new BondCrystallinity().Compute(g, nl);
        var counts = r.Atoms.Column("xtal_bonds");
        double mean = counts.Average(), frac = r.Atoms.Column("xtal_bond_fraction").Average();
        output.WriteLine($"glass: mean crystalline bonds {mean:F3}, fraction {frac:F4}, mean s {r.Atoms.Column("xtal_s_mean").Average():F4}");
        Assert.True(frac < 0.1, $"fraction of crystalline bonds {frac}");
        // s is symmetric: s(i, j) = s(j, i)
        var byPair = new Dictionary<(int, int), double>();
        for (int p = 0; p < r.S.Length; p++) byPair[(r.Center[p], r.Neighbor[p])] = r.S[p];
        foreach (var ((i, j), s) in byPair) Assert.Equal(s, byPair[(j, i)], 12);
    }

    [Fact]
    public void ThresholdIsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BondCrystallinity(threshold: 1.5));
    }
}
