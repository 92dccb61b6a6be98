using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class FeatureNormalizationTests
{
    [Fact]
    public void FccScalesAndNormalizedColumns()
    {
        double a = 4.0;
        var frame = Lattices.Fcc(3, a);
        var nl = new NeighborSearch(1).Ball(frame, 3.4);
        // face areas of the FCC Voronoi cell: 12 rhombi of (√2/8) a²
        var w = Enumerable.Repeat(Math.Sqrt(2) / 8 * a * a, nl.PairCount).ToArray();
        var voro = new NeighborList(nl.Offsets, nl.Index, nl.Dx, nl.Dy, nl.Dz, nl.Distance, w, "voro", nl.Cutoff);
        var sc = FeatureNormalization.Scales(frame, voro);
        Assert.Equal(a / Math.Sqrt(2), sc.Length, 12);
        Assert.Equal(Math.Sqrt(2) / 8 * a * a, sc.Area, 12);
        Assert.Equal(a * a * a / 4, sc.Volume, 10);   // FCC Voronoi cell volume a³/4
        var block = new PerAtomFeatures(["cn_voro", "dist_voro_mean", "voro_area", "voro_volume", "voro_ifold_area_4", "voro_subvol_mean__nn_max"], 1,
            [12, a / Math.Sqrt(2), 12 * Math.Sqrt(2) / 8 * a * a, a * a * a / 4, 1.0, a * a * a / 48]);
        var norm = FeatureNormalization.Normalize(block, sc);
        Assert.Equal(["dist_voro_mean_norm", "voro_area_norm", "voro_volume_norm", "voro_subvol_mean__nn_max_norm"], norm.Names);
        Assert.Equal(1.0, norm[0, 0], 12);
        Assert.Equal(12.0, norm[0, 1], 12);
        Assert.Equal(1.0, norm[0, 2], 12);
        Assert.Equal(1.0 / 12, norm[0, 3], 12);
    }
}
