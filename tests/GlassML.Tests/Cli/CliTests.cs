using System.Globalization;
using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>End-to-end runs of the glassml verbs through Program.Main (exit codes, outputs, user errors).</summary>
[Collection("Console")]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-cli-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void RdfWritesLammpsEqualPartials()
    {
        string outp = Temp("rdf.csv");
        var (code, _, err) = Run("rdf", Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), "--types", "1:Cu,2:Zr", "--rmax", "10", "--bins", "200", "--out", outp);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(outp);
        Assert.Equal("r,total,Cu-Cu,Cu-Zr,Zr-Zr", lines[0]);
        Assert.Equal(201, lines.Length);
        // bin 60 (r = 3.025 Å) against the LAMMPS reference row 61
        var lmp = File.ReadLines(Fixtures.Path("glass-s1", "s1_cu50zr50_500.lammps-rdf.txt")).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(t => t.Length == 10).ToList();
        for (int b = 0; b < 200; b += 7)
        {
            var ours = lines[b + 1].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(double.Parse(lmp[b][2], CultureInfo.InvariantCulture), ours[2], 1e-6);
            Assert.Equal(double.Parse(lmp[b][4], CultureInfo.InvariantCulture), ours[3], 1e-6);
            Assert.Equal(double.Parse(lmp[b][8], CultureInfo.InvariantCulture), ours[4], 1e-6);
        }
        File.Delete(outp);
    }

    [Theory]
    [InlineData("rdf", "missing-file.dump", "--out", "OUT")]
    [InlineData("rdf", "FIXTURE", "--bins", "0", "--out", "OUT")]
    [InlineData("rdf", "FIXTURE", "--rmax", "-1", "--out", "OUT")]
    [InlineData("rdf", "FIXTURE", "--types", "1=Cu", "--out", "OUT")]
    [InlineData("rdf", "FIXTURE", "--frame", "seven", "--out", "OUT")]
    [InlineData("info", "missing-file.xyz")]
    public void UserErrorsGiveOneLineExitCodeTwoAndNoOutput(params string[] args)
    {
        string outp = Temp("out.csv");
        var a = args.Select(x => x == "OUT" ? outp : x == "FIXTURE" ? Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz") : x).ToArray();
        var (code, _, err) = Run(a);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", err);
        Assert.False(File.Exists(outp));
    }

    [Theory]
    [MemberData(nameof(GlassML.Tests.Io.InputErrorTests.Cases), MemberType = typeof(GlassML.Tests.Io.InputErrorTests))]
    public void EveryBadInputFileGivesFileLineExitTwoAndNoOutput(string name, string content, long line, string problem)
    {
        string dir = Temp("bad");
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, name), outp = Path.Combine(dir, "g.csv");
        File.WriteAllText(input, content);
        foreach (var verb in new[] { new[] { "rdf", input, "--rmax", "3", "--bins", "10", "--out", outp }, new[] { "featurize", input, "--features", "distance", "--neighbors", "cutoff", "--frame", "all", "--out", outp } })
        {
            var (code, _, err) = Run(verb);
            Assert.Equal(2, code);
            Assert.StartsWith($"glassml: error: {input}:{line}: ", err);
            Assert.Contains(problem, err);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
            Assert.False(File.Exists(outp));
            Assert.Equal([input], Directory.GetFiles(dir));
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void DemoWritesLammpsEqualRdfAndTheFeatureTables()
    {
        string dir = Temp("demo");
        var (code, output, err) = Run("demo", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("852 features per atom", output); // 142 structural columns (voronoi 82, motifs 6, steinhardt/csro/distance on both shells) × (1 + 5 MRO stats)
        // g(r) of the embedded demo glass equals LAMMPS compute rdf on the same configuration (recipes/lammps/reference.in)
        var ours = File.ReadAllLines(Path.Combine(dir, "rdf.csv")).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        using var r = Fixtures.OpenText("glasses", "demo", "glass.rdf.gz");
        var lmp = new List<double[]>();
        string? line;
        while ((line = r.ReadLine()) is not null)
        {
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 10 && !line.StartsWith('#')) lmp.Add(t.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
        Assert.Equal(200, lmp.Count);
        for (int b = 0; b < 200; b++)
        {
            Assert.Equal(lmp[b][1], ours[b][0], 1e-9);
            Assert.Equal(lmp[b][2], ours[b][2], 1e-6); // Cu-Cu
            Assert.Equal(lmp[b][4], ours[b][3], 1e-6); // Cu-Zr
            Assert.Equal(lmp[b][8], ours[b][4], 1e-6); // Zr-Zr
        }
        var header = File.ReadLines(Path.Combine(dir, "features.csv")).First().Split(',');
        Assert.Equal(["id", "type", "species"], header[..3]);
        Assert.Contains("q6_voro", header);
        Assert.Contains("wc_Zr_cut", header);
        Assert.Contains("voro_volume__nn_std", header);
        Assert.Equal(2049, File.ReadLines(Path.Combine(dir, "features.csv")).Count());
        Assert.True(File.Exists(Path.Combine(dir, "atoms.xyz")));
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void BondCrystallinityOutputIsOneForEveryFccBond()
    {
        string dir = Temp("xtal");
        Directory.CreateDirectory(dir);
        string xyz = Path.Combine(dir, "fcc.extxyz"), bonds = Path.Combine(dir, "bonds.csv"), outp = Path.Combine(dir, "f.csv");
        GlassML.Io.ExtendedXyzWriter.Write(xyz, GlassML.Structure.Lattices.Fcc(3, 3.6, "Cu"));
        var (code, _, err) = Run("featurize", xyz, "--features", "xtal", "--cutoff", "3.0", "--bonds", bonds, "--out", outp);
        Assert.True(code == 0, err);
        var rows = File.ReadAllLines(bonds);
        Assert.Equal("frame,id_i,id_j,distance,s", rows[0]);
        Assert.Equal(1 + 108 * 12, rows.Length);
        foreach (var r in rows.Skip(1)) Assert.Equal(1.0, double.Parse(r.Split(',')[4], CultureInfo.InvariantCulture), 1e-12);
        var feats = File.ReadAllLines(outp);
        Assert.Equal("id,type,species,xtal_bonds,xtal_bond_fraction,xtal_s_mean", feats[0]);
        Assert.All(feats.Skip(1), l => Assert.Equal("12", l.Split(',')[3]));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void InfoReportsAtomsSpeciesAndVolume()
    {
        var (code, output, err) = Run("info", Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), "--types", "1:Cu,2:Zr");
        Assert.True(code == 0, err);
        Assert.Contains("500", output);
        Assert.Contains("Zr", output);
        Assert.Contains("8957.18286", output);
    }

    [Fact]
    public void ACallBuildsOnlyItsVerbAndThatVerbIsTheFullTreesOne()
    {
        var full = Program.BuildRoot();
        Assert.Equal(Program.Verbs.Select(v => v.Name), full.Subcommands.Select(c => c.Name));
        static string Shape(System.CommandLine.Command c) =>
            c.Name + "(" + string.Join(",", c.Options.Select(o => o.Name + ":" + o.ValueType.Name)) + ";" + string.Join(",", c.Arguments.Select(a => a.Name))
            + ")[" + string.Join(",", c.Subcommands.Select(Shape)) + "]";
        foreach (var (name, _) in Program.Verbs)
        {
            var one = Program.BuildRoot(name);
            var verb = Assert.Single(one.Subcommands);
            Assert.Equal(Shape(full.Subcommands.Single(c => c.Name == name)), Shape(verb));
            Assert.Equal(full.Options.Select(o => o.Name), one.Options.Select(o => o.Name));
        }
        Assert.Empty(Program.BuildRoot("--version").Subcommands);
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        // System.CommandLine prints the entry assembly's version (in the test host, the host's)
        Assert.Matches(@"^\d+\.\d+", output.Trim());
        Assert.StartsWith(output.Trim(), System.Reflection.Assembly.GetEntryAssembly()!.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion, StringComparison.Ordinal);
        Assert.Equal(full.Subcommands.Count, Program.BuildRoot("featurise").Subcommands.Count);
    }

    [Fact]
    public void EveryVerbHasHelp()
    {
        var root = Program.BuildRoot();
        foreach (var c in root.Subcommands)
        {
            var (code, output, _) = Run(c.Name, "--help");
            Assert.Equal(0, code);
            Assert.Contains(c.Name, output);
            Assert.False(string.IsNullOrWhiteSpace(c.Description));
        }
    }
}
