using GlassML.Descriptors;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// Issue 12 (apply speed and memory): a column subset of the seed set (<see cref="FeaturizeOptions.Columns"/>,
/// <see cref="SeedFeatureSets.ComputeColumns"/>) equals the same columns of the full table bit for bit.
/// </summary>
public class SeedColumnSubsetTests
{
    private static readonly Lazy<PerAtomFeatures> Full = new(() =>
        new Featurizer(new FeaturizeOptions { Families = ["seed"], Threads = 2 }).Compute(DemoGlass.Load()));

    private static void SameAsFull(IReadOnlyList<string> columns, int threads = 2)
    {
        var sub = new Featurizer(new FeaturizeOptions { Families = ["seed"], Threads = threads, Columns = columns }).Compute(DemoGlass.Load());
        var full = Full.Value;
        Assert.Equal(columns, sub.Names);
        Assert.Equal(full.AtomCount, sub.AtomCount);
        for (int j = 0; j < columns.Count; j++)
        {
            int f = full.IndexOf(columns[j]);
            for (int i = 0; i < full.AtomCount; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(full[i, f]) == BitConverter.DoubleToInt64Bits(sub[i, j]),
                    $"{columns[j]}, atom {i}: full {full[i, f]:R}, subset {sub[i, j]:R}");
        }
    }

    [Fact]
    public void EveryColumnInShuffledOrder_EqualsTheFullTable()
    {
        var names = SeedFeatureSets.CuZr.AllNames.ToArray();
        new Random(12).Shuffle(names);
        SameAsFull(names, threads: 1);
    }

    [Theory]
    // the shipped demo model's columns (Voronoi and cutoff distance statistics, their MRO, facet and sub-volume MRO)
    [InlineData("dist_voro_std,dist_cut_std,voro_ifold_area_5__nn_mean,voro_facet_area_std__nn_max,voro_facet_area_n5_std__nn_max,voro_facet_area_n7_mean__nn_std,voro_facet_area_n7_max__nn_max,voro_subvol_mean__nn_min,voro_subvol_n7_max__nn_max,dist_voro_min__nn_max,dist_cut_std__nn_mean,dist_cut_max__nn_mean,dist_cut_max__nn_max")]
    // the retrained model's (q_l, w_l over both shells without q̄/w̄: Steinhardt blocks without their averages)
    [InlineData("q6_voro,voro_facet_area_max,dist_cut_std,q6_cut__nn_std,w6_voro__nn_max,w6_cut__nn_min,voro_facet_area_std__nn_max,voro_facet_area_n5_std__nn_max,voro_facet_area_n7_mean__nn_std,voro_subvol_n5_mean__nn_min,voro_subvol_n7_max__nn_max,dist_voro_min__nn_min,dist_cut_std__nn_mean")]
    // Voronoi-shell columns only (no cutoff shell is built)
    [InlineData("voro_n5__nn_std,voro_volume_rel,voro_area_rel__nn_diff,motif_ico__nn_sum,q6_voro,wbar8_voro,voro_ifold_5__nn_avgidx")]
    // derived columns, the element, the averaged i-fold index alone, q̄/w̄ and CSRO over the cutoff shell
    [InlineData("csro_element,voro_ifold_3__nn_avgidx,qbar10_cut,wbar4_cut,csro_n_Zr_cut__nn_mean,wc_Cu_cut__nn_diff,cn_cut")]
    public void Subsets_EqualTheFullTable(string columns) => SameAsFull(columns.Split(','));

    // the full table's neighbour-minus-self columns come from its mean columns: with a cutoff so short that some atoms have no
    // cutoff neighbour, they still equal the coarse-graining's own Diff (the column subset's path), NaN included, bit for bit
    [Fact]
    public void Differences_OfAtomsWithoutNeighbours_EqualTheCoarseGrainingsDiff()
    {
        var f = DemoGlass.Load();
        var o = new FeaturizeOptions { Families = ["seed"], Threads = 2, SeedCutoff = 2.45 };
        var full = new Featurizer(o).Compute(f);
        int cn = full.IndexOf("cn_cut"), lonely = 0;
        for (int i = 0; i < full.AtomCount; i++) if (full[i, cn] == 0) lonely++;
        Assert.InRange(lonely, 1, full.AtomCount - 1);
        var diffs = full.Names.Where(c => c.EndsWith("__nn_diff", StringComparison.Ordinal)).ToArray();
        var sub = new Featurizer(o with { Columns = diffs }).Compute(f);
        for (int j = 0; j < diffs.Length; j++)
        {
            int c = full.IndexOf(diffs[j]);
            for (int i = 0; i < full.AtomCount; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(full[i, c]) == BitConverter.DoubleToInt64Bits(sub[i, j]),
                    $"{diffs[j]}, atom {i}: full {full[i, c]:R}, subset {sub[i, j]:R}");
        }
    }

    [Fact]
    public void NeedsCutoff_OnlyForCutoffShellColumns()
    {
        Assert.False(SeedFeatureSets.NeedsCutoff(["Cu", "Zr"], ["voro_n5__nn_std", "qbar6_voro", "voro_ifold_4__nn_avgidx", "csro_element"]));
        Assert.True(SeedFeatureSets.NeedsCutoff(["Cu", "Zr"], ["voro_n5", "dist_cut_min__nn_mean"]));
        Assert.True(SeedFeatureSets.NeedsCutoff(["Cu", "Zr"], ["wbar4_cut"]));
    }

    [Fact]
    public void UnknownOrRepeatedColumns_AndOtherFamilies_AreRefused()
    {
        var f = DemoGlass.Load();
        Assert.Contains("'interstice_dist_voro_mean'", Assert.Throws<ArgumentException>(() =>
            new Featurizer(new FeaturizeOptions { Families = ["seed"], Columns = ["interstice_dist_voro_mean"] }).Compute(f)).Message);
        Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Families = ["seed"], Columns = ["cn_cut", "cn_cut"] }).Compute(f));
        Assert.Throws<ArgumentException>(() => new Featurizer(new FeaturizeOptions { Families = ["seed-amlearn"], Columns = ["cn_voro"] }));
    }
}
