using GlassML.Descriptors;
using GlassML.Neighbors;

namespace GlassML.Tests.Descriptors;

public class AmlearnSeedFeatureSetsTests
{
    [Fact]
    public void CatalogueCountsAndUniqueness()
    {
        Assert.Equal(12, AmlearnSeedFeatureSets.Sro.Count);
        Assert.Equal(16, AmlearnSeedFeatureSets.Mro.Count);
        Assert.Equal(123, AmlearnSeedFeatureSets.SroNames.Count);
        Assert.Equal(623, AmlearnSeedFeatureSets.MroNames.Count);
        Assert.Equal(746, AmlearnSeedFeatureSets.AllNames.Count);
        Assert.Equal(746, AmlearnSeedFeatureSets.AllNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(746, AmlearnSeedFeatureSets.ToAmlearn.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(AmlearnSeedFeatureSets.Sro.Concat(AmlearnSeedFeatureSets.Mro), s => Assert.Equal(s.Columns.Count, s.AmlearnColumns.Count));
        // every SRO column uses the Voronoi source suffix or a Voronoi-family name; MRO names follow {col}__nn_{stat}
        Assert.All(AmlearnSeedFeatureSets.MroNames, n => Assert.Contains("__nn_", n));
        Assert.Equal("MRO_sum_CN_voro", AmlearnSeedFeatureSets.ToAmlearn["voro_cn__nn_sum"]);
        Assert.Equal("Coarse_grained_w_10_voro", AmlearnSeedFeatureSets.ToAmlearn["wbar10_voro"]);
    }

    [Fact]
    public void ComputeMroFromSyntheticSro()
    {
        // 3 atoms in a ring, SRO values = k + 1000·atom (distinct per column and atom)
        var names = AmlearnSeedFeatureSets.SroNames;
        int n = 3, f = names.Count;
        var v = new double[n * f];
        for (int i = 0; i < n; i++) for (int k = 0; k < f; k++) v[i * f + k] = k + 1000.0 * i + (k % 7 == 0 ? 0.5 : 0);
        var sro = new PerAtomFeatures(names, n, v);
        var nl = new NeighborList([0, 2, 4, 6], [1, 2, 0, 2, 0, 1], new double[6], new double[6], new double[6], [1, 1, 1, 1, 1, 1], null, "voro");
        var mro = AmlearnSeedFeatureSets.ComputeMro(AmlearnSeedFeatureSets.SelectSro(sro), nl, threads: 1);
        Assert.Equal(AmlearnSeedFeatureSets.MroNames, mro.Names);
        int c = sro.IndexOf("dist_voro_mean");
        // atom 0: neighbours 1, 2
        double a = sro[1, c], b = sro[2, c];
        Assert.Equal(a + b, mro[0, mro.IndexOf("dist_voro_mean__nn_sum")]);
        Assert.Equal((a + b) / 2 - sro[0, c], mro[0, mro.IndexOf("dist_voro_mean__nn_diff")]);
        Assert.Equal(Math.Abs(a - b) / 2, mro[0, mro.IndexOf("dist_voro_mean__nn_std")], 12);
        Assert.Throws<KeyNotFoundException>(() => AmlearnSeedFeatureSets.SelectSro(new PerAtomFeatures(["q4_voro"], 1, [0.1])));
    }
}
