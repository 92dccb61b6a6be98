using System.Globalization;
using GlassML.Io;
using ScottPlot;

namespace GlassML.Reporting;

/// <summary>One named series of a line or scatter plot.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values (same length).</param>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The plot kinds every method's report draws, rendered with ScottPlot 5 to SVG (headless: SkiaSharp's SVG canvas, no
/// display or browser needed). Each returns a <see cref="Figure"/> that also carries the table of the data drawn.
/// Non-finite values are left out of the drawing but kept in the data table.
/// </summary>
public static class Plots
{
    /// <summary>Default plot size in pixels.</summary>
    public const int Width = 640, Height = 440;

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        plt.Title(title, size: 15);
        plt.XLabel(xLabel, size: 13);
        plt.YLabel(yLabel, size: 13);
        return plt;
    }

    private static Figure Finish(Plot plt, string name, string title, string kind, ResultTable data, int elements, int width = Width, int height = Height)
    {
        Figure.CheckName(name);
        string svg = Figure.CanonicalIds(plt.GetSvgXml(width, height));
        var l = plt.Axes.GetLimits();
        return new Figure(name, title, kind, svg, data, elements, (l.Left, l.Right, l.Bottom, l.Top));
    }

    private static (double[] X, double[] Y) Finite(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values, y {y.Count}");
        var xs = new List<double>(x.Count); var ys = new List<double>(y.Count);
        for (int i = 0; i < x.Count; i++)
            if (double.IsFinite(x[i]) && double.IsFinite(y[i])) { xs.Add(x[i]); ys.Add(y[i]); }
        return (xs.ToArray(), ys.ToArray());
    }

    private static ResultTable LongTable(IReadOnlyList<Series> series, string xName, string yName)
    {
        var label = new List<string>(); var xs = new List<double>(); var ys = new List<double>();
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Label}': x has {s.X.Count} values, y {s.Y.Count}");
            for (int i = 0; i < s.X.Count; i++) { label.Add(s.Label); xs.Add(s.X[i]); ys.Add(s.Y[i]); }
        }
        return new ResultTable().Add("series", label).Add(xName, xs).Add(yName, ys);
    }

    /// <summary>Lines (with markers) through each series, e.g. AUC against strain or a learning curve.</summary>
    public static Figure Line(string name, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool markers = true, bool logX = false)
    {
        var plt = NewPlot(title, xLabel, yLabel);
        int n = 0;
        foreach (var s in series)
        {
            var (x, y) = Finite(s.X, s.Y);
            if (logX) x = x.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray();
            var sc = plt.Add.Scatter(x, y);
            sc.LegendText = s.Label;
            sc.MarkerSize = markers ? 5 : 0;
            sc.LineWidth = 2;
            n += x.Length;
        }
        if (series.Count > 1) plt.ShowLegend();
        if (logX) plt.XLabel($"log10 {xLabel}", size: 13);
        return Finish(plt, name, title, "line", LongTable(series, "x", "y"), n);
    }

    /// <summary>Predicted against true values with the y = x line and the metrics in the legend.</summary>
    public static Figure Parity(string name, string title, string quantity, IReadOnlyList<Series> series)
    {
        var plt = NewPlot(title, $"true {quantity}", $"predicted {quantity}");
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity; int n = 0;
        foreach (var s in series)
        {
            var (x, y) = Finite(s.X, s.Y);
            var sc = plt.Add.ScatterPoints(x, y);
            sc.MarkerSize = 4;
            sc.LegendText = s.Label;
            foreach (var v in x.Concat(y)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            n += x.Length;
        }
        if (n > 0)
        {
            var line = plt.Add.Line(lo, lo, hi, hi);
            line.LineColor = Colors.Black;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "y = x";
        }
        plt.ShowLegend();
        return Finish(plt, name, title, "parity", LongTable(series, "true", "predicted"), n);
    }

    /// <summary>Equal-width bin counts of one or more samples on common bins (outlined steps).</summary>
    public static Figure Histogram(string name, string title, string xLabel, IReadOnlyList<(string Label, IReadOnlyList<double> Values)> samples,
        int bins = 40, bool density = false)
    {
        if (bins < 1) throw new ArgumentException("bins must be ≥ 1");
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var (_, v) in samples) foreach (var x in v) if (double.IsFinite(x)) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
        if (!double.IsFinite(lo)) { lo = 0; hi = 1; }
        if (hi <= lo) { hi = lo + 0.5; lo -= 0.5; }
        double w = (hi - lo) / bins;
        var plt = NewPlot(title, xLabel, density ? "density" : "count");
        var tLabel = new List<string>(); var tLeft = new List<double>(); var tRight = new List<double>(); var tCount = new List<double>();
        foreach (var (label, values) in samples)
        {
            var counts = new double[bins];
            int total = 0;
            foreach (var x in values)
            {
                if (!double.IsFinite(x)) continue;
                counts[Math.Clamp((int)((x - lo) / w), 0, bins - 1)]++;
                total++;
            }
            if (density && total > 0) for (int b = 0; b < bins; b++) counts[b] /= total * w;
            var xs = new double[2 * bins]; var ys = new double[2 * bins];
            for (int b = 0; b < bins; b++)
            {
                xs[2 * b] = lo + b * w; xs[2 * b + 1] = lo + (b + 1) * w;
                ys[2 * b] = ys[2 * b + 1] = counts[b];
                tLabel.Add(label); tLeft.Add(lo + b * w); tRight.Add(lo + (b + 1) * w); tCount.Add(counts[b]);
            }
            var sc = plt.Add.Scatter(xs, ys);
            sc.MarkerSize = 0; sc.LineWidth = 2; sc.LegendText = label;
        }
        if (samples.Count > 1) plt.ShowLegend();
        plt.Axes.Margins(bottom: 0);
        var data = new ResultTable().Add("series", tLabel).Add("bin_left", tLeft).Add("bin_right", tRight).Add(density ? "density" : "count", tCount);
        return Finish(plt, name, title, "histogram", data, bins * samples.Count);
    }

    /// <summary>A ROC curve with its AUC in the legend and the chance diagonal.</summary>
    public static Figure Roc(string name, string title, IReadOnlyList<(string Label, IReadOnlyList<double> Fpr, IReadOnlyList<double> Tpr, double Auc)> curves)
    {
        var plt = NewPlot(title, "false-positive rate", "true-positive rate");
        int n = 0;
        var series = new List<Series>();
        foreach (var (label, fpr, tpr, auc) in curves)
        {
            var sc = plt.Add.Scatter(fpr.ToArray(), tpr.ToArray());
            sc.MarkerSize = 0; sc.LineWidth = 2;
            sc.LegendText = string.Create(CultureInfo.InvariantCulture, $"{label} (AUC {auc:F3})");
            n += fpr.Count;
            series.Add(new Series(label, fpr, tpr));
        }
        var d = plt.Add.Line(0, 0, 1, 1);
        d.LineColor = Colors.Gray; d.LinePattern = LinePattern.Dashed; d.LegendText = "chance";
        plt.ShowLegend();
        plt.Axes.SetLimits(0, 1, 0, 1);
        return Finish(plt, name, title, "roc", LongTable(series, "fpr", "tpr"), n);
    }

    /// <summary>Bars for categories, one group per category and one bar per series.</summary>
    public static Figure Bars(string name, string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, bool horizontal = false)
    {
        var plt = NewPlot(title, horizontal ? yLabel : "", horizontal ? "" : yLabel);
        int ns = Math.Max(1, series.Count);
        double width = 0.8 / ns;
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var tCat = new List<string>(); var tSer = new List<string>(); var tVal = new List<double>();
        for (int s = 0; s < series.Count; s++)
        {
            var (label, values) = series[s];
            if (values.Count != categories.Count) throw new ArgumentException($"series '{label}' has {values.Count} values for {categories.Count} categories");
            for (int c = 0; c < categories.Count; c++)
            {
                tCat.Add(categories[c]); tSer.Add(label); tVal.Add(values[c]);
                if (!double.IsFinite(values[c])) continue;
                bars.Add(new Bar
                {
                    Position = c - 0.4 + width * (s + 0.5),
                    Value = values[c],
                    Size = width * 0.95,
                    FillColor = palette.GetColor(s),
                });
            }
        }
        var bp = plt.Add.Bars(bars);
        bp.Horizontal = horizontal;
        var ticks = categories.Select((c, i) => new Tick(i, c)).ToArray();
        if (horizontal)
        {
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plt.Axes.Margins(left: 0);
        }
        else
        {
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            if (categories.Count > 8) plt.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plt.Axes.Bottom.TickLabelStyle.Alignment = categories.Count > 8 ? Alignment.MiddleRight : Alignment.UpperCenter;
            plt.Axes.Margins(bottom: 0);
        }
        if (series.Count > 1)
        {
            for (int s = 0; s < series.Count; s++) plt.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Label, FillColor = palette.GetColor(s) });
            plt.ShowLegend();
        }
        int h = horizontal ? Math.Max(Height, 60 + 18 * categories.Count) : Height;
        var data = new ResultTable().Add("category", tCat).Add("series", tSer).Add("value", tVal);
        return Finish(plt, name, title, "bars", data, bars.Count, Width, h);
    }

    /// <summary>A heat map of a matrix with the value written in every cell (row 0 at the top).</summary>
    public static Figure Heatmap(string name, string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        double[,] values, string xLabel = "", string yLabel = "", string format = "F2", bool numbers = true)
    {
        int nr = values.GetLength(0), nc = values.GetLength(1);
        if (rowLabels.Count != nr || columnLabels.Count != nc) throw new ArgumentException("label counts differ from the matrix size");
        var plt = NewPlot(title, xLabel, yLabel);
        var cmap = new ScottPlot.Colormaps.Viridis();
        var range = ColorRange(values.Cast<double>());
        var tRow = new List<string>(); var tCol = new List<string>(); var tVal = new List<double>();
        int cells = 0;
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++)
            {
                double v = values[r, c];
                tRow.Add(rowLabels[r]); tCol.Add(columnLabels[c]); tVal.Add(v);
                double top = nr - r, bottom = nr - r - 1;
                var rect = plt.Add.Rectangle(c, c + 1, bottom, top);
                rect.LineWidth = 0;
                rect.FillColor = double.IsFinite(v) ? cmap.GetColor(range.Normalize(v)) : Colors.LightGray;
                cells++;
                if (numbers && nr * nc <= 400)
                {
                    var t = plt.Add.Text(double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–", c + 0.5, bottom + 0.5);
                    t.LabelAlignment = Alignment.MiddleCenter;
                    t.LabelFontSize = nr * nc > 100 ? 9 : 12;
                    t.LabelFontColor = double.IsFinite(v) && range.Normalize(v) > 0.6 ? Colors.Black : Colors.White;
                }
            }
        plt.Add.ColorBar(new ColorSource(cmap, range));
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(columnLabels.Select((l, i) => new Tick(i + 0.5, l)).ToArray());
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(rowLabels.Select((l, i) => new Tick(nr - i - 0.5, l)).ToArray());
        if (nc > 8) { plt.Axes.Bottom.TickLabelStyle.Rotation = -45; plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight; }
        plt.Axes.SetLimits(0, nc, 0, nr);
        var data = new ResultTable().Add("row", tRow).Add("column", tCol).Add("value", tVal);
        return Finish(plt, name, title, "heatmap", data, cells);
    }

    /// <summary>
    /// A slab map: atoms with |z − z_mid| ≤ thickness/2 (positions in the projection's own coordinates) drawn as dots in
    /// the (x, y) plane, coloured by a per-atom value; optional highlighted atoms drawn as open rings.
    /// </summary>
    public static Figure SlabMap(string name, string title, string valueLabel, IReadOnlyList<long> ids, IReadOnlyList<double> x, IReadOnlyList<double> y,
        IReadOnlyList<double> value, IReadOnlyList<bool>? highlight = null, string highlightLabel = "", string xLabel = "x (Å)", string yLabel = "y (Å)")
    {
        int n = x.Count;
        if (y.Count != n || value.Count != n || ids.Count != n || (highlight is not null && highlight.Count != n)) throw new ArgumentException("slab map: arrays differ in length");
        var plt = NewPlot(title, xLabel, yLabel);
        var cmap = new ScottPlot.Colormaps.Turbo();
        var range = ColorRange(value.Cast<double>());
        const int levels = 24;
        var bx = new List<double>[levels]; var by = new List<double>[levels];
        for (int k = 0; k < levels; k++) { bx[k] = []; by[k] = []; }
        var nx = new List<double>(); var ny = new List<double>();
        int drawn = 0;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) continue;
            drawn++;
            if (!double.IsFinite(value[i])) { nx.Add(x[i]); ny.Add(y[i]); continue; }
            int k = Math.Clamp((int)(range.Normalize(value[i]) * levels), 0, levels - 1);
            bx[k].Add(x[i]); by[k].Add(y[i]);
        }
        for (int k = 0; k < levels; k++)
            if (bx[k].Count > 0) plt.Add.Markers(bx[k].ToArray(), by[k].ToArray(), MarkerShape.FilledCircle, 7, cmap.GetColor((k + 0.5) / levels));
        if (nx.Count > 0) plt.Add.Markers(nx.ToArray(), ny.ToArray(), MarkerShape.FilledCircle, 7, Colors.LightGray);
        if (highlight is not null)
        {
            var hx = new List<double>(); var hy = new List<double>();
            for (int i = 0; i < n; i++) if (highlight[i] && double.IsFinite(x[i]) && double.IsFinite(y[i])) { hx.Add(x[i]); hy.Add(y[i]); }
            if (hx.Count > 0)
            {
                var m = plt.Add.Markers(hx.ToArray(), hy.ToArray(), MarkerShape.OpenCircle, 12, Colors.Black);
                m.LegendText = highlightLabel;
                plt.ShowLegend();
            }
        }
        var cb = plt.Add.ColorBar(new ColorSource(cmap, range));
        cb.Label = valueLabel;
        plt.Axes.SquareUnits();
        var data = new ResultTable().Add("id", ids.ToArray()).Add("x", x.ToArray()).Add("y", y.ToArray()).Add(valueLabel.Split(' ')[0], value.ToArray());
        if (highlight is not null) data.Add("highlight", highlight.Select(h => h ? 1L : 0L).ToArray());
        return Finish(plt, name, title, "slab", data, drawn, Width, Width);
    }

    /// <summary>
    /// A dendrogram of an agglomerative clustering in scipy's linkage form: merge k joins clusters a and b (indices &lt; n are
    /// leaves, n + j the cluster made by merge j) at height h.
    /// </summary>
    public static Figure Dendrogram(string name, string title, IReadOnlyList<string> leafLabels, IReadOnlyList<(int A, int B, double Height)> merges, string yLabel = "distance")
    {
        int n = leafLabels.Count;
        if (merges.Count != n - 1) throw new ArgumentException($"{n} leaves need {n - 1} merges, got {merges.Count}");
        for (int k = 0; k < merges.Count; k++)
            if (merges[k].A < 0 || merges[k].B < 0 || merges[k].A >= n + k || merges[k].B >= n + k || merges[k].A == merges[k].B)
                throw new ArgumentException($"merge {k} refers to a cluster not yet made");
        // leaf order: depth-first from the root, left child first
        var order = new List<int>();
        void Walk(int c) { if (c < n) order.Add(c); else { Walk(merges[c - n].A); Walk(merges[c - n].B); } }
        if (n > 0) Walk(n > 1 ? 2 * n - 2 : 0);
        var xOf = new double[Math.Max(1, 2 * n - 1)]; var hOf = new double[Math.Max(1, 2 * n - 1)];
        for (int i = 0; i < order.Count; i++) xOf[order[i]] = i;
        var plt = NewPlot(title, "", yLabel);
        for (int k = 0; k < merges.Count; k++)
        {
            var (a, b, h) = merges[k];
            var xs = new[] { xOf[a], xOf[a], xOf[b], xOf[b] };
            var ys = new[] { hOf[a], h, h, hOf[b] };
            var sc = plt.Add.Scatter(xs, ys);
            sc.MarkerSize = 0; sc.LineWidth = 2; sc.Color = Colors.Navy;
            xOf[n + k] = (xOf[a] + xOf[b]) / 2; hOf[n + k] = h;
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(order.Select((leaf, i) => new Tick(i, leafLabels[leaf])).ToArray());
        plt.Axes.Margins(bottom: 0);
        var data = new ResultTable().Add("merge", Enumerable.Range(0, merges.Count).ToArray())
            .Add("a", merges.Select(m => m.A).ToArray()).Add("b", merges.Select(m => m.B).ToArray()).Add("height", merges.Select(m => m.Height).ToArray());
        return Finish(plt, name, title, "dendrogram", data, merges.Count);
    }

    /// <summary>Barcode strips: one row per sample, one cell per category, cell colour = value (e.g. ULE fractions).</summary>
    public static Figure Barcode(string name, string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> categories, double[,] values, string valueLabel = "fraction")
    {
        int nr = values.GetLength(0), nc = values.GetLength(1);
        if (rowLabels.Count != nr || categories.Count != nc) throw new ArgumentException("label counts differ from the matrix size");
        var plt = NewPlot(title, "", "");
        var cmap = new ScottPlot.Colormaps.MellowRainbow();
        double hi = 0;
        foreach (var v in values) if (double.IsFinite(v)) hi = Math.Max(hi, v);
        var range = new ScottPlot.Range(0, hi > 0 ? hi : 1);
        var tRow = new List<string>(); var tCat = new List<string>(); var tVal = new List<double>();
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++)
            {
                double v = values[r, c];
                tRow.Add(rowLabels[r]); tCat.Add(categories[c]); tVal.Add(v);
                var rect = plt.Add.Rectangle(c, c + 1, nr - r - 1 + 0.08, nr - r - 0.08);
                rect.LineWidth = 0;
                rect.FillColor = double.IsFinite(v) && v > 0 ? cmap.GetColor(range.Normalize(v)) : Colors.White;
            }
        var cb = plt.Add.ColorBar(new ColorSource(cmap, range));
        cb.Label = valueLabel;
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(rowLabels.Select((l, i) => new Tick(nr - i - 0.5, l)).ToArray());
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(categories.Select((l, i) => new Tick(i + 0.5, l)).ToArray());
        if (nc > 8) { plt.Axes.Bottom.TickLabelStyle.Rotation = -90; plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight; }
        plt.Axes.SetLimits(0, nc, 0, nr);
        var data = new ResultTable().Add("row", tRow).Add("category", tCat).Add("value", tVal);
        return Finish(plt, name, title, "barcode", data, nr * nc, Math.Max(Width, 120 + 14 * nc), Math.Max(260, 120 + 28 * nr));
    }

    /// <summary>A 2-D histogram (counts on a grid) shown as a heat map, with optional reference points marked.</summary>
    public static Figure Histogram2D(string name, string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<double> y,
        int bins = 40, IReadOnlyList<(string Label, double X, double Y)>? marks = null)
    {
        var (fx, fy) = Finite(x, y);
        double x0 = fx.Length > 0 ? fx.Min() : 0, x1 = fx.Length > 0 ? fx.Max() : 1, y0 = fy.Length > 0 ? fy.Min() : 0, y1 = fy.Length > 0 ? fy.Max() : 1;
        foreach (var m in marks ?? []) { x0 = Math.Min(x0, m.X); x1 = Math.Max(x1, m.X); y0 = Math.Min(y0, m.Y); y1 = Math.Max(y1, m.Y); }
        if (x1 <= x0) { x1 = x0 + 1; }
        if (y1 <= y0) { y1 = y0 + 1; }
        double wx = (x1 - x0) / bins, wy = (y1 - y0) / bins;
        var counts = new double[bins, bins];
        for (int i = 0; i < fx.Length; i++)
            counts[Math.Clamp((int)((fx[i] - x0) / wx), 0, bins - 1), Math.Clamp((int)((fy[i] - y0) / wy), 0, bins - 1)]++;
        var plt = NewPlot(title, xLabel, yLabel);
        var cmap = new ScottPlot.Colormaps.Viridis();
        double hi = 0; foreach (var c in counts) hi = Math.Max(hi, c);
        var range = new ScottPlot.Range(0, hi > 0 ? hi : 1);
        var tx = new List<double>(); var ty = new List<double>(); var tc = new List<double>();
        int cells = 0;
        for (int a = 0; a < bins; a++)
            for (int b = 0; b < bins; b++)
            {
                tx.Add(x0 + (a + 0.5) * wx); ty.Add(y0 + (b + 0.5) * wy); tc.Add(counts[a, b]);
                if (counts[a, b] == 0) continue;
                var rect = plt.Add.Rectangle(x0 + a * wx, x0 + (a + 1) * wx, y0 + b * wy, y0 + (b + 1) * wy);
                rect.LineWidth = 0;
                rect.FillColor = cmap.GetColor(range.Normalize(Math.Sqrt(counts[a, b] * hi)));
                cells++;
            }
        foreach (var (label, mx, my) in marks ?? [])
        {
            var mk = plt.Add.Marker(mx, my, MarkerShape.FilledDiamond, 10, Colors.Red);
            var t = plt.Add.Text(label, mx, my);
            t.LabelFontSize = 11; t.LabelFontColor = Colors.Red; t.LabelAlignment = Alignment.LowerLeft;
            _ = mk;
        }
        var cb = plt.Add.ColorBar(new ColorSource(cmap, range));
        cb.Label = "count (√ scale)";
        plt.Axes.SetLimits(x0, x1, y0, y1);
        var data = new ResultTable().Add("x_center", tx).Add("y_center", ty).Add("count", tc);
        return Finish(plt, name, title, "hist2d", data, cells);
    }

    /// <summary>The colour range of the finite values (0–1 when there are none; one unit wide when all are equal).</summary>
    private static ScottPlot.Range ColorRange(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values) if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (!double.IsFinite(lo)) { lo = 0; hi = 1; }
        return new ScottPlot.Range(lo, hi > lo ? hi : lo + 1);
    }

    /// <summary>A colour axis for colour bars of plots drawn cell by cell.</summary>
    private sealed class ColorSource(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; set; } = colormap;
        public ScottPlot.Range GetRange() => range;
    }
}
