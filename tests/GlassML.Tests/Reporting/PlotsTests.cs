using System.Xml.Linq;
using GlassML.Reporting;

namespace GlassML.Tests.Reporting;

/// <summary>Every plot kind: the SVG parses as XML, the axis ranges contain the data, and the count of points, bars or cells equals the input.</summary>
public class PlotsTests
{
    private static readonly Random Rng = new(7);
    private static double[] Random(int n, double scale, double shift = 0) => Enumerable.Range(0, n).Select(_ => shift + scale * Rng.NextDouble()).ToArray();

    private static void AssertValidSvg(Figure f)
    {
        var doc = XDocument.Parse(f.Svg);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.True(doc.Descendants().Count() > 10, "an SVG with almost nothing drawn");
        // the inline form keeps valid XML and prefixes every id
        var inline = XDocument.Parse(Figure.Inline(f.Svg, "p7_"));
        foreach (var id in inline.Descendants().Select(e => (string?)e.Attribute("id")).Where(i => i is not null)) Assert.StartsWith("p7_", id);
    }

    private static List<string> Texts(Figure f) => XDocument.Parse(f.Svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();

    private static void AssertContains(Figure f, IEnumerable<double> xs, IEnumerable<double> ys)
    {
        foreach (var x in xs.Where(double.IsFinite)) Assert.InRange(x, f.Limits.XMin, f.Limits.XMax);
        foreach (var y in ys.Where(double.IsFinite)) Assert.InRange(y, f.Limits.YMin, f.Limits.YMax);
    }

    [Fact]
    public void LineDrawsEveryFinitePointInRange()
    {
        var x = Random(50, 10, -3); var y = Random(50, 100, 20); y[7] = double.NaN;
        var f = Plots.Line("line", "t", "x", "y", [new Series("a", x, y), new Series("b", x, x)]);
        AssertValidSvg(f);
        Assert.Equal(99, f.Elements);
        Assert.Equal(100, f.Data.Rows); // the data table keeps the NaN row
        AssertContains(f, x, y.Concat(x));
    }

    [Fact]
    public void ParityContainsPointsAndTheDiagonal()
    {
        var t = Random(80, 2, -1); var p = t.Select(v => v + 0.1 * Rng.NextDouble()).ToArray();
        var f = Plots.Parity("parity", "t", "E (eV)", [new Series("test R² 0.99", t, p)]);
        AssertValidSvg(f);
        Assert.Equal(80, f.Elements);
        AssertContains(f, t, p);
        Assert.Contains("y = x", Texts(f));
    }

    [Fact]
    public void HistogramCountsEveryValueOnce()
    {
        var a = Random(1000, 5); var b = Random(300, 2, 4);
        var f = Plots.Histogram("hist", "t", "x", [("a", a), ("b", b)], bins: 25);
        AssertValidSvg(f);
        Assert.Equal(50, f.Elements);
        var counts = f.Data.Numbers("count");
        Assert.Equal(1300, counts.Sum());
        Assert.Equal(1000, counts.Take(25).Sum());
        var left = f.Data.Numbers("bin_left"); var right = f.Data.Numbers("bin_right");
        Assert.Equal(Math.Min(a.Min(), b.Min()), left[0], 12);
        Assert.Equal(Math.Max(a.Max(), b.Max()), right[24], 12);
        AssertContains(f, left.Concat(right), counts);
    }

    [Fact]
    public void RocSpansTheUnitSquare()
    {
        double[] fpr = [0, 0.1, 0.3, 1], tpr = [0, 0.6, 0.9, 1];
        var f = Plots.Roc("roc", "t", [("test", fpr, tpr, 0.85)]);
        AssertValidSvg(f);
        Assert.Equal(4, f.Elements);
        Assert.Equal((0.0, 1.0, 0.0, 1.0), f.Limits);
        Assert.Contains("test (AUC 0.850)", Texts(f));
    }

    [Fact]
    public void BarsDrawOneBarPerFiniteValue()
    {
        string[] cats = ["Cu", "Zr", "Al"];
        var f = Plots.Bars("bars", "t", "count", cats, [("WB", [3.0, 5.0, double.NaN]), ("SB", [4.0, 1.0, 2.0])]);
        AssertValidSvg(f);
        Assert.Equal(5, f.Elements);
        Assert.Equal(6, f.Data.Rows);
        AssertContains(f, [], [0.0, 5.0]);
        var h = Plots.Bars("barsh", "t", "gain", cats, [("gain", [1.0, 2.0, 3.0])], horizontal: true);
        Assert.Equal(3, h.Elements);
        AssertContains(h, [0.0, 3.0], []);
    }

    [Fact]
    public void HeatmapHasOneCellPerEntryAndWritesTheNumbers()
    {
        var m = new double[3, 4];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) m[r, c] = r * 10 + c + 0.25;
        var f = Plots.Heatmap("hm", "t", ["a", "b", "c"], ["w", "x", "y", "z"], m);
        AssertValidSvg(f);
        Assert.Equal(12, f.Elements);
        Assert.Equal((0.0, 4.0, 0.0, 3.0), f.Limits);
        var texts = Texts(f);
        Assert.Contains("23.25", texts);
        Assert.Contains("0.25", texts);
    }

