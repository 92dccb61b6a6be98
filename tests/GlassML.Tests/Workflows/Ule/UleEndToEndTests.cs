using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GlassML.Cli;
using Xunit.Abstractions;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>
/// <c>glassml ule build → encode → train → apply → compare → report</c> on the committed IS fixture
/// (tests/fixtures/ule, made by tools/make_ule_fixture.sh): every output and plot, apply reproducing train, identical
/// bytes for 1 and 2 threads, the pooled CV metric printed, and the one-line error of a sample without energy.
/// Runs alone (no other test in parallel: it redirects the console, and its time limit counts the process's CPU).
/// </summary>
[Collection("Alone")]
public class UleEndToEndTests(ITestOutputHelper output)
{
    /// <summary>SOAP of the end-to-end run and the shipped demo model (small, so the run stays well under a minute).</summary>
    internal const string Soap = "n_max=4,l_max=4";

    private static (int Code, string Out, string Err) Run(params string[] args) => GlassML.Tests.Cli.CliRunner.Run(["ule", .. args]);

    private static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), $"glassml-ule-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    private static void Ok((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");

    [Fact]
    public void EndToEndOnTheIsFixtureWritesEveryOutputInUnderAMinute()
    {
        string t = TempDir();
        string samples = Fixtures.Path("ule", "samples.csv");
        string dict = Path.Combine(t, "ules.json"), fr = Path.Combine(t, "fractions.csv"), run = Path.Combine(t, "run");
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        Ok(Run("build", "--samples", samples, "--types", "1:Cu,2:Zr", "--soap", Soap, "--target-count", "60", "--out", dict));
        Ok(Run("encode", "--dict", dict, "--samples", samples, "--types", "1:Cu,2:Zr", "--out", fr, "--atoms", Path.Combine(t, "atoms")));
        var train = Run("train", "--fractions", fr, "--dict", dict, "--cv", "5", "--top", "20", "--threads", "2", "--out", run);
        Ok(train);
        string applyOut = Path.Combine(t, "E.csv");
        Ok(Run("apply", "--model", Path.Combine(run, "model.json"), "--dict", dict, "--types", "1:Cu,2:Zr", "--atoms", Path.Combine(t, "applied"),
            "--out", applyOut, Fixtures.Path("ule", "is", "xa.is.dump.gz"), Fixtures.Path("ule", "is", "qa.is.dump.gz")));
        Ok(Run("compare", "--model", Path.Combine(run, "model.json"), "--probe", fr, "--reference", fr, "--window", "0.002", "--out", Path.Combine(t, "het.csv")));
        Ok(Run("report", run));
        sw.Stop();
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        output.WriteLine($"end to end: {cpu:F1} s CPU, {sw.Elapsed.TotalSeconds:F1} s wall");
        // compare beside the std of the per-atom von Mises strain (relative to frame 0 of each probe's own file)
        string het2 = Path.Combine(t, "het2.csv");
        var cmp = Run("compare", "--model", Path.Combine(run, "model.json"), "--probe", fr, "--reference", fr, "--window", "0.002",
            "--strain", samples, "--types", "1:Cu,2:Zr", "--out", het2);
        Ok(cmp);
        Assert.Contains("mean std(von Mises strain)", cmp.Out);
        var hl = File.ReadAllLines(het2);
        int sc = Array.IndexOf(hl[0].Split(','), "std_von_mises_strain");
        Assert.True(sc > 0, hl[0]);
        var strainOf = hl.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => double.Parse(c[sc], CultureInfo.InvariantCulture));
        Assert.InRange(strainOf["qc6.is"], 0, 1e-12);     // frame 0 against itself
        Assert.InRange(strainOf["qc6.is@9"], 1e-3, 1.0);  // the last IS of the sheared anneal
        // < 60 s on 2 cores, proven as the project proves wall-time targets: by CPU seconds, here of the whole process over
        // the run (nothing else runs in it meanwhile; all of its threads, JIT and GC included, so it bounds the wall time
        // on free cores from above) — a loaded machine stretches the wall time but not this
        Assert.True(cpu < 60, $"end to end took {cpu:F1} s of CPU ({sw.Elapsed.TotalSeconds:F1} s wall)");

        foreach (var f in new[] { "model.json", "predictions.csv", "cv_folds.csv", "shap.csv", "barcode.csv", "heterogeneity.csv", "ule_count_vs_threshold.csv", "run.json", "report.json", "report.html" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        foreach (var p in new[] { "parity", "errors_by_size", "ule_count_vs_threshold", "shap_distribution", "barcode_strips", "pearson_per_ule", "group_sums_vs_energy", "std_delta_s" })
        {
            Assert.True(File.Exists(Path.Combine(run, "plots", p + ".svg")), p);
            Assert.Contains(p, File.ReadAllText(Path.Combine(run, "report.html")));
        }
        Assert.True(File.Exists(Path.Combine(t, "atoms", "xa.is_2.xyz")));
        Assert.Contains("barcode_index", File.ReadLines(Path.Combine(t, "applied", "xa.is.xyz")).ElementAt(1));

        // the dictionary: ≈ the target count, the manifest's 50 training samples
        using (var d = JsonDocument.Parse(File.ReadAllBytes(dict)))
        {
            Assert.InRange(d.RootElement.GetProperty("count").GetInt32(), 45, 75);
            Assert.Equal(50, d.RootElement.GetProperty("training").GetProperty("samples").GetInt32());
        }
        // apply reproduces train's refit predictions bit for bit (same dictionary, same model)
        var pred = File.ReadAllLines(Path.Combine(run, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[7]);
        var applied = File.ReadAllLines(applyOut).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(pred["xa.is"], applied[0][4]);
        Assert.Equal(pred["qa.is"], applied[1][4]);
        // the printed CV metric is the pooled one stored in the model
        using (var m = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "model.json"))))
        {
            double r2 = m.RootElement.GetProperty("metrics").GetProperty("cv_r2").GetDouble();
            Assert.Contains("pooled", train.Out);
            Assert.Contains($"R² {r2.ToString("F4", CultureInfo.InvariantCulture)}", train.Out);
            Assert.Equal(50, m.RootElement.GetProperty("metrics").GetProperty("cv_count").GetDouble());
        }
        // identical model bytes for 1 thread
        string run1 = Path.Combine(t, "run1");
        Ok(Run("train", "--fractions", fr, "--dict", dict, "--cv", "5", "--top", "20", "--threads", "1", "--out", run1));
        foreach (var f in new[] { "model.json", "predictions.csv", "shap.csv", "barcode.csv", "heterogeneity.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(run, f)), File.ReadAllBytes(Path.Combine(run1, f)));
        Directory.Delete(t, true);
    }

    [Fact]
    public void ASampleWithoutEnergyIsOneLineWithFileAndLineAndExitCode2()
    {
        string t = TempDir();
        var lines = File.ReadAllLines(Fixtures.Path("ule", "samples.csv"));
        // absolute file paths so the manifest can live elsewhere; row 4 (line 4) loses its energy
        var fixed_ = lines.Select((l, i) =>
        {
            if (i == 0) return l;
            var c = l.Split(',');
            c[0] = Fixtures.Path("ule", c[0]);
            if (c[2].StartsWith("log:", StringComparison.Ordinal)) c[2] = "log:" + Fixtures.Path("ule", c[2][4..c[2].LastIndexOf(':')]) + c[2][c[2].LastIndexOf(':')..];
            if (i == 3) c[2] = "";
            return string.Join(',', c);
        });
        string manifest = Path.Combine(t, "samples.csv");
        File.WriteAllLines(manifest, fixed_);
        string dict = Path.Combine(t, "d.json");
        var r = Run("encode", "--dict", dict, "--samples", manifest, "--out", Path.Combine(t, "f.csv"));
        Assert.Equal(2, r.Code);
        Assert.Equal($"glassml: error: {manifest}:4: sample 'qa.is@2' (role train) has no energy: give a number (total eV), column:NAME or log:FILE:KEY", r.Err.Trim());
        Assert.False(File.Exists(Path.Combine(t, "f.csv")));
        Directory.Delete(t, true);
    }
}
