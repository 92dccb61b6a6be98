using System.Globalization;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>Options of <see cref="BondTrain"/>.</summary>
/// <param name="PerType">Training bonds per pair type, drawn equally from each input set (all when fewer).</param>
/// <param name="Parameters">GPR hyperparameters.</param>
/// <param name="Soap">SOAP options as <c>key=value,…</c> (<c>featurize --soap</c> keys; default r_cut 5, n_max 8, l_max 6).</param>
/// <param name="BondCutoffs">Per-pair cutoffs text, or null for the first minima of the partial g(r) of the training frames.</param>
/// <param name="LearningCurve">Training-set sizes per type of the learning curve (empty: none).</param>
/// <param name="Repeats">Repeats of each learning-curve size (different random draws).</param>
/// <param name="TestFraction">Fraction of each set's bonds held out per type when the manifest has no test rows.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="Threads">Threads (0 = all cores); results do not depend on it.</param>
public sealed record BondTrainOptions(int PerType = 600, BondGprParameters? Parameters = null, string Soap = "", string? BondCutoffs = null,
    IReadOnlyList<int>? LearningCurve = null, int Repeats = 3, double TestFraction = 0.2, ulong Seed = 1, int Threads = 0);

/// <summary>One labelled input set: a frame, its per-atom unit SOAP vectors and its labelled bonds.</summary>
/// <param name="Name">Short name.</param>
/// <param name="Role">train or test.</param>
/// <param name="Labels">The labelled bonds.</param>
public sealed record BondSample(string Name, SampleRole Role, LabelledBonds Labels);

/// <summary>What <see cref="BondTrain.Run"/> produced.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="Metrics">Metrics (test_rmse_Cu-Zr, …).</param>
/// <param name="TestTrue">Test labels per pair type.</param>
/// <param name="TestPredicted">Test predictions per pair type.</param>
/// <param name="LearningCurve">Learning-curve rows.</param>
public sealed record BondTrainResult(BondModel Model, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<double[]> TestTrue, IReadOnlyList<double[]> TestPredicted, ResultTable LearningCurve)
{
    /// <summary>Learning-curve points (pair type, size per type, test RMSE), one per repeat.</summary>
    public IReadOnlyList<(string Pair, int Size, double Rmse)> CurvePoints { get; init; } = [];
}

/// <summary>
/// <c>glassml bonds train</c>: one GPR per pair type on labelled bonds of one or more frames. The manifest lists
/// structures (<c>file</c>, <c>frame</c>, <c>role</c>) and their label CSV (<c>labels</c>, relative to the manifest;
/// <see cref="BondLabelCsv"/>). Test bonds are those of test rows, or, without test rows, a random
/// <see cref="BondTrainOptions.TestFraction"/> of each set's bonds of each type; the same test set serves the final model
/// and every point of the learning curve.
/// </summary>
public static class BondTrain
{
    /// <summary>Reads the samples of a manifest (columns file, frame, role, labels).</summary>
    /// <exception cref="InputFormatException">Missing column, unreadable structure or labels; names manifest and line or file.</exception>
    public static IReadOnlyList<(BondSample Sample, ManifestRow Row, string LabelsPath)> LoadSamples(string manifestPath, ReadOptions? read = null)
    {
        var manifest = Manifest.Load(manifestPath, ["labels"]);
        var r = new List<(BondSample, ManifestRow, string)>();
        string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
        foreach (var row in manifest.Rows)
        {
            if (row.Role == SampleRole.Apply) continue;
            if (row.Frame == "all") throw new InputFormatException(row.Manifest, row.Line, "frame 'all' is not supported here: give one row per frame");
            int index = row.Frame == "last" ? StructureReader.CountFrames(row.File, read) - 1 : int.Parse(row.Frame, CultureInfo.InvariantCulture);
            var frame = StructureReader.ReadFrame(row.File, index, read);
            string labels = Path.GetFullPath(Path.Combine(dir, row.Text("labels")));
            var lb = BondLabelCsv.Read(labels, frame, index);
            r.Add((new BondSample(row.Name, row.Role, lb), row, labels));
        }
        if (r.Count == 0) throw new InputFormatException(manifestPath, 0, "no train or test rows");
        return r;
    }

