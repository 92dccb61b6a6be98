using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Statistics;
using GlassML.Structure;
using GlassML.Voronoi;
using GlassML.Workflows.Demo;

namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>
/// The figures and tables of the sf method: ω(r̄) per species pair, parity of SF against ln v_flex, SF slab maps, and
/// the decile analysis of <c>glassml sf report</c> — per species, equal-count deciles of SF (and of the baselines
/// Voronoi volume and icosahedral fraction) against any per-atom property: bin mean and median, share of the top-q %
/// atoms per bin, enrichment over random, Pearson and Spearman (<see cref="BinnedProfile"/>).
/// </summary>
public static class SfReport
{
    /// <summary>ω(r̄) per (centre, neighbour) species pair.</summary>
    public static Figure WeightsFigure(SfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var grid = model.Recipe.Grid;
        var series = new List<Series>();
        foreach (var l in model.Learners)
            for (int b = 0; b < model.Recipe.Species.Count; b++)
                series.Add(new Series($"{l.Species}-{model.Recipe.Species[b]}", grid, l.Svr.Weights.AsSpan(b * grid.Count, grid.Count).ToArray()));
        return Plots.Line("weights", "SF weights ω(r̄) per centre–neighbour pair", "r̄ = r / r_p", "ω", series, markers: false);
    }

    /// <summary>SF of a slab (5 Å through the middle of the cell along z), optionally ringing highlighted atoms.</summary>
    public static Figure SlabFigure(string name, Frame frame, double[] sf, bool[]? highlight = null, string highlightLabel = "")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sf);
        var (ids, x, y, sel) = DemoJob.Slab(frame, 5.0);
        return Plots.SlabMap(name, "SF in a 5 Å slab through the middle of the cell", "SF (predicted ln v_flex)", ids, x, y,
            sel.Select(i => sf[i]).ToArray(), highlight is null ? null : sel.Select(i => highlight[i]).ToArray(), highlightLabel);
    }

    /// <summary>
    /// The baselines beside SF: Voronoi cell volume (Å³) and icosahedral fraction (share of the atom and its Voronoi
    /// neighbours whose cell is a full icosahedron ⟨0,0,12,0⟩).
    /// </summary>
    public static (double[] Volume, double[] IcoFraction) Baselines(Frame frame, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var vor = new VoronoiTessellation(new VoronoiOptions { Threads = threads }).Compute(frame);
        var ico = new Motifs().Compute(frame, vor).Column("motif_ico");
        var nl = vor.Neighbors;
        var frac = new double[frame.Count];
        for (int i = 0; i < frame.Count; i++)
        {
            double s = ico[i]; int c = 1;
            for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++) { s += ico[nl.Index[p]]; c++; }
            frac[i] = s / c;
        }
        return ((double[])vor.Volume.Clone(), frac);
    }

    /// <summary>
    /// Decile tables of each indicator against a property, per species: one row per (species, indicator, bin) and one
    /// summary row per (species, indicator) with Pearson, Spearman and the top bin's share and enrichment.
    /// </summary>
    public static (ResultTable Bins, ResultTable Summary) Deciles(Frame frame, IReadOnlyList<(string Name, double[] Values)> indicators,
        string property, double[] values, int bins = 10, double topPercent = 5)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(values);
        var bSp = new List<string>(); var bInd = new List<string>(); var bBin = new List<int>(); var bN = new List<int>();
        var bXmin = new List<double>(); var bXmax = new List<double>(); var bXmean = new List<double>(); var bYmean = new List<double>();
        var bYmed = new List<double>(); var bTop = new List<int>(); var bShare = new List<double>(); var bEnr = new List<double>();
        var sSp = new List<string>(); var sInd = new List<string>(); var sN = new List<int>(); var sTop = new List<int>();
        var sP = new List<double>(); var sS = new List<double>(); var sShare = new List<double>(); var sEnr = new List<double>();
        for (int s = 0; s < frame.Species.Count; s++)
        {
            var rows = Enumerable.Range(0, frame.Count).Where(i => frame.SpeciesIndex[i] == s && double.IsFinite(values[i])).ToArray();
            if (rows.Length < bins) continue;
            string sp = frame.Species[s].Name;
            foreach (var (name, x) in indicators)
            {
                var use = rows.Where(i => double.IsFinite(x[i])).ToArray();
                if (use.Length < bins) continue;
                var r = BinnedProfile.Compute(use.Select(i => x[i]).ToArray(), use.Select(i => values[i]).ToArray(), use.Select(i => frame.Ids[i]).ToArray(), bins, topPercent);
                foreach (var b in r.Bins)
                {
                    bSp.Add(sp); bInd.Add(name); bBin.Add(b.Bin + 1); bN.Add(b.Count); bXmin.Add(b.XMin); bXmax.Add(b.XMax); bXmean.Add(b.XMean);
                    bYmean.Add(b.YMean); bYmed.Add(b.YMedian); bTop.Add(b.TopCount); bShare.Add(b.TopShare); bEnr.Add(b.Enrichment);
                }
                sSp.Add(sp); sInd.Add(name); sN.Add(use.Length); sTop.Add(r.TopAtoms); sP.Add(r.Pearson); sS.Add(r.Spearman);
                sShare.Add(r.Bins[^1].TopShare); sEnr.Add(r.Bins[^1].Enrichment);
            }
        }
        var binsTable = new ResultTable().Add("species", bSp).Add("indicator", bInd).Add("bin", bBin).Add("n", bN)
            .Add("indicator_min", bXmin).Add("indicator_max", bXmax).Add("indicator_mean", bXmean)
            .Add($"{property}_mean", bYmean).Add($"{property}_median", bYmed).Add("top_atoms", bTop).Add("top_share", bShare).Add("enrichment", bEnr);
        var summary = new ResultTable().Add("species", sSp).Add("indicator", sInd).Add("property", Enumerable.Repeat(property, sSp.Count).ToArray())
            .Add("n", sN).Add("top_atoms", sTop).Add("pearson", sP).Add("spearman", sS).Add("top_bin_share", sShare).Add("top_bin_enrichment", sEnr);
        return (binsTable, summary);
    }

    /// <summary>Bars of the decile table: one figure per indicator and species, the top-q % share per bin.</summary>
    public static IEnumerable<Figure> DecileFigures(ResultTable bins, string property, string figurePrefix)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var sp = Column(bins, "species"); var ind = Column(bins, "indicator");
        var share = bins.Numbers("top_share"); var mean = bins.Numbers($"{property}_mean"); var bin = bins.Numbers("bin");
        foreach (var indicator in ind.Distinct())
        {
            var species = sp.Where((_, k) => ind[k] == indicator).Distinct().ToArray();
            var idx0 = Enumerable.Range(0, bins.Rows).Where(k => ind[k] == indicator && sp[k] == species[0]).ToArray();
            var cats = idx0.Select(k => $"D{bin[k]:0}").ToArray();
            var series = species.Select(s => (s, (IReadOnlyList<double>)Enumerable.Range(0, bins.Rows).Where(k => ind[k] == indicator && sp[k] == s).Select(k => share[k]).ToArray())).ToList();
            yield return Plots.Bars(Figure.CheckName($"{figurePrefix}_{indicator}_top_share"), $"Share of the top atoms of {property} per {indicator} decile",
                "share of top atoms", cats, series);
            var means = species.Select(s => (s, (IReadOnlyList<double>)Enumerable.Range(0, bins.Rows).Where(k => ind[k] == indicator && sp[k] == s).Select(k => mean[k]).ToArray())).ToList();
            yield return Plots.Bars(Figure.CheckName($"{figurePrefix}_{indicator}_mean"), $"Mean {property} per {indicator} decile", $"mean {property}", cats, means);
        }
    }

    private static string[] Column(ResultTable t, string name)
    {
        int c = t.Columns.ToList().IndexOf(name);
        return Enumerable.Range(0, t.Rows).Select(r => t.Cell(r, c)).ToArray();
    }
}

