using System.Globalization;
using GlassML.Cli;
using GlassML.Workflows.MachineLearnedTemperature;

namespace GlassML.Tests.Workflows.MachineLearnedTemperature;

/// <summary><c>glassml tml train|apply|analyze|report</c> end to end on the committed fixtures, thread independence and user errors.</summary>
[Collection("Console")]
public class TmlCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(["tml", .. args]);

    private static string Fx(string name) => Fixtures.Path("tml", name);

    private static string[] TrainArgs(string outDir, int threads) =>
    [
        "train", Fx("isothermal_300K.dump.gz") + "@300", Fx("isothermal_700K.dump.gz") + "@700", Fx("isothermal_1000K.dump.gz") + "@1000",
        Fx("isothermal_1500K.dump.gz") + "@1500", "--lags", "0.01,0.02,0.05,0.1,0.2,0.5,1,2,5,10,20", "--dt", "0.001", "--tg", "700",
        "--types", "1:Cu,2:Zr", "--relieff-samples", "500", "--out", outDir, "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    [Fact]
    public void TrainApplyAnalyzeReportEndToEndAndThreadIndependent()
    {
        string dir = TmlSyntheticTests.TempDir();
        try
        {
            string r1 = Path.Combine(dir, "r1"), r2 = Path.Combine(dir, "r2");
            var a = Run(TrainArgs(r1, 1));
            Assert.True(a.Code == 0, a.Err);
            var b = Run(TrainArgs(r2, 2));
            Assert.True(b.Code == 0, b.Err);
            foreach (var f in Directory.GetFiles(r1, "*", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(r1, f);
                if (rel is "run.json" or "report.html" or "report.json") continue;
                Assert.True(File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(r2, rel))), $"{rel} differs between 1 and 2 threads");
            }
            foreach (var f in new[] { "model.json", "classes.csv", "lags.csv", "dendrogram.csv", "confusion.csv", "report.html", "plots/tml_parity.svg", "plots/relieff_weights.svg", "plots/class_dendrogram.svg" })
                Assert.True(File.Exists(Path.Combine(r1, f)), f);

            string app = Path.Combine(dir, "app");
            var c = Run("apply", Fx("creep_300K_2GPa.dump.gz"), "--model", Path.Combine(r1, "model.json"), "--temperature", "300", "--dt", "0.002",
                "--starts", "0,10", "--every", "20", "--types", "1:Cu,2:Zr", "--out", app);
            Assert.True(c.Code == 0, c.Err);
            Assert.Contains("past the end", c.Out);   // the grid start at 60 ps runs past the 60 ps trajectory
            var header = File.ReadLines(Path.Combine(app, "tml.csv")).First();
            Assert.Equal("id,type,species,tml_0,liquid_like_0,tml_10,liquid_like_10,tml_20,liquid_like_20,tml_40,liquid_like_40", header);
            foreach (var f in new[] { "starts.csv", "tml.xyz", "report.html", "plots/tml_histograms.svg", "plots/liquid_like_fraction.svg", "plots/strain.svg", "plots/tml_slab_0.svg" })
                Assert.True(File.Exists(Path.Combine(app, f)), f);
            string single = Path.Combine(dir, "single.csv");
            var s = Run("apply", Fx("creep_300K_2GPa.dump.gz"), "--model", Path.Combine(r1, "model.json"), "--temperature", "300", "--dt", "0.002",
                "--starts", "10", "--types", "1:Cu,2:Zr", "--out", single);
            Assert.True(s.Code == 0, s.Err);
            Assert.Equal("id,type,species,tml,liquid_like", File.ReadLines(single).First());
            // the single-start column equals the multi-start run's tml_10
            var multi = File.ReadLines(Path.Combine(app, "tml.csv")).Skip(1).Select(l => l.Split(',')[5]).ToArray();
            Assert.Equal(multi, File.ReadLines(single).Skip(1).Select(l => l.Split(',')[3]).ToArray());

            string an = Path.Combine(dir, "an");
            var d = Run("analyze", Fx("creep_300K_2GPa.dump.gz"), "--frame", "0", "--tml", Path.Combine(app, "tml.csv"), "--start", "0", "--tg", "700",
                "--types", "1:Cu,2:Zr", "--out", an);
            Assert.True(d.Code == 0, d.Err);
            foreach (var f in new[] { "composition.csv", "polyhedra.csv", "d5.csv", "bonds.csv", "chemical_order.csv", "plots/propensity.svg", "plots/q6w6_most_LA.svg", "plots/bond_s.svg", "plots/warren_cowley.svg", "plots/eta.svg" })
                Assert.True(File.Exists(Path.Combine(an, f)), f);

            File.Delete(Path.Combine(app, "report.html"));
            var rep = Run("report", app);
            Assert.True(rep.Code == 0, rep.Err);
            Assert.True(File.Exists(Path.Combine(app, "report.html")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ApplyOnCyclicLoadEqualsScikitLearnWritesLiquidLikeFractionPerStartAndReportsPastTheEnd()
    {
        // the model of tools/tml_reference.py's cyclic reference: every class and instance, the 9 lags 0.01..5 ps
        var lags = TmlFixtureTests.Lags[..9];
        var model = TmlTraining.Train(TmlFixtureTests.Runs(), new TmlTrainOptions
        {
            Lags = lags, Dt = 0.001, K = 50, Folds = 2, Classes = TmlFixtureTests.Temps.Select(t => (IReadOnlyList<double>)[t]).ToArray(),
            DropLags = TmlDropLags.None, Tg = 700, ReliefSamples = 100, ReadOptions = TmlFixtureTests.Types,
        }, []).Model;
        string dir = TmlSyntheticTests.TempDir();
        try
        {
            string m = Path.Combine(dir, "model.json"), app = Path.Combine(dir, "app");
            model.Save(m);
            // zero-mean sinusoidal stress (1 GPa, period 20 ps) for 15 ps: the window at 20 ps starts past the end
            var c = Run("apply", Fx("cyclic_300K_1GPa.dump.gz"), "--model", m, "--temperature", "300", "--dt", "0.002",
                "--starts", "0,10,20", "--types", "1:Cu,2:Zr", "--out", app);
            Assert.True(c.Code == 0, c.Err);
            Assert.Contains("past the end", c.Out);
            var reference = Fixtures.ReadLines("tml", "reference", "knn_cyclic.csv.gz").Skip(1).Select(l => l.Split(','))
                .GroupBy(t => t[0]).ToDictionary(g => g.Key, g => g.ToDictionary(t => t[1], t => double.Parse(t[2], CultureInfo.InvariantCulture)));
            var lines = File.ReadAllLines(Path.Combine(app, "tml.csv"));
            var header = lines[0].Split(',');
            Assert.Equal("id,type,species,tml_0,liquid_like_0,tml_10,liquid_like_10", lines[0]);
            var starts = File.ReadAllLines(Path.Combine(app, "starts.csv"));
            var sh = starts[0].Split(',');
            int fracCol = Array.IndexOf(sh, "liquid_like_fraction"), statusCol = Array.IndexOf(sh, "status");
            Assert.True(fracCol > 0 && statusCol > 0, starts[0]);
            Assert.Equal(4, starts.Length);
            Assert.StartsWith("20,", starts[3]);
            Assert.Contains("past the end", starts[3]);
            foreach (var (start, row) in new[] { ("0", 1), ("10", 2) })
            {
                var refT = reference[start];
                int col = Array.IndexOf(header, "tml_" + start);
                int la = 0;
                foreach (var l in lines.Skip(1))
                {
                    var t = l.Split(',');
                    double tml = double.Parse(t[col], CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(tml - refT[t[0]]) < 1e-9, $"t0 {start} id {t[0]}: {tml} vs sklearn {refT[t[0]]}");
                    Assert.Equal(tml > 700 ? "1" : "0", t[col + 1]);
                    if (refT[t[0]] > 700) la++;
                }
                Assert.Equal(refT.Count, lines.Length - 1);
                var st = starts[row].Split(',');
                Assert.Equal(start, st[0]);
                Assert.Equal("complete", st[statusCol]);
                Assert.Equal(la / (double)refT.Count, double.Parse(st[fracCol], CultureInfo.InvariantCulture), 12);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BadInputGetsOneLineAndExitCode2()
    {
        string dir = TmlSyntheticTests.TempDir();
        try
        {
            var cases = new[]
            {
                (new[] { "train", Fx("isothermal_300K.dump.gz"), "--lags", "1", "--dt", "0.001", "--tg", "700", "--out", Path.Combine(dir, "x") }, "FILE@T"),
                (new[] { "train", Fx("isothermal_300K.dump.gz") + "@300", Fx("isothermal_700K.dump.gz") + "@700", "--lags", "0.0015", "--dt", "0.001", "--tg", "700", "--out", Path.Combine(dir, "x") }, "whole number of timesteps"),
                (new[] { "train", Fx("isothermal_300K.dump.gz") + "@300", "--lags", "1", "--dt", "0.001", "--tg", "700", "--out", Path.Combine(dir, "x") }, "two or more temperatures"),
                (new[] { "train", Fx("isothermal_300K.dump.gz") + "@300", Fx("isothermal_700K.dump.gz") + "@700", "--lags", "1", "--dt", "0.001", "--tg", "700", "--classes", "300,800", "--out", Path.Combine(dir, "x") }, "no run at 800 K"),
                (new[] { "train", Fx("isothermal_300K.dump.gz") + "@300", Fx("isothermal_700K.dump.gz") + "@700", "--lags", "1", "--dt", "0.001", "--tg", "700", "--model", Fx("isothermal_700K.dump.gz"), "--out", Path.Combine(dir, "x") }, "one of the command's inputs"),
                (new[] { "apply", Fx("creep_300K_2GPa.dump.gz"), "--model", Fx("isothermal_300K.dump.gz"), "--temperature", "300", "--dt", "0.002", "--starts", "0", "--out", Path.Combine(dir, "y.csv") }, "not a GlassML model"),
                (new[] { "analyze", Fx("creep_300K_2GPa.dump.gz"), "--tml", Fx("isothermal_300K.dump.gz"), "--tg", "700", "--out", Path.Combine(dir, "z") }, "no 'id' column"),
            };
            foreach (var (args, expect) in cases)
            {
                var r = Run(args);
                Assert.True(r.Code == 2, $"{string.Join(' ', args)} → {r.Code}: {r.Err}");
                // Plain progress lines ("glassml: tml: STAGE …, T s" every 10 s) may precede the error on a loaded machine;
                // what must hold is one error line, last, and nothing else (no stack trace).
                var lines = r.Err.TrimEnd().Split('\n')
                    .Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l, @"^glassml: tml[a-z ]*: .*, [0-9]+ s$|^glassml: tml[a-z ]*: done in [0-9]+ s$"))
                    .ToArray();
                Assert.Single(lines);
                Assert.StartsWith("glassml: error:", lines[0]);
                Assert.EndsWith(lines[0], r.Err.TrimEnd());
                Assert.Contains(expect, lines[0]);
            }
            Assert.False(Directory.Exists(Path.Combine(dir, "x")));
            Assert.False(File.Exists(Path.Combine(dir, "y.csv")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
