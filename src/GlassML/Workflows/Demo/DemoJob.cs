using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Reporting;
using GlassML.Statistics;
using GlassML.Structure;

namespace GlassML.Workflows.Demo;

/// <summary>What the demo gives a method: the embedded glass, the thread count and the method's shipped model.</summary>
/// <param name="Glass">The embedded Cu64Zr36 demo glass.</param>
/// <param name="Model">The method's model shipped inside the library (trained by the method's own <c>train</c>).</param>
/// <param name="Threads">Threads (0 = all cores).</param>
public sealed record DemoContext(Frame Glass, LoadedMethodModel Model, int Threads);

/// <summary>
/// One method in the demo: its name, the per-atom columns it adds, and how it applies its shipped model. A method that
/// has not landed yet has no <see cref="Apply"/> and is listed as not built.
/// </summary>
/// <param name="Method">Method name (bonds, sf, softness, ule, tml).</param>
/// <param name="Title">What the method measures.</param>
/// <param name="Columns">Per-atom columns it writes; the first is its indicator.</param>
/// <param name="HighMeans">What a high value of the indicator means (e.g. "soft").</param>
/// <param name="Apply">Applies the shipped model: one array per column, by atom index of the glass.</param>
public sealed record DemoMethod(string Method, string Title, IReadOnlyList<string> Columns, string HighMeans, Func<DemoContext, double[][]>? Apply);

/// <summary>The outcome of a demo run.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="Methods">Each method and whether it ran.</param>
/// <param name="Indicators">Indicator columns computed (name → per-atom values by atom index).</param>
/// <param name="SpeciesTable">Per-species mean and std of every indicator.</param>
public sealed record DemoResult(string Directory, IReadOnlyList<(DemoMethod Method, bool Ran)> Methods,
    IReadOnlyDictionary<string, double[]> Indicators, ResultTable SpeciesTable);

/// <summary>
/// <c>glassml demo</c>: applies each method's shipped model to the embedded demo glass and writes one folder with every
/// per-atom indicator (atoms.xyz for OVITO, atoms.csv), the glass's g(r) and structural features, and report.html: the
/// indicators per species, their Spearman matrix, the overlap of their top-10 % atoms and a slab map of the atoms
/// flagged by two or more methods.
/// </summary>
public static class DemoJob
{
    /// <summary>The five methods in demo order; a method registers its <see cref="DemoMethod.Apply"/> when it lands.</summary>
    public static IReadOnlyList<DemoMethod> Methods { get; } =
    [
        new("softness", "quench-in softness (calibrated probability of a plastic rearrangement)", ["softness"], "soft", ctx => [Softness.SoftnessModel.FromLoaded(ctx.Model).Apply(ctx.Glass, "demo glass", ctx.Threads).Softness]),
        new("sf", "structural flexibility (predicted ln v_flex)", ["sf"], "flexible", c => [StructuralFlexibility.SfModel.FromLoaded(c.Model).Apply(c.Glass, c.Threads, "(demo glass)")]),
        new("bonds", "mean bond strength of each atom's first-shell bonds", ["bond_strength_mean"], "strongly bonded", BondStrength.BondApply.Demo),
        new("tml", "machine-learned temperature under load", ["tml", "liquid_like"], "liquid-like", MachineLearnedTemperature.TmlDemo.Apply),
        new("ule", "unique local environment (ULE) of each atom", ["ule"], "—", Ule.UleDemo.Apply),
    ];

    /// <summary>Number of structural feature columns the last run wrote to features.csv.</summary>
    public static int FeatureCount { get; private set; }

    /// <summary>Indicator columns that are labels (indices), not quantities: counted, not averaged.</summary>
    public static readonly IReadOnlySet<string> Categorical = new HashSet<string>(StringComparer.Ordinal) { "ule" };

    /// <summary>Top fraction of atoms a method flags in the overlap analysis.</summary>
    public const double TopFraction = 0.10;

    /// <summary>Resource name of a method's shipped model.</summary>
    public static string ModelResource(string method) => $"GlassML.Resources.{method}.model.json";

