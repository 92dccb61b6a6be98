using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// Issue 11, item 1: the MRO statistics of a column run over that column's own neighbour shell (a <c>_cut</c> column over
/// the cutoff shell, a <c>_voro</c> column over the Voronoi neighbours), as amlearn's MRO featurizer does.
/// </summary>
public class MroShellTests
{
    /// <summary>
    /// Brute-force reference (tools/make_mro_reference.py, numpy: all-pairs minimum image for the 4.0 Å shell, LAMMPS's
    /// Voronoi faces for the Voronoi shell) of cn/dist columns and their six MRO statistics on the ortho500 glass.
    /// </summary>
    [Fact]
    public void MroOfCutoffAndVoronoiColumnsMatchesTheBruteForceReferenceOnTheirOwnShells()
    {
        var f = GlassML.Io.StructureReader.ReadFrame(Fixtures.Path("glasses", "ortho500", "glass.dump.gz"), 0,
            new GlassML.Io.ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        f.SortById();
        var table = new Featurizer(new FeaturizeOptions
        {
            Families = ["distance"], Neighbors = NeighborSource.Both, Cutoff = 4.0, Mro = NeighborCoarseGraining.ParseStats("all"), Threads = 2,
        }).Compute(f);

        var lines = Fixtures.ReadLines("mro", "ortho500_r4.0.csv.gz");
        var header = lines[0].Split(',');
        Assert.Equal(500, lines.Length - 1);
        Assert.Contains("dist_cut_std__nn_mean", header);
        int compared = 0;
        for (int r = 1; r < lines.Length; r++)
        {
            var t = lines[r].Split(',');
            Assert.Equal(f.Ids[r - 1], long.Parse(t[0], CultureInfo.InvariantCulture));
            for (int c = 1; c < header.Length; c++)
            {
                int col = table.IndexOf(header[c]);
                Assert.True(col >= 0, $"missing column {header[c]}");
                double want = double.Parse(t[c], CultureInfo.InvariantCulture), got = table[r - 1, col];
                if (Math.Abs(want - got) > 1e-12 * Math.Max(1, Math.Abs(want)))
                    Assert.Fail($"atom id {t[0]}, {header[c]}: reference {want:R}, ours {got:R}");
                compared++;
            }
        }
        Assert.Equal(500 * 70, compared);
    }

    [Fact]
    public void OnTheDemoGlassTheCutoffAndVoronoiMinimumDistanceAveragesDifferForMostAtoms()
    {
        // dist_cut_min = dist_voro_min for every atom (the nearest neighbour always shares a Voronoi face); their
        // neighbour means differ only because the shells differ
        var f = DemoGlass.Load();
        var table = new Featurizer(new FeaturizeOptions { Families = ["distance"], Neighbors = NeighborSource.Both, Mro = [MroStat.Mean] }).Compute(f);
        var cutMin = table.Column("dist_cut_min");
        var voroMin = table.Column("dist_voro_min");
        Assert.Equal(voroMin, cutMin);
        var a = table.Column("dist_cut_min__nn_mean");
        var b = table.Column("dist_voro_min__nn_mean");
        int differ = a.Zip(b).Count(p => p.First != p.Second);
        Assert.True(differ > f.Count / 2, $"only {differ} of {f.Count} atoms differ");
        // and each is the mean over its own shell
        var cut = new NeighborSearch().Ball(f, 3.8);
        var voro = new VoronoiTessellation().Compute(f).Neighbors;
        for (int i = 0; i < f.Count; i += 97)
        {
            Assert.Equal(Mean(cutMin, cut, i), a[i], 12);
            Assert.Equal(Mean(voroMin, voro, i), b[i], 12);
        }
    }

    [Fact]
    public void VoronoiAndMotifColumnsUseVoronoiNeighboursAndXtalColumnsTheCutoffShellWhateverTheShellOption()
    {
        var f = DemoGlass.Load();
        var table = new Featurizer(new FeaturizeOptions { Families = ["voronoi", "xtal", "distance"], Neighbors = NeighborSource.Cutoff, Mro = [MroStat.Mean] }).Compute(f);
        var cut = new NeighborSearch().Ball(f, 3.8);
        var voro = new VoronoiTessellation().Compute(f).Neighbors;
        var vol = table.Column("voro_volume");
        var dmin = table.Column("dist_cut_min");
        const string xtalName = "xtal_bond_fraction";
        var xtal = table.Column(xtalName);
        for (int i = 0; i < f.Count; i += 101)
        {
            Assert.Equal(Mean(vol, voro, i), table.Column("voro_volume__nn_mean")[i], 12);
            Assert.Equal(Mean(dmin, cut, i), table.Column("dist_cut_min__nn_mean")[i], 12);
            double x = Mean(xtal, cut, i), y = table.Column(xtalName + "__nn_mean")[i];
            if (double.IsNaN(x)) Assert.True(double.IsNaN(y)); else Assert.Equal(x, y, 12);
        }
    }

    private static double Mean(double[] v, NeighborList nl, int i)
    {
        double s = 0;
        for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++) s += v[nl.Index[p]];
        return s / (nl.Offsets[i + 1] - nl.Offsets[i]);
    }
}