/// <summary>
/// <c>glassml sf report --property …</c> as a library call: SF of a structure from a model, the baselines, and per
/// property the decile tables (deciles_PROPERTY.csv, summary_PROPERTY.csv) and bar figures; ω(r̄) and an SF slab map
/// with the top-q % atoms of the first property ringed; per-atom SF and properties as atoms.xyz / atoms.csv.
/// </summary>
public static class SfReportJob
{
    /// <summary>Fills a run directory (not committed) and returns the summary table of each property.</summary>
    public static IReadOnlyList<ResultTable> Run(RunDirectory run, SfModel model, Frame frame, string structureName,
        IReadOnlyList<(string Name, double[] Values)> properties, int bins = 10, double topPercent = 5, bool baselines = true, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(properties);
        var sf = model.Apply(frame, threads, structureName);
        var indicators = new List<(string Name, double[] Values)> { ("sf", sf) };
        if (baselines)
        {
            var (vol, ico) = SfReport.Baselines(frame, threads);
            indicators.Add(("voronoi_volume", vol));
            indicators.Add(("ico_fraction", ico));
        }
        var cols = indicators.Select(i => i.Name).Concat(properties.Select(p => p.Name)).ToArray();
        if (cols.Distinct(StringComparer.Ordinal).Count() != cols.Length) throw new ArgumentException($"property names repeat or clash with an indicator: {string.Join(", ", cols)}");
        var vals = new double[frame.Count * cols.Length];
        for (int i = 0; i < frame.Count; i++)
        {
            int c = 0;
            foreach (var (_, v) in indicators) vals[i * cols.Length + c++] = v[i];
            foreach (var (_, v) in properties) vals[i * cols.Length + c++] = v[i];
        }
        run.WritePerAtom("atoms", frame, new PerAtomFeatures(cols, frame.Count, vals));
        var summaries = new List<ResultTable>();
        foreach (var (name, values) in properties)
        {
            var (binsTable, summary) = SfReport.Deciles(frame, indicators, name, values, bins, topPercent);
            string section = $"SF against {name}";
            run.WriteTable($"deciles_{name}.csv", binsTable, null);
            run.WriteTable($"summary_{name}.csv", summary, section,
                $"Per species: Pearson, Spearman, and the top bin's share of the top {topPercent:G4} % atoms of {name} (enrichment = share / bin size share) for SF and the baselines");
            foreach (var fig in SfReport.DecileFigures(binsTable, name, $"deciles_{name}")) run.AddFigure(section, fig);
            summaries.Add(summary);
        }
        run.AddFigure("Model", SfReport.WeightsFigure(model));
        bool[]? top = null;
        if (properties.Count > 0)
        {
            var p = properties[0].Values;
            var ok = Enumerable.Range(0, frame.Count).Where(i => double.IsFinite(p[i])).ToArray();
            var prof = BinnedProfile.Compute(ok.Select(i => p[i]).ToArray(), ok.Select(i => p[i]).ToArray(), ok.Select(i => frame.Ids[i]).ToArray(), 1, topPercent);
            top = new bool[frame.Count];
            for (int k = 0; k < ok.Length; k++) top[ok[k]] = prof.IsTop[k];
        }
        run.AddFigure("Model", SfReport.SlabFigure("sf_slab", frame, sf, top, properties.Count > 0 ? $"top {topPercent:G4} % {properties[0].Name}" : ""));
        return summaries;
    }
}
