using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>Bad input gives <see cref="InputFormatException"/> naming the file and the 1-based line of the problem.</summary>
public class InputErrorTests
{
    private const string DumpHead = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"; // 8 lines
    private const string Atoms3 = "1 1 1 1 1\n2 2 2 2 2\n3 1 3 3 3\n";                                             // lines 10-12

    private const string DataHead = "title\n\n3 atoms\n2 atom types\n\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n"; // 16 lines

    private const string XyzHead = "3\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n";

    public static TheoryData<string, string, long, string> Cases => new()
    {
        // --- LAMMPS dump ---
        { "trunc-atoms.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 2 2\n", 12, "truncated" },
        { "trunc-box.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n", 7, "truncated" },
        { "trunc-header.dump", DumpHead, 9, "truncated" },
        { "count-low.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 2 2\nITEM: TIMESTEP\n1\n", 12, "NUMBER OF ATOMS" },
        { "count-high.dump", DumpHead + "ITEM: ATOMS id type x y z\n" + Atoms3 + "4 1 4 4 4\n", 13, "more atom lines" },
        { "nonnumeric.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 abc 2\n3 1 3 3 3\n", 11, "'abc' is not a number" },
        { "fields.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 2\n3 1 3 3 3\n", 11, "expected 5 fields" },
        { "nocoord.dump", DumpHead + "ITEM: ATOMS id type x y\n1 1 1 1\n", 9, "incomplete coordinate columns" },
        { "nocoord2.dump", DumpHead + "ITEM: ATOMS id type c_pe\n1 1 1\n", 9, "no coordinate columns" },
        { "notype.dump", DumpHead + "ITEM: ATOMS id x y z\n1 1 1 1\n", 9, "'type' or 'element'" },
        { "nan.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 2 2\n3 1 3 nan 3\n", 12, "not finite" },
        { "inf.dump", DumpHead + "ITEM: ATOMS id type xs ys zs\n1 1 0 0 0\n2 2 -inf 0 0\n3 1 0 0 0\n", 11, "not finite" },
        { "flat.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n5 5\nITEM: ATOMS id type x y z\n" + Atoms3, 5, "invalid box" },
        { "inverted.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n10 0\n0 10\nITEM: ATOMS id type x y z\n" + Atoms3, 5, "not positive" },
        { "element.dump", DumpHead + "ITEM: ATOMS id element x y z\n1 Cu 1 1 1\n2 A,B 2 2 2\n3 Zr 3 3 3\n", 11, "species label 'A,B' contains ','" },
        { "dupid.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 2 2 2\n1 1 3 3 3\n", 12, "duplicate atom id 1" },
        { "garbage.dump", "hello world\n", 1, "expected 'ITEM: TIMESTEP'" },
        { "badtype.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 0 2 2 2\n3 1 3 3 3\n", 11, "not a positive integer" },
        // --- LAMMPS data ---
        { "trunc.data", DataHead + "1 1 1 1 1\n2 2 2 2 2\n", 19, "truncated" },
        { "count.data", DataHead + "1 1 1 1 1\n2 2 2 2 2\n\nVelocities\n\n1 0 0 0\n", 20, "announces 3 atoms" },
        { "extra.data", DataHead + "1 1 1 1 1\n2 2 2 2 2\n3 1 3 3 3\n4 1 4 4 4\n", 20, "more lines in the Atoms section" },
        { "nonnumeric.data", DataHead + "1 1 1 1 1\n2 2 2 x 2\n3 1 3 3 3\n", 18, "'x' is not a number" },
        { "nan.data", DataHead + "1 1 1 1 1\n2 2 2 2 2\n3 1 NaN 3 3\n", 19, "not a finite number" },
        { "fields.data", DataHead + "1 1 1 1 1\n2 2 2 2\n3 1 3 3 3\n", 18, "expected 5 fields" },
        { "dupid.data", DataHead + "1 1 1 1 1\n2 2 2 2 2\n2 1 3 3 3\n", 19, "duplicate atom id 2" },
        { "box.data", "title\n\n3 atoms\n2 atom types\n\n0 10 xlo xhi\n0 10 ylo yhi\n10 0 zlo zhi\n\nAtoms # atomic\n\n" + Atoms3, 8, "invalid box" },
        { "type.data", DataHead + "1 1 1 1 1\n2 3 2 2 2\n3 1 3 3 3\n", 18, "outside 1..2" },
        { "style.data", DataHead.Replace("# atomic", "# sphere") + Atoms3, 15, "atom style 'sphere'" },
        { "noatoms.data", "title\n\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n" + Atoms3, 7, "no 'N atoms'" },
        // --- extended XYZ ---
        { "trunc.xyz", XyzHead + "Cu 1 1 1\nZr 2 2 2\n", 5, "truncated" },
        { "count.xyz", XyzHead + "Cu 1 1 1\nZr 2 2 2\n2\n\nCu 0 0 0\nCu 1 1 1\n", 5, "expected 3 atom lines" },
        { "nonnumeric.xyz", XyzHead + "Cu 1 1 1\nZr 2 two 2\nCu 3 3 3\n", 4, "'two' is not a number" },
        { "inf.xyz", XyzHead + "Cu 1 1 1\nZr 2 2 2\nCu 3 inf 3\n", 5, "not finite" },
        { "species.xyz", XyzHead + "Cu 1 1 1\nFo\"o 2 2 2\nCu 3 3 3\n", 4, "species label 'Fo\"o' contains" },
        { "nopos.xyz", "1\nProperties=species:S:1:x:R:1\nCu 1\n", 2, "no pos:R:3" },
        { "lattice.xyz", "1\nLattice=\"10 0 0 20 0 0 0 0 10\"\nCu 1 1 1\n", 2, "invalid Lattice" },
        { "dupid.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:id:I:1\nCu 1 1 1 7\nZr 2 2 2 7\n", 4, "duplicate atom id 7" },
        { "quote.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10 Properties=species:S:1:pos:R:3\nCu 1 1 1\n", 2, "unterminated" },
        { "count-line.xyz", "three\ncomment\n", 1, "expected the number of atoms" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_ReportsFileLineAndProblem(string name, string content, long line, string problem)
    {
        using var tmp = new TempDir();
        string path = tmp.Write(name, content);
        var ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrames(path).ToList());
        Assert.Equal(path, ex.File);
        Assert.Contains(problem, ex.Problem);
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"{path}:{line}: ", ex.Message);
    }