    /// <summary>The bytes of a method's shipped model, or null when none is shipped.</summary>
    public static byte[]? ShippedModel(string method)
    {
        using var s = typeof(DemoJob).Assembly.GetManifestResourceStream(ModelResource(method));
        if (s is null) return null;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Runs the demo into <paramref name="outDir"/>.</summary>
    public static DemoResult Run(string outDir, int threads, IReadOnlyList<string> commandLine)
    {
        var glass = DemoGlass.Load();
        using var run = RunDirectory.Begin(outDir, new RunRecord("demo", "run", commandLine, threads), "GlassML demo: per-atom indicators of a Cu64Zr36 glass");
        run.Record.Set("glass", DemoGlass.DisplayName);
        run.Record.Set("atoms", glass.Count.ToString(CultureInfo.InvariantCulture));

        // 1. every method that has landed applies its shipped model
        var indicators = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var status = new List<(DemoMethod, bool)>();
        var statusText = new List<string>();
        foreach (var m in Methods)
        {
            var bytes = m.Apply is null ? null : ShippedModel(m.Method);
            if (m.Apply is null || bytes is null)
            {
                status.Add((m, false));
                statusText.Add("not built yet");
                continue;
            }
            using var model = MethodModelFile.Load(bytes, $"(shipped {m.Method} model)", m.Method, int.MaxValue);
            var cols = run.Record.Time(m.Method, () => m.Apply(new DemoContext(glass, model, threads)));
            for (int c = 0; c < m.Columns.Count; c++) indicators[m.Columns[c]] = cols[c];
            status.Add((m, true));
            statusText.Add("applied shipped model");
        }
        var statusTable = new ResultTable().Add("method", Methods.Select(m => m.Method).ToArray()).Add("indicator", Methods.Select(m => m.Columns[0]).ToArray())
            .Add("what", Methods.Select(m => m.Title).ToArray()).Add("status", statusText);
        run.WriteTable("methods.csv", statusTable, "Methods", "The five methods and what the demo did with each");

        // 2. per-atom indicators
        var names = indicators.Keys.ToArray();
        var values = new double[glass.Count * names.Length];
        for (int i = 0; i < glass.Count; i++)
            for (int c = 0; c < names.Length; c++) values[i * names.Length + c] = indicators[names[c]][i];
        run.WritePerAtom("atoms", glass, new PerAtomFeatures(names, glass.Count, values));
        var speciesTable = SpeciesSummary(glass, indicators);
        run.WriteTable("indicators_by_species.csv", speciesTable, "Indicators", "Mean and standard deviation of each indicator per species");
        foreach (var c in Categorical.Where(indicators.ContainsKey))
        {
            var v = indicators[c];
            int distinct = v.Where(double.IsFinite).Distinct().Count();
            run.Report.Section("Indicators").Paragraphs.Add(string.Create(CultureInfo.InvariantCulture,
                $"{c}: {distinct} distinct values over the {glass.Count} atoms (a label per atom, not averaged; see atoms.csv)."));
        }
        run.Report.Section("Indicators").Paragraphs.Add(
            $"Per-atom indicators of every built method are in atoms.xyz (extended XYZ: OVITO colours atoms by any column) and atoms.csv. Methods built: {status.Count(s => s.Item2)} of {Methods.Count}.");

        // 3. agreement between methods
        Agreement(run, glass, indicators);

        // 4. the glass's structure
        Structure(run, glass, threads);

        string dir = run.Commit();
        return new DemoResult(dir, status, indicators, speciesTable);
    }

    private static ResultTable SpeciesSummary(Frame glass, IReadOnlyDictionary<string, double[]> indicators)
    {
        var sp = new List<string>(); var ind = new List<string>(); var n = new List<long>(); var mean = new List<double>(); var std = new List<double>();
        foreach (var (name, v) in indicators)
        {
            if (Categorical.Contains(name)) continue; // an index (e.g. the ULE id) has no meaningful mean
            for (int s = 0; s < glass.Species.Count; s++)
            {
                var sel = Enumerable.Range(0, glass.Count).Where(i => glass.SpeciesIndex[i] == s && double.IsFinite(v[i])).Select(i => v[i]).ToArray();
                double m = sel.Length > 0 ? sel.Average() : double.NaN;
                double sd = sel.Length > 1 ? Math.Sqrt(sel.Sum(x => (x - m) * (x - m)) / (sel.Length - 1)) : double.NaN;
                ind.Add(name); sp.Add(glass.Species[s].Name); n.Add(sel.Length); mean.Add(m); std.Add(sd);
            }
        }
        return new ResultTable().Add("indicator", ind).Add("species", sp).Add("atoms", n).Add("mean", mean).Add("std", std);
    }

    /// <summary>Atoms in the top <paramref name="fraction"/> of a value (exactly round(f·N) atoms; ties by lower index).</summary>
    public static bool[] Top(IReadOnlyList<double> value, double fraction)
    {
        int n = value.Count, k = (int)Math.Round(fraction * n);
        var order = Enumerable.Range(0, n).Where(i => double.IsFinite(value[i])).OrderByDescending(i => value[i]).ThenBy(i => i).Take(k);
        var flag = new bool[n];
        foreach (int i in order) flag[i] = true;
        return flag;
    }

    private static void Agreement(RunDirectory run, Frame glass, Dictionary<string, double[]> indicators)
    {
        const string section = "Agreement between methods";
        var main = Methods.Where(m => indicators.ContainsKey(m.Columns[0]) && m.Method != "ule").Select(m => m.Columns[0]).ToArray();
        if (main.Length < 2)
        {
            run.Report.Section(section).Paragraphs.Add(
                $"The Spearman matrix between indicators, the overlap of their top-{TopFraction:P0} atoms and the slab map of atoms flagged by two or more methods need at least two built methods with a continuous indicator; this build has {main.Length}.");
            return;
        }
        int k = main.Length;
        var rho = new double[k, k]; var overlap = new double[k, k];
        var tops = main.Select(c => Top(indicators[c], TopFraction)).ToArray();
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                rho[a, b] = Correlation.Spearman(indicators[main[a]], indicators[main[b]]);
                int both = 0, either = 0;
                for (int i = 0; i < glass.Count; i++) { if (tops[a][i] && tops[b][i]) both++; if (tops[a][i] || tops[b][i]) either++; }
                overlap[a, b] = either == 0 ? double.NaN : (double)both / either;
            }
        run.AddFigure(section, Plots.Heatmap("spearman", "Spearman correlation between indicators", main, main, rho) with { Caption = "over all atoms of the demo glass" });
        run.AddFigure(section, Plots.Heatmap("top_overlap", $"Overlap of top-{TopFraction:P0} atoms (Jaccard)", main, main, overlap) with { Caption = "shared / flagged by either" });
        var count = new double[glass.Count];
        for (int i = 0; i < glass.Count; i++) count[i] = tops.Count(t => t[i]);
        var (ids, x, y, sel) = Slab(glass, 5.0);
        run.AddFigure(section, Plots.SlabMap("flagged_slab", "Atoms flagged by two or more methods (5 Å slab)", "methods flagging the atom",
            ids, x, y, sel.Select(i => count[i]).ToArray(), sel.Select(i => count[i] >= 2).ToArray(), "flagged by ≥ 2"));
    }