    [Fact]
    public void SlabMapDrawsEveryAtomInRange()
    {
        int n = 120;
        var x = Random(n, 30); var y = Random(n, 30, -5); var v = Random(n, 1);
        var ids = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        var f = Plots.SlabMap("slab", "t", "softness", ids, x, y, v, v.Select(s => s > 0.8).ToArray(), "plastic");
        AssertValidSvg(f);
        Assert.Equal(n, f.Elements);
        Assert.Equal(n, f.Data.Rows);
        AssertContains(f, x, y);
    }

    [Fact]
    public void DendrogramHasOneLinkPerMergeAndReachesTheTopHeight()
    {
        // scipy linkage form for 4 leaves: (0,1) at 1, (2,3) at 2, (4,5) at 5
        var f = Plots.Dendrogram("dendro", "t", ["100 K", "300 K", "700 K", "1500 K"], [(0, 1, 1.0), (2, 3, 2.0), (4, 5, 5.0)]);
        AssertValidSvg(f);
        Assert.Equal(3, f.Elements);
        AssertContains(f, [0.0, 3.0], [0.0, 5.0]);
        Assert.Throws<ArgumentException>(() => Plots.Dendrogram("d2", "t", ["a", "b"], [(0, 2, 1.0)]));
    }

    [Fact]
    public void BarcodeAndHistogram2DHaveOneCellPerEntry()
    {
        var m = new double[2, 40];
        for (int c = 0; c < 40; c++) { m[0, c] = c / 780.0; m[1, c] = (39 - c) / 780.0; }
        var b = Plots.Barcode("barcode", "t", ["low E", "high E"], Enumerable.Range(0, 40).Select(i => $"ULE {i}").ToArray(), m);
        AssertValidSvg(b);
        Assert.Equal(80, b.Elements);
        Assert.Equal((0.0, 40.0, 0.0, 2.0), b.Limits);
        var x = Random(500, 0.6); var y = Random(500, 0.4, -0.2);
        var h = Plots.Histogram2D("h2", "t", "q6", "w6", x, y, bins: 20, marks: [("ico", 0.663, -0.170)]);
        AssertValidSvg(h);
        Assert.Equal(500, h.Data.Numbers("count").Sum());
        Assert.Equal(h.Data.Numbers("count").Count(c => c > 0), h.Elements);
        AssertContains(h, x.Append(0.663), y.Append(-0.170));
    }

    [Fact]
    public void SameInputGivesTheSameSvgBytes()
    {
        double[] x = [1, 2, 3], y = [3, 1, 2];
        Assert.Equal(Plots.Line("a", "t", "x", "y", [new Series("s", x, y)]).Svg, Plots.Line("a", "t", "x", "y", [new Series("s", x, y)]).Svg);
    }

    [Fact]
    public void BadNamesAndMismatchedInputsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Plots.Line("../x", "t", "x", "y", []));
        Assert.Throws<ArgumentException>(() => Plots.Line("ok", "t", "x", "y", [new Series("s", [1.0, 2.0], [1.0])]));
        Assert.Throws<ArgumentException>(() => Plots.Heatmap("hm", "t", ["a"], ["b"], new double[2, 1]));
    }
}