    /// <summary>Fits the model and evaluates it; optionally writes everything into a run directory.</summary>
    /// <exception cref="ArgumentException">Bad options, or no training bonds at all.</exception>
    public static BondTrainResult Run(IReadOnlyList<BondSample> samples, BondTrainOptions o, RunDirectory? run = null)
    {
        var p = o.Parameters ?? new BondGprParameters();
        p.Check();
        if (o.PerType < 1) throw new ArgumentException("--per-type must be ≥ 1");
        if (o.Repeats < 1) throw new ArgumentException("--repeats must be ≥ 1");
        if (!(o.TestFraction >= 0 && o.TestFraction < 1)) throw new ArgumentException("--test-fraction must be in [0, 1)");
        var species = samples.SelectMany(s => SpeciesPresent(s.Labels.Bonds.Frame)).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var cutoffs = o.BondCutoffs is { } ct ? BondCutoffs.Parse(ct) : BondCutoffs.FirstMinimum(samples.Select(s => s.Labels.Bonds.Frame).ToArray(), o.Threads);
        var soapOptions = p.UseSoap ? Descriptors.DescriptorParameters.Soap(Descriptors.DescriptorParameters.Split(o.Soap)) : null;
        var pairs = BondTable.PairTypes(species);
        int nt = pairs.Length;

        // per-atom SOAP of each sample, pair types of each bond
        var soap = samples.Select(s => BondSoap.Unit(s.Labels.Bonds.Frame, soapOptions, species, o.Threads)).ToArray();
        var types = samples.Select(s => s.Labels.Bonds.TypesIn(species)).ToArray();

        // pools: per type, per train set, bond rows (shuffled by seed); the fixed test set
        bool hasTestRows = samples.Any(s => s.Role == SampleRole.Test);
        var pool = new List<int>[nt][]; var test = new List<(int S, int B)>[nt];
        for (int t = 0; t < nt; t++) { pool[t] = new List<int>[samples.Count]; test[t] = []; }
        for (int s = 0; s < samples.Count; s++)
        {
            for (int t = 0; t < nt; t++)
            {
                var rows = Enumerable.Range(0, types[s].Length).Where(b => types[s][b] == t).ToArray();
                var rng = new SplitMix64(o.Seed * 1_000_003UL + (ulong)(s * 97 + t));
                rng.Shuffle(rows.AsSpan());
                if (samples[s].Role == SampleRole.Test) { foreach (var b in rows) test[t].Add((s, b)); pool[t][s] = []; continue; }
                int nTest = hasTestRows ? 0 : (int)Math.Round(o.TestFraction * rows.Length);
                foreach (var b in rows[..nTest].Order()) test[t].Add((s, b));
                pool[t][s] = rows[nTest..].ToList();
            }
        }

        // final model
        var models = new BondTypeGpr?[nt];
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var trainRows = new List<(int S, int B)>[nt];
        for (int t = 0; t < nt; t++)
        {
            trainRows[t] = Draw(pool[t], o.PerType);
            metrics[$"n_train_{pairs[t]}"] = trainRows[t].Count;
            metrics[$"n_test_{pairs[t]}"] = test[t].Count;
            if (trainRows[t].Count == 0) continue;
            models[t] = Fit(pairs[t], p, trainRows[t], samples, soap, o.Threads);
        }
        if (models.All(m => m is null)) throw new ArgumentException("no labelled bonds to train on");
        var model = new BondModel(species, cutoffs, o.Soap, p, models);

        // test predictions through the model's own prediction path
        var testTrue = new double[nt][]; var testPred = new double[nt][];
        var trainTrue = new double[nt][]; var trainPred = new double[nt][];
        for (int t = 0; t < nt; t++)
        {
            (testTrue[t], testPred[t]) = Evaluate(models[t], test[t], samples, soap, o.Threads);
            (trainTrue[t], trainPred[t]) = Evaluate(models[t], trainRows[t], samples, soap, o.Threads);
            if (models[t] is null || testTrue[t].Length == 0) continue;
            metrics[$"test_rmse_{pairs[t]}"] = Metrics.Rmse(testTrue[t], testPred[t]);
            metrics[$"test_mae_{pairs[t]}"] = Metrics.Mae(testTrue[t], testPred[t]);
            metrics[$"test_r2_{pairs[t]}"] = Metrics.R2(testTrue[t], testPred[t]);
            metrics[$"train_rmse_{pairs[t]}"] = Metrics.Rmse(trainTrue[t], trainPred[t]);
        }

        // learning curve
        var lc = new ResultTable();
        var lcPair = new List<string>(); var lcSize = new List<int>(); var lcRep = new List<int>(); var lcN = new List<int>();
        var lcRmse = new List<double>(); var lcMae = new List<double>(); var lcR2 = new List<double>();
        foreach (int size in (o.LearningCurve ?? []).Distinct().Order())
        {
            if (size < 1) throw new ArgumentException("--learning-curve sizes must be ≥ 1");
            for (int rep = 0; rep < o.Repeats; rep++)
            {
                for (int t = 0; t < nt; t++)
                {
                    if (test[t].Count == 0) continue;
                    var shuffled = pool[t].Select((l, s) =>
                    {
                        var a = l.ToArray();
                        var rng = new SplitMix64(o.Seed * 7_919UL + (ulong)(rep * 131_071 + size * 8_191 + s * 31 + t));
                        rng.Shuffle(a.AsSpan());
                        return a.ToList();
                    }).ToArray();
                    var rows = Draw(shuffled, size);
                    if (rows.Count == 0) continue;
                    var m = Fit(pairs[t], p, rows, samples, soap, o.Threads);
                    var (yt, yp) = Evaluate(m, test[t], samples, soap, o.Threads);
                    lcPair.Add(pairs[t]); lcSize.Add(size); lcRep.Add(rep); lcN.Add(rows.Count);
                    lcRmse.Add(Metrics.Rmse(yt, yp)); lcMae.Add(Metrics.Mae(yt, yp)); lcR2.Add(Metrics.R2(yt, yp));
                }
            }
        }
        lc.Add("pair", lcPair).Add("size", lcSize).Add("repeat", lcRep).Add("n_train", lcN).Add("rmse", lcRmse).Add("mae", lcMae).Add("r2", lcR2);

        var result = new BondTrainResult(model, metrics, testTrue, testPred, lc) { CurvePoints = lcPair.Select((pp, r) => (pp, lcSize[r], lcRmse[r])).ToArray() };
        if (run is not null) Write(run, result, samples, trainRows, test, trainTrue, trainPred, o);
        return result;
    }