    /// <summary>The atoms of a slab of given thickness through the middle of the cell along z: ids, x, y and atom indices.</summary>
    public static (long[] Ids, double[] X, double[] Y, int[] Index) Slab(Frame f, double thickness)
    {
        double zMid = f.Box.Origin.Z + f.Box.C.Z / 2;
        var idx = Enumerable.Range(0, f.Count).Where(i => Math.Abs(f.Z[i] - zMid) <= thickness / 2).OrderBy(i => f.Ids[i]).ToArray();
        return (idx.Select(i => f.Ids[i]).ToArray(), idx.Select(i => f.X[i]).ToArray(), idx.Select(i => f.Y[i]).ToArray(), idx);
    }

    private static void Structure(RunDirectory run, Frame glass, int threads)
    {
        const string section = "Structure of the demo glass";
        var search = new NeighborSearch(threads);
        var g = new PairDistribution(10.0, 200).Compute(glass, search.Ball(glass, 10.0));
        var series = new List<Series> { new("total", g.R, g.Total) };
        for (int p = 0; p < g.PairNames.Count; p++) series.Add(new Series(g.PairNames[p], g.R, g.Partial[p]));
        run.AddFigure(section, Plots.Line("rdf", "Pair distribution g(r)", "r (Å)", "g(r)", series, markers: false));
        var rdf = new ResultTable().Add("r", g.R).Add("total", g.Total);
        for (int p = 0; p < g.PairNames.Count; p++) rdf.Add(g.PairNames[p], g.Partial[p]);
        run.WriteTable("rdf.csv", rdf);
        var features = run.Record.Time("features", () => new Featurizer(new FeaturizeOptions
        {
            Families = ["all"],
            Neighbors = NeighborSource.Both,
            Cutoff = 3.8,
            Mro = [MroStat.Mean, MroStat.Std, MroStat.Min, MroStat.Max, MroStat.Sum],
            Threads = threads,
        }).Compute(glass));
        CsvWriter.Write(run.PathOf("features.csv"), glass, features, threads);
        FeatureCount = features.FeatureCount;
        var vol = features.Column("voro_volume"); var q6 = features.Column("q6_voro");
        var (ids, x, y, sel) = Slab(glass, 5.0);
        run.AddFigure(section, Plots.SlabMap("volume_slab", "Voronoi volume (5 Å slab)", "voro_volume (Å³)", ids, x, y, sel.Select(i => vol[i]).ToArray()));
        var samples = Enumerable.Range(0, glass.Species.Count)
            .Select(s => (glass.Species[s].Name, (IReadOnlyList<double>)Enumerable.Range(0, glass.Count).Where(i => glass.SpeciesIndex[i] == s).Select(i => q6[i]).ToArray())).ToArray();
        run.AddFigure(section, Plots.Histogram("q6_hist", "q6 over Voronoi neighbours by species", "q6_voro", samples, 40, density: true));
        run.Report.Section(section).Paragraphs.Add(
            $"features.csv holds {features.FeatureCount} structural columns of every atom (Voronoi, motifs, Steinhardt, chemical order and distances over Voronoi and 3.8 Å cutoff shells, with their medium-range statistics; docs/features.md); rdf.csv the total and partial g(r).");
    }
}
