using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Workflows.Softness;

/// <summary>One manifest sample after labelling, featurising and scoring.</summary>
public sealed class SoftnessSample
{
    internal SoftnessSample(ManifestRow row, string name, SoftnessLabels labels, PerAtomFeatures features)
    {
        Row = row; Name = name; Labels = labels; Features = features;
        Condition = row.Has("condition") ? row.Text("condition") : "all";
    }

    /// <summary>The manifest row.</summary>
    public ManifestRow Row { get; }
    /// <summary>Sample name (file name without extensions).</summary>
    public string Name { get; }
    /// <summary>train or test.</summary>
    public SampleRole Role => Row.Role;
    /// <summary>The manifest's <c>condition</c> (composition × cooling rate), or <c>all</c>.</summary>
    public string Condition { get; }
    /// <summary>Labels from the trajectory.</summary>
    public SoftnessLabels Labels { get; }
    /// <summary>The feature set on frame 0.</summary>
    public PerAtomFeatures Features { get; }
    /// <summary>Raw scores (boosted-tree margins) by atom.</summary>
    public double[] Raw { get; internal set; } = [];
    /// <summary>Softness by atom.</summary>
    public double[] Softness { get; internal set; } = [];

    /// <summary>Indices of the atoms used for labels and scores.</summary>
    public int[] IncludedAtoms() => Enumerable.Range(0, Labels.Reference.Count).Where(i => Labels.Included[i]).ToArray();
}

/// <summary>What <see cref="SoftnessTrainer.Train"/> returns.</summary>
/// <param name="Model">The trained model (also saved as model.json).</param>
/// <param name="Samples">Every sample with its labels and scores.</param>
/// <param name="Cascade">The cascade's stages.</param>
/// <param name="CvAuc">Pooled out-of-fold AUC on the balanced training rows.</param>
/// <param name="TestAuc">Pooled held-out AUC at the label strain (NaN without test samples).</param>
/// <param name="TestAucCi">Its 95 % bootstrap interval.</param>
/// <param name="BalancedCounts">Rows per class (0, 1) after undersampling.</param>
public sealed record SoftnessTrainResult(SoftnessModel Model, IReadOnlyList<SoftnessSample> Samples, CascadeResult Cascade, double CvAuc,
    double TestAuc, (double Low, double High) TestAucCi, (int Zero, int One) BalancedCounts);

