using GlassML.Io;
using GlassML.Structure;
using GlassML.Tests.Cli;

namespace GlassML.Tests.Io;

/// <summary>
/// Species without ceremony: LAMMPS types named by the standard atomic weights of their masses (data file Masses, dump
/// mass column), by Masses comments, by a header comment or pair_coeff list; --types wins; the inference is printed once.
/// Reference masses: IUPAC standard atomic weights (conventional values).
/// </summary>
[Collection("Console")]
public class SpeciesInferenceTests
{
    private static string DemoData => Path.Combine(ToolPackageTests.RepoRoot(), "src", "GlassML", "Resources", "demo_cu64zr36.data.gz");

    [Theory]
    [InlineData(63.546, "Cu")]
    [InlineData(63.55, "Cu")]
    [InlineData(91.224, "Zr")]
    [InlineData(91.22, "Zr")]
    [InlineData(26.9815385, "Al")]
    [InlineData(58.9, "Co")]     // Co 58.933, Ni 58.693
    [InlineData(58.69, "Ni")]
    [InlineData(106.4, "Pd")]
    [InlineData(39.95, "Ar")]    // K 39.098, Ca 40.078
    [InlineData(1.008, "H")]
    [InlineData(1.0, null)]      // reduced (lj) units: no hydrogen
    [InlineData(2.0, null)]
    [InlineData(58.8, null)]     // between Ni and Co
    [InlineData(209.0, null)]    // Bi 208.98 and Po 209: ambiguous
    [InlineData(63.0, null)]
    public void Mass_names_an_element_only_when_unambiguous(double mass, string? element) =>
        Assert.Equal(element, Elements.FromMass(mass));

    [Fact]
    public void Demo_glass_data_file_without_types_gives_Cu_and_Zr_as_with_types()
    {
        var notes = new List<string>();
        var inferred = LammpsDataReader.Read(DemoData, new ReadOptions { Note = notes.Add });
        var given = LammpsDataReader.Read(DemoData, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        Assert.Equal(["Cu", "Zr"], inferred.Species.All.Select(s => s.Name));
        Assert.Equal(given.SpeciesIndex, inferred.SpeciesIndex);
        Assert.Equal(given.Species.All.Select(s => s.Mass), inferred.Species.All.Select(s => s.Mass));
        Assert.Equal(29, inferred.Species[0].AtomicNumber);
        var note = Assert.Single(notes);
        Assert.Contains("1 → Cu", note, StringComparison.Ordinal);
        Assert.Contains("2 → Zr", note, StringComparison.Ordinal);
        Assert.Contains("Masses", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_prints_the_inference_once_on_stderr_and_types_override()
    {
        var (code, o, e) = PerAtomColumnsTests.Run("info", DemoData);
        Assert.Equal(0, code);
        Assert.Single(e.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("glassml: note: ", StringComparison.Ordinal) && l.Contains("1 → Cu", StringComparison.Ordinal));
        Assert.Contains("Cu", o, StringComparison.Ordinal);
        Assert.DoesNotContain("note", o, StringComparison.Ordinal);
        (code, o, e) = PerAtomColumnsTests.Run("info", DemoData, "--types", "1:A,2:B");
        Assert.Equal(0, code);
        Assert.Equal("", e);
        Assert.Contains("│ A ", o, StringComparison.Ordinal);
        Assert.DoesNotContain("│ Cu ", o, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_mass_column_names_the_elements_of_every_frame_noted_once()
    {
        var notes = new List<string>();
        var frames = StructureReader.ReadFrames(PerAtomColumnsTests.Dump, new ReadOptions { Note = notes.Add }).ToList();
        Assert.Equal(2, frames.Count);
        foreach (var f in frames)
        {
            Assert.Equal(["Cu", "Zr"], f.Species.All.Select(s => s.Name));
            for (int i = 0; i < f.Count; i++) Assert.Equal(f.Columns["mass"][i] < 80 ? "Cu" : "Zr", f.Species[f.SpeciesIndex[i]].Name);
        }
        Assert.Single(notes);
        string outp = PerAtomColumnsTests.Temp("m.csv");
        var (code, _, err) = PerAtomColumnsTests.Run("featurize", PerAtomColumnsTests.Dump, "--features", "distance", "--neighbors", "cutoff", "--frame", "all", "--keep", "none", "--out", outp);
        Assert.True(code == 0, err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("mass column", StringComparison.Ordinal));
        Assert.Contains(",Zr,", File.ReadAllText(outp), StringComparison.Ordinal);
        File.Delete(outp);
    }

    [Fact]
    public void Reduced_units_masses_stay_type_numbers()
    {
        var notes = new List<string>();
        var f = LammpsDataReader.Read(GlassML.Tests.Fixtures.Path("species", "ka500.data.gz"), new ReadOptions { Note = notes.Add });
        Assert.Equal(["1", "2"], f.Species.All.Select(s => s.Name));
        Assert.Empty(notes);
    }

    private static string DataFile(string title, string headerExtra, string masses)
    {
        string p = PerAtomColumnsTests.Temp("x.data");
        File.WriteAllText(p, $"{title}\n\n3 atoms\n2 atom types{headerExtra}\n\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n{masses}\n\nAtoms # atomic\n\n1 1 1 1 1\n2 2 5 5 5\n3 1 2 8 3\n");
        return p;
    }

    [Theory]
    [InlineData("t", "", "1 1.0 # Ni\n2 1.0 # P", "Ni,P", "Masses comments")]
    [InlineData("t", "", "1 1.0 # A\n2 1.0 # B", "A,B", "Masses comments")]
    [InlineData("# Cu Zr", "", "1 1.0\n2 1.0", "Cu,Zr", "header comment")]
    [InlineData("glass", "\n# pair_coeff * * CuZr_mm.eam.fs Cu Zr", "1 1.0\n2 1.0", "Cu,Zr", "header comment")]
    [InlineData("glass", " # Pd Si", "1 1.0\n2 1.0", "Pd,Si", "header comment")]
    [InlineData("Cu Zr glass", "", "1 1.0\n2 1.0", "1,2", null)]
    [InlineData("# Cu Zr Al", "", "1 1.0\n2 1.0", "1,2", null)]
    [InlineData("t", "", "1 1.0 # Cu\n2 1.0", "1,2", null)]
    [InlineData("t", "", "1 63.546\n2 63.546", "1,2", null)]    // two types, one element: no guess
    [InlineData("t", "", "1 63.546\n2 1.0", "1,2", null)]       // all or nothing
    [InlineData("# Al Ni", "", "1 63.546 # Cu\n2 91.224 # Zr", "Cu,Zr", "Masses comments")] // comments before header before masses
    public void Comments_and_masses_name_types_all_or_nothing(string title, string header, string masses, string expected, string? source)
    {
        string p = DataFile(title, header, masses);
        var notes = new List<string>();
        var f = LammpsDataReader.Read(p, new ReadOptions { Note = notes.Add });
        Assert.Equal(expected.Split(','), f.Species.All.Select(s => s.Name));
        Assert.Equal(["1", "2", "1"], f.SpeciesIndex.Select(i => f.Species[i].Name == expected.Split(',')[0] ? "1" : "2"));
        if (source is null) Assert.Empty(notes);
        else Assert.Contains(source, Assert.Single(notes), StringComparison.Ordinal);
        var typed = LammpsDataReader.Read(p, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "X", [2] = "Y" }, Note = notes.Add });
        Assert.Equal(["X", "Y"], typed.Species.All.Select(s => s.Name));
        File.Delete(p);
    }
}
