using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>
/// One training structure: a configuration (usually the start of the NVE runs) and the ln v_flex of its atoms.
/// </summary>
/// <param name="Name">Short name (tables, messages).</param>
/// <param name="Group">Group of a grouped split or grouped folds (e.g. the glass it came from).</param>
/// <param name="Frame">The structure, atoms sorted by id.</param>
/// <param name="LnVflex">ln v_flex per atom, in frame order (finite).</param>
public sealed record SfSample(string Name, string Group, Frame Frame, double[] LnVflex);

/// <summary>Everything one training run produces.</summary>
public sealed class SfTrainResult
{
    internal SfTrainResult(SfModel model, ResultTable parity, ResultTable weights, ResultTable metrics, ResultTable rp,
        ResultTable? sweep, IReadOnlyList<string> messages, IReadOnlyList<double[]> sf)
    {
        Model = model; Parity = parity; Weights = weights; MetricsTable = metrics; RpTable = rp; Sweep = sweep; Messages = messages; Sf = sf;
    }

    /// <summary>The trained model.</summary>
    public SfModel Model { get; }
    /// <summary>Per atom: sample, id, species, set (train/test), ln_v_flex, sf, and cv_sf with folds (rows by sample, then id).</summary>
    public ResultTable Parity { get; }
    /// <summary>Per weight: centre, neighbour, r_bar, omega (the bias weight as neighbour "bias").</summary>
    public ResultTable Weights { get; }
    /// <summary>Per species and set: n, pearson, spearman, r2, rmse.</summary>
    public ResultTable MetricsTable { get; }
    /// <summary>Per pair: centre, neighbour, r_p, atoms used, q used.</summary>
    public ResultTable RpTable { get; }
    /// <summary>Per species and C of the sweep: cross-validated pearson, r2 (null without a sweep).</summary>
    public ResultTable? Sweep { get; }
    /// <summary>What the training decided (r_p quantiles widened, C chosen), one line each.</summary>
    public IReadOnlyList<string> Messages { get; }
    /// <summary>SF per atom of every sample (frame order), from the final model.</summary>
    public IReadOnlyList<double[]> Sf { get; }
}