    [Fact]
    public void CorruptGzip_IsAnInputError()
    {
        using var tmp = new TempDir();
        string path = tmp.File("bad.dump.gz");
        var bytes = new byte[600];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0x1f; bytes[1] = 0x8b; bytes[2] = 8; bytes[3] = 0;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrames(path).ToList());
        Assert.Equal(path, ex.File);
    }

    [Fact]
    public void UnmappedType_IsReportedWhenATypeMapIsGiven()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("t.dump", DumpHead + "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 3 2 2 2\n3 1 3 3 3\n");
        var map = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
        var ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(path, 0, map));
        Assert.Contains("atom type 3 has no species name", ex.Problem);
        Assert.Equal(11, ex.Line);
    }

    [Fact]
    public void MissingFileAndUnknownFormat_AreInputErrors()
    {
        using var tmp = new TempDir();
        var ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(tmp.File("none.dump")));
        Assert.Contains("not found", ex.Problem);
        string odd = tmp.Write("what.txt", "just some words\nand more\n");
        ex = Assert.Throws<InputFormatException>(() => StructureReader.DetectFormat(odd));
        Assert.Contains("unknown structure format", ex.Problem);
        ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(Fixtures.Io("s1_cu50zr50_500.data.gz"), 1));
        Assert.Contains("holds one frame", ex.Problem);
    }
}
