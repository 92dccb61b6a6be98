using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

public class VoronoiTessellationTests
{
    private static void AssertRel(double expected, double actual, double rel, double abs = 0)
    {
        Assert.True(Math.Abs(expected - actual) <= abs + rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void Fcc_GivesRhombicDodecahedra()
    {
        double a = 3.61;
        var f = Lattices.Fcc(3, a);
        var r = new VoronoiTessellation().Compute(f);
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(new[] { 0, 12, 0, 0, 0 }, r.Index(i));
            AssertRel(a * a * a / 4, r.Volume[i], 1e-12);
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++) AssertRel(Math.Sqrt(2) / 8 * a * a, r.FaceArea[p], 1e-12);
        }
    }

    [Fact]
    public void Bcc_GivesTruncatedOctahedra()
    {
        double a = 3.3;
        var f = Lattices.Bcc(3, a);
        var r = new VoronoiTessellation().Compute(f);
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(new[] { 0, 6, 0, 8, 0 }, r.Index(i));
            AssertRel(a * a * a / 2, r.Volume[i], 1e-12);
        }
    }

    [Fact]
    public void SimpleCubic_GivesCubes()
    {
        double a = 2.7;
        var f = Lattices.SimpleCubic(4, a);
        var r = new VoronoiTessellation().Compute(f);
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(new[] { 0, 6, 0, 0, 0 }, r.Index(i));
            AssertRel(a * a * a, r.Volume[i], 1e-12);
        }
    }

    [Fact]
    public void IcosahedronCentre_HasTwelvePentagons()
    {
        var f = Lattices.Icosahedron(2.5);
        var r = new VoronoiTessellation().Compute(f);
        Assert.Equal(new[] { 0, 0, 12, 0, 0 }, r.Index(0));
        double boxV = f.Box.Volume, sum = 0;
        for (int i = 0; i < f.Count; i++) sum += r.Volume[i];
        AssertRel(boxV, sum, 1e-10);
    }
}
