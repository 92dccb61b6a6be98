using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>GlassML's tessellation of glass s1 against LAMMPS compute voronoi/atom and the voro++ 0.4.6 CLI (tests/fixtures/voronoi).</summary>
public class VoronoiReferenceTests
{
    private const double Rel = 1e-8;

    private static bool Close(double a, double b, double rel = Rel, double abs = 1e-12) => Math.Abs(a - b) <= abs + rel * Math.Abs(b);

    [Theory]
    [InlineData("s1o", false)]
    [InlineData("s1o", true)]
    [InlineData("s1t", false)]
    [InlineData("s1t", true)]
    public void VolumesFacesAndNeighbours_EqualLammps(string tag, bool radical)
    {
        var (frame, lam) = VoronoiFixtures.ReadAtoms(tag + ".atoms.dump.gz");
        var local = VoronoiFixtures.ReadLocal($"{tag}.{(radical ? "radical" : "plain")}.local.gz");
        var r = new VoronoiTessellation(new VoronoiOptions { Radii = radical ? VoronoiFixtures.Radii : null }).Compute(frame);
        double[] refVol = lam[radical ? 2 : 0], refFaces = lam[radical ? 3 : 1];
        int faceChecks = 0;
        for (int i = 0; i < frame.Count; i++)
        {
            Assert.True(Close(r.Volume[i], refVol[i]), $"atom {frame.Ids[i]}: volume {r.Volume[i]:R} vs LAMMPS {refVol[i]:R}");
            Assert.Equal((int)refFaces[i], r.FacesOf(i));
            var mine = new List<(long J, double Area, double Sub, double H)>();
            double subSum = 0;
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++)
            {
                int j = r.FaceNeighbor[p];
                double d = r.FaceDistance[p];
                double ri = radical ? VoronoiFixtures.Radii[frame.Species[frame.SpeciesIndex[i]].Name] : 0;
                double rj = radical ? VoronoiFixtures.Radii[frame.Species[frame.SpeciesIndex[j]].Name] : 0;
                mine.Add((frame.Ids[j], r.FaceArea[p], r.FaceSubVolume[p], (d * d + ri * ri - rj * rj) / (2 * d)));
                subSum += r.FaceSubVolume[p];
            }
            Assert.True(Close(subSum, refVol[i]), $"atom {frame.Ids[i]}: Σ sub-polyhedron volumes {subSum:R} vs LAMMPS volume {refVol[i]:R}");
            var theirs = local[frame.Ids[i]].OrderBy(t => t.J).ThenBy(t => t.Area).ToList();
            mine = mine.OrderBy(t => t.J).ThenBy(t => t.Area).ToList();
            Assert.Equal(theirs.Count, mine.Count);
            for (int k = 0; k < mine.Count; k++)
            {
                Assert.Equal(theirs[k].J, mine[k].J);
                Assert.True(Close(mine[k].Area, theirs[k].Area), $"atom {frame.Ids[i]} face to {mine[k].J}: area {mine[k].Area:R} vs LAMMPS {theirs[k].Area:R}");
                // pyramid on the LAMMPS face: A·h/3 with h the plane distance (d² + R_i² − R_j²)/(2d)
                Assert.True(Close(mine[k].Sub, theirs[k].Area * mine[k].H / 3), $"atom {frame.Ids[i]} face to {mine[k].J}: sub-volume");
                faceChecks++;
            }
        }
        Assert.True(faceChecks > 6000);
        double sum = r.Volume.Sum();
        Assert.True(Close(sum, frame.Box.Volume, 1e-10, 0), $"Σ volumes {sum:R} vs box {frame.Box.Volume:R}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VoronoiIndices_EqualVoroPlusPlus(bool radical)
    {
        var (frame, _) = VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz");
        var vol = VoronoiFixtures.ReadVoroVol($"s1o.voro++-{(radical ? "radical" : "plain")}.vol.gz");
        var r = new VoronoiTessellation(new VoronoiOptions { Radii = radical ? VoronoiFixtures.Radii : null }).Compute(frame);
        for (int i = 0; i < frame.Count; i++)
        {
            var (faces, freq) = vol[frame.Ids[i]];
            Assert.Equal(faces, r.FacesOf(i));
            var mine = new int[Math.Max(freq.Length, 16)];
            for (int p = r.FaceOffsets[i]; p < r.FaceOffsets[i + 1]; p++) mine[r.FaceEdges[p]]++;
            for (int e = 0; e < mine.Length; e++) Assert.Equal(e < freq.Length ? freq[e] : 0, mine[e]);
        }
    }
}
