using System.Globalization;
using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>
/// Issue 11, item 2: species labels are not limited to element symbols. The peer test cases — freud's periodic Voronoi of
/// 5,000 random points (one species, labelled X) and a Kob–Andersen A/B Lennard-Jones glass — run through the CLI without
/// renaming species; element data (radii) are asked for only where a computation needs them, in one line naming the
/// species and <c>--radii</c>. Fixtures: tests/fixtures/species (tools/make_species_fixtures.sh: numpy, voro++, LAMMPS).
/// </summary>
[Collection("Console")]
public class SpeciesLabelTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-species-{Guid.NewGuid():N}-{name}");

    private static string Fixture(string name) => Fixtures.Path("species", name);

    /// <summary>Reads a CSV written by featurize: header and rows as strings.</summary>
    private static (string[] Header, string[][] Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    private static double[] Column((string[] Header, string[][] Rows) t, string name)
    {
        int c = Array.IndexOf(t.Header, name);
        Assert.True(c >= 0, $"no column {name} in {string.Join(",", t.Header)}");
        return t.Rows.Select(r => double.Parse(r[c], Inv)).ToArray();
    }

    [Fact]
    public void FreudRandomPointsWithSpeciesXGiveVoroPlusPlusCellVolumesThatFillTheBox()
    {
        string outp = Temp("random.csv");
        var (code, _, err) = Run("featurize", Fixture("random5000.extxyz.gz"), "--features", "voronoi", "--out", outp);
        Assert.True(code == 0, err);
        var t = ReadCsv(outp);
        Assert.Equal(5000, t.Rows.Length);
        Assert.All(t.Rows, r => Assert.Equal("X", r[2]));
        var vol = Column(t, "voro_volume");
        var ids = Column(t, "id");
        Assert.Equal(1000.0, vol.Sum(), 1e-9);
        // voro++ prints %g (6 significant digits)
        var voro = Fixtures.ReadLines("species", "random5000.voro++.vol.gz").Select(l => l.Split(' ')).ToDictionary(p => double.Parse(p[0], Inv), p => double.Parse(p[1], Inv));
        Assert.Equal(5000, voro.Count);
        for (int i = 0; i < vol.Length; i++)
            Assert.True(Math.Abs(vol[i] - voro[ids[i]]) <= 6e-6 * voro[ids[i]], $"id {ids[i]}: ours {vol[i]:R}, voro++ {voro[ids[i]]:R}");
        File.Delete(outp);

        var (icode, iout, ierr) = Run("info", Fixture("random5000.extxyz.gz"));
        Assert.True(icode == 0, ierr);
        Assert.Contains("X", iout);
        Assert.Contains("5000", iout);
        Assert.Contains("unknown", iout); // no mass for X, and none is needed
    }

    [Theory]
    [InlineData("ka500.extxyz.gz")]
    [InlineData("ka500.dump.gz")]
    [InlineData("ka500.data.gz")]
    public void KobAndersenGlassWithSpeciesAAndBRunsThroughInfoRdfAndFeaturize(string file)
    {
        string[] types = file.EndsWith(".data.gz", StringComparison.Ordinal) ? ["--types", "1:A,2:B"] : [];
        var (icode, iout, ierr) = Run(["info", Fixture(file), .. types]);
        Assert.True(icode == 0, ierr);
        Assert.Matches(@"A\s*│\s*400\b", iout);
        Assert.Matches(@"B\s*│\s*100\b", iout);

        // g(r) against LAMMPS compute rdf 100 bins to 3.0 σ (pairs 1-1, 1-2, 2-2 = A-A, A-B, B-B)
        string rdf = Temp("rdf.csv");
        var (rcode, _, rerr) = Run(["rdf", Fixture(file), "--rmax", "3", "--bins", "100", "--out", rdf, .. types]);
        Assert.True(rcode == 0, rerr);
        var lines = File.ReadAllLines(rdf);
        Assert.Equal("r,total,A-A,A-B,B-B", lines[0]);
        var lmp = Fixtures.ReadLines("species", "ka500.rdf.txt.gz").Where(l => !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(t => t.Length == 8).ToList();
        Assert.Equal(100, lmp.Count);
        for (int b = 0; b < 100; b++)
        {
            var ours = lines[b + 1].Split(',').Select(s => double.Parse(s, Inv)).ToArray();
            Assert.Equal(double.Parse(lmp[b][1], Inv), ours[0], 1e-9);
            Assert.Equal(double.Parse(lmp[b][2], Inv), ours[2], 1e-6);
            Assert.Equal(double.Parse(lmp[b][4], Inv), ours[3], 1e-6);
            Assert.Equal(double.Parse(lmp[b][6], Inv), ours[4], 1e-6);
        }
        File.Delete(rdf);

        // Voronoi volumes against LAMMPS compute voronoi/atom; the chemical-order columns are named after A and B
        string feat = Temp("ka.csv");
        var (fcode, fout, ferr) = Run(["featurize", Fixture(file), "--features", "voronoi,csro", "--out", feat, .. types]);
        Assert.True(fcode == 0, ferr);
        Assert.Contains(feat, fout);
        var t = ReadCsv(feat);
        Assert.Contains("csro_n_A_voro", t.Header);
        Assert.Contains("wc_B_voro", t.Header);
        var lammps = Fixtures.ReadLines("species", "ka500.dump.gz").Skip(9).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => (Species: p[2], Volume: double.Parse(p[6], Inv)));
        var vol = Column(t, "voro_volume");
        for (int i = 0; i < t.Rows.Length; i++)
        {
            var want = lammps[t.Rows[i][0]];
            Assert.Equal(want.Species, t.Rows[i][2]);
            Assert.True(Math.Abs(vol[i] - want.Volume) <= 1e-9 * want.Volume, $"id {t.Rows[i][0]}: ours {vol[i]:R}, LAMMPS {want.Volume:R}");
        }
        File.Delete(feat);
    }

    [Fact]
    public void FreudSteinhardtCaseFccCrystalOfSpeciesXGivesTheAnalyticQ4AndQ6()
    {
        // freud's Steinhardt test configuration: a perfect fcc crystal, one species; q4 and q6 over the 12 nearest neighbours
        // (scipy.special.sph_harm over the 12 <110> bonds: q4 = 0.19094065395649332, q6 = 0.5745242597140697)
        string input = Temp("fcc.extxyz"), outp = Temp("fcc.csv");
        GlassML.Io.ExtendedXyzWriter.Write(input, GlassML.Structure.Lattices.Fcc(4, 1.0, "X"));
        var (code, _, err) = Run("featurize", input, "--features", "steinhardt", "--neighbors", "cutoff", "--cutoff", "0.85", "--out", outp);
        Assert.True(code == 0, err);
        var t = ReadCsv(outp);
        Assert.Equal(256, t.Rows.Length);
        Assert.All(t.Rows, r => Assert.Equal("X", r[2]));
        Assert.All(Column(t, "q4_cut"), q => Assert.Equal(0.19094065395649332, q, 12));
        Assert.All(Column(t, "q6_cut"), q => Assert.Equal(0.5745242597140697, q, 12));
        File.Delete(input); File.Delete(outp);
    }

    [Fact]
    public void LabelsThatAreNotElementsSurviveADumpAndExtendedXyzRoundTrip()
    {
        var f = GlassML.Io.StructureReader.ReadFrame(Fixture("ka500.extxyz.gz"));
        foreach (var ext in new[] { ".dump", ".extxyz" })
        {
            string p = Temp("ka" + ext);
            if (ext == ".dump") GlassML.Io.LammpsDumpWriter.Write(p, f); else GlassML.Io.ExtendedXyzWriter.Write(p, f);
            var g = GlassML.Io.StructureReader.ReadFrame(p);
            Assert.Equal(["A", "B"], g.Species.All.Select(s => s.Name));
            Assert.Equal(f.SpeciesIndex, g.SpeciesIndex);
            File.Delete(p);
        }
    }

    [Fact]
    public void ADataFileWithLammpsTypeLabelsNamesItsSpecies()
    {
        // LAMMPS's labelmap writes an 'Atom Type Labels' section (type label per line) before Masses; a --types map wins
        string text = string.Join('\n', Fixtures.ReadLines("species", "ka500.data.gz"));
        int at = text.IndexOf("Masses", StringComparison.Ordinal);
        Assert.True(at > 0);
        string input = Temp("labels.data");
        File.WriteAllText(input, text[..at] + "Atom Type Labels\n\n1 A\n2 B\n\n" + text[at..] + "\n");
        var labelled = GlassML.Io.StructureReader.ReadFrame(input);
        var mapped = GlassML.Io.StructureReader.ReadFrame(Fixture("ka500.data.gz"), 0, new GlassML.Io.ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "A", [2] = "B" } });
        Assert.Equal(["A", "B"], labelled.Species.All.Select(s => s.Name));
        Assert.Equal(mapped.SpeciesIndex, labelled.SpeciesIndex);
        Assert.Equal(mapped.X, labelled.X);
        Assert.Equal(1.0, labelled.Species[1].Mass); // the file's mass, not boron's
        var overridden = GlassML.Io.StructureReader.ReadFrame(input, 0, new GlassML.Io.ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        Assert.Equal(["Cu", "Zr"], overridden.Species.All.Select(s => s.Name));

        File.WriteAllText(input, text[..at] + "Atom Type Labels\n\n1 A\n2 B,C\n\n" + text[at..] + "\n");
        var (code, _, err) = Run("info", input);
        Assert.Equal(2, code);
        Assert.Contains("species label 'B,C' contains ','", err);
        File.Delete(input);
    }

    [Theory]
    [InlineData(new[] { "--features", "seed-amlearn" }, "'A'")]
    [InlineData(new[] { "--features", "voronoi", "--radii", "A:0.5" }, "'B'")]
    public void MissingRadiiOfNonElementSpeciesGiveOneLineNamingTheSpeciesAndTheOption(string[] args, string species)
    {
        string outp = Temp("seed.csv");
        var (code, _, err) = Run(["featurize", Fixture("ka500.extxyz.gz"), .. args, "--out", outp]);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(species, err);
        Assert.Contains("--radii", err);
        Assert.False(File.Exists(outp));
    }

    [Fact]
    public void TheSeedSetRunsOnKobAndersenSpeciesWhenTheirRadiiAreGiven()
    {
        string outp = Temp("seed.csv");
        var (code, _, err) = Run("featurize", Fixture("ka500.extxyz.gz"), "--features", "seed-amlearn", "--radii", "A:0.5,B:0.44", "--out", outp);
        Assert.True(code == 0, err);
        var t = ReadCsv(outp);
        Assert.Equal(3 + 746, t.Header.Length);
        Assert.Equal(500, t.Rows.Length);
        File.Delete(outp);
    }
}