    private static IEnumerable<string> SpeciesPresent(Frame f)
    {
        var c = f.SpeciesCounts();
        for (int s = 0; s < c.Length; s++) if (c[s] > 0) yield return f.Species[s].Name;
    }

    /// <summary>
    /// Draws up to <paramref name="total"/> bonds equally from each set's (already shuffled) pool: each set gives
    /// ⌊total/k⌋ (the first sets one more for the remainder); what a small set cannot give is shared among the others.
    /// </summary>
    internal static List<(int S, int B)> Draw(IReadOnlyList<List<int>> pools, int total)
    {
        int k = pools.Count;
        var take = new int[k];
        int remaining = total;
        var open = Enumerable.Range(0, k).Where(s => pools[s].Count > 0).ToList();
        while (remaining > 0 && open.Count > 0)
        {
            int share = remaining / open.Count, extra = remaining % open.Count;
            var next = new List<int>();
            int given = 0;
            for (int x = 0; x < open.Count; x++)
            {
                int s = open[x];
                int want = share + (x < extra ? 1 : 0);
                int can = Math.Min(want, pools[s].Count - take[s]);
                take[s] += can; given += can;
                if (take[s] < pools[s].Count) next.Add(s);
            }
            remaining -= given;
            if (given == 0) break;
            open = next;
        }
        var r = new List<(int, int)>();
        for (int s = 0; s < k; s++) foreach (var b in pools[s].Take(take[s]).Order()) r.Add((s, b));
        return r;
    }

