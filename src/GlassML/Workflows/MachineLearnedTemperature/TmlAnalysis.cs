using System.Globalization;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>
/// <c>glassml tml analyze</c> as a library: the groups all, liquid-like (LA), solid-like (SA), most-LA and most-SA
/// (exactly round(f·N) atoms of highest / lowest T_ML, ties by lower id) of one frame and their
/// <see cref="GroupStatistics"/>.
/// </summary>
public static class TmlAnalysis
{
    /// <summary>Group names in output order.</summary>
    public static readonly IReadOnlyList<string> GroupNames = ["all", "LA", "SA", "most_LA", "most_SA"];

    /// <summary>Reads T_ML (and the liquid-like flag when present) per atom id from an apply CSV.</summary>
    /// <param name="path">CSV with columns id, …, TML_COLUMN [, FLAG_COLUMN].</param>
    /// <param name="start">Start time (ps) selecting tml_START; NaN = the single column <c>tml</c>.</param>
    /// <exception cref="InputFormatException">Missing columns or bad values (with line).</exception>
    public static Dictionary<long, (double Tml, double Flag)> ReadCsv(string path, double start)
    {
        using var csv = CsvTableReader.Open(path);
        var cols = csv.Header;
        long hl = csv.HeaderLine;
        string tc = double.IsNaN(start) ? "tml" : $"tml_{TmlWindows.Fmt(start)}";
        string fc = double.IsNaN(start) ? "liquid_like" : $"liquid_like_{TmlWindows.Fmt(start)}";
        int id = csv.Column("id"), t = csv.Column(tc), fl = csv.Column(fc);
        if (id < 0) throw new InputFormatException(path, hl, "no 'id' column");
        if (t < 0 && double.IsNaN(start) && cols.Count(c => c.StartsWith("tml_", StringComparison.Ordinal)) > 0)
            throw new InputFormatException(path, hl, $"several start times ({string.Join(", ", cols.Where(c => c.StartsWith("tml_", StringComparison.Ordinal)))}): choose one with --start");
        if (t < 0) throw new InputFormatException(path, hl, $"no '{tc}' column (columns: {string.Join(", ", cols)})");
        var d = new Dictionary<long, (double, double)>();
        while (csv.Read())
        {
            if (csv.Count != cols.Count) throw csv.Error($"{csv.Count} fields, the header has {cols.Count}");
            if (!long.TryParse(csv.Cell(id), NumberStyles.Integer, CultureInfo.InvariantCulture, out long a)) throw csv.Error($"id '{csv.Text(id)}' is not an integer");
            if (!double.TryParse(csv.Cell(t), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)) throw csv.Error($"{tc} '{csv.Text(t)}' is not a finite number");
            double f = double.NaN;
            if (fl >= 0 && !double.TryParse(csv.Cell(fl), NumberStyles.Float, CultureInfo.InvariantCulture, out f)) throw csv.Error($"{fc} '{csv.Text(fl)}' is not a number");
            if (!d.TryAdd(a, (v, f))) throw csv.Error($"id {a} appears twice");
        }
        return d;
    }

    /// <summary>The five groups of a frame from per-atom T_ML (frame order) and the liquid-like rule T_ML &gt; Tg.</summary>
    public static IReadOnlyList<(string Name, bool[] Members)> Groups(Frame frame, double[] tml, double tg, double top)
    {
        if (!(top > 0 && top <= 0.5)) throw new ArgumentException("--top must be in (0, 0.5]");
        int n = frame.Count, k = (int)Math.Round(top * n);
        if (k < 1) throw new ArgumentException($"--top {top}: round(f·N) = 0 atoms of {n}");
        var la = tml.Select(t => t > tg).ToArray();
        var byHigh = Enumerable.Range(0, n).OrderByDescending(i => tml[i]).ThenBy(i => frame.Ids[i]).Take(k).ToHashSet();
        var byLow = Enumerable.Range(0, n).OrderBy(i => tml[i]).ThenBy(i => frame.Ids[i]).Take(k).ToHashSet();
        return [("all", Enumerable.Repeat(true, n).ToArray()), ("LA", la), ("SA", la.Select(b => !b).ToArray()),
            ("most_LA", Enumerable.Range(0, n).Select(byHigh.Contains).ToArray()), ("most_SA", Enumerable.Range(0, n).Select(byLow.Contains).ToArray())];
    }

