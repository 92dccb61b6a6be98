using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>Issue 12, item 1: <c>--features seed</c> is the method's 28-set catalogue (123 SRO + 623 MRO for Cu–Zr).</summary>
public class SeedCatalogueTests
{
    private static readonly Lazy<PerAtomFeatures> Demo = new(() =>
        new Featurizer(new FeaturizeOptions { Families = ["seed"], Threads = 2 }).Compute(DemoGlass.Load()));

    [Fact]
    public void Catalogue_Has12SroSetsOf123And16MroSetsOf623_UniqueNames()
    {
        var c = SeedFeatureSets.CuZr;
        Assert.Equal([2, 5, 4, 2, 5, 10, 8, 8, 13, 29, 29, 8], c.Sro.Select(s => s.Count));
        Assert.Equal([8, 20, 12, 8, 20, 40, 32, 32, 48, 116, 116, 32, 5, 8, 8, 118], c.Mro.Select(s => s.Count));
        Assert.Equal(123, c.SroNames.Count);
        Assert.Equal(623, c.MroNames.Count);
        Assert.Equal(28, c.Sets.Count());
        Assert.Equal(746, c.AllNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(28, c.Sets.Select(s => s.Name).Distinct().Count());
        Assert.All(c.Sro, s => Assert.False(s.IsMro));
        Assert.All(c.Mro, s => Assert.True(s.IsMro));
        // the method's final features are in the catalogue, in their sets
        Assert.Equal("MRO: Distance statistics", c.SetOf("dist_cut_min__nn_mean"));
        Assert.Equal("MRO: Distance statistics", c.SetOf("dist_cut_std__nn_mean"));
        Assert.Equal("Distance statistics", c.SetOf("dist_cut_std"));
        Assert.Equal("MRO: Chemical short-range order", c.SetOf("csro_n_Zr_cut__nn_mean"));
        Assert.Equal("MRO: neighbour mean minus self", c.SetOf("voro_area_rel__nn_diff"));
        Assert.Throws<KeyNotFoundException>(() => c.SetOf("interstice_dist_voro_mean"));
        // a ternary has 1 + 6·3 CSRO columns
        Assert.Equal(19, SeedFeatureSets.For(["Cu", "Zr", "Al"]).Sro.Single(s => s.Name == "Chemical short-range order").Count);
        Assert.Equal(["Cu", "Zr"], SeedFeatureSets.FromColumns(c.AllNames)!.Species);
        // the MRO shell of every SRO column is the one it is computed on: 1 + 4 + 4 + 6 + 4 = 19 cutoff-shell columns
        var cutCols = c.SroNames.Where(n => n.Split('_').Contains("cut")).ToArray();
        Assert.Equal(19, cutCols.Length);
        Assert.All(c.SroNames, n => Assert.Equal(cutCols.Contains(n) ? NeighborSource.Cutoff : NeighborSource.Voronoi, SeedFeatureSets.ShellOf(n)));
    }

    [Fact]
    public void DemoGlass_HasTheCatalogueColumns_CutoffAndVoronoiShellsDiffer()
    {
        var t = Demo.Value;
        Assert.Equal(SeedFeatureSets.CuZr.AllNames, t.Names);
        // the nearest neighbour is in both shells (dist_cut_min = dist_voro_min), so the neighbour means differ exactly where
        // the cutoff shell (amlearn's 4.0 Å default) and the Voronoi shell (amlearn's 5 % small-face rule) hold different atoms:
        // for most atoms (the acceptance line), more often than the coordination numbers differ
        int cut = t.IndexOf("dist_cut_min__nn_mean"), voro = t.IndexOf("dist_voro_min__nn_mean"), differ = 0, cnDiffer = 0;
        for (int i = 0; i < t.AtomCount; i++)
        {
            Assert.Equal(t[i, t.IndexOf("dist_voro_min")], t[i, t.IndexOf("dist_cut_min")]);
            if (Math.Abs(t[i, cut] - t[i, voro]) > 1e-9) differ++;
            if (t[i, t.IndexOf("cn_cut")] != t[i, t.IndexOf("cn_voro")]) cnDiffer++;
        }
        Assert.True(differ >= cnDiffer && differ > 0.5 * t.AtomCount, $"{differ} of {t.AtomCount} atoms differ ({cnDiffer} with different CN)");
        for (int k = 0; k < t.FeatureCount; k++)
            for (int i = 0; i < t.AtomCount; i++)
                Assert.False(double.IsNaN(t[i, k]), $"{t.Names[k]} is NaN for atom {i}");
    }

    [Fact]
    public void SeedCutoff_DefaultsToAmlearnsDistanceShell_AndSetsTheCutoffShell()
    {
        Assert.Equal(4.0, new FeaturizeOptions().SeedCutoff);
        Assert.Equal(3.8, new FeaturizeOptions().Cutoff); // the other families keep theirs
        var f = DemoGlass.Load();
        var t = new Featurizer(new FeaturizeOptions { Families = ["seed"], SeedCutoff = 3.8, Threads = 2, Columns = ["cn_cut"] }).Compute(f);
        var nl = new NeighborSearch(2).Ball(f, 3.8);
        for (int i = 0; i < f.Count; i++) Assert.Equal(nl.Offsets[i + 1] - nl.Offsets[i], t[i, 0]);
        var d = Demo.Value;
        var nl4 = new NeighborSearch(2).Ball(f, 4.0);
        for (int i = 0; i < f.Count; i++) Assert.Equal(nl4.Offsets[i + 1] - nl4.Offsets[i], d[i, d.IndexOf("cn_cut")]);
    }

    [Fact]
    public void Seed_IsBitIdenticalForAnyThreadCount()
    {
        var one = new Featurizer(new FeaturizeOptions { Families = ["seed"], Threads = 1 }).Compute(DemoGlass.Load());
        var two = Demo.Value;
        Assert.Equal(one.Names, two.Names);
        for (long k = 0; k < one.Values.LongLength; k++)
            Assert.True(BitConverter.DoubleToInt64Bits(one.Values[k]) == BitConverter.DoubleToInt64Bits(two.Values[k]), $"entry {k} differs");
    }

    [Fact]
    public void Seed_WarmedUpOnAnotherThread_GivesTheSameBits()
    {
        // the computation does not wait for the warm-up: they run side by side (three times, each with a fresh warm-up)
        var two = Demo.Value;
        for (int rep = 0; rep < 3; rep++)
        {
            var warm = new Featurizer(new FeaturizeOptions { Families = ["seed"], Threads = 2 });
            warm.StartWarmUp();
            var t = warm.Compute(DemoGlass.Load());
            Assert.Equal(two.Names, t.Names);
            for (long k = 0; k < two.Values.LongLength; k++)
                Assert.True(BitConverter.DoubleToInt64Bits(two.Values[k]) == BitConverter.DoubleToInt64Bits(t.Values[k]), $"entry {k} differs");
        }
    }

    /// <summary>
    /// Every column but the w_l, q̄_l, w̄_l ones against tools/make_seed_reference.py (numpy + scipy on voro++'s own faces and
    /// a brute-force 4.0 Å shell (the default); 682 of 746 columns, 60 atoms, statistics over all 500).
    /// </summary>
    [Fact]
    public void Seed_MatchesTheNumpyReference_OnVoroPlusPlusFacesAndABruteForceCutoffShell()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var t = new Featurizer(new FeaturizeOptions { Families = ["seed"], SeedSmallFaceThreshold = 0, Threads = 2 }).Compute(frame);
        var row = new Dictionary<long, int>();
        for (int i = 0; i < frame.Count; i++) row[frame.Ids[i]] = i;
        var lines = Fixtures.ReadLines("seed", "s1o.seed-reference.csv.gz");
        var header = lines[0].Split(',');
        Assert.Equal(683, header.Length);
        foreach (var must in new[] { "dist_cut_min__nn_mean", "dist_cut_std", "wc_Zr_cut__nn_max", "voro_ifold_area_5", "voro_ifold_vol_6__nn_diff", "voro_area_rel", "q6_cut__nn_std", "motif_ico__nn_sum" })
            Assert.Contains(must, header);
        int compared = 0;
        for (int r = 1; r < lines.Length; r++)
        {
            var v = lines[r].Split(',');
            int i = row[long.Parse(v[0], CultureInfo.InvariantCulture)];
            for (int c = 1; c < header.Length; c++)
            {
                int col = t.IndexOf(header[c]);
                Assert.True(col >= 0, $"column {header[c]} missing");
                double e = double.Parse(v[c], CultureInfo.InvariantCulture), a = t[i, col];
                Assert.True(Math.Abs(e - a) <= 1e-9 * (1 + Math.Abs(e)), $"{header[c]} of id {v[0]}: reference {e:R}, GlassML {a:R}");
                compared++;
            }
        }
        Assert.Equal(60 * 682, compared);
    }