/// <summary>
/// <c>glassml softness train</c>: labels every manifest trajectory (plastic at the label strain), computes the feature set
/// on frame 0, undersamples the training atoms to balanced classes, runs the reduction cascade, fits boosted trees
/// (optionally after a hyper-parameter search), calibrates their out-of-fold scores isotonically into softness, scores
/// every sample and evaluates on the held-out (test) samples. Writes the run directory's tables, per-atom files, plots and
/// model.json.
/// </summary>
public static class SoftnessTrainer
{
    /// <summary>Trains into <paramref name="run"/> (not committed here).</summary>
    /// <exception cref="InputFormatException">Bad manifest or trajectory, a label strain with no frame near it, no plastic atoms.</exception>
    /// <exception cref="ArgumentException">Bad options.</exception>
    public static SoftnessTrainResult Train(Manifest manifest, ReadOptions? read, SoftnessTrainOptions o, RunDirectory run, Action<string>? log = null)
    {
        log ??= _ => { };
        o.Labels.Validate();
        if (o.Folds < 2) throw new ArgumentException("--cv must be at least 2");
        ulong seed = (ulong)o.Seed;
        var rows = manifest.Rows.Where(r => r.Role != SampleRole.Apply).ToArray();
        if (!rows.Any(r => r.Role == SampleRole.Train)) throw new InputFormatException(manifest.Path, 0, "no sample with role 'train'");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
            if (!names.Add(r.Name)) throw new InputFormatException(manifest.Path, r.Line, $"sample name '{r.Name}' is used twice (file names must differ)");

        // labels and features, one sample at a time
        var samples = new List<SoftnessSample>();
        foreach (var r in rows)
        {
            var labels = run.Record.Time($"labels {r.Name}", () => SoftnessLabels.Compute(r.File, read, o.Labels, o.Threads));
            run.Record.AddInput(r.Values["file"], r.File);
            var feats = run.Record.Time($"features {r.Name}", () => SoftnessModel.ComputeFeatures(labels.Reference, o.Features, o.Threads, seedCutoff: o.SeedCutoff));
            var s = new SoftnessSample(r, r.Name, labels, feats);
            int np = s.Labels.Plastic.Count(b => b);
            log(FormattableString.Invariant(
                $"{r.Name} ({(r.Role == SampleRole.Train ? "train" : "test")}): label frame {labels.LabelFrame} at strain {labels.Strains[labels.LabelFrame]:F4}, plastic {100 * labels.PlasticFraction:F2} % ({np} of {labels.Included.Count(b => b)} atoms); per frame: ") +
                string.Join(" ", labels.PlasticFractionByFrame.Select((f, k) => FormattableString.Invariant($"{labels.Strains[k]:F3}:{100 * f:F1}%"))));
            if (np == 0)
                throw new InputFormatException(r.File, 0, string.Create(CultureInfo.InvariantCulture,
                    $"no plastic atoms at strain {labels.Strains[labels.LabelFrame]:G4} ({o.Labels.Describe()}): nothing to learn or evaluate (an affine-only deformation?)"));
            if (np == labels.Included.Count(b => b)) throw new InputFormatException(r.File, 0, "every atom is plastic at the label strain: raise --d2-threshold");
            samples.Add(s);
        }
        var columns = samples[0].Features.Names;
        foreach (var s in samples)
            if (!s.Features.Names.SequenceEqual(columns))
                throw new InputFormatException(s.Row.Manifest, s.Row.Line, $"sample '{s.Name}' has other feature columns than '{samples[0].Name}' (different species?)");
        var species = new List<string>();
        foreach (var s in samples)
        {
            var counts = s.Labels.Reference.SpeciesCounts();
            for (int k = 0; k < counts.Length; k++) if (counts[k] > 0 && !species.Contains(s.Labels.Reference.Species[k].Name)) species.Add(s.Labels.Reference.Species[k].Name);
        }

        // balanced training table
        var train = samples.Where(s => s.Role == SampleRole.Train).ToList();
        var allLabels = train.SelectMany(s => s.IncludedAtoms().Select(i => s.Labels.Plastic[i] ? 1.0 : 0.0)).ToArray();
        var keep = Sampling.Undersample(allLabels, seed);
        var balanced = Table(train, columns, keep); // only the kept rows: the whole table of a large sample is GBs
        int ones = balanced.Labels!.Count(l => l == 1), zeros = balanced.Rows - ones;
        log($"training rows: {allLabels.Length} atoms of {train.Count} samples, {allLabels.Count(l => l == 1)} plastic; balanced by undersampling: {zeros} + {ones}");
        var gbdt = o.Gbdt with { Seed = seed, Threads = o.Threads };
        var (folds, scheme) = SoftnessLearning.Folds(balanced, o.Folds, seed);

        var cascade = run.Record.Time("cascade", () => SoftnessLearning.Cascade(balanced, o.Cascade, folds, gbdt, o.Threads));
        var finalCols = cascade.Final.Select(n => columns.ToList().IndexOf(n)).ToArray();
        var sel = balanced.SelectColumns(finalCols);
        log($"cascade: {string.Join(" → ", cascade.Stages.Select(st => $"{st.Stage} {st.Kept.Count}"))}");
        IReadOnlyList<SearchTrial> trials = [];
        if (o.Search is not null)
        {
            (gbdt, trials) = run.Record.Time("search", () => SoftnessLearning.Search(o.Search, sel, folds, gbdt, o.Seed, o.Threads));
            log(string.Create(CultureInfo.InvariantCulture, $"search: best of {trials.Count}: learning_rate {gbdt.LearningRate:G4}, max_depth {gbdt.MaxDepth}, n_estimators {gbdt.NEstimators}, min_child_weight {gbdt.MinChildWeight:G4}"));
        }
        var oof = run.Record.Time("cv", () => SoftnessLearning.OutOfFold(sel, folds, gbdt, o.Threads));
        double cvAuc = Metrics.RocAuc(sel.Labels, oof);
        var iso = IsotonicRegression.Fit(oof, sel.Labels, increasing: true);
        var trees = run.Record.Time("fit", () => SoftnessLearning.Fit(sel, gbdt));

        // score every sample
        foreach (var s in samples)
        {
            s.Raw = trees.PredictMargin(SoftnessModel.Table(s.Features, trees.FeatureNames), o.Threads);
            s.Softness = iso.Predict(s.Raw);
        }
        var tests = samples.Where(s => s.Role == SampleRole.Test).ToList();
        double testAuc = double.NaN; (double, double) ci = (double.NaN, double.NaN);
        if (tests.Count > 0)
        {
            var (l, sc) = Pooled(tests, s => s.Labels.Plastic, s => s.Softness);
            testAuc = Metrics.RocAuc(l, sc);
            ci = SoftnessLearning.BootstrapAuc(l, sc, o.Bootstrap, seed);
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["cv_auc"] = cvAuc };
        if (tests.Count > 0) { metrics["test_auc"] = testAuc; metrics["test_auc_ci_low"] = ci.Item1; metrics["test_auc_ci_high"] = ci.Item2; }
        var header = new MethodModelHeader(SoftnessModel.Method, SoftnessModel.Schema, species, metrics,
            run.Record.Inputs.ToArray());
        var model = new SoftnessModel(header, o.Features, o.Labels, o.Cascade.ToString(), trees, iso, o.SeedCutoff);
        model.Save(run.PathOf("model.json"));
        foreach (var (k, v) in metrics) run.Record.Metrics[k] = v;
        run.Record.Set("labels", o.Labels.Describe());
        run.Record.Set("features", o.Features);
        run.Record.Set("cascade", o.Cascade.ToString());
        run.Record.Set("cv", scheme);
        run.Record.Set("gbdt", string.Join(",", gbdt.ToDictionary().Select(kv => $"{kv.Key}={kv.Value}")));
        run.Record.Set("seed", o.Seed.ToString(CultureInfo.InvariantCulture));
        var result = new SoftnessTrainResult(model, samples, cascade, cvAuc, testAuc, ci, (zeros, ones));
        SoftnessReport.Write(run, result, o, balanced, sel, scheme, trials, log);
        return result;
    }