    /// <summary>Writes composition.csv, polyhedra.csv, d5.csv, bonds.csv, q6w6.csv, chemical_order.csv, ideal_points.csv and the figures.</summary>
    public static IReadOnlyDictionary<string, GroupStatisticsResult> Write(RunDirectory run, Frame frame, double[] tml, double tg, double top, GroupStatisticsOptions options)
    {
        var gs = new GroupStatistics(frame, options);
        var groups = Groups(frame, tml, tg, top);
        var res = new Dictionary<string, GroupStatisticsResult>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var (name, g) in groups)
        {
            if (!g.Any(b => b)) { skipped.Add(name); continue; }
            res[name] = gs.Of(g);
        }
        const string S1 = "Groups", S2 = "Voronoi polyhedra", S3 = "Bond orientational order", S4 = "Chemical order";
        run.Report.Section(S1).Paragraphs.Add($"{frame.Count} atoms; LA: T_ML > Tg = {TmlWindows.Fmt(tg)} K; most_LA / most_SA: the {Math.Round(top * frame.Count)} atoms of highest / lowest T_ML (ties by id). Neighbours: {gs.Shell}." +
            (skipped.Count > 0 ? $" Empty groups skipped: {string.Join(", ", skipped)}." : ""));
        var species = res["all"].Species;
        // composition
        var cg = new List<string>(); var cs = new List<string>(); var cn = new List<long>(); var cf = new List<double>();
        foreach (var (name, r) in res)
            for (int s = 0; s < species.Count; s++) { cg.Add(name); cs.Add(species[s]); cn.Add(r.SpeciesCount[s]); cf.Add(r.SpeciesCount[s] / (double)r.Count); }
        run.WriteTable("composition.csv", new ResultTable().Add("group", cg).Add("species", cs).Add("atoms", cn).Add("fraction", cf), S1, "Composition of every group");
        // polyhedra: the 12 most frequent of the sample
        var topPoly = res["all"].PolyhedronCount.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(12).Select(kv => kv.Key).ToArray();
        var pg = new List<string>(); var pp = new List<string>(); var pc = new List<long>(); var pf = new List<double>(); var pd = new List<double>();
        foreach (var (name, r) in res)
            foreach (var (k, c) in res["all"].PolyhedronCount.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                long cnt = r.PolyhedronCount.TryGetValue(k, out long x) ? x : 0;
                pg.Add(name); pp.Add(k); pc.Add(cnt); pf.Add(cnt / (double)r.Count); pd.Add(r.Propensity[k]);
            }
        run.WriteTable("polyhedra.csv", new ResultTable().Add("group", pg).Add("voronoi_index", pp).Add("atoms", pc).Add("fraction", pf).Add("propensity_percent", pd), S2,
            "Voronoi-index counts and propensity Δf = (f_group − f_all)/f_all × 100 % (indices <n3,n4,n5,n6>)");
        var others = res.Keys.Where(k => k != "all").ToArray();
        run.AddFigure(S2, Plots.Bars("propensity", "Voronoi-index propensity Δf (%)", "Δf (%)", topPoly,
            others.Select(g => (g, (IReadOnlyList<double>)topPoly.Select(p => res[g].Propensity[p]).ToArray())).ToArray()));
        run.WriteTable("d5.csv", new ResultTable().Add("group", res.Keys.ToArray()).Add("d5", res.Values.Select(r => r.D5).ToArray()), S2,
            $"d5 = Σn5/Σn over the atoms of each group's {options.TopPolyhedra} most frequent polyhedra");
        // q6-w6
        var ideal = GroupStatistics.IdealPoints();
        run.WriteTable("ideal_points.csv", new ResultTable().Add("structure", ideal.Select(p => p.Label).ToArray()).Add("q6", ideal.Select(p => p.Q6).ToArray())
            .Add("w6", ideal.Select(p => p.W6).ToArray()), S3, "q6 and ŵ6 of ideal first shells");
        foreach (var (name, r) in res)
        {
            if (name == "all") continue;
            run.AddFigure(S3, Plots.Histogram2D($"q6w6_{name}", $"q6–ŵ6 of the {name} atoms", "q6", "ŵ6", r.Q6, r.W6, 30, ideal.Select(p => (p.Label, p.Q6, p.W6)).ToArray()));
        }
        run.AddFigure(S3, Plots.Histogram("bond_s", "s(i,j) of the bonds of each group's atoms", "s(i,j)",
            res.Select(kv => (kv.Key, (IReadOnlyList<double>)kv.Value.BondS)).ToArray(), options.BondBins, density: true));
        run.WriteTable("bonds.csv", new ResultTable().Add("group", res.Keys.ToArray()).Add("bonds", res.Values.Select(r => (long)r.BondS.Length).ToArray())
            .Add("fraction_s_above_threshold", res.Values.Select(r => r.CrystallineBondFraction).ToArray())
            .Add("q6_mean", res.Values.Select(r => Mean(r.Q6)).ToArray()).Add("w6_mean", res.Values.Select(r => Mean(r.W6)).ToArray()), S3,
            $"Bonds with s(i,j) > {TmlWindows.Fmt(options.BondThreshold)}, mean q6 and ŵ6 per group");
        // chemical order
        var og = new List<string>(); var oa = new List<string>(); var ob = new List<string>(); var oz = new List<double>(); var ozab = new List<double>(); var oal = new List<double>(); var oet = new List<double>();
        int ns = species.Count;
        foreach (var (name, r) in res)
            for (int a = 0; a < ns; a++)
                for (int b = 0; b < ns; b++)
                {
                    og.Add(name); oa.Add(species[a]); ob.Add(species[b]); oz.Add(r.Za[a]); ozab.Add(r.Zab[a * ns + b]); oal.Add(r.Alpha[a * ns + b]); oet.Add(r.Eta[a * ns + b]);
                }
        run.WriteTable("chemical_order.csv", new ResultTable().Add("group", og).Add("centre", oa).Add("neighbour", ob).Add("Z_A", oz).Add("Z_AB", ozab).Add("alpha", oal).Add("eta", oet), S4,
            $"Warren–Cowley α_A(B) = 1 − Z_AB/(c_B Z_A) and η_A(B) = 1 − Z_AB/Z*_A(B), Z* = c_B Z_A Z_B/⟨Z⟩ (group centres against the sample; shell: {gs.Shell})");
        var pairs = Enumerable.Range(0, ns * ns).Select(p => $"{species[p / ns]}-{species[p % ns]}").ToArray();
        run.AddFigure(S4, Plots.Bars("warren_cowley", "Warren–Cowley α_A(B)", "α", pairs, res.Select(kv => (kv.Key, (IReadOnlyList<double>)kv.Value.Alpha)).ToArray()));
        run.AddFigure(S4, Plots.Bars("eta", "Chemical order η_A(B)", "η", pairs, res.Select(kv => (kv.Key, (IReadOnlyList<double>)kv.Value.Eta)).ToArray()));
        return res;
    }

    private static double Mean(double[] v)
    {
        var f = v.Where(double.IsFinite).ToArray();
        return f.Length > 0 ? f.Average() : double.NaN;
    }
}