    private static BondTypeGpr Fit(string pair, BondGprParameters p, List<(int S, int B)> rows, IReadOnlyList<BondSample> samples, UnitSoap[] soap, int threads)
    {
        var d = new double[rows.Count]; var qi = new double[rows.Count][]; var qj = new double[rows.Count][]; var y = new double[rows.Count];
        for (int k = 0; k < rows.Count; k++)
        {
            var (s, b) = rows[k];
            var bonds = samples[s].Labels.Bonds;
            d[k] = bonds.Distance[b]; qi[k] = soap[s].RowCopy(bonds.I[b]); qj[k] = soap[s].RowCopy(bonds.J[b]); y[k] = samples[s].Labels.Values[b];
        }
        return BondTypeGpr.Fit(pair, p, d, qi, qj, y, threads);
    }

    private static (double[] True, double[] Predicted) Evaluate(BondTypeGpr? m, List<(int S, int B)> rows, IReadOnlyList<BondSample> samples, UnitSoap[] soap, int threads)
    {
        var yt = rows.Select(r => samples[r.S].Labels.Values[r.B]).ToArray();
        var yp = new double[rows.Count];
        if (m is null) { Array.Fill(yp, double.NaN); return (yt, yp); }
        foreach (var g in rows.Select((r, k) => (r, k)).GroupBy(x => x.r.S))
        {
            var bonds = samples[g.Key].Labels.Bonds;
            var list = g.ToArray();
            var local = new double[bonds.Count];
            m.Predict(list.Select(x => x.r.B).ToArray(), bonds.Distance, bonds.I, bonds.J, soap[g.Key], local, threads);
            foreach (var (r, k) in list) yp[k] = local[r.B];
        }
        return (yt, yp);
    }