/// <summary>
/// Trains a structural-flexibility model: r_p per species pair (fixed in the model), radial structure functions on the
/// reduced grid, one <see cref="LinearSvr"/> per centre species on ln v_flex (LIBLINEAR <c>-s 11</c>, bias as a feature),
/// a seeded test split by atoms (per species) or by group, optional k-fold cross-validation and a C sweep.
/// Deterministic: same samples and options give the same model bytes for any thread count.
/// </summary>
public static class SfTrainer
{
    /// <summary>Trains a model.</summary>
    /// <exception cref="ArgumentException">Bad options, or too few atoms/groups for the split.</exception>
    public static SfTrainResult Train(IReadOnlyList<SfSample> samples, SfTrainOptions options, IReadOnlyList<InputHash>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (samples.Count == 0) throw new ArgumentException("no training structures");
        var inv = CultureInfo.InvariantCulture;
        var messages = new List<string>();

        // species in order of first appearance
        var species = new List<string>();
        foreach (var s in samples)
        {
            if (s.LnVflex.Length != s.Frame.Count) throw new ArgumentException($"{s.Name}: {s.LnVflex.Length} ln v_flex values for {s.Frame.Count} atoms");
            for (int i = 0; i < s.LnVflex.Length; i++)
                if (!double.IsFinite(s.LnVflex[i])) throw new ArgumentException($"{s.Name}: atom {s.Frame.Ids[i]} has a non-finite ln v_flex ({s.LnVflex[i]})");
            var counts = s.Frame.SpeciesCounts();
            for (int t = 0; t < s.Frame.Species.Count; t++)
                if (counts[t] > 0 && !species.Contains(s.Frame.Species[t].Name)) species.Add(s.Frame.Species[t].Name);
        }

        // rows: (sample, atom) for every atom, grouped by centre species
        var rowsOf = species.ToDictionary(s => s, _ => new List<(int Sample, int Atom)>(), StringComparer.Ordinal);
        for (int k = 0; k < samples.Count; k++)
        {
            var f = samples[k].Frame;
            for (int i = 0; i < f.Count; i++) rowsOf[f.Species[f.SpeciesIndex[i]].Name].Add((k, i));
        }
        var groupNames = samples.Select(s => s.Group).Distinct(StringComparer.Ordinal).ToList();

        // the test split
        var isTest = samples.Select(s => new bool[s.Frame.Count]).ToArray();
        if (options.TestFraction > 0)
        {
            if (options.SplitByGroup)
            {
                if (groupNames.Count < 2) throw new ArgumentException($"a split by group needs at least 2 groups; the inputs form {groupNames.Count} (split by atoms instead, or give more structures)");
                var g = samples.Select(s => groupNames.IndexOf(s.Group)).ToArray();
                var split = Splits.HoldOutGroups(g, options.TestFraction, (ulong)options.Seed);
                foreach (int k in split.Test) Array.Fill(isTest[k], true);
                messages.Add($"test groups: {string.Join(", ", split.Test.Select(k => samples[k].Group).Distinct())}");
            }
            else
            {
                for (int s = 0; s < species.Count; s++)
                {
                    var rows = rowsOf[species[s]];
                    if (rows.Count < 2) continue;
                    var split = Splits.HoldOut(rows.Count, options.TestFraction, SpeciesSeed(options.Seed, s));
                    foreach (int r in split.Test) isTest[rows[r].Sample][rows[r].Atom] = true;
                }
            }
        }

        // r_p per pair from the training rows
        var (rp, rpTable) = ReferenceDistances(samples, species, rowsOf, isTest, options, messages);
        var recipe = new SfRecipe(species, rp)
        {
            GridMin = options.GridMin, GridMax = options.GridMax, GridStep = options.GridStep, Sigma = options.Sigma, Cutoff = options.Cutoff,
        };
        recipe.Validate();
        var feats = samples.Select(s => recipe.Features(s.Frame, options.Threads)).ToArray();
        int nf = recipe.FeatureNames.Count;

        // per species: matrices, optional sweep and CV, final fit
        var learners = new List<SfSpeciesModel>();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var sf = samples.Select(s => Enumerable.Repeat(double.NaN, s.Frame.Count).ToArray()).ToArray();
        var cvSf = samples.Select(s => Enumerable.Repeat(double.NaN, s.Frame.Count).ToArray()).ToArray();
        var mSpecies = new List<string>(); var mSet = new List<string>(); var mN = new List<int>();
        var mP = new List<double>(); var mS = new List<double>(); var mR2 = new List<double>(); var mRmse = new List<double>(); var mC = new List<double>();
        var swSpecies = new List<string>(); var swC = new List<double>(); var swP = new List<double>(); var swR2 = new List<double>(); var swRmse = new List<double>();
        int folds = options.Folds > 0 ? options.Folds : options.SweepC is not null ? 5 : 0;
        for (int s = 0; s < species.Count; s++)
        {
            string sp = species[s];
            var train = rowsOf[sp].Where(r => !isTest[r.Sample][r.Atom]).ToArray();
            var test = rowsOf[sp].Where(r => isTest[r.Sample][r.Atom]).ToArray();
            if (train.Length < 2) throw new ArgumentException($"species {sp}: {train.Length} training atom(s); need at least 2");
            var (xTr, yTr) = Matrix(train, feats, samples, nf);
            var groups = train.Select(r => groupNames.IndexOf(samples[r.Sample].Group)).ToArray();
            Split[]? cv = null;
            if (folds > 0)
            {
                if (options.SplitByGroup && groups.Distinct().Count() < folds)
                    throw new ArgumentException($"species {sp}: {folds} grouped folds need at least {folds} training groups, got {groups.Distinct().Count()}");
                cv = options.SplitByGroup ? Splits.GroupKFold(groups, folds, (ulong)options.Seed) : Splits.KFold(train.Length, folds, SpeciesSeed(options.Seed, s));
            }
            double c = options.C;
            if (options.SweepC is not null)
            {
                double bestR2 = double.NegativeInfinity;
                foreach (double cc in options.SweepC)
                {
                    var oof = CrossValidate(Svm(options, cc), xTr, yTr, nf, cv!);
                    double r2 = Metrics.R2(yTr, oof);
                    swSpecies.Add(sp); swC.Add(cc); swP.Add(Metrics.Pearson(yTr, oof)); swR2.Add(r2); swRmse.Add(Metrics.Rmse(yTr, oof));
                    if (r2 > bestR2) { bestR2 = r2; c = cc; }
                }
                messages.Add(string.Create(inv, $"{sp}: C = {c:G6} (best cross-validated R² {bestR2:F4} of the sweep)"));
            }
            var svr = LinearSvr.Fit(Svm(options, c), xTr, train.Length, nf, yTr);
            learners.Add(new SfSpeciesModel(sp, svr));
            var all = rowsOf[sp].ToArray();
            var (xAll, _) = Matrix(all, feats, samples, nf);
            var pred = svr.Predict(xAll);
            for (int k = 0; k < all.Length; k++) sf[all[k].Sample][all[k].Atom] = pred[k];
            void Add(string set, (int Sample, int Atom)[] rows, Func<(int Sample, int Atom), double> p)
            {
                if (rows.Length < 2) return;
                var y = rows.Select(r => samples[r.Sample].LnVflex[r.Atom]).ToArray();
                var q = rows.Select(p).ToArray();
                double pe = Metrics.Pearson(y, q), spm = Metrics.Spearman(y, q), r2 = Metrics.R2(y, q), rmse = Metrics.Rmse(y, q);
                mSpecies.Add(sp); mSet.Add(set); mN.Add(rows.Length); mP.Add(pe); mS.Add(spm); mR2.Add(r2); mRmse.Add(rmse); mC.Add(c);
                metrics[$"{set}_pearson_{sp}"] = pe; metrics[$"{set}_spearman_{sp}"] = spm; metrics[$"{set}_r2_{sp}"] = r2; metrics[$"{set}_rmse_{sp}"] = rmse;
            }
            Add("train", train, r => sf[r.Sample][r.Atom]);
            Add("test", test, r => sf[r.Sample][r.Atom]);
            if (cv is not null)
            {
                var oof = CrossValidate(Svm(options, c), xTr, yTr, nf, cv);
                for (int k = 0; k < train.Length; k++) cvSf[train[k].Sample][train[k].Atom] = oof[k];
                Add("cv", train, r => cvSf[r.Sample][r.Atom]);
            }
        }
        var model = new SfModel(recipe, learners, metrics, inputs);

        // tables
        var pSample = new List<string>(); var pId = new List<long>(); var pSpecies = new List<string>(); var pSet = new List<string>();
        var pY = new List<double>(); var pSf = new List<double>(); var pCv = new List<double>();
        for (int k = 0; k < samples.Count; k++)
        {
            var f = samples[k].Frame;
            for (int i = 0; i < f.Count; i++)
            {
                pSample.Add(samples[k].Name); pId.Add(f.Ids[i]); pSpecies.Add(f.Species[f.SpeciesIndex[i]].Name);
                pSet.Add(isTest[k][i] ? "test" : "train"); pY.Add(samples[k].LnVflex[i]); pSf.Add(sf[k][i]); pCv.Add(cvSf[k][i]);
            }
        }
        var parity = new ResultTable().Add("sample", pSample).Add("id", pId).Add("species", pSpecies).Add("set", pSet).Add("ln_v_flex", pY).Add("sf", pSf);
        if (folds > 0) parity.Add("cv_sf", pCv);
        var metricsTable = new ResultTable().Add("species", mSpecies).Add("set", mSet).Add("n", mN).Add("c", mC)
            .Add("pearson", mP).Add("spearman", mS).Add("r2", mR2).Add("rmse", mRmse);
        ResultTable? sweep = options.SweepC is null ? null
            : new ResultTable().Add("species", swSpecies).Add("c", swC).Add("cv_pearson", swP).Add("cv_r2", swR2).Add("cv_rmse", swRmse);
        return new SfTrainResult(model, parity, WeightsTable(model), metricsTable, rpTable, sweep, messages, sf);
    }

