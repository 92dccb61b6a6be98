using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace GlassML.Tests.Recipes;

/// <summary>
/// Checks the committed glasses made by tools/regenerate_glasses.sh (LAMMPS quench.in/reference.in,
/// voro++) without running LAMMPS: provenance files match the folder, the structures are what the
/// README says, and the independent reference outputs agree with each other and with the geometry.
/// Plain text parsing only (the library's readers are tested elsewhere).
/// </summary>
public sealed partial class GlassFixturesTests
{
    public static TheoryData<string> AllGlasses => new() { "demo", "ortho500", "tilted500" };
    public static TheoryData<string> FixtureGlasses => new() { "ortho500", "tilted500" };

    [Theory]
    [MemberData(nameof(AllGlasses))]
    public void Readme_lists_exactly_the_files_in_the_folder(string glass)
    {
        string dir = Folder(glass);
        string readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        var listed = FileNameInBackticks().Matches(readme).Select(m => m.Groups[1].Value).ToHashSet();
        var present = Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => f != "README.md").ToHashSet();
        Assert.NotEmpty(present);
        Assert.Equal(present.Order(), listed.Order());
        Assert.Contains("CuZr_mm.eam.fs", readme);
        Assert.Matches(@"sha256 `[0-9a-f]{64}`", readme);
        Assert.Matches(@"lmp -in recipes/lammps/quench\.in .*-var seed \d+ .*-var rate \S+", readme);
    }

    [Fact]
    public void Demo_glass_is_embedded_and_Cu64Zr36_with_about_2000_atoms()
    {
        var asm = typeof(GlassML.Structure.Box).Assembly;
        using Stream? raw = asm.GetManifestResourceStream("GlassML.Resources.demo_cu64zr36.data.gz");
        Assert.NotNull(raw);
        var lines = ReadAll(new GZipStream(raw!, CompressionMode.Decompress));
        var data = ParseData(lines);
        Assert.InRange(data.Ids.Length, 1500, 2500);
        Assert.Equal(Enumerable.Range(1, data.Ids.Length).Select(i => (long)i), data.Ids.Order());
        double zr = data.Types.Count(t => t == 2) / (double)data.Types.Length;
        Assert.Equal(data.Types.Length, data.Types.Count(t => t is 1 or 2));
        Assert.InRange(zr, 0.35, 0.37);
        // The demo's LAMMPS references describe the same atoms (ids, types, volume).
        var refDump = ParseDump(ReadGz(Folder("demo"), "glass.ref.dump.gz"));
        Assert.Equal(data.Ids.Length, refDump.Rows.Count);
        var typeById = data.Ids.Zip(data.Types).ToDictionary(p => p.First, p => p.Second);
        foreach (var row in refDump.Rows) Assert.Equal(typeById[(long)row[0]], (int)row[1]);
        Assert.Equal(data.Volume, refDump.Volume, 1e-9 * data.Volume);
    }

    [Theory]
    [MemberData(nameof(AllGlasses))]
    public void Partial_rdf_first_peaks_are_where_CuZr_glasses_have_them(string glass)
    {
        var rows = ReadGz(Folder(glass), "glass.rdf.gz")
            .Where(l => !l.StartsWith('#'))
            .Select(Numbers).Where(t => t.Length == 10).ToList();
        Assert.Equal(200, rows.Count);
        double[] r = rows.Select(t => t[1]).ToArray();
        Assert.Equal(0.025, r[0], 1e-12);
        Assert.Equal(9.975, r[^1], 1e-12);
        // Columns: 2 g11, 4 g12, 6 g21, 8 g22 (1 = Cu, 2 = Zr).
        Assert.InRange(FirstPeak(rows, 2), 2.40, 2.70);   // Cu–Cu
        Assert.InRange(FirstPeak(rows, 4), 2.60, 3.00);   // Cu–Zr
        Assert.InRange(FirstPeak(rows, 8), 3.00, 3.40);   // Zr–Zr
        foreach (var t in rows) Assert.Equal(t[4], t[6], 1e-9 * (1 + Math.Abs(t[4])));   // g_CuZr = g_ZrCu
        foreach (int col in new[] { 2, 4, 8 })
        {
            Assert.All(rows.Where(t => t[1] < 1.8), t => Assert.Equal(0.0, t[col]));   // no overlaps
            double tail = rows.Where(t => t[1] > 8.0).Average(t => t[col]);
            Assert.InRange(tail, 0.9, 1.1);
        }
    }

    [Theory]
    [MemberData(nameof(AllGlasses))]
    public void Voronoi_volumes_fill_the_box_and_pe_sums_to_the_recorded_energy(string glass)
    {
        string dir = Folder(glass);
        var dump = ParseDump(ReadGz(dir, "glass.ref.dump.gz"));
        int pe = dump.Column("c_pe"), vor = dump.Column("c_vor[1]"), vorr = dump.Column("c_vorr[1]");
        double plain = dump.Rows.Sum(t => t[vor]), radical = dump.Rows.Sum(t => t[vorr]);
        Assert.Equal(dump.Volume, plain, 1e-9 * dump.Volume);
        Assert.Equal(dump.Volume, radical, 1e-9 * dump.Volume);
        // Radical cells: Zr (larger radius) gains volume relative to the plain tessellation.
        int type = dump.Column("type");
        double zrPlain = dump.Rows.Where(t => t[type] == 2).Average(t => t[vor]);
        double zrRadical = dump.Rows.Where(t => t[type] == 2).Average(t => t[vorr]);
        Assert.True(zrRadical > zrPlain, $"Zr radical {zrRadical} <= plain {zrPlain}");

        var m = Regex.Match(File.ReadAllText(Path.Combine(dir, "README.md")),
            @"IS_ENERGY (\S+) VOLUME (\S+) NATOMS (\d+)");
        Assert.True(m.Success);
        double energy = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        double volume = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), dump.Rows.Count);
        Assert.Equal(energy, dump.Rows.Sum(t => t[pe]), 1e-9 * Math.Abs(energy));
        Assert.Equal(volume, dump.Volume, 1e-9 * volume);
        Assert.InRange(energy / dump.Rows.Count, -4.9, -4.0);   // eV/atom of a Cu64Zr36 glass (Mendelev)
    }

    [Theory]
    [MemberData(nameof(FixtureGlasses))]
    public void Data_file_and_dump_hold_the_same_atoms(string glass)
    {
        string dir = Folder(glass);
        var data = ParseData(ReadGz(dir, "glass.data.gz"));
        var dump = ParseDump(ReadGz(dir, "glass.dump.gz"));
        Assert.Equal(data.Ids.Length, dump.Rows.Count);
        Assert.Equal(data.Volume, dump.Volume, 1e-9 * data.Volume);
        var byId = dump.Rows.ToDictionary(t => (long)t[0]);
        for (int i = 0; i < data.Ids.Length; i++)
        {
            double[] t = byId[data.Ids[i]];
            Assert.Equal(data.Types[i], (int)t[1]);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(data.Pos[i][k], t[2 + k], 1e-12);
                Assert.Equal(data.Images[i][k], (int)t[5 + k]);
            }
        }
        Assert.Equal(180, data.Types.Count(t => t == 2));
        Assert.Equal(500, data.Types.Length);
    }

    [Fact]
    public void Tilted_fixture_is_strongly_tilted_and_ortho_is_not()
    {
        var tilted = ParseData(ReadGz(Folder("tilted500"), "glass.data.gz"));
        Assert.InRange(tilted.Xy / tilted.Lx, 0.29, 0.31);
        Assert.InRange(tilted.Xz / tilted.Lx, -0.26, -0.24);
        Assert.InRange(tilted.Yz / tilted.Ly, 0.19, 0.21);
        var ortho = ParseData(ReadGz(Folder("ortho500"), "glass.data.gz"));
        Assert.Equal(0.0, ortho.Xy);
        Assert.Equal(0.0, ortho.Xz);
        Assert.Equal(0.0, ortho.Yz);
    }

    [Theory]
    [InlineData("ortho500", "glass.voro-faces.dump.gz", "c_vor[2]")]
    [InlineData("ortho500", "glass.voro-faces-radical.dump.gz", "c_vorr[2]")]
    [InlineData("tilted500", "glass.voro-faces.dump.gz", "c_vor[2]")]
    [InlineData("tilted500", "glass.voro-faces-radical.dump.gz", "c_vorr[2]")]
    public void Voronoi_faces_are_shared_by_both_cells_and_match_face_counts(string glass, string faceFile, string countColumn)
    {
        string dir = Folder(glass);
        var faces = ParseFaces(ReadGz(dir, faceFile));
        var dump = ParseDump(ReadGz(dir, "glass.ref.dump.gz"));
        int count = dump.Column(countColumn);
        foreach (var t in dump.Rows)
            Assert.Equal((int)t[count], faces.TryGetValue((long)t[0], out var f) ? f.Count : 0);
        foreach (var (i, list) in faces)
            foreach (var (j, area) in list)
            {
                Assert.True(area > 0, $"face {i}-{j} has area {area}");
                double back = faces[j].Where(p => p.J == i).Sum(p => p.Area);
                double forth = list.Where(p => p.J == j).Sum(p => p.Area);
                Assert.Equal(forth, back, 1e-9 * (1 + forth));
            }
    }

    [Theory]
    [InlineData("glass.voro++.vol.gz", "c_vor", "glass.voro-faces.dump.gz")]
    [InlineData("glass.voro++-radical.vol.gz", "c_vorr", "glass.voro-faces-radical.dump.gz")]
    public void Voropp_command_line_agrees_with_lammps_voronoi(string volFile, string compute, string faceFile)
    {
        string dir = Folder("ortho500");
        var dump = ParseDump(ReadGz(dir, "glass.ref.dump.gz"));
        int vol = dump.Column(compute + "[1]"), nf = dump.Column(compute + "[2]");
        var byId = dump.Rows.ToDictionary(t => (long)t[0]);
        var faces = ParseFaces(ReadGz(dir, faceFile));
        int lines = 0;
        foreach (string line in ReadGz(dir, volFile))
        {
            double[] t = Numbers(line);
            if (t.Length == 0) continue;
            lines++;
            long id = (long)t[0];
            int n = (int)t[2];
            int table = t.Length - 3 - 2 * n;   // %A frequency table length
            Assert.True(table > 0, line);
            Assert.Equal(n, (int)t.Skip(3).Take(table).Sum());
            double[] row = byId[id];
            Assert.Equal(row[vol], t[1], 1e-5 * row[vol]);   // voro++ prints 6 significant digits
            Assert.Equal((int)row[nf], n);
            var mine = t.Skip(3 + table).Take(n).Zip(t.Skip(3 + table + n)).OrderBy(p => p.First).ThenBy(p => p.Second).ToList();
            var lammps = faces[id].OrderBy(p => p.J).ThenBy(p => p.Area).ToList();
            Assert.Equal(lammps.Select(p => (double)p.J), mine.Select(p => p.First));
            for (int k = 0; k < n; k++)
                Assert.Equal(lammps[k].Area, mine[k].Second, 1e-5 * lammps[k].Area + 1e-9);
        }
        Assert.Equal(dump.Rows.Count, lines);
    }

    // ------------------------------------------------------------------ plain parsing helpers

    private static string Folder(string glass) => Path.Combine(AppContext.BaseDirectory, "fixtures", "glasses", glass);

    private static List<string> ReadGz(string dir, string file) =>
        ReadAll(new GZipStream(File.OpenRead(Path.Combine(dir, file)), CompressionMode.Decompress));

    private static List<string> ReadAll(Stream s)
    {
        using var r = new StreamReader(s);
        var lines = new List<string>();
        for (string? l = r.ReadLine(); l != null; l = r.ReadLine()) lines.Add(l);
        return lines;
    }

    private static double[] Numbers(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    private static double FirstPeak(List<double[]> rows, int col)
    {
        // Nearest-neighbour peak: the largest g below 4 Å (first minima of Cu–Zr g(r) lie near 3.5–4.2 Å,
        // second peaks beyond 4.3 Å).
        int best = -1;
        for (int k = 0; k < rows.Count && rows[k][1] < 4.0; k++)
            if (best < 0 || rows[k][col] > rows[best][col]) best = k;
        return rows[best][1];
    }

    private sealed record DataFile(long[] Ids, int[] Types, double[][] Pos, int[][] Images,
        double Lx, double Ly, double Lz, double Xy, double Xz, double Yz)
    {
        public double Volume => Lx * Ly * Lz;
    }

    private static DataFile ParseData(List<string> lines)
    {
        int n = 0; double lx = 0, ly = 0, lz = 0, xy = 0, xz = 0, yz = 0;
        int atoms = -1;
        for (int k = 0; k < lines.Count; k++)
        {
            string l = lines[k].Trim();
            if (l.EndsWith(" atoms", StringComparison.Ordinal)) n = int.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture);
            else if (l.EndsWith("xlo xhi", StringComparison.Ordinal)) { var t = Numbers(l[..^7]); lx = t[1] - t[0]; }
            else if (l.EndsWith("ylo yhi", StringComparison.Ordinal)) { var t = Numbers(l[..^7]); ly = t[1] - t[0]; }
            else if (l.EndsWith("zlo zhi", StringComparison.Ordinal)) { var t = Numbers(l[..^7]); lz = t[1] - t[0]; }
            else if (l.EndsWith("xy xz yz", StringComparison.Ordinal)) { var t = Numbers(l[..^8]); (xy, xz, yz) = (t[0], t[1], t[2]); }
            else if (l.StartsWith("Atoms", StringComparison.Ordinal)) { atoms = k + 2; break; }
        }
        Assert.True(n > 0 && atoms > 0, "data file header");
        var ids = new long[n]; var types = new int[n]; var pos = new double[n][]; var img = new int[n][];
        for (int i = 0; i < n; i++)
        {
            double[] t = Numbers(lines[atoms + i]);
            Assert.Equal(8, t.Length);   // id type x y z ix iy iz
            ids[i] = (long)t[0]; types[i] = (int)t[1];
            pos[i] = [t[2], t[3], t[4]];
            img[i] = [(int)t[5], (int)t[6], (int)t[7]];
        }
        return new DataFile(ids, types, pos, img, lx, ly, lz, xy, xz, yz);
    }

    private sealed record DumpFile(string[] Columns, List<double[]> Rows, double Volume)
    {
        public int Column(string name)
        {
            int k = Array.IndexOf(Columns, name);
            Assert.True(k >= 0, $"column {name} missing");
            return k;
        }
    }

    private static DumpFile ParseDump(List<string> lines)
    {
        int b = lines.FindIndex(l => l.StartsWith("ITEM: BOX BOUNDS", StringComparison.Ordinal));
        bool tri = lines[b].Contains("xy xz yz", StringComparison.Ordinal);
        double[] x = Numbers(lines[b + 1]), y = Numbers(lines[b + 2]), z = Numbers(lines[b + 3]);
        double xy = tri ? x[2] : 0, xz = tri ? y[2] : 0, yz = tri ? z[2] : 0;
        // Bounding box → box (LAMMPS convention, physics.md).
        double lx = (x[1] - Math.Max(Math.Max(0, xy), Math.Max(xz, xy + xz))) - (x[0] - Math.Min(Math.Min(0, xy), Math.Min(xz, xy + xz)));
        double ly = (y[1] - Math.Max(0, yz)) - (y[0] - Math.Min(0, yz));
        double lz = z[1] - z[0];
        int a = lines.FindIndex(l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        string[] cols = lines[a]["ITEM: ATOMS".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Skip(a + 1).Where(l => l.Length > 0).Select(Numbers).ToList();
        Assert.All(rows, r => Assert.Equal(cols.Length, r.Length));
        return new DumpFile(cols, rows, lx * ly * lz);
    }

    private static Dictionary<long, List<(long J, double Area)>> ParseFaces(List<string> lines)
    {
        int e = lines.FindIndex(l => l.StartsWith("ITEM: ENTRIES", StringComparison.Ordinal));
        int n = int.Parse(lines[lines.FindIndex(l => l.StartsWith("ITEM: NUMBER OF ENTRIES", StringComparison.Ordinal)) + 1], CultureInfo.InvariantCulture);
        var faces = new Dictionary<long, List<(long, double)>>();
        int count = 0;
        foreach (string l in lines.Skip(e + 1))
        {
            double[] t = Numbers(l);
            if (t.Length == 0) continue;
            Assert.Equal(3, t.Length);
            long i = (long)t[0];
            if (!faces.TryGetValue(i, out var list)) faces[i] = list = [];
            list.Add(((long)t[1], t[2]));
            count++;
        }
        Assert.Equal(n, count);
        return faces;
    }

    [GeneratedRegex(@"`(glass\.[^`\s]+)`")]
    private static partial Regex FileNameInBackticks();
}
