using GlassML.Descriptors;
using GlassML.Structure;
using GlassML.Tests.Voronoi;
using GlassML.Voronoi;

namespace GlassML.Tests.Descriptors;

public class MotifsTests
{
    [Fact]
    public void IcosahedronCentre_IsIcosahedralAndKasper()
    {
        var f = Lattices.Icosahedron(2.6);
        var m = new Motifs().Compute(f, new VoronoiTessellation().Compute(f));
        Assert.Equal(new double[] { 1, 0, 0, 0, 1, 1 }, m.Row(0).ToArray());
    }

    [Fact]
    public void Crystals_AreNotIcosahedral_BccIsKasperByTheRule()
    {
        var fcc = Lattices.Fcc(2, 3.6);
        var mf = new Motifs().Compute(fcc, new VoronoiTessellation().Compute(fcc));
        Assert.Equal(new double[] { 0, 0, 0, 0, 0, 0 }, mf.Row(0).ToArray());
        var bcc = Lattices.Bcc(2, 3.2);
        var mb = new Motifs().Compute(bcc, new VoronoiTessellation().Compute(bcc));
        Assert.Equal(new double[] { 0, 0, 0, 0, 1, 0 }, mb.Row(0).ToArray()); // ⟨0,6,0,8⟩: 2·6 + 0 = 12
    }

    [Fact]
    public void Glass_MatchesVoroPlusPlusIndices()
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var vol = VoronoiFixtures.ReadVoroVol("s1o.voro++-plain.vol.gz");
        var m = new Motifs().Compute(frame, new VoronoiTessellation().Compute(frame));
        int ico = 0;
        for (int i = 0; i < frame.Count; i++)
        {
            var q = vol[frame.Ids[i]].Freq;
            int F(int e) => e < q.Length ? q[e] : 0;
            int n7p = 0; for (int e = 7; e < q.Length; e++) n7p += q[e];
            bool b12 = F(3) == 0 && F(4) == 0 && F(5) == 12 && n7p == 0;
            var expected = new double[] { b12 && F(6) == 0 ? 1 : 0, b12 && F(6) == 2 ? 1 : 0, b12 && F(6) == 3 ? 1 : 0, b12 && F(6) == 4 ? 1 : 0, 2 * F(4) + F(5) == 12 ? 1 : 0, b12 && (F(6) == 0 || F(6) == 4) ? 1 : 0 };
            Assert.Equal(expected, m.Row(i).ToArray());
            ico += (int)expected[0];
        }
        Assert.True(ico > 0, "the Cu-Zr glass should contain full icosahedra");
    }
}
