using System.Globalization;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// Our readers against what ASE 3.22 reads from the same files (tools/make_io_fixtures.sh; files made by LAMMPS
/// 29 Sep 2021 from glass s1, and an extended XYZ written by ASE). Positions to 1e-9 Å, cells to 1e-10 Å.
/// </summary>
public class AseReferenceTests
{
    private static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    /// <summary>One frame of an *.ase-ref.txt.gz file.</summary>
    internal sealed class RefFrame
    {
        public Vec3[] Cell = new Vec3[3];
        public Vec3 Origin;
        public bool[] Pbc = new bool[3];
        public string[] Columns = [];
        public List<long> Ids = new();
        public List<double[]> Rows = new();
        public int Col(string name) => Array.IndexOf(Columns, name);
    }

    internal static List<RefFrame> LoadRef(string name)
    {
        var frames = new List<RefFrame>();
        RefFrame? cur = null;
        int cell = 0;
        double P(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        foreach (var line in Fixtures.Lines(Fixtures.Io(name)))
        {
            var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (w[0])
            {
                case "frame": cur = new RefFrame(); frames.Add(cur); cell = 0; break;
                case "cell": cur!.Cell[cell++] = new Vec3(P(w[1]), P(w[2]), P(w[3])); break;
                case "origin": cur!.Origin = new Vec3(P(w[1]), P(w[2]), P(w[3])); break;
                case "pbc": cur!.Pbc = [w[1] == "1", w[2] == "1", w[3] == "1"]; break;
                case "columns": cur!.Columns = w[1..]; break;
                default:
                    cur!.Ids.Add(long.Parse(w[0], CultureInfo.InvariantCulture));
                    cur.Rows.Add(w[1..].Select(P).ToArray());
                    break;
            }
        }
        return frames;
    }

    private static void AssertVec(Vec3 expected, Vec3 actual, double tol)
    {
        Assert.Equal(expected.X, actual.X, tol);
        Assert.Equal(expected.Y, actual.Y, tol);
        Assert.Equal(expected.Z, actual.Z, tol);
    }

    /// <summary>Compares a frame (sorted by id here) to a reference frame: cell, origin, pbc, ids, positions, extra columns.</summary>
    internal static void AssertMatches(RefFrame r, Frame f, double posTol = 1e-9, double colTol = 1e-9)
    {
        for (int k = 0; k < 3; k++) AssertVec(r.Cell[k], f.Box.Vector(k), 1e-10);
        AssertVec(r.Origin, f.Box.Origin, 1e-10);
        Assert.Equal(r.Pbc, f.Box.Periodic);
        f.SortById();
        Assert.Equal(r.Ids, f.Ids);
        int ix = r.Col("x") - 1; // Rows exclude the id column
        for (int i = 0; i < f.Count; i++)
        {
            var row = r.Rows[i];
            Assert.Equal(row[ix], f.X[i], posTol);
            Assert.Equal(row[ix + 1], f.Y[i], posTol);
            Assert.Equal(row[ix + 2], f.Z[i], posTol);
        }
        foreach (var name in r.Columns.Skip(4))
        {
            Assert.True(f.Columns.ContainsKey(name), $"column {name} missing");
            var c = f.Columns[name];
            int j = r.Col(name) - 1;
            for (int i = 0; i < f.Count; i++) Assert.Equal(r.Rows[i][j], c[i], colTol * Math.Max(1, Math.Abs(c[i])));
        }
    }

    [Fact]
    public void TriclinicDump_MatchesAse()
    {
        var r = LoadRef("tri.dump.ase-ref.txt.gz");
        var frames = StructureReader.ReadFrames(Fixtures.Io("tri.dump.gz"), CuZr).ToList();
        Assert.Single(frames);
        Assert.Equal(new Vec3(3, -2, 1.5), frames[0].Box.Tilts);
        AssertMatches(r[0], frames[0]);
        Assert.Equal(150, frames[0].Timestep);
    }

    [Fact]
    public void ScaledUnwrappedDump_MatchesAse_AndImagesReproduceXu()
    {
        var r = LoadRef("scaled.dump.ase-ref.txt.gz");
        var f = StructureReader.ReadFrame(Fixtures.Io("scaled.dump.gz"), 0, CuZr);
        Assert.False(f.PositionsUnwrapped);      // xs wins over xu
        Assert.NotNull(f.Images);
        Assert.Contains(f.Images![0], v => v != 0);
        AssertMatches(r[0], f);
        // wrapped (from xs) + H·image equals LAMMPS' own xu column
        var (ux, uy, uz) = f.UnwrappedPositions();
        for (int i = 0; i < f.Count; i++)
        {
            Assert.Equal(f.Columns["xu"][i], ux[i], 1e-9);
            Assert.Equal(f.Columns["yu"][i], uy[i], 1e-9);
            Assert.Equal(f.Columns["zu"][i], uz[i], 1e-9);
        }
    }

    [Fact]
    public void MultiFrameGzipDump_MatchesAseFrameByFrame()
    {
        var r = LoadRef("nvt.dump.ase-ref.txt.gz");
        using var reader = new LammpsDumpReader(Fixtures.Io("nvt.dump.gz"), CuZr);
        int k = 0;
        foreach (var f in reader.Frames())
        {
            Assert.Equal(50L * k, f.Timestep);
            Assert.NotNull(f.Images);
            AssertMatches(r[k], f);
            k++;
        }
        Assert.Equal(r.Count, k);
        Assert.Equal(4, k);
    }

    [Theory]
    [InlineData("s1_cu50zr50_500.data.gz", "s1_cu50zr50_500.data.ase-ref.txt.gz", false)]
    [InlineData("tri.data.gz", "tri.data.ase-ref.txt.gz", true)]
    public void DataFile_MatchesAse(string file, string reference, bool triclinic)
    {
        var r = LoadRef(reference);
        Assert.Equal(StructureReader.LammpsData, StructureReader.DetectFormat(Fixtures.Io(file)));
        var f = StructureReader.ReadFrame(Fixtures.Io(file), 0, CuZr);
        Assert.Equal(triclinic, !f.Box.IsOrthogonal);
        Assert.Equal(["Cu", "Zr"], f.Species.All.Select(s => s.Name));
        Assert.Equal(63.546, f.Species[0].Mass);
        Assert.Equal(91.224, f.Species[1].Mass);
        Assert.NotNull(f.Images);
        Assert.Equal(triclinic ? 150 : 0, f.Timestep); // write_data title "..., timestep = 150"
        AssertMatches(r[0], f);
    }

    [Fact]
    public void AseExtendedXyz_MatchesAse()
    {
        var r = LoadRef("ase.extxyz.ase-ref.txt.gz");
        string path = Fixtures.Io("ase.extxyz.gz");
        Assert.Equal(StructureReader.ExtendedXyz, StructureReader.DetectFormat(path));
        var frames = StructureReader.ReadFrames(path).ToList();
        Assert.Equal(2, frames.Count);
        Assert.Same(frames[0].Species, frames[1].Species);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(100L * k, frames[k].Timestep);
            Assert.Equal(["energy_atom", "dipole_0", "dipole_1", "dipole_2", "tag_int", "flagged"], frames[k].Columns.Keys);
            AssertMatches(r[k], frames[k]);
        }
        // species from symbols; the data file's type 1 = Cu, 2 = Zr
        var data = StructureReader.ReadFrame(Fixtures.Io("tri.data.gz"), 0, CuZr);
        data.SortById();
        var f0 = frames[0];
        for (int i = 0; i < f0.Count; i++)
            Assert.Equal(data.Species[data.SpeciesIndex[i]].Name, f0.Species[f0.SpeciesIndex[i]].Name);
        Assert.Equal(1, StructureReader.ReadFrame(path, -1).Ids[0]);
    }
}
