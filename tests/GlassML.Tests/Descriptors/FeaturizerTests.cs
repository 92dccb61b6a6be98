using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

public class FeaturizerTests
{
    [Fact]
    public void ComposedTableEqualsTheFamiliesComputedDirectly()
    {
        var f = Fixtures.GlassS1();
        var table = new Featurizer(new FeaturizeOptions
        {
            Families = ["all", "soap", "rsf", "asf"],
            Neighbors = NeighborSource.Both,
            Cutoff = 3.8,
            Mro = [MroStat.Mean, MroStat.Max],
            Parameters = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["soap"] = new Dictionary<string, string> { ["nmax"] = "3", ["lmax"] = "2" },
                ["asf"] = new Dictionary<string, string> { ["rc"] = "5" },
            },
        }).Compute(f);

        var voro = new VoronoiTessellation().Compute(f);
        var cut = new NeighborSearch().Ball(f, 3.8);
        var direct = new List<PerAtomFeatures>
        {
            new VoronoiStatistics().Compute(f, voro),
            new Motifs().Compute(f, voro),
            new Steinhardt().Compute(f, voro.Neighbors), new Steinhardt().Compute(f, cut),
            new ChemicalOrder().Compute(f, voro.Neighbors), new ChemicalOrder().Compute(f, cut),
            new DistanceStatistics().Compute(f, voro.Neighbors), new DistanceStatistics().Compute(f, cut),
        };
        var sro = PerAtomFeatures.Concat(direct);
        // every block's MRO over its own neighbour shell (issue 11): voronoi, motifs and _voro blocks over the Voronoi neighbours, _cut over the cutoff shell
        var shells = new[] { voro.Neighbors, voro.Neighbors, voro.Neighbors, cut, voro.Neighbors, cut, voro.Neighbors, cut };
        var coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = [MroStat.Mean, MroStat.Max] });
        var mro = PerAtomFeatures.Concat(direct.Select((b, k) => coarse.Compute(b, shells[k])).ToArray());
        var soapOpts = new SoapOptions { NMax = 3, LMax = 2 };
        var soapCalc = new Soap(soapOpts);
        var soap = soapCalc.Compute(f, new NeighborSearch().Ball(f, soapCalc.RequiredCutoff));
        var wide = new NeighborSearch().Ball(f, 10.0);
        var rsfCalc = new RadialStructureFunctions(new RadialStructureFunctionOptions());
        var rsf = rsfCalc.Compute(f, wide); // r_p from the first g(r) peaks
        var asf = new AngularStructureFunctions(new AngularStructureFunctionOptions { Cutoff = 5 }).Compute(f, wide);
        var expected = PerAtomFeatures.Concat([sro, mro, soap, rsf, asf]);

        Assert.Equal(expected.Names, table.Names);
        Assert.Contains("q6_voro", table.Names);
        Assert.Contains("q6_cut", table.Names);
        Assert.Contains("voro_volume__nn_mean", table.Names);
        for (int k = 0; k < expected.Values.Length; k++)
        {
            double a = expected.Values[k], b = table.Values[k];
            if (double.IsNaN(a)) Assert.True(double.IsNaN(b));
            else Assert.Equal(a, b, Math.Max(1e-12, Math.Abs(a) * 1e-12));
        }
    }

    [Fact]
    public void BadOptionsAreRejectedWithTheirName()
    {
        Assert.Contains("bogus", Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Families = ["bogus"] })).Message);
        Assert.Contains("nmaxx", Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions
        {
            Families = ["soap"],
            Parameters = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["soap"] = new Dictionary<string, string> { ["nmaxx"] = "3" } },
        })).Message);
        Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Cutoff = -1 }));
    }
}
