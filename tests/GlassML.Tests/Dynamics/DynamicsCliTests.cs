using GlassML.Cli;
using static GlassML.Tests.Dynamics.DynamicsFixtures;

namespace GlassML.Tests.Dynamics;

[Collection("Console")]
public class DynamicsCliTests
{
    [Fact]
    public void StrainVerbWritesNumpyReferenceValues()
    {
        string outPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"glassml-strain-{Guid.NewGuid():N}.csv");
        try
        {
            string dump = Path("compression_tri.dump.gz");
            int rc = Program.Main(["strain", dump, dump, "--frame", "2", "--cutoff", "4.5", "--types", "1:Cu,2:Zr", "--out", outPath, "--threads", "1", "--keep", "none"]);
            Assert.Equal(0, rc);
            var lines = File.ReadAllLines(outPath);
            Assert.Equal("id,type,species,d2min,d2min_mean,shear_strain,volumetric_strain,rotation_angle", lines[0]);
            var reference = ReadCsv("strain_ref_tri.csv.gz").Where(r => r["ref_frame"] == 0 && r["cur_frame"] == 2).ToDictionary(r => (long)r["id"]);
            Assert.Equal(501, lines.Length);
            foreach (var line in lines.Skip(1))
            {
                var p = line.Split(',');
                var row = reference[long.Parse(p[0])];
                Assert.Contains(p[2], new[] { "Cu", "Zr" });
                Close(row["d2min"], double.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture), 1e-10, 1e-8, "d2min");
                Close(row["rotation_angle"], double.Parse(p[7], System.Globalization.CultureInfo.InvariantCulture), 1e-10, 1e-8, "rotation");
            }
        }
        finally { File.Delete(outPath); }
    }

    [Fact]
    public void StrainVerbPreviousFrameModeWritesOneColumnSetPerFrame()
    {
        string outPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"glassml-strain-{Guid.NewGuid():N}.csv");
        try
        {
            string dump = Path("compression_ortho.dump.gz");
            Assert.Equal(0, Program.Main(["strain", dump, dump, "--frame", "all", "--previous", "--keep", "none", "--out", outPath]));
            var lines = File.ReadAllLines(outPath);
            var head = lines[0].Split(',');
            Assert.Equal(3 + 4 * 5, head.Length); // frames 250, 500, 750, 1000 relative to their predecessors
            int col = Array.IndexOf(head, "d2min_t1000");
            var reference = ReadCsv("strain_ref_ortho.csv.gz").Where(r => r["ref_frame"] == 3 && r["cur_frame"] == 4).ToDictionary(r => (long)r["id"]);
            foreach (var line in lines.Skip(1))
            {
                var p = line.Split(',');
                Close(reference[long.Parse(p[0])]["d2min"], double.Parse(p[col], System.Globalization.CultureInfo.InvariantCulture), 1e-10, 1e-8, "d2min 3→4");
            }
        }
        finally { File.Delete(outPath); }
    }

    [Fact]
    public void DisplacementsVerbWritesLammpsMsdAndNumpyDr2()
    {
        string dir = Directory.CreateTempSubdirectory("glassml-disp").FullName;
        try
        {
            string outPath = System.IO.Path.Combine(dir, "d.csv"), msdPath = System.IO.Path.Combine(dir, "msd.csv");
            int rc = Program.Main(["displacements", Path("isothermal_1500K.dump.gz"), "--lags", "0.01,0.5,2", "--temperature", "1500",
                "--dt", "0.001", "--types", "1:Cu,2:Zr", "--out", outPath, "--msd", msdPath]);
            Assert.Equal(0, rc);
            var lines = File.ReadAllLines(outPath);
            Assert.Equal("id,type,species,dr2_0.01,dr2_0.5,dr2_2,lg_dr2_over_T_0.01,lg_dr2_over_T_0.5,lg_dr2_over_T_2", lines[0]);
            var reference = ReadCsv("dr2_ref.csv.gz").ToDictionary(r => (long)r["id"]);
            foreach (var line in lines.Skip(1))
            {
                var p = line.Split(',').Select(s => s).ToArray();
                var row = reference[long.Parse(p[0])];
                Close(row["dr2_0.5"], double.Parse(p[4], System.Globalization.CultureInfo.InvariantCulture), 1e-12, 1e-10, "dr2_0.5");
                Close(Math.Log10(row["dr2_2"] / 1500), double.Parse(p[8], System.Globalization.CultureInfo.InvariantCulture), 1e-10, 0, "lg");
            }
            // MSD curves: Cu at lag 0.01 ps = mean over both origins of LAMMPS compute msd
            var msd = File.ReadAllLines(msdPath);
            var head = msd[0].Split(',');
            var first = msd[1].Split(',');
            double cu = double.Parse(first[Array.IndexOf(head, "msd_Cu")], System.Globalization.CultureInfo.InvariantCulture);
            var lmp = File.ReadLines(Path("isothermal_1500K.msd.txt")).Where(l => !l.StartsWith('#') && l.Length > 0)
                .Select(l => l.Split(' ')).Where(p => long.Parse(p[2]) - long.Parse(p[1]) == 10).Select(p => double.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, lmp.Length);
            Close(lmp.Average(), cu, 1e-12, 1e-8, "msd_Cu");

            Assert.Equal(CliExit.BadInput, Program.Main(["displacements", Path("isothermal_1500K.dump.gz"), "--lags", "0.0105", "--temperature", "1500", "--out", outPath]));
            Assert.Equal(CliExit.BadInput, Program.Main(["strain", System.IO.Path.Combine(dir, "missing.dump"), Path("compression_tri.dump.gz"), "--out", outPath]));
        }
        finally { Directory.Delete(dir, true); }
    }

    private static class CliExit { public const int BadInput = 2; }
}
