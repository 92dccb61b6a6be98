using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsvHelper;
using GlassML.Io;
using GlassML.Workflows;

namespace GlassML.Reporting;

/// <summary>
/// Renders a run directory's <c>report.html</c>: one self-contained page (inline SVG and CSS, no script, no network
/// reference) with the run's metrics, every section of report.json with its tables and figures, and the provenance
/// from run.json (command line, version, settings, input hashes). The page depends only on the directory's files, so
/// rebuilding it gives the same bytes.
/// </summary>
public static class HtmlReport
{
    /// <summary>Builds DIR/report.html from DIR/report.json, DIR/run.json, DIR/plots and the tables; returns its path.</summary>
    /// <exception cref="InputFormatException">A file the report needs is missing or malformed.</exception>
    public static string Build(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputFormatException(dir, 0, "no such run directory");
        var report = Report.Load(Path.Combine(dir, "report.json"));
        string runPath = Path.Combine(dir, "run.json");
        using var run = File.Exists(runPath) ? RunRecord.Read(runPath) : null;
        string html = Render(dir, report, run?.RootElement);
        string outPath = Path.Combine(dir, "report.html");
        AtomicFile.WriteText(outPath, w => w.Write(html));
        return outPath;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Render(string dir, Report report, JsonElement? run)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(E(report.Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        if (run is { } r)
        {
            sb.Append("<p class=\"sub\">GlassML ").Append(E(r.GetProperty("glassml_version").GetString() ?? ""))
              .Append(" · ").Append(E(r.GetProperty("method").GetString() ?? "")).Append(' ').Append(E(r.GetProperty("action").GetString() ?? "")).Append("</p>\n");
            var metrics = r.GetProperty("metrics");
            if (metrics.EnumerateObject().Any())
            {
                sb.Append("<h2>Metrics</h2>\n<table class=\"metrics\"><tr><th>metric</th><th>value</th></tr>\n");
                foreach (var m in metrics.EnumerateObject())
                    sb.Append("<tr><td>").Append(E(m.Name)).Append("</td><td class=\"n\">").Append(E(Num(JsonSupport.ReadNumber(m.Value)))).Append("</td></tr>\n");
                sb.Append("</table>\n");
            }
        }
        int fig = 0;
        sb.Append("<nav><ul>");
        for (int i = 0; i < report.Sections.Count; i++) sb.Append("<li><a href=\"#s").Append(i).Append("\">").Append(E(report.Sections[i].Heading)).Append("</a></li>");
        sb.Append("</ul></nav>\n");
        for (int i = 0; i < report.Sections.Count; i++)
        {
            var s = report.Sections[i];
            sb.Append("<section id=\"s").Append(i).Append("\">\n<h2>").Append(E(s.Heading)).Append("</h2>\n");
            foreach (var p in s.Paragraphs) sb.Append("<p>").Append(E(p)).Append("</p>\n");
            foreach (var t in s.Tables) AppendTable(sb, dir, t);
            if (s.Figures.Count > 0) sb.Append("<div class=\"figs\">\n");
            foreach (var f in s.Figures)
            {
                string svgPath = Path.Combine(dir, "plots", f.Name + ".svg");
                if (!File.Exists(svgPath)) throw new InputFormatException(svgPath, 0, "figure listed in report.json is missing");
                sb.Append("<figure class=\"plot\" data-name=\"").Append(E(f.Name)).Append("\">\n");
                sb.Append(Figure.Inline(File.ReadAllText(svgPath), $"f{fig++}_"));
                sb.Append("\n<figcaption><b>").Append(E(f.Title)).Append("</b>");
                if (f.Caption.Length > 0) sb.Append(" — ").Append(E(f.Caption));
                sb.Append(" <span class=\"data\">(data: plots/").Append(E(f.Name)).Append(".csv)</span></figcaption>\n</figure>\n");
            }
            if (s.Figures.Count > 0) sb.Append("</div>\n");
            sb.Append("</section>\n");
        }
        if (run is { } rr)
        {
            sb.Append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<p><code>glassml ");
            sb.Append(E(string.Join(' ', rr.GetProperty("command_line").EnumerateArray().Select(a => Quote(a.GetString() ?? "")))));
            sb.Append("</code></p>\n");
            var settings = rr.GetProperty("settings");
            if (settings.EnumerateObject().Any())
            {
                sb.Append("<table><tr><th>setting</th><th>value</th></tr>\n");
                foreach (var p in settings.EnumerateObject()) sb.Append("<tr><td>").Append(E(p.Name)).Append("</td><td>").Append(E(p.Value.GetString() ?? "")).Append("</td></tr>\n");
                sb.Append("</table>\n");
            }
            var inputs = rr.GetProperty("inputs");
            if (inputs.GetArrayLength() > 0)
            {
                sb.Append("<table><tr><th>input</th><th>SHA-256</th></tr>\n");
                foreach (var h in inputs.EnumerateArray())
                    sb.Append("<tr><td>").Append(E(h.GetProperty("file").GetString() ?? "")).Append("</td><td><code>").Append(E(h.GetProperty("sha256").GetString() ?? "")).Append("</code></td></tr>\n");
                sb.Append("</table>\n");
            }
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    private static string Num(double v) =>
        double.IsNaN(v) ? "NaN" : Math.Abs(v) >= 1e-3 && Math.Abs(v) < 1e6 || v == 0 ? v.ToString("G5", CultureInfo.InvariantCulture) : v.ToString("E3", CultureInfo.InvariantCulture);

    private static void AppendTable(StringBuilder sb, string dir, ReportTable t)
    {
        if (Path.IsPathRooted(t.File) || t.File.Split('/', '\\').Contains("..")) throw new InputFormatException(t.File, 0, "report tables must lie inside the run directory");
        string path = Path.Combine(dir, t.File);
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "table listed in report.json is missing");
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader()) return;
        var header = csv.HeaderRecord!;
        sb.Append("<table><caption>").Append(E(t.Caption)).Append(" <span class=\"data\">(").Append(E(t.File)).Append(")</span></caption>\n<tr>");
        foreach (var h in header) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr>\n");
        int rows = 0, more = 0;
        while (csv.Read())
        {
            if (rows >= t.MaxRows) { more++; continue; }
            sb.Append("<tr>");
            for (int c = 0; c < header.Length; c++)
            {
                string cell = csv.GetField(c) ?? "";
                bool num = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
                if (num && cell.Contains('.')) cell = Num(v);
                sb.Append(num ? "<td class=\"n\">" : "<td>").Append(E(cell)).Append("</td>");
            }
            sb.Append("</tr>\n");
            rows++;
        }
        sb.Append("</table>\n");
        if (more > 0) sb.Append("<p class=\"data\">… ").Append(more).Append(" more rows in ").Append(E(t.File)).Append("</p>\n");
    }

    private const string Css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1400px; color: #222; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: 0.1em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
        .sub { color: #666; margin-top: 0; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; } nav a { color: #2a5db0; text-decoration: none; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; } caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
        th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; } th { background: #f3f3f3; } td.n { text-align: right; }
        .figs { display: flex; flex-wrap: wrap; gap: 1.2em; } figure.plot { margin: 0; max-width: 700px; } figure.plot svg { max-width: 100%; height: auto; }
        figcaption { font-size: 0.85em; color: #444; } .data { color: #888; font-weight: normal; } code { font-size: 0.85em; word-break: break-all; }

        """;
}
