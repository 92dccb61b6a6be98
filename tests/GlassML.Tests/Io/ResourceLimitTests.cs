using System.IO.Compression;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>Hostile inputs cannot make a reader spend unbounded memory.</summary>
public class ResourceLimitTests
{
    [Fact]
    public void AGzipBombOfOneEndlessLineIsRefusedEarly()
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-bomb-{Guid.NewGuid():N}.dump.gz");
        try
        {
            using (var fs = File.Create(p))
            using (var gz = new GZipStream(fs, CompressionLevel.SmallestSize))
            {
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++) gz.Write(zeros); // 64 MiB of NUL bytes, one "line"
            }
            Assert.True(new FileInfo(p).Length < 1 << 20);
            long before = GC.GetTotalAllocatedBytes();
            var e = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(p));
            Assert.Contains("line longer than", e.Message);
            Assert.Equal(1, e.Line);
            Assert.True(GC.GetTotalAllocatedBytes() - before < 400L << 20, "reading the bomb allocated too much");
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void LinesOfEveryEndingAreReadAsBefore()
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-lines-{Guid.NewGuid():N}.txt");
        try
        {
            string longLine = new('x', 200_000);
            File.WriteAllText(p, "a\r\nb\n\n" + longLine + "\r\nlast");
            using var src = new LineSource(p);
            Assert.Equal("a", src.ReadLine());
            Assert.Equal("b", src.ReadLine());
            Assert.Equal("", src.ReadLine());
            Assert.Equal(longLine, src.ReadLine());
            Assert.Equal("last", src.ReadLine());
            Assert.Null(src.ReadLine());
            Assert.Equal(5, src.LineNumber);
        }
        finally { File.Delete(p); }
    }
}

/// <summary>A header's atom count is not trusted for allocation (issue 17, item 2).</summary>
public class HugeHeaderTests
{
    private static void Refused(string name, string text, string expect, int line)
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-huge-{Guid.NewGuid():N}-{name}");
        try
        {
            File.WriteAllText(p, text);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(p));
            Assert.Contains(expect, e.Message);
            Assert.Equal(line, e.Line);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, $"{name}: allocated {(GC.GetAllocatedBytesForCurrentThread() - before) >> 20} MB");
            Assert.True(sw.Elapsed.TotalSeconds < 5);
        }
        finally { File.Delete(p); }
    }

    private static string Atoms(int n, Func<int, string> line) => string.Concat(Enumerable.Range(1, n).Select(i => line(i) + "\n"));

    [Fact]
    public void ADumpAnnouncingTwoBillionAtomsFailsAtTheEndOfTheFile()
    {
        string text = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2000000000\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n"
            + Atoms(500, i => $"{i} 1 {i % 10}.1 0.5 0.5");
        Refused("big.dump", text, "file ends after 500 of 2000000000 atoms", 510);
    }

    [Fact]
    public void ADataFileAnnouncingTwoBillionAtomsFailsAtTheEndOfTheFile()
    {
        string text = "title\n\n2000000000 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n"
            + Atoms(500, i => $"{i} 1 {i % 10}.1 0.5 0.5");
        Refused("big.data", text, "file ends after 500 of 2000000000 lines of the Atoms section", 511);
    }

    [Fact]
    public void ADataFileAnnouncingTwoBillionAtomTypesIsRefusedAtItsHeader()
        => Refused("types.data", "title\n\n2 atoms\n2000000000 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 1 1 1\n",
            "number of atom types 2000000000 out of range", 4);

    [Fact]
    public void AnExtendedXyzAnnouncingTwoBillionAtomsFailsAtTheEndOfTheFile()
    {
        string text = "2000000000\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n"
            + Atoms(500, i => $"Cu {i % 10}.1 0.5 0.5");
        Refused("big.extxyz", text, "file ends after 500 of 2000000000 atoms", 503);
    }

    [Fact]
    public void AnExtendedXyzWithAHugePropertyWidthIsRefused()
        => Refused("wide.extxyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:f:R:2000000000\nCu 0 0 0 1\n",
            "declare more than", 2);

    [Fact]
    public void GrownArraysReadTheSameFrameAsBefore()
    {
        // 5000 atoms is more than the initial capacity for a wide dump (many extra columns), so the arrays grow
        string cols = string.Join(" ", Enumerable.Range(0, 2000).Select(c => $"c{c}"));
        string vals = string.Join(" ", Enumerable.Range(0, 2000).Select(c => "0.5"));
        string p = Path.Combine(Path.GetTempPath(), $"glassml-grow-{Guid.NewGuid():N}.dump");
        try
        {
            File.WriteAllText(p, $"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3000\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z {cols}\n"
                + Atoms(3000, i => $"{3001 - i} {1 + i % 2} {i * 0.003} 0.5 {10 - i * 0.003} {vals}"));
            var f = StructureReader.ReadFrame(p);
            Assert.Equal(3000, f.Count);
            Assert.Equal(3000, f.X.Length);
            Assert.Equal(3000L, f.Ids[0]);
            Assert.Equal(1L, f.Ids[2999]);
            Assert.Equal(2999 * 0.003, f.X[2998], 12);
            Assert.Equal(3000, f.Columns["c1999"].Length);
        }
        finally { File.Delete(p); }
    }
}