    /// <summary>
    /// Labelled table of the included atoms of samples (rows in sample then atom order; group = sample index), or only the
    /// rows <paramref name="rows"/> of that table, in that order (the values of <c>Table(samples, columns).SelectRows(rows)</c>
    /// without the whole table).
    /// </summary>
    public static FeatureTable Table(IReadOnlyList<SoftnessSample> samples, IReadOnlyList<string> columns, int[]? rows = null)
    {
        int nf = columns.Count;
        var at = samples.SelectMany((s, si) => s.IncludedAtoms().Select(i => (Sample: si, Atom: i))).ToArray();
        rows ??= Enumerable.Range(0, at.Length).ToArray();
        int nr = rows.Length;
        // exact-size arrays (the table can be GBs: 746 columns of every training atom)
        var vals = GC.AllocateUninitializedArray<double>(checked(nr * nf));
        var lab = new double[nr]; var grp = new int[nr]; var ids = new long[nr];
        for (int r = 0; r < nr; r++)
        {
            var (si, i) = at[rows[r]];
            var s = samples[si];
            s.Features.Row(i).CopyTo(vals.AsSpan(r * nf, nf));
            lab[r] = s.Labels.Plastic[i] ? 1 : 0;
            grp[r] = si;
            ids[r] = s.Labels.Reference.Ids[i];
        }
        return new FeatureTable(columns, nr, vals, lab, grp, ids);
    }

    /// <summary>Labels and scores of the included atoms of several samples, pooled.</summary>
    public static (double[] Labels, double[] Scores) Pooled(IEnumerable<SoftnessSample> samples, Func<SoftnessSample, IReadOnlyList<bool>> labels, Func<SoftnessSample, double[]> scores)
    {
        var l = new List<double>(); var s = new List<double>();
        foreach (var x in samples)
        {
            var lab = labels(x); var sc = scores(x);
            foreach (int i in x.IncludedAtoms()) { l.Add(lab[i] ? 1 : 0); s.Add(sc[i]); }
        }
        return ([.. l], [.. s]);
    }
}
