using System.Text.RegularExpressions;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// The data-file title's <c>timestep = N</c> is found without the regex engine (start-up cost, issue 20); the reference is the
/// regular expression the reader used before, <c>timestep\s*=\s*(\d+)</c>, on titles that exercise every branch.
/// </summary>
public class DataTitleTimestepTests
{
    [Theory]
    [InlineData("LAMMPS data file via write_data, version 29 Aug 2024, timestep = 150, units = metal")]
    [InlineData("LAMMPS data file via write_data, version 2Aug2023, timestep = 0, units = metal")]
    [InlineData("timestep=42")]
    [InlineData("timestep\t =\u00a0 7 more")]
    [InlineData("timestep = x, timestep = 9")]
    [InlineData("timestep timestep = 12")]
    [InlineData("timestep = , then timestep=3")]
    [InlineData("timesteps = 5")]
    [InlineData("Timestep = 5")]
    [InlineData("timestep = ")]
    [InlineData("timestep")]
    [InlineData("")]
    [InlineData("no step here")]
    [InlineData("timestep = \u0663\u0664")]
    [InlineData("timestep = 99999999999999999999999")]
    [InlineData("xtimestep = 8y")]
    public void TitleTimestep_matches_the_regular_expression(string title)
    {
        var m = Regex.Match(title, @"timestep\s*=\s*(\d+)");
        Assert.Equal(m.Success ? m.Groups[1].Value : null, LammpsDataReader.TitleTimestep(title));
    }

    [Fact]
    public void Read_takes_the_timestep_from_the_title()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("t.data", "LAMMPS data file via write_data, version 29 Aug 2024, timestep = 1234, units = metal\n\n1 atoms\n1 atom types\n\n"
            + "0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 1.0 2.0 3.0\n");
        Assert.Equal(1234, LammpsDataReader.Read(path).Timestep);
    }
}
