using System.Text.RegularExpressions;

namespace GlassML.Tests.Recipes;

/// <summary>
/// Issue 11, item 6: the documentation refers only to files in the repository (the output-name catalogue is docs/names.md),
/// and the catalogue lists the names the code writes.
/// </summary>
public partial class DocsTests
{
    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "GlassML.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root (GlassML.slnx) not found above the test assembly");
    }

    private static IEnumerable<string> Pages()
    {
        string root = Root();
        return Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"));
    }

    [GeneratedRegex(@"\]\(([^)\s#]+)(#[^)]*)?\)")]
    private static partial Regex Link();

    [Fact]
    public void EveryRelativeLinkInTheDocsResolvesAndNoneNamesTheSpecOutsideTheRepository()
    {
        Assert.True(File.Exists(Path.Combine(Root(), "docs", "names.md")));
        foreach (var page in Pages())
        {
            string text = File.ReadAllText(page);
            Assert.False(text.Contains("spec/names.md", StringComparison.Ordinal), $"{page} refers to spec/names.md, which is not in the repository");
            foreach (Match m in Link().Matches(text))
            {
                string target = m.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                Assert.True(File.Exists(full) || Directory.Exists(full), $"{page}: link to {target} does not resolve");
            }
        }
        Assert.Contains("[names.md](names.md)", File.ReadAllText(Path.Combine(Root(), "docs", "features.md")));
    }

    [Fact]
    public void TheNameCatalogueListsTheColumnsOfEveryFeaturizeFamily()
    {
        // one representative name (or name stem) per family, taken from the code, must appear in docs/names.md
        string names = File.ReadAllText(Path.Combine(Root(), "docs", "names.md"));
        var f = Fixtures.GlassS1();
        var table = new GlassML.Descriptors.Featurizer(new GlassML.Descriptors.FeaturizeOptions
        {
            Families = ["all", "xtal"], Neighbors = GlassML.Descriptors.NeighborSource.Both, Mro = [GlassML.Descriptors.MroStat.Diff],
        }).Compute(f);
        foreach (var stem in new[] { "voro_n8plus", "motif_ico_or_z16", "xtal_s_mean", "xtal_bond_fraction", "cn_SRC", "csro_n_{S}_SRC", "wc_{S}_SRC", "__nn_diff", "rsf_bias", "frame,id,type,species" })
            Assert.Contains(stem, names);
        foreach (var n in new[] { "voro_n8plus", "motif_ico_or_z16", "xtal_s_mean", "xtal_bond_fraction", "cn_cut", "csro_n_Zr_voro", "wc_Cu_cut", "q4_voro__nn_diff" })
            Assert.Contains(n, table.Names);
    }
}
