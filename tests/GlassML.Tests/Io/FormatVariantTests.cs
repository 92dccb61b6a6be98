using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>Less common but legal variants of the input formats, with hand-checkable answers.</summary>
public class FormatVariantTests
{
    [Fact]
    public void PlainXyz_WithoutLattice_IsNonPeriodicBoundingBox()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("mol.xyz", "3\nwater-ish cluster, made by hand\nCu 0 0 0\nZr 2 0 0\nCu 0 3 -1\n");
        var f = StructureReader.ReadFrame(path);
        Assert.Equal([false, false, false], f.Box.Periodic);
        Assert.Equal(new Vec3(-0.5, -0.5, -1.5), f.Box.Origin);
        Assert.Equal(3.0 * 4.0 * 2.0, f.Box.Volume, 1e-12);
        Assert.Equal([1L, 2, 3], f.Ids);
        Assert.Equal(["Cu", "Zr"], f.Species.All.Select(s => s.Name));
    }

    [Fact]
    public void ExtxyzComment_QuotesEscapesBracesFlagsAndOrigin()
    {
        using var tmp = new TempDir();
        string text = "2\n" +
                      "  flag Lattice = \"4 0 0 0 5 0 1 0 6\"  title=\"a \\\"quoted\\\" word\" Origin={1 2 3} pbc=\"T F T\" " +
                      "Properties=pos:R:3:Z:I:1:force:R:3:fixed:L:1:label:S:1 Timestep=77\n" +
                      "0 0 0 29 1 2 3 T a\n1 1 1 40 -1 -2 -3 F b\n";
        var f = StructureReader.ReadFrame(tmp.Write("c.extxyz", text));
        Assert.Equal(new Vec3(1, 0, 6), f.Box.C);
        Assert.Equal(new Vec3(1, 2, 3), f.Box.Origin);
        Assert.Equal([true, false, true], f.Box.Periodic);
        Assert.Equal(77, f.Timestep);
        Assert.Equal(["Cu", "Zr"], f.Species.All.Select(s => s.Name)); // from Z
        Assert.Equal(["force_0", "force_1", "force_2", "fixed"], f.Columns.Keys); // string property 'label' skipped
        Assert.Equal([3.0, -3.0], f.Columns["force_2"]);
        Assert.Equal([1.0, 0.0], f.Columns["fixed"]);
    }

    [Fact]
    public void ExtxyzIntegerSpecies_AreLammpsTypes()
    {
        using var tmp = new TempDir();
        string path = tmp.Write("t.xyz", "2\nLattice=\"5 0 0 0 5 0 0 0 5\"\n2 1 1 1\n1 2 2 2\n");
        var named = StructureReader.ReadFrame(path, 0, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        Assert.Equal(["Zr", "Cu"], named.SpeciesIndex.Select(i => named.Species[i].Name));
        var plain = StructureReader.ReadFrame(path);
        Assert.Equal(["2", "1"], plain.SpeciesIndex.Select(i => plain.Species[i].Name));
    }

    [Fact]
    public void DataFile_ChargeAndFullStyles_AndStyleFromFieldCount()
    {
        using var tmp = new TempDir();
        const string head = "made by hand\n2 atoms\n2 atom types\n0 4 xlo xhi\n0 5 ylo yhi\n0 6 zlo zhi\n1 0.5 -1 xy xz yz\n\n";
        var charge = StructureReader.ReadFrame(tmp.Write("c.data", head + "Atoms # charge\n\n1 2 -0.5 1 1 1\n2 1 0.5 2 2 2\n"));
        Assert.Equal([-0.5, 0.5], charge.Columns["q"]);
        Assert.Equal(new Vec3(1, 0.5, -1), charge.Box.Tilts);
        Assert.Equal([1, 0], charge.SpeciesIndex); // species index = type − 1
        Assert.Equal(2.0, charge.X[1]);

        var full = StructureReader.ReadFrame(tmp.Write("f.data", head + "Atoms\n\n1 7 2 -0.5 1 1 1 0 0 1\n2 7 1 0.5 2 2 2 0 -1 0\n"));
        Assert.Equal([7.0, 7.0], full.Columns["mol"]);
        Assert.Equal([-0.5, 0.5], full.Columns["q"]);
        Assert.Equal([1, 0], full.Images![2]);
        Assert.Equal([0, -1], full.Images[1]);

        var atomic = StructureReader.ReadFrame(tmp.Write("a.lmp", head + "Pair Coeffs # eam\n\n1 1.0\n2 2.0\n\nAtoms\n\n2 1 1 1 1\n1 2 2 2 2\n"));
        Assert.Equal([2L, 1], atomic.Ids);
        Assert.Null(atomic.Images);
        Assert.Empty(atomic.Columns);
        Assert.Equal(0.0, atomic.Species[0].Mass); // species "1": no Masses section, not an element
    }

    [Fact]
    public void DetectFormat_ByExtensionThenContent()
    {
        using var tmp = new TempDir();
        Assert.Equal(StructureReader.LammpsDump, StructureReader.DetectFormat(tmp.Write("noext", "ITEM: TIMESTEP\n0\n")));
        Assert.Equal(StructureReader.ExtendedXyz, StructureReader.DetectFormat(tmp.Write("conf.txt", "1\n\nCu 0 0 0\n")));
        Assert.Equal(StructureReader.LammpsData, StructureReader.DetectFormat(tmp.Write("conf", "LAMMPS data\n\n1 atoms\n")));
        Assert.Equal(StructureReader.LammpsData, StructureReader.DetectFormat(tmp.WriteGz("conf.gz", "LAMMPS data\n\n1 atoms\n")));
        Assert.Equal(StructureReader.LammpsDump, StructureReader.DetectFormat(tmp.WriteGz("traj.gz", "ITEM: TIMESTEP\n0\n")));
        Assert.Equal(StructureReader.ExtendedXyz, StructureReader.DetectFormat(tmp.WriteGz("a.xyz.gz", "junk")));
        Assert.Equal(StructureReader.LammpsDump, StructureReader.DetectFormat(tmp.Write("a.lammpstrj", "junk")));
    }
}
