using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Tests.Voronoi;

/// <summary>
/// Bit-identity guard of the cell cutter (issue 20, item 3): a SHA-256 over the exact bits of every per-atom and per-face
/// output (volumes, areas, face offsets, neighbours, displacements, distances, face areas, edge counts, sub-volumes, face
/// vertex coordinates and the collected cutoff neighbours) on committed glasses (orthogonal and triclinic, plain and
/// radical), a wall-bounded gas and degenerate crystals, at 1 and 2 threads. The expected hashes are NOT a correctness
/// reference (correctness against voro++ and LAMMPS is proven by VoronoiReferenceTests / VoronoiVoroPlusPlusTests);
/// they were recorded from the full-scan cutter of commit f142b6f so that a faster cutter that changes a single bit of
/// any result fails here. A deliberate change of the arithmetic must update them and say why.
/// </summary>
public class VoronoiHashTests
{
    private static readonly Dictionary<string, double> GasRadii = new() { ["1"] = 1.1, ["2"] = 1.5 };

    internal static (Frame Frame, VoronoiOptions Options) Case(string name)
    {
        var keep = new VoronoiOptions { KeepVertices = true, CutoffNeighbors = 3.8 };
        switch (name)
        {
            case "s1o-plain": return (VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz").Frame, keep);
            case "s1o-radical": return (VoronoiFixtures.ReadAtoms("s1o.atoms.dump.gz").Frame, keep with { Radii = VoronoiFixtures.Radii });
            case "s1t-plain": return (VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz").Frame, keep);
            case "s1t-radical": return (VoronoiFixtures.ReadAtoms("s1t.atoms.dump.gz").Frame, keep with { Radii = VoronoiFixtures.Radii });
            case "demo-plain": return (DemoGlass.Load(), keep);
            case "demo-radical": return (DemoGlass.Load(), keep with { Radii = VoronoiFixtures.Radii });
            case "slab-radical":
            {
                // one open direction (walls) in a tilted cell, two species of different radii
                var box = new Box(Vec3.Zero, new Vec3(14, 0, 0), new Vec3(3, 13, 0), new Vec3(-2, 4, 11), true, true, false);
                return (Lattices.RandomGas(box, 600, 11, 2), new VoronoiOptions { KeepVertices = true, Radii = GasRadii });
            }
            case "fcc": return (Lattices.Fcc(4, 3.6), keep);
            case "bcc": return (Lattices.Bcc(4, 3.2), keep);
            case "sc-noisy":
            case "fcc-noisy":
            {
                var f = name == "fcc-noisy" ? Lattices.Fcc(4, 3.6) : Lattices.SimpleCubic(5, 2.7);
                double noise = name == "fcc-noisy" ? 1e-10 : 1e-9;
                var rng = new Random(5);
                for (int i = 0; i < f.Count; i++)
                {
                    f.X[i] += noise * (rng.NextDouble() - 0.5); f.Y[i] += noise * (rng.NextDouble() - 0.5); f.Z[i] += noise * (rng.NextDouble() - 0.5);
                }
                return (f, keep);
            }
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>SHA-256 over the exact bits of every array of the result (first 128 bits, hex).</summary>
    internal static string Hash(VoronoiResult r)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void D(double[]? a)
        {
            h.AppendData(BitConverter.GetBytes(a?.Length ?? -1));
            if (a is not null) h.AppendData(MemoryMarshal.AsBytes(a.AsSpan()));
        }
        void I(int[]? a)
        {
            h.AppendData(BitConverter.GetBytes(a?.Length ?? -1));
            if (a is not null) h.AppendData(MemoryMarshal.AsBytes(a.AsSpan()));
        }
        D(r.Volume); D(r.Area); I(r.FaceOffsets); I(r.FaceNeighbor); D(r.FaceDx); D(r.FaceDy); D(r.FaceDz); D(r.FaceDistance);
        D(r.FaceArea); I(r.FaceEdges); D(r.FaceSubVolume); I(r.FaceVertexOffsets); D(r.VertexX); D(r.VertexY); D(r.VertexZ);
        var c = r.CutoffNeighbors;
        I(c?.Offsets); I(c?.Index); D(c?.Dx); D(c?.Dy); D(c?.Dz); D(c?.Distance);
        return Convert.ToHexString(h.GetHashAndReset())[..32].ToLowerInvariant();
    }

    /// <summary>The cases with their recorded hashes.</summary>
    public static TheoryData<string, string> Recorded => new()
    {
        { "s1o-plain", "f8c914f8feded9e7f43571b2f1e93519" },
        { "s1o-radical", "2d83e8d06fecbb96537817012f3456dd" },
        { "s1t-plain", "8c8136517aa14c41cebae9a324818d86" },
        { "s1t-radical", "b6da2af79667917bab33157df272e6c2" },
        { "demo-plain", "16f20e8a8153301d83385a5268ade104" },
        { "demo-radical", "262c8488206517e8f0c9283dd513aa9a" },
        { "slab-radical", "d0a8becf16eb511770b311532a886c58" },
        { "fcc", "06cb16ea73cf99ade518206b99421ad2" },
        { "bcc", "068d9b76f658741fd84fc030aba8a788" },
        { "fcc-noisy", "098b66ce9f00c83d15c840660c38debf" },
        { "sc-noisy", "cddda0a884e7b1f9997ce9a6ad8c30f7" },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Tessellation_IsBitIdenticalToTheRecordedHash(string name, string expected)
    {
        var (frame, options) = Case(name);
        foreach (int threads in new[] { 1, 2 })
        {
            var r = new VoronoiTessellation(options with { Threads = threads }).Compute(frame);
            Assert.True(r.FaceCount > 0);
            Assert.Equal(expected, Hash(r));
        }
    }
}

/// <summary>
/// The cutter's narrower vector paths (256-bit, and scalar) give the recorded bits too, whatever the widest vectors of the
/// machine running the tests (AVX-512, AVX2 or neither); runs alone because it lowers the cutter's vector width process-wide.
/// </summary>
[Collection("Alone")]
public class VoronoiVectorWidthTests
{
    [Theory]
    [MemberData(nameof(VoronoiHashTests.Recorded), MemberType = typeof(VoronoiHashTests))]
    public void Tessellation_IsBitIdenticalAtEveryVectorWidth(string name, string expected)
    {
        var (frame, options) = VoronoiHashTests.Case(name);
        try
        {
            foreach (int bits in new[] { 256, 0 })
            {
                CellBuilder.VectorBits = bits;
                var r = new VoronoiTessellation(options with { Threads = 1 }).Compute(frame);
                Assert.True(r.FaceCount > 0);
                Assert.Equal(expected, VoronoiHashTests.Hash(r));
            }
        }
        finally
        {
            CellBuilder.VectorBits = 512;
        }
    }
}
