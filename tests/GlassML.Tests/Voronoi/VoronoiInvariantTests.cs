using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>Geometric invariants of the tessellation: volume sum, face pairing, thread-count identity, filters.</summary>
public class VoronoiInvariantTests
{
    private static Frame TiltedGas(int n, int seed, int species = 1)
    {
        double l = Math.Cbrt(n / 0.06);
        var box = new Box(new Vec3(-3, 2, 1), new Vec3(l, 0, 0), new Vec3(0.9 * l, l, 0), new Vec3(-0.8 * l, 0.7 * l, l));
        return Lattices.RandomGas(box, n, seed, species);
    }

    private static void AssertFacesPaired(Frame f, VoronoiResult r, double absArea = 1e-12)
    {
        for (int i = 0; i < f.Count; i++)
        {
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++)
            {
                int j = r.FaceNeighbor[p];
                bool found = false;
                for (int q = r.FaceOffsets[j]; q < r.FaceOffsets[j + 1] && !found; q++)
                {
                    if (r.FaceNeighbor[q] != i) continue;
                    double ex = r.FaceDx[q] + r.FaceDx[p], ey = r.FaceDy[q] + r.FaceDy[p], ez = r.FaceDz[q] + r.FaceDz[p];
                    if (ex * ex + ey * ey + ez * ez > 1e-18) continue;
                    found = true;
                    Assert.True(Math.Abs(r.FaceArea[p] - r.FaceArea[q]) <= 1e-9 * r.FaceArea[p] + absArea,
                        $"face {i}-{j}: areas {r.FaceArea[p]:R} and {r.FaceArea[q]:R}");
                }
                Assert.True(found, $"face of atom {i} towards {j} has no partner face in cell {j}");
            }
        }
    }

    [Fact]
    public void RandomGasInStronglyTiltedCell_VolumesSumToBoxAndFacesPair()
    {
        var f = TiltedGas(2000, 11);
        var r = new VoronoiTessellation().Compute(f);
        double sum = 0;
        for (int i = 0; i < f.Count; i++) sum += r.Volume[i];
        Assert.True(Math.Abs(sum - f.Box.Volume) <= 1e-10 * f.Box.Volume, $"Σ V = {sum:R}, box {f.Box.Volume:R}");
        AssertFacesPaired(f, r);
        for (int i = 0; i < f.Count; i++)
        {
            double s = 0;
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++) s += r.FaceSubVolume[p];
            Assert.True(Math.Abs(s - r.Volume[i]) <= 1e-12 * r.Volume[i]);
        }
    }

    [Fact]
    public void RadicalRandomGas_VolumesSumToBoxAndFacesPair()
    {
        var f = TiltedGas(1500, 5, 2);
        var radii = new Dictionary<string, double> { ["1"] = 1.0, ["2"] = 1.6 };
        var r = new VoronoiTessellation(new VoronoiOptions { Radii = radii }).Compute(f);
        Assert.True(Math.Abs(r.Volume.Sum() - f.Box.Volume) <= 1e-10 * f.Box.Volume);
        AssertFacesPaired(f, r);
    }

    [Fact]
    public void CellsLongerThanTheStartingCube_AreExactSlabs()
    {
        // two atoms on the axis of a long thin periodic box: each cell is the slab between the bisecting planes, 1.2 × 1.5 × 24 Å,
        // far longer than the starting cube (2 mean spacings), so the cell is rebuilt in a larger cube
        var box = Box.Orthogonal(Vec3.Zero, new Vec3(1.2, 1.5, 48));
        var f = new Frame(box, new SpeciesTable(["Cu"]), [1, 2], [0, 0], [0.6, 0.6], [0.75, 0.75], [3.0, 27.0]);
        var r = new VoronoiTessellation().Compute(f);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(1.2 * 1.5 * 24, r.Volume[i], 1e-9);
            Assert.Equal(2 * 1.2 * 1.5 + 2 * 24 * (1.2 + 1.5), r.Area[i], 1e-9);
            Assert.Equal(6, r.FacesOf(i));
        }
        AssertFacesPaired(f, r);
    }

    [Fact]
    public void TinyCell_SelfImagesBecomeNeighbours()
    {
        // 3 atoms in a cell thinner than the Voronoi cells: faces with the atoms' own periodic images
        var box = new Box(Vec3.Zero, new Vec3(2.5, 0, 0), new Vec3(0.7, 2.2, 0), new Vec3(0.4, -0.3, 2.8));
        var f = Lattices.RandomGas(box, 3, 2);
        var r = new VoronoiTessellation().Compute(f);
        Assert.True(Math.Abs(r.Volume.Sum() - box.Volume) <= 1e-10 * box.Volume);
        bool self = false;
        for (int i = 0; i < 3; i++)
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++) self |= r.FaceNeighbor[p] == i;
        Assert.True(self);
        AssertFacesPaired(f, r);
    }

    [Fact]
    public void ThreadCount_DoesNotChangeAnyBit()
    {
        var f = TiltedGas(2500, 3, 2);
        var radii = new Dictionary<string, double> { ["1"] = 1.2, ["2"] = 1.5 };
        var a = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = 1, KeepVertices = true }).Compute(f);
        var b = new VoronoiTessellation(new VoronoiOptions { Radii = radii, Threads = 2, KeepVertices = true }).Compute(f);
        Assert.Equal(a.Volume, b.Volume);
        Assert.Equal(a.Area, b.Area);
        Assert.Equal(a.FaceOffsets, b.FaceOffsets);
        Assert.Equal(a.FaceNeighbor, b.FaceNeighbor);
        Assert.Equal(a.FaceArea, b.FaceArea);
        Assert.Equal(a.FaceSubVolume, b.FaceSubVolume);
        Assert.Equal(a.FaceEdges, b.FaceEdges);
        Assert.Equal(a.VertexX, b.VertexX);
        Assert.Equal(a.FaceVertexOffsets, b.FaceVertexOffsets);
    }

    [Fact]
    public void KeptVertices_ReproduceFaceAreasAndEdgeCounts()
    {
        var f = TiltedGas(300, 8);
        var r = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true }).Compute(f);
        for (int p = 0; p < r.FaceCount; p++)
        {
            int s = r.FaceVertexOffsets![p], e = r.FaceVertexOffsets[p + 1];
            Assert.Equal(r.FaceEdges[p], e - s);
            // area by the shoelace formula about the face centroid; every vertex on the bisector plane
            double cx = 0, cy = 0, cz = 0;
            for (int k = s; k < e; k++) { cx += r.VertexX![k]; cy += r.VertexY![k]; cz += r.VertexZ![k]; }
            cx /= e - s; cy /= e - s; cz /= e - s;
            double ax = 0, ay = 0, az = 0;
            double dx = r.FaceDx[p], dy = r.FaceDy[p], dz = r.FaceDz[p], d = r.FaceDistance[p];
            for (int k = s; k < e; k++)
            {
                int k2 = k + 1 == e ? s : k + 1;
                double ux = r.VertexX![k] - cx, uy = r.VertexY![k] - cy, uz = r.VertexZ![k] - cz;
                double vx = r.VertexX[k2] - cx, vy = r.VertexY![k2] - cy, vz = r.VertexZ![k2] - cz;
                ax += uy * vz - uz * vy; ay += uz * vx - ux * vz; az += ux * vy - uy * vx;
                double h = (r.VertexX[k] * dx + r.VertexY[k] * dy + r.VertexZ![k] * dz) / d;
                Assert.True(Math.Abs(h - d / 2) < 1e-9);
            }
            // counter-clockwise seen from outside: the area vector points towards the neighbour
            Assert.True((ax * dx + ay * dy + az * dz) > 0);
            Assert.True(Math.Abs(0.5 * Math.Sqrt(ax * ax + ay * ay + az * az) - r.FaceArea[p]) <= 1e-10 * r.FaceArea[p] + 1e-14);
        }
    }

    [Fact]
    public void FaceFilters_DropExactlyTheSmallFaces()
    {
        var f = TiltedGas(800, 21);
        var all = new VoronoiTessellation().Compute(f);
        var opt = new VoronoiOptions { SmallFaceFractionOfMean = 0.05, MinFaceArea = 0.02, MinRelativeFaceArea = 0.004 };
        var some = new VoronoiTessellation(opt).Compute(f);
        Assert.Equal(all.Volume, some.Volume);
        int dropped = 0;
        for (int i = 0; i < f.Count; i++)
        {
            int n = all.FacesOf(i);
            double mean = all.Area[i] / n;
            var expected = new List<double>();
            for (int p = all.FaceOffsets[i]; p < all.FaceOffsets[i + 1]; p++)
            {
                double a = all.FaceArea[p];
                if (a >= 0.05 * mean && a >= 0.02 && a >= 0.004 * all.Area[i]) expected.Add(a); else dropped++;
            }
            Assert.Equal(expected, some.FaceArea.AsSpan(some.FaceOffsets[i], some.FacesOf(i)).ToArray());
        }
        Assert.True(dropped > 0);
        Assert.Equal(some.FaceCount, some.Neighbors.PairCount);
        Assert.Equal("voro", some.Neighbors.Source);
    }

    [Fact]
    public void MinEdgeLength_OnlyLowersEdgeCounts()
    {
        var f = TiltedGas(500, 4);
        var all = new VoronoiTessellation(new VoronoiOptions { KeepVertices = true }).Compute(f);
        var cut = new VoronoiTessellation(new VoronoiOptions { MinEdgeLength = 0.3 }).Compute(f);
        int lowered = 0;
        for (int p = 0; p < all.FaceCount; p++)
        {
            int s = all.FaceVertexOffsets![p], e = all.FaceVertexOffsets[p + 1], longEdges = 0;
            for (int k = s; k < e; k++)
            {
                int k2 = k + 1 == e ? s : k + 1;
                double ex = all.VertexX![k2] - all.VertexX[k], ey = all.VertexY![k2] - all.VertexY[k], ez = all.VertexZ![k2] - all.VertexZ[k];
                if (Math.Sqrt(ex * ex + ey * ey + ez * ez) >= 0.3) longEdges++;
            }
            Assert.Equal(longEdges, cut.FaceEdges[p]);
            if (longEdges < all.FaceEdges[p]) lowered++;
        }
        Assert.True(lowered > 0);
    }

    [Fact]
    public void SlabWithOpenTiltedDirection_CellsFillTheBoxAndWallsAreNotNeighbours()
    {
        var box = new Box(Vec3.Zero, new Vec3(12, 0, 0), new Vec3(3, 11, 0), new Vec3(-2, 4, 9), true, true, false);
        var f = Lattices.RandomGas(box, 400, 9);
        var r = new VoronoiTessellation().Compute(f);
        Assert.True(r.HasWalls);
        Assert.True(Math.Abs(r.Volume.Sum() - box.Volume) <= 1e-10 * box.Volume);
        int walls = 0;
        for (int p = 0; p < r.FaceCount; p++) if (r.FaceNeighbor[p] < 0) walls++;
        Assert.True(walls > 0);
        Assert.Equal(r.FaceCount - walls, r.Neighbors.PairCount);
        for (int p = 0; p < r.Neighbors.PairCount; p++) Assert.True(r.Neighbors.Index[p] >= 0);
    }

    [Theory]
    [InlineData("fcc", 1e-13)]
    [InlineData("fcc", 1e-10)]
    [InlineData("sc", 1e-10)]
    [InlineData("bcc", 1e-9)]
    [InlineData("fcc", 1e-7)]
    public void NearlyDegenerateCrystals_StayConsistent(string kind, double noise)
    {
        // perturbations near the vertex tolerance create (or not) vanishing faces: the tessellation must stay a partition
        var f = kind == "fcc" ? Lattices.Fcc(4, 3.6) : kind == "bcc" ? Lattices.Bcc(4, 3.2) : Lattices.SimpleCubic(5, 2.7);
        var rng = new Random(3);
        for (int i = 0; i < f.Count; i++)
        {
            f.X[i] += noise * (rng.NextDouble() - 0.5); f.Y[i] += noise * (rng.NextDouble() - 0.5); f.Z[i] += noise * (rng.NextDouble() - 0.5);
        }
        var r = new VoronoiTessellation().Compute(f);
        Assert.True(Math.Abs(r.Volume.Sum() - f.Box.Volume) <= 1e-10 * f.Box.Volume);
        // sliver faces (width ~ noise) agree between the two cells to about tolerance × edge length
        AssertFacesPaired(f, r, 1e-9);
        if (noise < 1e-12)
            for (int i = 0; i < f.Count; i++) Assert.Equal(new[] { 0, 12, 0, 0, 0 }, r.Index(i));
    }

    [Fact]
    public void InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiTessellation(new VoronoiOptions { MinFaceArea = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiTessellation(new VoronoiOptions { Threads = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiTessellation(new VoronoiOptions { MinRelativeFaceArea = 1.5 }));
        var f = Lattices.Fcc(2, 3.6);
        var dup = Lattices.Fcc(2, 3.6);
        dup.X[1] = dup.X[0]; dup.Y[1] = dup.Y[0]; dup.Z[1] = dup.Z[0];
        Assert.Throws<ArgumentException>(() => new VoronoiTessellation().Compute(dup));
        Assert.Throws<ArgumentException>(() => new VoronoiTessellation(new VoronoiOptions { Radii = new Dictionary<string, double> { ["Zr"] = 1.6 } }).Compute(f));
    }
}
