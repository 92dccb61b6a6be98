using System.Globalization;
using GlassML.Cli;

namespace GlassML.Tests.Workflows.BondStrength;

/// <summary>glassml bonds label → train → apply → report → msd on committed fixtures, and one-line errors.</summary>
[Collection("Console")]
public class BondsCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(args);

    [Fact]
    public void LabelTrainApplyReportAndMsdRunEndToEnd()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-bonds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string s1 = Path.Combine(dir, "s1.data.gz");
            File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), s1);
            var r = Run("bonds", "label", s1, "--types", "1:Cu,2:Zr", "--source", "eam", "--potential", Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"),
                "--bond-cutoffs", "Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9", "--out", Path.Combine(dir, "s1_labels.csv"));
            Assert.True(r.Code == 0, r.Err);
            var header = File.ReadLines(Path.Combine(dir, "s1_labels.csv")).First();
            Assert.StartsWith("frame,id_i,id_j,species_i,species_j,distance,value", header);
            File.WriteAllText(Path.Combine(dir, "samples.csv"), "file,labels\ns1.data.gz,s1_labels.csv\n");
            string run = Path.Combine(dir, "run");
            r = Run("bonds", "train", "--samples", Path.Combine(dir, "samples.csv"), "--types", "1:Cu,2:Zr", "--per-type", "60", "--soap", "nmax=3,lmax=2",
                "--learning-curve", "20,40", "--repeats", "2", "--bond-cutoffs", "Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9", "--out", run, "--threads", "2");
            Assert.True(r.Code == 0, r.Err);
            foreach (var f in new[] { "model.json", "run.json", "report.html", "metrics.csv", "learning_curve.csv", "bonds_test.csv", "plots/learning_curve.svg", "plots/parity_Cu_Zr.svg", "plots/labels_by_type.svg" })
                Assert.True(File.Exists(Path.Combine(run, f)), f);
            // apply to the demo glass's data file with a per-species threshold
            string atoms = Path.Combine(dir, "atoms.csv"), bonds = Path.Combine(dir, "bonds.csv"), rep = Path.Combine(dir, "apply");
            r = Run("bonds", "apply", "--model", Path.Combine(run, "model.json"), s1, "--types", "1:Cu,2:Zr", "--threshold", "Cu:0.2,Zr:0.3",
                "--out-bonds", bonds, "--out", atoms, "--keep", "none", "--report", rep);
            Assert.True(r.Code == 0, r.Err);
            var rows = File.ReadAllLines(atoms);
            Assert.Equal("id,type,species,bond_strength_mean,bond_strength_min,bond_strength_max,bond_count,bond_class", rows[0]);
            Assert.Equal(501, rows.Length);
            foreach (var f in new[] { "plots/strength_by_type.svg", "plots/mean_strength_slab.svg", "plots/wb_sb_counts.svg", "plots/threshold_sweep.svg", "threshold_sweep.csv", "report.html" })
                Assert.True(File.Exists(Path.Combine(rep, f)), f);
            // the bonds written by apply are those of the model's cutoffs, each once
            Assert.Equal(File.ReadLines(Path.Combine(dir, "s1_labels.csv")).Count(), File.ReadLines(bonds).Count());
            // report rebuilds
            r = Run("bonds", "report", run);
            Assert.True(r.Code == 0, r.Err);
            // msd with the apply groups on the compression trajectory (the same glass)
            string msd = Path.Combine(dir, "msd");
            r = Run("bonds", "msd", Fixtures.Path("dynamics", "compression_ortho.dump.gz"), "--types", "1:Cu,2:Zr", "--groups", atoms, "--axis", "z", "--min-group", "5", "--out", msd);
            Assert.True(r.Code == 0, r.Err);
            var m = File.ReadAllLines(Path.Combine(msd, "msd.csv"));
            Assert.Equal("group,atoms,step,time,strain,msd_perp,msd_total", m[0]);
            Assert.True(File.Exists(Path.Combine(msd, "plots", "msd_perp_strain.svg")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BadInputExitsTwoWithOneLineNamingFileAndLine()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"glassml-bonds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // an ICOHPLIST entry whose distance is 0.01 Å off
            var lines = File.ReadAllLines(Fixtures.Path("bonds", "icohplist_v5.lobster"));
            var t = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            lines[1] = lines[1].Replace(t[3], (double.Parse(t[3], CultureInfo.InvariantCulture) + 0.01).ToString("F5", CultureInfo.InvariantCulture));
            string bad = Path.Combine(dir, "ICOHPLIST.lobster");
            File.WriteAllLines(bad, lines);
            string outp = Path.Combine(dir, "labels.csv");
            var r = Run("bonds", "label", Fixtures.Path("bonds", "lobster_cell.data"), "--types", "1:Cu,2:Zr", "--source", "lobster", "--icohp", bad, "--out", outp);
            Assert.Equal(2, r.Code);
            Assert.Contains("ICOHPLIST.lobster:2:", r.Err);
            Assert.Single(r.Err.Trim().Split('\n'));
            Assert.False(File.Exists(outp));
            // the good file labels
            r = Run("bonds", "label", Fixtures.Path("bonds", "lobster_cell.data"), "--types", "1:Cu,2:Zr", "--source", "lobster", "--icohp", Fixtures.Path("bonds", "icohplist_v5.lobster"), "--out", outp);
            Assert.True(r.Code == 0, r.Err);
            Assert.Equal(15, File.ReadLines(outp).Count());
            // a manifest without a labels column, a model of the wrong kind
            File.WriteAllText(Path.Combine(dir, "samples.csv"), "file\nlabels.csv\n");
            r = Run("bonds", "train", "--samples", Path.Combine(dir, "samples.csv"), "--out", Path.Combine(dir, "run"));
            Assert.Equal(2, r.Code);
            Assert.Contains("samples.csv:1:", r.Err);
            r = Run("bonds", "apply", "--model", outp, Fixtures.Path("bonds", "lobster_cell.data"), "--out", Path.Combine(dir, "a.csv"));
            Assert.Equal(2, r.Code);
            Assert.False(Directory.Exists(Path.Combine(dir, "run")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