    /// <summary>The 64 columns the numpy reference leaves out (w_l and its MRO, q̄_l, w̄_l) equal the families' own computation.</summary>
    [Fact]
    public void Seed_SteinhardtColumns_EqualTheFamilyOverEachShell()
    {
        var f = DemoGlass.Load();
        var t = Demo.Value;
        var voro = AmlearnNeighbors.SmallFaceFilteredTessellation(f, new VoronoiTessellation().Compute(f)).Neighbors;
        var cut = new NeighborSearch(1).Ball(f, new FeaturizeOptions().SeedCutoff);
        var coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = [MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max, MroStat.Diff] });
        int checkedCols = 0;
        foreach (var nl in new[] { voro, cut })
        {
            var st = new Steinhardt(new SteinhardtOptions { Threads = 1 }).Compute(f, nl);
            var mro = coarse.Compute(st, nl);
            foreach (var block in new[] { st, mro })
                for (int k = 0; k < block.FeatureCount; k++)
                {
                    int col = t.IndexOf(block.Names[k]);
                    if (col < 0) continue;
                    for (int i = 0; i < f.Count; i++) Assert.Equal(block[i, k], t[i, col], 12);
                    checkedCols++;
                }
        }
        // q, w, q̄, w̄ (16 per shell) and 5 statistics of q and w (40 per shell)
        Assert.Equal(2 * (16 + 40), checkedCols);
    }

    [Fact]
    public void ElementColumn_IsTheAtomicNumber_OrTheLabelRankForNonElements()
    {
        Assert.Equal([29.0, 40.0], SeedFeatureSets.ElementNumbers(new SpeciesTable(["Cu", "Zr"])));
        Assert.Equal([2.0, 1.0], SeedFeatureSets.ElementNumbers(new SpeciesTable(["B2x", "A"])));
    }
}
