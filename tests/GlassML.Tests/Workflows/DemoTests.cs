using System.Diagnostics;
using System.Text.Json;
using GlassML.Workflows.Demo;
using SkiaSharp;

namespace GlassML.Tests.Workflows;

/// <summary>The demo: deterministic output, and a report that a real browser renders without errors.</summary>
public class DemoTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"glassml-demo-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void TwoDemoRunsAreByteIdenticalExceptRunTimings()
    {
        string a = Temp("a"), b = Temp("b");
        try
        {
            var ra = DemoJob.Run(a, 1, ["demo"]);
            DemoJob.Run(b, 2, ["demo"]);
            var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order().ToArray();
            Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).Order().ToArray());
            Assert.Contains("atoms.xyz", files);
            Assert.Contains("report.html", files);
            foreach (var f in files.Where(f => f != "run.json"))
                Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs between runs");
            using var ja = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "run.json")));
            Assert.Equal("demo", ja.RootElement.GetProperty("method").GetString());
            Assert.Equal(1, ja.RootElement.GetProperty("threads").GetInt32());
            // every method is listed: built ones with their indicator columns in atoms.csv, the others as not built
            string methods = File.ReadAllText(Path.Combine(a, "methods.csv"));
            var header = File.ReadLines(Path.Combine(a, "atoms.csv")).First().Split(',');
            foreach (var (m, ran) in ra.Methods)
            {
                Assert.Contains(m.Method + ",", methods);
                foreach (var c in m.Columns) Assert.Equal(ran, header.Contains(c));
            }
            Assert.Equal(2049, File.ReadLines(Path.Combine(a, "atoms.csv")).Count());
        }
        finally
        {
            if (Directory.Exists(a)) Directory.Delete(a, true);
            if (Directory.Exists(b)) Directory.Delete(b, true);
        }
    }

    private static string? Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    private static (string Out, string Err) RunBrowser(string browser, params string[] args)
    {
        var psi = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("chromium did not finish in 120 s"); }
        return (o, err.Result);
    }

    /// <summary>
    /// Opens the demo's report.html in headless Chromium: no console error, every figure of report.json is an inline SVG
    /// in the rendered page, and the screenshot is not blank. Chromium is a CI requirement (.ci/run installs it); on a
    /// developer machine without it the test is skipped.
    /// </summary>
    [SkippableFact]
    public void ReportRendersInHeadlessChromium()
    {
        string? browser = Chromium();
        if (browser is null && Environment.GetEnvironmentVariable("CI") is null) throw new SkipException("chromium is not installed (CI installs it)");
        Assert.True(browser is not null, "chromium is required in CI (apt-get install chromium)");
        string dir = Temp("browser");
        try
        {
            DemoJob.Run(dir, 0, ["demo"]);
            string url = new Uri(Path.Combine(dir, "report.html")).AbsoluteUri;
            var (dom, err) = RunBrowser(browser!, "--dump-dom", url);
            var consoleErrors = err.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToArray();
            Assert.True(consoleErrors.Length == 0, string.Join('\n', consoleErrors));
            using var rep = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
            var figures = rep.RootElement.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("figures").EnumerateArray()).Select(f => f.GetProperty("name").GetString()!).ToArray();
            Assert.NotEmpty(figures);
            foreach (var f in figures) Assert.Contains($"data-name=\"{f}\"", dom);
            Assert.Equal(figures.Length, System.Text.RegularExpressions.Regex.Matches(dom, "<svg[ >]").Count);

            string png = Path.Combine(dir, "screenshot.png");
            RunBrowser(browser!, $"--screenshot={png}", "--window-size=1280,2000", url);
            using var bmp = SKBitmap.Decode(png);
            Assert.NotNull(bmp);
            int dark = 0, samples = 0;
            for (int y = 0; y < bmp.Height; y += 4)
                for (int x = 0; x < bmp.Width; x += 4)
                {
                    var c = bmp.GetPixel(x, y);
                    samples++;
                    if (c.Red + c.Green + c.Blue < 600) dark++;
                }
            Assert.True(dark > samples / 100, $"the page looks blank ({dark} of {samples} sampled pixels are not white)");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
