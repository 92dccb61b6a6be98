using System.Text.Json;
using GlassML.Io;

namespace GlassML.Reporting;

/// <summary>A table shown in a report: a CSV file of the run directory and its caption.</summary>
/// <param name="File">Path relative to the run directory.</param>
/// <param name="Caption">Caption.</param>
/// <param name="MaxRows">Rows shown (the file keeps all).</param>
public sealed record ReportTable(string File, string Caption, int MaxRows = 40);

/// <summary>A figure shown in a report: plots/NAME.svg with its title and caption.</summary>
/// <param name="Name">Figure name.</param>
/// <param name="Title">Title.</param>
/// <param name="Caption">Caption.</param>
public sealed record ReportFigure(string Name, string Title, string Caption);

/// <summary>One section of a report: a heading, free text (paragraphs separated by blank lines), tables and figures.</summary>
public sealed class ReportSection(string heading)
{
    /// <summary>Heading.</summary>
    public string Heading { get; } = heading;
    /// <summary>Text shown under the heading.</summary>
    public List<string> Paragraphs { get; } = [];
    /// <summary>Tables in order.</summary>
    public List<ReportTable> Tables { get; } = [];
    /// <summary>Figures in order.</summary>
    public List<ReportFigure> Figures { get; } = [];
}

/// <summary>
/// What a run's report shows, saved as <c>report.json</c> in the run directory so that <c>glassml report DIR</c>
/// rebuilds <c>report.html</c> from the directory alone (figures from plots/*.svg, tables from their CSV files, metrics
/// and provenance from run.json) without recomputing anything.
/// </summary>
public sealed class Report(string title)
{
    /// <summary>Report title.</summary>
    public string Title { get; } = title;
    /// <summary>Sections in order.</summary>
    public List<ReportSection> Sections { get; } = [];

    /// <summary>The section of that heading, created at the end when new.</summary>
    public ReportSection Section(string heading)
    {
        var s = Sections.FirstOrDefault(x => x.Heading == heading);
        if (s is null) { s = new ReportSection(heading); Sections.Add(s); }
        return s;
    }

    /// <summary>Writes report.json.</summary>
    public void Save(string path) => JsonSupport.WriteFile(path, w =>
    {
        w.WriteStartObject();
        w.WriteString("format", "glassml-report");
        w.WriteString("title", Title);
        w.WriteStartArray("sections");
        foreach (var s in Sections)
        {
            w.WriteStartObject();
            w.WriteString("heading", s.Heading);
            JsonSupport.Array(w, "paragraphs", s.Paragraphs);
            w.WriteStartArray("tables");
            foreach (var t in s.Tables)
            {
                w.WriteStartObject(); w.WriteString("file", t.File); w.WriteString("caption", t.Caption); w.WriteNumber("max_rows", t.MaxRows); w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("figures");
            foreach (var f in s.Figures)
            {
                w.WriteStartObject(); w.WriteString("name", f.Name); w.WriteString("title", f.Title); w.WriteString("caption", f.Caption); w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Reads report.json.</summary>
    /// <exception cref="InputFormatException">Missing, malformed or not a report description.</exception>
    public static Report Load(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found (is this a GlassML run directory?)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var f) || f.GetString() != "glassml-report")
                throw new InputFormatException(path, 0, "not a GlassML report description");
            var r = new Report(root.GetProperty("title").GetString() ?? "");
            foreach (var s in root.GetProperty("sections").EnumerateArray())
            {
                var sec = r.Section(s.GetProperty("heading").GetString() ?? "");
                sec.Paragraphs.AddRange(JsonSupport.ReadStrings(s.GetProperty("paragraphs")));
                foreach (var t in s.GetProperty("tables").EnumerateArray())
                    sec.Tables.Add(new ReportTable(t.GetProperty("file").GetString()!, t.GetProperty("caption").GetString() ?? "", t.GetProperty("max_rows").GetInt32()));
                foreach (var g in s.GetProperty("figures").EnumerateArray())
                    sec.Figures.Add(new ReportFigure(Figure.CheckName(g.GetProperty("name").GetString()!), g.GetProperty("title").GetString() ?? "", g.GetProperty("caption").GetString() ?? ""));
            }
            return r;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InputFormatException(path, 0, $"malformed report.json: {e.Message}");
        }
    }
}
