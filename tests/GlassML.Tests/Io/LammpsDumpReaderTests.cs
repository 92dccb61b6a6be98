using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

public class LammpsDumpReaderTests
{
    private static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    [Fact]
    public void GlassS1_DumpMatchesLammpsVolumeAndUnwrappedColumns()
    {
        string path = Fixtures.Io("s1_cu50zr50_500.dump.gz");
        Assert.Equal(StructureReader.LammpsDump, StructureReader.DetectFormat(path));
        using var r = new LammpsDumpReader(path, CuZr);
        var f = r.ReadNext();
        Assert.NotNull(f);
        Assert.Null(r.ReadNext());
        Assert.Equal(500, f.Count);
        // LAMMPS printed VOLUME 8957.1828604700 for this box (reference README)
        Assert.Equal(8957.1828604700, f.Box.Volume, 1e-6);
        Assert.True(f.Box.IsOrthogonal);
        Assert.Equal(-1.1338996982158687, f.Box.Origin.X, 1e-15);
        Assert.Equal(["Cu", "Zr"], f.Species.All.Select(s => s.Name));
        Assert.Equal(63.546, f.Species[0].Mass);
        Assert.NotNull(f.Images);
        Assert.False(f.PositionsUnwrapped);
        Assert.Equal(["xu", "yu", "zu"], f.Columns.Keys);
        // x + H·image must reproduce LAMMPS' own xu column (10 decimals printed)
        var (ux, uy, uz) = f.UnwrappedPositions();
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(f.Columns["xu"][i], ux[i], 2e-9);
            Assert.Equal(f.Columns["yu"][i], uy[i], 2e-9);
            Assert.Equal(f.Columns["zu"][i], uz[i], 2e-9);
        }
        // first atom line: 1 1 11.4995510128 19.1247342785 -0.9444370090 -1 -1 0
        Assert.Equal(1, f.Ids[0]);
        Assert.Equal(11.4995510128, f.X[0]);
        Assert.Equal(-0.9444370090, f.Z[0]);
        Assert.Equal(-1, f.Images[0][0]);
        var counts = f.SpeciesCounts();
        Assert.Equal(500, counts.Sum());
    }

    [Fact]
    public void WithoutTypeMap_TypesAreSpeciesNamedByNumber()
    {
        var f = StructureReader.ReadFrame(Fixtures.Io("s1_cu50zr50_500.dump.gz"));
        Assert.Equal(["1", "2"], f.Species.All.Select(s => s.Name));
        Assert.Equal(0.0, f.Species[0].Mass);
    }

    // A restricted triclinic box: lo/hi, tilts, and the bounding box LAMMPS writes from them.
    private const double Xlo = -1.0, Xhi = 9.0, Ylo = 0.5, Yhi = 8.5, Zlo = -2.0, Zhi = 5.0, Txy = 1.5, Txz = -2.0, Tyz = 0.75;

    private static string TriclinicHeader(long step, int n, string cols, string flags = "pp pp pp")
    {
        double xloB = Xlo + Math.Min(Math.Min(0, Txy), Math.Min(Txz, Txy + Txz));
        double xhiB = Xhi + Math.Max(Math.Max(0, Txy), Math.Max(Txz, Txy + Txz));
        double yloB = Ylo + Math.Min(0, Tyz), yhiB = Yhi + Math.Max(0, Tyz);
        return $"ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS xy xz yz {flags}\n" +
               $"{xloB:R} {xhiB:R} {Txy:R}\n{yloB:R} {yhiB:R} {Txz:R}\n{Zlo:R} {Zhi:R} {Tyz:R}\nITEM: ATOMS {cols}\n";
    }

    [Fact]
    public void TriclinicScaled_ConvertsWithTilts()
    {
        using var tmp = new TempDir();
        double[][] s = [[0.1, 0.2, 0.3], [0.9, 0.8, 0.05], [0.5, 0.5, 0.5], [0.0, 1.0, 0.99]];
        var text = TriclinicHeader(100, 4, "id type xs ys zs c_pe", "pp ff pp");
        for (int i = 0; i < 4; i++) text += $"{4 - i} {1 + i % 2} {s[i][0]} {s[i][1]} {s[i][2]} {-3.5 - i}\n";
        var f = StructureReader.ReadFrame(tmp.Write("tri.lammpstrj", text));
        Assert.Equal(100, f.Timestep);
        Assert.Equal([true, false, true], f.Box.Periodic);
        Assert.Equal(new Vec3(Txy, Txz, Tyz), f.Box.Tilts);
        Assert.Equal((Xhi - Xlo) * (Yhi - Ylo) * (Zhi - Zlo), f.Box.Volume, 1e-9);
        for (int i = 0; i < 4; i++)
        {
            // LAMMPS Howto triclinic: x = xlo + xs·lx + ys·xy + zs·xz, y = ylo + ys·ly + zs·yz, z = zlo + zs·lz
            Assert.Equal(Xlo + s[i][0] * (Xhi - Xlo) + s[i][1] * Txy + s[i][2] * Txz, f.X[i], 1e-12);
            Assert.Equal(Ylo + s[i][1] * (Yhi - Ylo) + s[i][2] * Tyz, f.Y[i], 1e-12);
            Assert.Equal(Zlo + s[i][2] * (Zhi - Zlo), f.Z[i], 1e-12);
            Assert.Equal(4 - i, f.Ids[i]); // file order kept
            Assert.Equal(-3.5 - i, f.Columns["c_pe"][i]);
        }
        f.SortById();
        Assert.Equal([1L, 2, 3, 4], f.Ids);
        Assert.Equal(-6.5, f.Columns["c_pe"][0]);
        Assert.False(f.PositionsUnwrapped);
        Assert.Null(f.Images);
    }

    [Fact]
    public void CoordinatePriority_XBeforeScaledBeforeUnwrapped()
    {
        using var tmp = new TempDir();
        var text = TriclinicHeader(0, 1, "id type xsu ysu zsu xu yu zu ix iy iz") + "1 1 1.5 0.5 0.5 20 4 1 1 0 0\n";
        var f = StructureReader.ReadFrame(tmp.Write("a.dump", text));
        Assert.True(f.PositionsUnwrapped);
        Assert.Equal(20, f.X[0]);
        Assert.Equal([1, 0, 0], f.Images!.Select(a => a[0]));
        Assert.Equal(["xsu", "ysu", "zsu"], f.Columns.Keys);

        var g = StructureReader.ReadFrame(tmp.Write("b.dump", TriclinicHeader(0, 1, "id type xsu ysu zsu") + "1 1 1.5 0.5 0.5\n"));
        Assert.True(g.PositionsUnwrapped);
        Assert.Equal(Xlo + 1.5 * (Xhi - Xlo) + 0.5 * Txy + 0.5 * Txz, g.X[0], 1e-12);
    }

    [Fact]
    public void MultiFrameGzip_StreamsSkipsAndSharesSpecies()
    {
        using var tmp = new TempDir();
        var sb = new System.Text.StringBuilder();
        for (int t = 0; t < 4; t++)
        {
            sb.Append($"ITEM: TIMESTEP\n{t * 50}\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id element x y z\n");
            // species order differs between frames; indices must stay those of the first frame
            string[] el = t % 2 == 0 ? ["Zr", "Cu", "Cu"] : ["Cu", "Cu", "Zr"];
            for (int i = 0; i < 3; i++) sb.Append($"{i + 1} {el[i]} {t + 0.5} {i + 0.25} 1\n");
        }
        string path = tmp.WriteGz("traj.gz", sb.ToString());
        Assert.Equal(StructureReader.LammpsDump, StructureReader.DetectFormat(path));
        using (var r = new LammpsDumpReader(path))
        {
            var f0 = r.ReadNext()!;
            Assert.True(r.SkipNext());
            var f2 = r.ReadNext()!;
            var f3 = r.ReadNext()!;
            Assert.Null(r.ReadNext());
            Assert.False(r.SkipNext());
            Assert.Same(f0.Species, f3.Species);
            Assert.Equal(["Zr", "Cu"], f0.Species.All.Select(s => s.Name));
            Assert.Equal(100, f2.Timestep);
            Assert.Equal(2.5, f2.X[0]);
            Assert.Equal([1, 1, 0], f3.SpeciesIndex);
            Assert.Equal(91.224, f0.Species[0].Mass);
        }
        Assert.Equal([0L, 50, 100, 150], StructureReader.ReadFrames(path).Select(f => f.Timestep));
        Assert.Equal(150, StructureReader.ReadFrame(path, -1).Timestep);
        Assert.Equal(100, StructureReader.ReadFrame(path, -2).Timestep);
        Assert.Equal(50, StructureReader.ReadFrame(path, 1).Timestep);
        var ex = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(path, 4));
        Assert.Contains("4 frame(s)", ex.Message);
    }

    [Fact]
    public void ConcatenatedGzipMembers_ReadAsOneStream()
    {
        // e.g. `cat part1.gz part2.gz > all.gz` or a restarted run appending to a gzip dump
        using var tmp = new TempDir();
        var lines = Fixtures.Lines(Fixtures.Io("nvt.dump.gz"));
        int split = 2 * (9 + 500); // two frames in the first member
        string a = tmp.WriteGz("a.gz", string.Join('\n', lines[..split]) + "\n");
        string b = tmp.WriteGz("b.gz", string.Join('\n', lines[split..]) + "\n");
        string all = tmp.File("all.dump.gz");
        File.WriteAllBytes(all, [.. File.ReadAllBytes(a), .. File.ReadAllBytes(b)]);
        Assert.Equal(4, StructureReader.CountFrames(all));
        Assert.Equal([0L, 50, 100, 150], StructureReader.ReadFrames(all).Select(f => f.Timestep));
        Assert.Equal(1, StructureReader.CountFrames(Fixtures.Io("tri.data.gz")));
        Assert.Equal(2, StructureReader.CountFrames(Fixtures.Io("ase.extxyz.gz")));
    }

    [Fact]
    public void WideDump_KeepsHundredsOfColumns()
    {
        using var tmp = new TempDir();
        var names = Enumerable.Range(1, 300).Select(k => $"c_soap[{k}]").ToArray();
        var sb = new System.Text.StringBuilder("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\n");
        sb.Append("ITEM: ATOMS id type x y z ").Append(string.Join(' ', names)).Append('\n');
        for (int i = 1; i <= 2; i++)
            sb.Append($"{i} 1 {i} {i} {i} ").Append(string.Join(' ', Enumerable.Range(1, 300).Select(k => (k * 0.01 + i).ToString("R")))).Append('\n');
        var f = StructureReader.ReadFrame(tmp.Write("wide.dump", sb.ToString()));
        Assert.Equal(names, f.Columns.Keys);
        Assert.Equal(300 * 0.01 + 2, f.Columns["c_soap[300]"][1]);
    }

    [Fact]
    public void MissingId_GetsOneToN_AndUnknownItemsAreSkipped()
    {
        using var tmp = new TempDir();
        string text = "ITEM: UNITS\nmetal\nITEM: TIME\n0.5\nITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS ss ss ss\n0 4\n0 4\n0 4\n" +
                      "ITEM: ATOMS type x y z vx\n2 1 1 1 0.5\n1 2 2 2 -0.5\n";
        var f = StructureReader.ReadFrame(tmp.Write("u.dump", text));
        Assert.Equal([1L, 2], f.Ids);
        Assert.Equal(7, f.Timestep);
        Assert.Equal([false, false, false], f.Box.Periodic);
        Assert.Equal(["1", "2"], f.Species.All.Select(s => s.Name)); // registered in increasing type order
        Assert.Equal([1, 0], f.SpeciesIndex);
        Assert.Equal([0.5, -0.5], f.Columns["vx"]);
    }
}
