using System.Globalization;
using System.IO.Compression;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class ChemicalOrderTests
{
    // CsCl (B2): every A atom has 8 B nearest neighbours and vice versa.
    private static Frame B2(int n, double a)
    {
        var bcc = Lattices.Bcc(n, a);
        var sp = new int[bcc.Count];
        for (int i = 0; i < bcc.Count; i++) sp[i] = i % 2;   // basis order: corner (A), body centre (B)
        return new Frame(bcc.Box, new SpeciesTable(["A", "B"]), bcc.Ids, sp, bcc.X, bcc.Y, bcc.Z);
    }

    [Fact]
    public void B2IsPerfectlyOrdered()
    {
        var frame = B2(3, 3.0);
        var nl = new NeighborSearch(1).Ball(frame, 2.8);   // 8 nearest at 2.598
        var res = new ChemicalOrder().Compute(frame, nl);
        Assert.Equal(["csro_n_A_cut", "csro_n_B_cut", "csro_x_A_cut", "csro_x_B_cut", "wc_A_cut", "wc_B_cut"], res.Names);
        for (int i = 0; i < frame.Count; i++)
        {
            int own = frame.SpeciesIndex[i], other = 1 - own;
            Assert.Equal(0, res[i, own]); Assert.Equal(8, res[i, other]);
            Assert.Equal(0, res[i, 2 + own]); Assert.Equal(1, res[i, 2 + other]);
            Assert.Equal(1, res[i, 4 + own]); Assert.Equal(-1, res[i, 4 + other]);
        }
        var eta = ChemicalOrder.SampleEta(frame, nl);
        // Z_AB = 8, Z_A = Z_B = Z = 8, c_B = 1/2 → Z* = 4, η_AB = 1 − 8/4 = −1; η_AA = 1 − 0/4 = 1
        Assert.Equal(-1, eta.EtaOf(0, 1), 14);
        Assert.Equal(1, eta.EtaOf(0, 0), 14);
    }

    // Per-atom counts against a brute-force minimum-image count (box 20.8 Å > 2 × 3.8 Å); Warren–Cowley sum rule.
    [Fact]
    public void GlassCountsMatchBruteForceAndWarrenCowleySumIsZero()
    {
        var frame = SroFixtures.ReadData("s1_ortho.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var res = new ChemicalOrder().Compute(frame, nl);
        int n = frame.Count;
        double L = frame.Box.A.X;
        var c = frame.SpeciesCounts().Select(k => (double)k / n).ToArray();
        for (int i = 0; i < n; i++)
        {
            var cnt = new int[2];
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dx = frame.X[j] - frame.X[i], dy = frame.Y[j] - frame.Y[i], dz = frame.Z[j] - frame.Z[i];
                dx -= L * Math.Round(dx / L); dy -= L * Math.Round(dy / L); dz -= L * Math.Round(dz / L);
                if (dx * dx + dy * dy + dz * dz < 3.8 * 3.8) cnt[frame.SpeciesIndex[j]]++;
            }
            Assert.Equal(cnt[0], res[i, 0]); Assert.Equal(cnt[1], res[i, 1]);
            Assert.Equal((double)cnt[1] / (cnt[0] + cnt[1]), res[i, 3], 15);
            Assert.Equal(0.0, c[0] * res[i, 4] + c[1] * res[i, 5], 14);
        }
    }

    // Sample-level ⟨Z_AB⟩ equals LAMMPS compute rdf's running coordination at 3.8 Å (row 76 of 0.05 Å bins).
    [Fact]
    public void SampleEtaMatchesLammpsRdfCoordination()
    {
        var frame = SroFixtures.ReadData("s1_ortho.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        var eta = ChemicalOrder.SampleEta(frame, nl);
        string[] row;
        using (var rd = new StreamReader(new GZipStream(File.OpenRead(SroFixtures.PathOf("s1_ortho.lammps-rdf.txt.gz")), CompressionMode.Decompress)))
            row = rd.ReadToEnd().Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(t => t.Length == 10 && t[0] == "76");
        double C(int k) => double.Parse(row[k], CultureInfo.InvariantCulture);
        double z11 = C(3), z12 = C(5), z21 = C(7), z22 = C(9);
        Assert.Equal(z11, eta.MeanPartialCoordination[0], 9);
        Assert.Equal(z12, eta.MeanPartialCoordination[1], 9);
        Assert.Equal(z21, eta.MeanPartialCoordination[2], 9);
        Assert.Equal(z22, eta.MeanPartialCoordination[3], 9);
        // η from those LAMMPS numbers and the composition (250 Cu, 250 Zr)
        double zCu = z11 + z12, zZr = z21 + z22, z = 0.5 * (zCu + zZr);
        Assert.Equal(1 - z12 / (0.5 * zCu * zZr / z), eta.EtaOf(0, 1), 9);
        Assert.Equal(1 - z11 / (0.5 * zCu * zCu / z), eta.EtaOf(0, 0), 9);
        Assert.Equal(1 - z22 / (0.5 * zZr * zZr / z), eta.EtaOf(1, 1), 9);
    }

    [Fact]
    public void ThreadCountBitIdenticalAndNoNeighboursNaN()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz");
        var nl = new NeighborSearch(2).Ball(frame, 3.8);
        Assert.Equal(new ChemicalOrder(new() { Threads = 1 }).Compute(frame, nl).Values, new ChemicalOrder(new() { Threads = 3 }).Compute(frame, nl).Values);
        var empty = nl.WithinCutoff(0.5);
        var r = new ChemicalOrder().Compute(frame, empty);
        Assert.Equal(0, r[0, 0]);
        Assert.True(double.IsNaN(r[0, 2]) && double.IsNaN(r[0, 5]));
    }
}
