using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

public class WriterTests
{
    private static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    private static Frame TriData() => StructureReader.ReadFrame(Fixtures.Io("tri.data.gz"), 0, CuZr);

    /// <summary>Two features with awkward values (tiny, huge, negative zero, non-terminating binary fractions).</summary>
    private static PerAtomFeatures Features(Frame f)
    {
        var v = new double[f.Count * 2];
        for (int i = 0; i < f.Count; i++)
        {
            v[2 * i] = Math.Sqrt(i + 0.1) * 1e-7;
            v[2 * i + 1] = (i % 3 == 0 ? -1 : 1) * Math.PI * Math.Pow(10, i % 40 - 20);
        }
        return new PerAtomFeatures(["voro_volume", "q6_cut"], f.Count, v);
    }

    private static void AssertSameAtoms(Frame a, Frame b, double tol)
    {
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.Ids, b.Ids);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a.Species[a.SpeciesIndex[i]].Name, b.Species[b.SpeciesIndex[i]].Name);
            Assert.Equal(a.X[i], b.X[i], tol);
            Assert.Equal(a.Y[i], b.Y[i], tol);
            Assert.Equal(a.Z[i], b.Z[i], tol);
        }
    }

    private static void AssertSameBox(Box a, Box b, double tol)
    {
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(a.Vector(k).X, b.Vector(k).X, tol);
            Assert.Equal(a.Vector(k).Y, b.Vector(k).Y, tol);
            Assert.Equal(a.Vector(k).Z, b.Vector(k).Z, tol);
        }
        Assert.Equal(a.Origin.X, b.Origin.X, tol);
        Assert.Equal(a.Origin.Y, b.Origin.Y, tol);
        Assert.Equal(a.Origin.Z, b.Origin.Z, tol);
        Assert.Equal(a.Periodic, b.Periodic);
    }

    [Theory]
    [InlineData("out.xyz")]
    [InlineData("out.extxyz.gz")]
    public void ExtendedXyz_RoundTripsExactly(string name)
    {
        using var tmp = new TempDir();
        var f = TriData();
        f.Timestep = 1234;
        var feat = Features(f);
        string path = tmp.File(name);
        ExtendedXyzWriter.Write(path, f, feat);
        var g = StructureReader.ReadFrame(path);
        AssertSameBox(f.Box, g.Box, 0);
        AssertSameAtoms(f, g, 0);
        Assert.Equal(1234, g.Timestep);
        Assert.Equal(["vx", "vy", "vz", "voro_volume", "q6_cut"], g.Columns.Keys);
        Assert.Equal(f.Columns["vy"], g.Columns["vy"]);
        Assert.Equal(feat.Column("q6_cut"), g.Columns["q6_cut"]);
        Assert.Equal(feat.Column("voro_volume"), g.Columns["voro_volume"]);
        string comment = Fixtures.Lines(path)[1];
        Assert.StartsWith("Lattice=\"", comment);
        Assert.Contains("Properties=species:S:1:pos:R:3:id:I:1:vx:R:1:vy:R:1:vz:R:1:voro_volume:R:1:q6_cut:R:1 ", comment);
        Assert.Contains("pbc=\"T T T\"", comment);
    }

    [Fact]
    public void ExtendedXyz_MultiFrameStreams()
    {
        using var tmp = new TempDir();
        string path = tmp.File("traj.xyz");
        ExtendedXyzWriter.Write(path, StructureReader.ReadFrames(Fixtures.Io("nvt.dump.gz"), CuZr));
        var a = StructureReader.ReadFrames(Fixtures.Io("nvt.dump.gz"), CuZr).ToList();
        var b = StructureReader.ReadFrames(path).ToList();
        Assert.Equal(a.Count, b.Count);
        for (int k = 0; k < a.Count; k++)
        {
            Assert.Equal(a[k].Timestep, b[k].Timestep);
            AssertSameAtoms(a[k], b[k], 0);
            Assert.Equal(a[k].Columns["c_pe"], b[k].Columns["c_pe"]);
        }
    }

    [Fact]
    public void LammpsDump_RoundTripsTriclinicWithImagesAndFeatures()
    {
        using var tmp = new TempDir();
        var f = TriData();
        var feat = Features(f);
        string path = tmp.File("out.dump.gz");
        LammpsDumpWriter.Write(path, f, feat);
        var head = Fixtures.Lines(path);
        Assert.Equal("ITEM: BOX BOUNDS xy xz yz pp pp pp", head[4]);
        Assert.Equal("ITEM: ATOMS id type element x y z ix iy iz vx vy vz voro_volume q6_cut", head[8]);
        var g = StructureReader.ReadFrame(path);
        AssertSameBox(f.Box, g.Box, 1e-13);
        AssertSameAtoms(f, g, 0);
        Assert.Equal(f.Images![0], g.Images![0]);
        Assert.Equal(f.Images[2], g.Images[2]);
        Assert.Equal(feat.Column("q6_cut"), g.Columns["q6_cut"]);
        Assert.Equal(f.Columns["vz"], g.Columns["vz"]);
        Assert.False(g.Columns.ContainsKey("type"));
    }

    [Fact]
    public void LammpsDump_BoundingBoxHeaderMatchesLammps()
    {
        // LAMMPS wrote tri.dump for this very box: our header lines must equal its bounds
        using var tmp = new TempDir();
        var f = StructureReader.ReadFrame(Fixtures.Io("tri.dump.gz"), 0, CuZr);
        string path = tmp.File("again.dump");
        LammpsDumpWriter.Write(path, f);
        var ours = Fixtures.Lines(path);
        var lammps = Fixtures.Lines(Fixtures.Io("tri.dump.gz"));
        for (int l = 5; l < 8; l++)
        {
            var a = ours[l].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var b = lammps[l].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            for (int k = 0; k < 3; k++) Assert.Equal(b[k], a[k], 1e-12);
        }
        Assert.Equal("ITEM: ATOMS id type element x y z", ours[8]);
    }

    [Fact]
    public void LammpsDump_UnwrappedAndOrthogonalNonPeriodic()
    {
        using var tmp = new TempDir();
        var species = new SpeciesTable(["1", "2"]);
        var box = Box.Orthogonal(new Vec3(-1, -2, -3), new Vec3(4, 5, 6), periodic: false);
        var f = new Frame(box, species, [5, 3], [1, 0], [0.5, 10], [1, -7], [2, 3.25], 42) { PositionsUnwrapped = true };
        string path = tmp.File("u.lammpstrj");
        LammpsDumpWriter.Write(path, f);
        var lines = Fixtures.Lines(path);
        Assert.Equal("ITEM: BOX BOUNDS ff ff ff", lines[4]);
        Assert.Equal("ITEM: ATOMS id type xu yu zu", lines[8]);
        var g = StructureReader.ReadFrame(path);
        Assert.True(g.PositionsUnwrapped);
        Assert.Equal([false, false, false], g.Box.Periodic);
        AssertSameAtoms(f, g, 0);
        Assert.Equal(42, g.Timestep);
    }

    [Fact]
    public void LammpsDump_RotatesGeneralCellIntoLammpsForm()
    {
        using var tmp = new TempDir();
        // a general cell: lattice vectors not aligned with x; rotate the LAMMPS-form s1 triclinic cell by 30° about (1,1,1)
        var f = TriData();
        double th = Math.PI / 6, c = Math.Cos(th), s = Math.Sin(th), u = 1 / Math.Sqrt(3);
        Vec3 Rot(Vec3 v)
        {
            var k = new Vec3(u, u, u);
            return v * c + Vec3.Cross(k, v) * s + k * (Vec3.Dot(k, v) * (1 - c));
        }
        var b = f.Box;
        var rb = new Box(Rot(b.Origin), Rot(b.A), Rot(b.B), Rot(b.C));
        int n = f.Count;
        double[] x = new double[n], y = new double[n], z = new double[n];
        for (int i = 0; i < n; i++) { var r = Rot(f.Position(i)); x[i] = r.X; y[i] = r.Y; z[i] = r.Z; }
        var rf = new Frame(rb, f.Species, f.Ids, f.SpeciesIndex, x, y, z);
        Assert.False(rb.IsLammpsForm);
        string path = tmp.File("rot.dump");
        LammpsDumpWriter.Write(path, rf);
        var g = StructureReader.ReadFrame(path);
        Assert.True(g.Box.IsLammpsForm);
        // the original LAMMPS-form cell is recovered (the origin stays where the rotated origin was)
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(b.Vector(k).X, g.Box.Vector(k).X, 1e-10);
            Assert.Equal(b.Vector(k).Y, g.Box.Vector(k).Y, 1e-10);
            Assert.Equal(b.Vector(k).Z, g.Box.Vector(k).Z, 1e-10);
        }
        for (int i = 0; i < n; i++)
        {
            var sf = b.ToFractional(f.Position(i));
            var sg = g.Box.ToFractional(g.Position(i));
            Assert.Equal(sf.X, sg.X, 1e-12);
            Assert.Equal(sf.Y, sg.Y, 1e-12);
            Assert.Equal(sf.Z, sg.Z, 1e-12);
        }
    }

    [Fact]
    public void Csv_HasIdTypeSpeciesThenFeatures_SortedById_RoundTripValues()
    {
        using var tmp = new TempDir();
        var f = TriData(); // file order is not id order
        Assert.NotEqual(1, f.Ids[0]);
        var feat = Features(f);
        feat.Values[1] = double.NaN;
        string path = tmp.File("feat.csv");
        CsvWriter.Write(path, f, feat);
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("id,type,species,voro_volume,q6_cut", lines[0]);
        Assert.Equal("", lines[^1]);
        Assert.Equal(f.Count + 2, lines.Length);
        var byId = new Dictionary<long, int>();
        for (int i = 0; i < f.Count; i++) byId[f.Ids[i]] = i;
        long prev = long.MinValue;
        for (int r = 1; r <= f.Count; r++)
        {
            var w = lines[r].Split(',');
            long id = long.Parse(w[0], CultureInfo.InvariantCulture);
            Assert.True(id > prev);
            prev = id;
            int i = byId[id];
            string sp = f.Species[f.SpeciesIndex[i]].Name;
            Assert.Equal(sp, w[2]);
            Assert.Equal(sp == "Cu" ? "1" : "2", w[1]);
            Assert.Equal(feat[i, 0], double.Parse(w[3], CultureInfo.InvariantCulture));
            if (i == 0) Assert.Equal("nan", w[4]);
            else Assert.Equal(feat[i, 1], double.Parse(w[4], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Npy_HeaderAndBytesFollowTheFormatSpec()
    {
        using var tmp = new TempDir();
        var f = TriData();
        var feat = Features(f);
        string path = tmp.File("feat.npy");
        NpyWriter.Write(path, f, feat);
        var bytes = File.ReadAllBytes(path);
        // magic, version 1.0
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int hlen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
        Assert.Equal(0, (10 + hlen) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, hlen);
        Assert.Equal($"{{'descr': '<f8', 'fortran_order': False, 'shape': ({f.Count}, 2), }}", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + hlen + 8L * f.Count * 2, bytes.Length);
        // rows sorted by id, C order, little-endian float64
        var order = Enumerable.Range(0, f.Count).OrderBy(i => f.Ids[i]).ToArray();
        for (int r = 0; r < f.Count; r++)
            for (int c = 0; c < 2; c++)
            {
                double v = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + hlen + 8 * (2 * r + c), 8));
                Assert.Equal(feat[order[r], c], v);
            }
    }

    [Fact]
    public void Npy_EmptyAndLargeShapesStayAligned()
    {
        using var tmp = new TempDir();
        foreach (var (r, c) in new[] { (0, 0), (1, 1), (123456, 789) })
        {
            var h = NpyWriter.Header(r, c);
            Assert.Equal(0, h.Length % 64);
            Assert.Equal((byte)'\n', h[^1]);
        }
        string p = tmp.File("e.npy");
        NpyWriter.Write(p, [], 0, 3);
        Assert.Equal(128, new FileInfo(p).Length); // 10 + 60-char dict + newline, padded to 128
    }

    private static IEnumerable<(Frame, PerAtomFeatures)> StreamedFrames(Frame a, Frame b, bool fail)
    {
        yield return (a, Features(a));
        yield return (b, Features(b));
        if (fail) throw new InvalidOperationException("simulated failure while writing");
    }

    [Fact]
    public void StackedNpyAndCsv_StreamFramesOfDifferentSizes()
    {
        using var tmp = new TempDir();
        var a = TriData();
        var b = a.Replicate(2, 1, 1); // twice the rows: the header written first (a's rows) must be replaced by the total
        string npy = tmp.File("s.npy"), csv = tmp.File("s.csv");
        NpyWriter.Write(npy, StreamedFrames(a, b, fail: false));
        CsvWriter.Write(csv, StreamedFrames(a, b, fail: false));
        var bytes = File.ReadAllBytes(npy);
        int hlen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
        int rows = a.Count + b.Count;
        Assert.Equal($"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, 3), }}", Encoding.ASCII.GetString(bytes, 10, hlen).TrimEnd(' ', '\n'));
        Assert.Equal(10 + hlen + 8L * rows * 3, bytes.Length);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(rows + 1, lines.Length);
        int r = 0;
        foreach (var (k, f) in new[] { (0, a), (1, b) })
        {
            var feat = Features(f);
            foreach (int i in Enumerable.Range(0, f.Count).OrderBy(i => f.Ids[i]))
            {
                double Value(int c) => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + hlen + 8 * (3 * r + c), 8));
                Assert.Equal(k, Value(0));
                Assert.Equal(feat[i, 0], Value(1));
                Assert.Equal(feat[i, 1], Value(2));
                Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{k},{f.Ids[i]},"), lines[r + 1]);
                r++;
            }
        }
        // a failure after some frames leaves no file (and no temp file) behind
        Assert.Throws<InvalidOperationException>(() => NpyWriter.Write(tmp.File("f.npy"), StreamedFrames(a, b, fail: true)));
        Assert.Throws<InvalidOperationException>(() => CsvWriter.Write(tmp.File("f.csv"), StreamedFrames(a, b, fail: true)));
        Assert.Equal(2, Directory.GetFileSystemEntries(tmp.Path).Length);
    }

    private static IEnumerable<Frame> FramesThenFailure(Frame f)
    {
        yield return f;
        throw new InvalidOperationException("simulated failure while writing");
    }

    [Fact]
    public void FailingWrites_LeaveNoOutputFile()
    {
        using var tmp = new TempDir();
        var f = TriData();
        string xyz = tmp.File("fail.xyz"), dump = tmp.File("fail.dump.gz"), csv = tmp.File("fail.csv");
        Assert.Throws<InvalidOperationException>(() => ExtendedXyzWriter.Write(xyz, FramesThenFailure(f)));
        Assert.Throws<InvalidOperationException>(() => LammpsDumpWriter.Write(dump, FramesThenFailure(f)));
        var bad = new PerAtomFeatures(["has space"], f.Count, new double[f.Count]);
        Assert.Throws<ArgumentException>(() => CsvWriter.Write(csv, f, bad));
        Assert.Throws<ArgumentException>(() => ExtendedXyzWriter.Write(xyz, f, new PerAtomFeatures(["vx"], f.Count, new double[f.Count])));
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(tmp.File("x.npy"), new double[5], 2, 3));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path)); // no output and no temp files
        // an existing file is left untouched by a failed overwrite
        File.WriteAllText(xyz, "old");
        Assert.Throws<InvalidOperationException>(() => ExtendedXyzWriter.Write(xyz, FramesThenFailure(f)));
        Assert.Equal("old", File.ReadAllText(xyz));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }
}
