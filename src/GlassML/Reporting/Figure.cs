using System.Text.RegularExpressions;
using GlassML.Io;

namespace GlassML.Reporting;

/// <summary>
/// One plot of a report: its SVG, the table of the data drawn (so a user can redraw it), and what was drawn: the plot
/// kind, the number of points/bars/cells and the axis ranges after autoscaling.
/// </summary>
/// <param name="Name">File stem (plots/NAME.svg, plots/NAME.csv); letters, digits, '-', '_' and '.'.</param>
/// <param name="Title">Title shown above the plot.</param>
/// <param name="Kind">Plot kind (line, parity, histogram, roc, bars, heatmap, slab, dendrogram, barcode, hist2d).</param>
/// <param name="Svg">The SVG document.</param>
/// <param name="Data">The data drawn.</param>
/// <param name="Elements">Number of points, bars or cells drawn.</param>
/// <param name="Limits">Axis ranges (x min, x max, y min, y max) after autoscaling.</param>
public sealed record Figure(string Name, string Title, string Kind, string Svg, ResultTable Data, int Elements,
    (double XMin, double XMax, double YMin, double YMax) Limits)
{
    /// <summary>A caption shown under the plot in the report.</summary>
    public string Caption { get; init; } = "";

    private static readonly Regex NameOk = new("^[A-Za-z0-9_.-]+$", RegexOptions.Compiled);

    /// <summary>Checks a figure name.</summary>
    /// <exception cref="ArgumentException">Characters other than letters, digits, '-', '_' and '.'.</exception>
    public static string CheckName(string name) =>
        NameOk.IsMatch(name) ? name : throw new ArgumentException($"figure name '{name}' may hold only letters, digits, '-', '_' and '.'");

    /// <summary>
    /// Renumbers the element ids of an SVG (and the references to them) in order of first appearance as <c>i0</c>,
    /// <c>i1</c>, …: the renderer numbers them with a process-wide counter, which would make the same plot's bytes depend
    /// on what was drawn before it.
    /// </summary>
    public static string CanonicalIds(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(svg, "id=\"([^\"]+)\""))
            map.TryAdd(m.Groups[1].Value, $"i{map.Count}");
        if (map.Count == 0) return svg;
        svg = Regex.Replace(svg, "id=\"([^\"]+)\"", m => $"id=\"{map[m.Groups[1].Value]}\"");
        svg = Regex.Replace(svg, "url\\(#([^)]+)\\)", m => map.TryGetValue(m.Groups[1].Value, out var v) ? $"url(#{v})" : m.Value);
        return Regex.Replace(svg, "href=\"#([^\"]+)\"", m => map.TryGetValue(m.Groups[1].Value, out var v) ? $"href=\"#{v}\"" : m.Value);
    }

    /// <summary>
    /// The SVG ready to inline into HTML: no XML declaration, and every element id (and reference to it) prefixed so
    /// that several plots on one page never share an id.
    /// </summary>
    public static string Inline(string svg, string prefix)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start > 0) svg = svg[start..];
        svg = Regex.Replace(svg, "id=\"([^\"]+)\"", m => $"id=\"{prefix}{m.Groups[1].Value}\"");
        svg = Regex.Replace(svg, "url\\(#([^)]+)\\)", m => $"url(#{prefix}{m.Groups[1].Value})");
        svg = Regex.Replace(svg, "href=\"#([^\"]+)\"", m => $"href=\"#{prefix}{m.Groups[1].Value}\"");
        return svg;
    }
}