    private static void Write(RunDirectory run, BondTrainResult res, IReadOnlyList<BondSample> samples, List<(int S, int B)>[] trainRows,
        List<(int S, int B)>[] test, double[][] trainTrue, double[][] trainPred, BondTrainOptions o)
    {
        var model = res.Model; var pairs = model.PairNames;
        foreach (var (k, v) in res.Metrics) run.Record.Metrics[k] = v;
        run.Record.Set("pair_types", string.Join(",", pairs));
        run.Record.Set("bond_cutoffs", model.Cutoffs.ToString());
        run.Record.Set("params", model.Parameters.ToString());
        run.Record.Set("soap", o.Soap);
        run.Record.Set("per_type", o.PerType.ToString(CultureInfo.InvariantCulture));
        run.Record.Set("seed", o.Seed.ToString(CultureInfo.InvariantCulture));
        model.Save(run.PathOf("model.json"), res.Metrics, run.Record.Inputs);

        const string sec = "Model";
        var mt = new ResultTable().Add("pair", pairs)
            .Add("n_train", pairs.Select(pp => Get(res.Metrics, "n_train_" + pp)).ToArray())
            .Add("n_test", pairs.Select(pp => Get(res.Metrics, "n_test_" + pp)).ToArray())
            .Add("test_rmse", pairs.Select(pp => Get(res.Metrics, "test_rmse_" + pp)).ToArray())
            .Add("test_mae", pairs.Select(pp => Get(res.Metrics, "test_mae_" + pp)).ToArray())
            .Add("test_r2", pairs.Select(pp => Get(res.Metrics, "test_r2_" + pp)).ToArray())
            .Add("train_rmse", pairs.Select(pp => Get(res.Metrics, "train_rmse_" + pp)).ToArray());
        run.WriteTable("metrics.csv", mt, sec, "Training and test bonds per pair type and test metrics of the final model");
        int drawnShort = pairs.Count(pp => Get(res.Metrics, "n_train_" + pp) < o.PerType);
        run.Report.Section(sec).Paragraphs.Add(
            $"One Gaussian process per pair type with the bond kernel ({model.Parameters}; SOAP '{(o.Soap.Length == 0 ? "defaults" : o.Soap)}'), up to {o.PerType} training bonds per type drawn equally from {samples.Count(s => s.Role == SampleRole.Train)} input set(s)"
            + (drawnShort > 0 ? $"; {drawnShort} type(s) had fewer bonds and use all of them (n_train)." : ".")
            + $" Bond cutoffs: {model.Cutoffs}.");

        // per-bond tables
        WriteBondRows(run, "bonds_test.csv", samples, test, res.TestTrue, res.TestPredicted, pairs);
        WriteBondRows(run, "bonds_train.csv", samples, trainRows, trainTrue, trainPred, pairs);

        for (int t = 0; t < pairs.Length; t++)
            if (res.TestTrue[t].Length > 0 && model.Types[t] is not null)
                run.AddFigure(sec, Plots.Parity($"parity_{Safe(pairs[t])}", $"Test bonds {pairs[t]}", "bond strength", [new Series(
                    $"{pairs[t]} R² {Get(res.Metrics, "test_r2_" + pairs[t]):F3}, RMSE {Get(res.Metrics, "test_rmse_" + pairs[t]):G3}", res.TestTrue[t], res.TestPredicted[t])]));

        // labels per type
        var sampleTypes = samples.Select(s => s.Labels.Bonds.TypesIn(model.Species)).ToArray();
        var all = pairs.Select((pp, t) => (pp, samples.SelectMany((s, si) => s.Labels.Values.Where((_, b) => sampleTypes[si][b] == t)).ToArray())).ToArray();
        long total = all.Sum(a => (long)a.Item2.Length);
        run.AddFigure("Labels", Plots.Histogram("labels_by_type", "Bond labels by pair type", "bond strength",
            all.Where(a => a.Item2.Length > 0).Select(a => ($"{a.pp} ({100.0 * a.Item2.Length / total:F1} %)", (IReadOnlyList<double>)a.Item2)).ToArray(), 40));

        if (res.LearningCurve.Rows > 0)
        {
            run.WriteTable("learning_curve.csv", res.LearningCurve, "Learning curve", "Test metrics per training-set size and repeat (fixed test set)");
            var pair = res.CurvePoints.Select(c => c.Pair).ToArray(); var size = res.CurvePoints.Select(c => (double)c.Size).ToArray(); var rmse = res.CurvePoints.Select(c => c.Rmse).ToArray();
            var series = new List<Series>();
            foreach (var pp in pairs)
            {
                var sizes = Enumerable.Range(0, pair.Length).Where(r => pair[r] == pp).Select(r => size[r]).Distinct().Order().ToArray();
                if (sizes.Length == 0) continue;
                series.Add(new Series(pp, sizes, sizes.Select(sz => Enumerable.Range(0, pair.Length).Where(r => pair[r] == pp && size[r] == sz).Average(r => rmse[r])).ToArray()));
            }
            run.AddFigure("Learning curve", Plots.Line("learning_curve", "Learning curve (mean over repeats)", "training bonds per type", "test RMSE", series));
        }
    }

    private static void WriteBondRows(RunDirectory run, string name, IReadOnlyList<BondSample> samples, List<(int S, int B)>[] rows, IReadOnlyList<double[]> yt, IReadOnlyList<double[]> yp, string[] pairs)
    {
        var set = new List<string>(); var frame = new List<int>(); var idi = new List<long>(); var idj = new List<long>(); var pair = new List<string>();
        var dist = new List<double>(); var tv = new List<double>(); var pv = new List<double>();
        for (int t = 0; t < pairs.Length; t++)
            for (int k = 0; k < rows[t].Count; k++)
            {
                var (s, b) = rows[t][k];
                var bonds = samples[s].Labels.Bonds; var f = bonds.Frame;
                set.Add(samples[s].Name); frame.Add(samples[s].Labels.FrameIndex); idi.Add(f.Ids[bonds.I[b]]); idj.Add(f.Ids[bonds.J[b]]);
                pair.Add(pairs[t]); dist.Add(bonds.Distance[b]); tv.Add(yt[t][k]); pv.Add(yp[t][k]);
            }
        run.WriteTable(name, new ResultTable().Add("set", set).Add("frame", frame).Add("id_i", idi).Add("id_j", idj).Add("pair", pair)
            .Add("distance", dist).Add("value", tv).Add("predicted", pv));
    }

    internal static double Get(IReadOnlyDictionary<string, double> m, string k) => m.TryGetValue(k, out double v) ? v : double.NaN;

    internal static string Safe(string pair) => new(pair.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