    private static ulong SpeciesSeed(int seed, int species) => unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)species);

    private static LinearSvmOptions Svm(SfTrainOptions o, double c) => new(c, o.Epsilon, o.Bias, o.Tolerance, 1000, o.Threads);

    private static (double[] X, double[] Y) Matrix((int Sample, int Atom)[] rows, PerAtomFeatures[] feats, IReadOnlyList<SfSample> samples, int nf)
    {
        var x = new double[rows.Length * nf];
        var y = new double[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            feats[rows[k].Sample].Row(rows[k].Atom).CopyTo(x.AsSpan(k * nf, nf));
            y[k] = samples[rows[k].Sample].LnVflex[rows[k].Atom];
        }
        return (x, y);
    }

    /// <summary>Out-of-fold predictions of a linear SVR over the given folds.</summary>
    private static double[] CrossValidate(LinearSvmOptions o, double[] x, double[] y, int nf, Split[] folds)
    {
        var oof = new double[y.Length];
        foreach (var f in folds)
        {
            var xt = new double[f.Train.Length * nf]; var yt = new double[f.Train.Length];
            for (int k = 0; k < f.Train.Length; k++) { x.AsSpan(f.Train[k] * nf, nf).CopyTo(xt.AsSpan(k * nf, nf)); yt[k] = y[f.Train[k]]; }
            var m = LinearSvr.Fit(o, xt, f.Train.Length, nf, yt);
            var xv = new double[f.Test.Length * nf];
            for (int k = 0; k < f.Test.Length; k++) x.AsSpan(f.Test[k] * nf, nf).CopyTo(xv.AsSpan(k * nf, nf));
            var p = m.Predict(xv);
            for (int k = 0; k < f.Test.Length; k++) oof[f.Test[k]] = p[k];
        }
        return oof;
    }

    /// <summary>The weights as a table: centre, neighbour, r_bar, omega; the bias weight as neighbour "bias" (r_bar NaN).</summary>
    public static ResultTable WeightsTable(SfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var grid = model.Recipe.Grid;
        var c = new List<string>(); var nb = new List<string>(); var r = new List<double>(); var w = new List<double>();
        foreach (var l in model.Learners)
        {
            int k = 0;
            foreach (var b in model.Recipe.Species)
                foreach (var g in grid) { c.Add(l.Species); nb.Add(b); r.Add(g); w.Add(l.Svr.Weights[k++]); }
            c.Add(l.Species); nb.Add("bias"); r.Add(double.NaN); w.Add(l.Svr.BiasWeight);
        }
        return new ResultTable().Add("centre", c).Add("neighbour", nb).Add("r_bar", r).Add("omega", w);
    }

    private static (Dictionary<string, double>, ResultTable) ReferenceDistances(IReadOnlyList<SfSample> samples, List<string> species,
        Dictionary<string, List<(int Sample, int Atom)>> rowsOf, bool[][] isTest, SfTrainOptions o, List<string> messages)
    {
        var inv = CultureInfo.InvariantCulture;
        var rp = new Dictionary<string, double>(StringComparer.Ordinal);
        var tc = new List<string>(); var tn = new List<string>(); var tr = new List<double>(); var ta = new List<int>(); var tq = new List<double>();
        if (o.RpMode == SfRpMode.Explicit)
        {
            foreach (var a in species)
                foreach (var b in species)
                {
                    string key = SfRecipe.PairKey(a, b);
                    if (!o.ExplicitRp!.TryGetValue(key, out double v)) throw new ArgumentException($"--rp: no value for the species pair {key} (give every pair of {string.Join(", ", species)})");
                    rp[key] = v;
                    tc.Add(a); tn.Add(b); tr.Add(v); ta.Add(0); tq.Add(double.NaN);
                }
            return (rp, new ResultTable().Add("centre", tc).Add("neighbour", tn).Add("r_p", tr).Add("centre_atoms", ta).Add("percent", tq));
        }
        // centre subset per species
        var selected = samples.Select(s => new bool[s.Frame.Count]).ToArray();
        var used = new Dictionary<string, (int Atoms, double Percent)>(StringComparer.Ordinal);
        foreach (var a in species)
        {
            var train = rowsOf[a].Where(r => !isTest[r.Sample][r.Atom]).ToArray();
            int n = train.Length, take = n;
            if (o.RpMode == SfRpMode.LowFlex)
            {
                take = Math.Max((int)Math.Ceiling(o.RpPercent / 100.0 * n - 1e-9), Math.Min(o.RpMinAtoms, n));
                var order = train.OrderBy(r => samples[r.Sample].LnVflex[r.Atom]).ThenBy(r => r.Sample).ThenBy(r => samples[r.Sample].Frame.Ids[r.Atom]).ToArray();
                train = order[..take];
                double q = 100.0 * take / n;
                if (q > o.RpPercent * (1 + 1e-9))
                    messages.Add(string.Create(inv, $"r_p of centre {a}: q widened from {o.RpPercent:G4} % to {q:G4} % ({take} of {n} training atoms; at least {o.RpMinAtoms} needed)"));
            }
            foreach (var r in train) selected[r.Sample][r.Atom] = true;
            used[a] = (take, 100.0 * take / Math.Max(n, 1));
        }
        int bins = (int)Math.Floor(o.PeakRange / o.PeakBinWidth);
        double width = o.PeakRange / bins;
        int ns = species.Count;
        var hist = new long[ns * ns * bins];
        var norm = new double[ns * ns]; // Σ_frames n_centres · (N_b − δ_ab) / V
        for (int k = 0; k < samples.Count; k++)
        {
            var f = samples[k].Frame;
            var map = Enumerable.Range(0, f.Species.Count).Select(t => species.IndexOf(f.Species[t].Name)).ToArray();
            var nb = new int[ns];
            var nc = new int[ns];
            for (int i = 0; i < f.Count; i++)
            {
                nb[map[f.SpeciesIndex[i]]]++;
                if (selected[k][i]) nc[map[f.SpeciesIndex[i]]]++;
            }
            var sel = selected[k];
            // integer counts: the histogram does not depend on the visiting order or the thread count
            new NeighborSearch(o.Threads).ForEachBall(f, o.PeakRange, (i, idx, dist) =>
            {
                if (!sel[i]) return;
                int a = map[f.SpeciesIndex[i]];
                for (int p = 0; p < idx.Length; p++)
                {
                    int bin = (int)(dist[p] / width);
                    if (bin >= bins) continue;
                    Interlocked.Increment(ref hist[(a * ns + map[f.SpeciesIndex[idx[p]]]) * bins + bin]);
                }
            });
            for (int a = 0; a < ns; a++)
                for (int b = 0; b < ns; b++) norm[a * ns + b] += nc[a] * (nb[b] - (a == b ? 1.0 : 0.0)) / f.Box.Volume;
        }
        var rr = Enumerable.Range(0, bins).Select(b => (b + 0.5) * width).ToArray();
        for (int a = 0; a < ns; a++)
            for (int b = 0; b < ns; b++)
            {
                var g = new double[bins];
                for (int bin = 0; bin < bins; bin++)
                {
                    double lo = bin * width, hi = lo + width;
                    double shell = 4.0 * Math.PI / 3.0 * (hi * hi * hi - lo * lo * lo);
                    double d = shell * norm[a * ns + b];
                    g[bin] = d > 0 ? hist[(a * ns + b) * bins + bin] / d : 0;
                }
                double peak = RadialStructureFunctions.FirstPeak(rr, g);
                string key = SfRecipe.PairKey(species[a], species[b]);
                if (!double.IsFinite(peak)) throw new ArgumentException($"r_p: no first peak in the {key} partial g(r) of the selected centre atoms within {o.PeakRange} Å; give --rp explicitly");
                rp[key] = peak;
                tc.Add(species[a]); tn.Add(species[b]); tr.Add(peak); ta.Add(used[species[a]].Atoms); tq.Add(used[species[a]].Percent);
            }
        return (rp, new ResultTable().Add("centre", tc).Add("neighbour", tn).Add("r_p", tr).Add("centre_atoms", ta).Add("percent", tq));
    }
}
