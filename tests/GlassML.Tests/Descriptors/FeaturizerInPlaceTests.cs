using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// The featurizer writes every family straight into its final table (and keeps the Steinhardt q_lm scratch, shared by the
/// neighbour sources, in table columns written later, or in a buffer of its own); its table must be, bit for bit, the join of the families' own public Compute outputs. The table
/// is pre-filled with a NaN payload no computation makes, so an entry left unwritten fails the comparison.
/// </summary>
public class FeaturizerInPlaceTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "demo", false }, { "demo", true }, { "s1t", false }, { "s1t", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllFamiliesOnBothSourcesEqualTheJoinedFamilyOutputsBitwise(string glass, bool mro)
    {
        var f = Load(glass);
        var stats = mro ? new[] { MroStat.Mean, MroStat.Std } : [];
        var families = glass == "s1t" ? new[] { "all", "xtal" } : ["all"];
        var table = new Featurizer(new FeaturizeOptions { Families = families, Neighbors = NeighborSource.Both, Mro = stats, Threads = 2 })
        {
            PoisonOutput = true,
        }.Compute(f);

        var voro = new VoronoiTessellation().Compute(f);
        var cut = new NeighborSearch().Ball(f, 3.8);
        var blocks = new List<PerAtomFeatures>
        {
            new VoronoiStatistics().Compute(f, voro),
            new Motifs().Compute(f, voro),
            new Steinhardt().Compute(f, voro.Neighbors), new Steinhardt().Compute(f, cut),
            new ChemicalOrder().Compute(f, voro.Neighbors), new ChemicalOrder().Compute(f, cut),
            new DistanceStatistics().Compute(f, voro.Neighbors), new DistanceStatistics().Compute(f, cut),
        };
        // each block's MRO runs over the block's own shell (issue 11)
        var shells = new List<NeighborList> { voro.Neighbors, voro.Neighbors, voro.Neighbors, cut, voro.Neighbors, cut, voro.Neighbors, cut };
        if (glass == "s1t") { blocks.Add(new BondCrystallinity().Compute(f, cut).Atoms); shells.Add(cut); }
        var expected = PerAtomFeatures.Concat(blocks);
        if (mro)
        {
            var coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = stats });
            expected = PerAtomFeatures.Concat([expected, .. blocks.Select((b, k) => coarse.Compute(b, shells[k]))]);
        }

        AssertBitwiseEqual(expected, table);
        Assert.Equal(mro ? 3 * blocks.Sum(b => b.FeatureCount) : blocks.Sum(b => b.FeatureCount), table.FeatureCount);
    }

    [Theory]
    [InlineData(NeighborSource.Voronoi)]
    [InlineData(NeighborSource.Cutoff)]
    public void OneNeighbourSourceWithMroEqualsTheJoinedFamilyOutputsBitwise(NeighborSource source)
    {
        var f = Load("s1t");
        var table = new Featurizer(new FeaturizeOptions { Families = ["steinhardt", "distance", "csro"], Neighbors = source, Mro = [MroStat.Diff, MroStat.Max] })
        {
            PoisonOutput = true,
        }.Compute(f);
        var nl = source == NeighborSource.Voronoi ? new VoronoiTessellation().Compute(f).Neighbors : new NeighborSearch().Ball(f, 3.8);
        var sro = PerAtomFeatures.Concat([new Steinhardt().Compute(f, nl), new DistanceStatistics().Compute(f, nl), new ChemicalOrder().Compute(f, nl)]);
        var expected = PerAtomFeatures.Concat([sro, new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = [MroStat.Diff, MroStat.Max] }).Compute(sro, nl)]);
        AssertBitwiseEqual(expected, table);
    }

    [Fact]
    public void SteinhardtAloneOnBothSourcesKeepsItsScratchApartAndEqualsTheFamilyOutputsBitwise()
    {
        // no other columns to borrow for the q_lm scratch: the featurizer needs a buffer of its own
        var f = Load("s1t");
        var table = new Featurizer(new FeaturizeOptions { Families = ["steinhardt"], Neighbors = NeighborSource.Both }) { PoisonOutput = true }.Compute(f);
        var expected = PerAtomFeatures.Concat([new Steinhardt().Compute(f, new VoronoiTessellation().Compute(f).Neighbors), new Steinhardt().Compute(f, new NeighborSearch().Ball(f, 3.8))]);
        AssertBitwiseEqual(expected, table);
    }

    [Theory]
    [InlineData("demo", 0.05)]
    [InlineData("s1t", 0.05)]
    [InlineData("s1t", 0.0)]
    public void SeedTableEqualsTheFamilyOutputsSelectedAndCoarseGrainedBitwise(string glass, double smallFaces)
    {
        // the seed set fills its 746-column table in place; expected: the families' public Compute outputs over the same
        // (small-face-filtered) tessellation, the 123 SRO columns picked by name, and amlearn's MRO of the 103 coarse-grained
        // columns composed from NeighborCoarseGraining.Compute and AverageIFold, picked in catalogue order
        var f = Load(glass);
        var table = new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"], SeedSmallFaceThreshold = smallFaces, Threads = 2 })
        {
            PoisonOutput = true,
        }.Compute(f);

        var voro = new VoronoiTessellation().Compute(f);
        if (smallFaces > 0) voro = AmlearnNeighbors.SmallFaceFilteredTessellation(f, voro, smallFaces);
        var blocks = PerAtomFeatures.Concat(
        [
            new VoronoiStatistics().Compute(f, voro),
            new Motifs().Compute(f, voro),
            new DistanceStatistics(new DistanceStatisticsOptions { IncludeSum = true }).Compute(f, voro.Neighbors),
            new Steinhardt().Compute(f, voro.Neighbors),
            new IntersticeDistribution(Featurizer.DefaultRadii).Compute(f, voro),
        ]);
        var sro = Pick(blocks, AmlearnSeedFeatureSets.SroNames);
        var coarseColumns = AmlearnSeedFeatureSets.Sro.Where(s => AmlearnSeedFeatureSets.CoarseGrainedSets.Contains(s.Name)).SelectMany(s => s.Columns).ToArray();
        var mro = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = AmlearnSeedFeatureSets.MroStats }).Compute(Pick(sro, coarseColumns), voro.Neighbors);
        var expectedMro = Pick(PerAtomFeatures.Concat([mro, NeighborCoarseGraining.AverageIFold(mro)]), AmlearnSeedFeatureSets.MroNames);

        AssertBitwiseEqual(PerAtomFeatures.Concat([sro, expectedMro]), table);
        // the public MRO of the seed set (from any block holding the SRO columns) gives the same columns
        AssertBitwiseEqual(expectedMro, AmlearnSeedFeatureSets.ComputeMro(blocks, voro.Neighbors, threads: 1));
    }

    /// <summary>The named columns of a block, in the given order.</summary>
    private static PerAtomFeatures Pick(PerAtomFeatures block, IReadOnlyList<string> names)
    {
        var idx = names.Select(block.IndexOf).ToArray();
        Assert.DoesNotContain(-1, idx);
        var v = new double[block.AtomCount * names.Count];
        for (int i = 0; i < block.AtomCount; i++)
            for (int k = 0; k < idx.Length; k++) v[i * names.Count + k] = block[i, idx[k]];
        return new PerAtomFeatures(names, block.AtomCount, v);
    }

    private static Frame Load(string glass) => glass == "demo" ? DemoGlass.Load() : VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz").Frame;

    private static void AssertBitwiseEqual(PerAtomFeatures expected, PerAtomFeatures actual)
    {
        Assert.Equal(expected.Names, actual.Names);
        Assert.Equal(expected.AtomCount, actual.AtomCount);
        Assert.Equal(expected.Values.Length, actual.Values.Length);
        for (int k = 0; k < expected.Values.Length; k++)
        {
            long a = BitConverter.DoubleToInt64Bits(expected.Values[k]), b = BitConverter.DoubleToInt64Bits(actual.Values[k]);
            if (a != b)
                Assert.Fail($"atom {k / expected.FeatureCount}, column {expected.Names[k % expected.FeatureCount]}: expected {expected.Values[k]:R} (0x{a:X16}), got {actual.Values[k]:R} (0x{b:X16})");
        }
    }
}
