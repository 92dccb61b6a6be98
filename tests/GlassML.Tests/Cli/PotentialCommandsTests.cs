using System.Globalization;
using GlassML.Cli;
using GlassML.Tests.Potentials;

namespace GlassML.Tests.Cli;

/// <summary>End-to-end runs of <c>glassml energy</c> and <c>glassml modes</c> (outputs against LAMMPS; user errors).</summary>
[Collection("Console")]
public class PotentialCommandsTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-cli-{Guid.NewGuid():N}-{name}");

    private static double[][] Rows(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray()).ToArray();

    [Fact]
    public void Energy_writes_LAMMPS_equal_pe_and_forces()
    {
        string outp = Temp("e.csv");
        var (code, stdout, err) = Run("energy", Fixtures.Path("glasses", "tilted500", "glass.data.gz"), "--potential", Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"), "--types", "1:Cu,2:Zr", "--keep", "none", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Contains("total energy", stdout);
        Assert.Equal("id,type,species,pe,fx,fy,fz,rho,embedding", File.ReadLines(outp).First());
        var rows = Rows(outp);
        var reference = EamPotentialTests.ReadDump("tilted500.fs.dump.gz", EamPotentialTests.FsNames);
        Assert.Equal(reference.Count, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(reference.Ids[i], (long)rows[i][0]);
            Assert.True(Math.Abs(rows[i][3] - reference.Columns["c_pe"][i]) <= 1e-9);
            Assert.True(Math.Abs(rows[i][4] - reference.Columns["fx"][i]) <= 1e-7);
            Assert.True(Math.Abs(rows[i][6] - reference.Columns["fz"][i]) <= 1e-7);
        }
        File.Delete(outp);
    }

    [Fact]
    public void Modes_writes_participation_and_the_mode_table()
    {
        string outp = Temp("m.csv");
        var (code, stdout, err) = Run("modes", Fixtures.Path("eam", "small32.data.gz"), "--potential", Fixtures.Path("eam", "CuNi.eam.alloy.gz"), "--types", "1:Cu,2:Ni", "--fraction", "0.1", "--threads", "1", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Contains("negative eigenvalue", stdout); // the small cell is not minimised
        var atoms = Rows(outp);
        Assert.Equal(32, atoms.Length);
        string table = GlassML.Cli.Commands.ModesCommand.DefaultTablePath(outp);
        Assert.Equal("mode,frequency_thz,eigenvalue,participation_ratio,translation,selected", File.ReadLines(table).First());
        var modes = Rows(table);
        Assert.Equal(96, modes.Length);
        Assert.Equal(3, modes.Count(r => r[4] == 1));
        Assert.Equal(10, modes.Count(r => r[5] == 1)); // ⌈0.1 · 93⌉
        Assert.Equal(10.0, atoms.Sum(r => r[3]), 9);   // Σ_i p_i = number of modes summed
        Assert.True(modes.Skip(3).Zip(modes.Skip(4)).All(t => t.First[2] <= t.Second[2]));
        Assert.Equal([1.0, 1.0, 1.0], modes.Take(3).Select(r => r[4]));
        File.Delete(outp); File.Delete(table);
    }

    [Fact]
    public void Modes_with_lanczos_lists_the_selected_modes()
    {
        string outp = Temp("m.csv"), dense = Temp("d.csv");
        var (code, stdout, err) = Run("modes", Fixtures.Path("eam", "small32.data.gz"), "--potential", Fixtures.Path("eam", "CuNi.eam.alloy.gz"), "--types", "1:Cu,2:Ni", "--fraction", "0.1", "--solver", "lanczos", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Contains("Lanczos", stdout);
        Assert.Equal(0, Run("modes", Fixtures.Path("eam", "small32.data.gz"), "--potential", Fixtures.Path("eam", "CuNi.eam.alloy.gz"), "--types", "1:Cu,2:Ni", "--fraction", "0.1", "--out", dense).Code);
        var modes = Rows(GlassML.Cli.Commands.ModesCommand.DefaultTablePath(outp));
        var denseModes = Rows(GlassML.Cli.Commands.ModesCommand.DefaultTablePath(dense));
        Assert.Equal(13, modes.Length);
        for (int k = 3; k < 13; k++) Assert.Equal(denseModes[k][2], modes[k][2], 1e-10);
        var a = Rows(outp); var b = Rows(dense);
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i][3], a[i][3], 1e-8);
    }

    [Theory]
    [InlineData("modes", "FIXTURE", "--potential", "POT", "--types", "1:Cu,2:Zr", "--solver", "qr", "--out", "OUT")]
    [InlineData("energy", "FIXTURE", "--potential", "missing.eam.fs", "--types", "1:Cu,2:Zr", "--out", "OUT")]
    [InlineData("energy", "FIXTURE", "--potential", "POT", "--types", "1:A,2:B", "--out", "OUT")] // species the potential lacks (without --types the masses name Cu, Zr)
    [InlineData("energy", "FIXTURE", "--potential", "POT", "--types", "1:Cu,2:Zr", "--format", "tersoff", "--out", "OUT")]
    [InlineData("modes", "FIXTURE", "--potential", "POT", "--types", "1:Cu,2:Zr", "--fraction", "0", "--out", "OUT")]
    [InlineData("modes", "FIXTURE", "--potential", "POT", "--types", "1:Cu,2:Zr", "--out", "OUT.txt")]
    public void User_errors_give_one_line_and_exit_code_two(params string[] args)
    {
        string outp = Temp("out.csv");
        var a = args.Select(x => x == "OUT" ? outp : x == "OUT.txt" ? outp + ".txt" : x == "POT" ? Fixtures.Path("eam", "CuZr_mm.eam.fs.gz")
            : x == "FIXTURE" ? Fixtures.Path("eam", "small32.data.gz") : x).ToArray();
        var (code, _, err) = Run(a);
        Assert.Equal(2, code);
        Assert.StartsWith("glassml: error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(outp));
    }
}
