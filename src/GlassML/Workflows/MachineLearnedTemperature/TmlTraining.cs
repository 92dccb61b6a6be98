using System.Globalization;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Statistics;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>One isothermal training run: a trajectory at a known temperature.</summary>
/// <param name="Name">Display name (as given on the command line or in the manifest).</param>
/// <param name="Path">Trajectory file.</param>
/// <param name="Temperature">Run temperature (K): the label of its instances.</param>
/// <param name="Group">Cross-validation group (with group-by-run folds).</param>
public sealed record TmlRun(string Name, string Path, double Temperature, string Group);

/// <summary>How lags are dropped after ReliefF.</summary>
/// <param name="Auto">Drop the shortest lags while their weight is below <see cref="TmlTrainOptions.DropFraction"/> of the largest weight.</param>
/// <param name="Lags">Explicit lags (ps) to drop (when not <paramref name="Auto"/>; empty = none).</param>
public sealed record TmlDropLags(bool Auto, IReadOnlyList<double> Lags)
{
    /// <summary>Keep every lag.</summary>
    public static TmlDropLags None { get; } = new(false, []);
    /// <summary>Automatic rule.</summary>
    public static TmlDropLags Automatic { get; } = new(true, []);
}

/// <summary>Options of <see cref="TmlTraining.Train"/>.</summary>
public sealed record TmlTrainOptions
{
    /// <summary>Lags (ps) whose lg(Δr²/T) are computed.</summary>
    public required IReadOnlyList<double> Lags { get; init; }
    /// <summary>MD timestep (ps) of the trajectories.</summary>
    public required double Dt { get; init; }
    /// <summary>Start times (ps) of the windows; null = every frame (incomplete windows are skipped and counted).</summary>
    public IReadOnlyList<double>? Starts { get; init; }
    /// <summary>Neighbours k of the kNN mean rule.</summary>
    public int K { get; init; } = 50;
    /// <summary>Cross-validation folds (≥ 2).</summary>
    public int Folds { get; init; } = 10;
    /// <summary>Keep every run (its <see cref="TmlRun.Group"/>) in one fold instead of stratified folds.</summary>
    public bool GroupByRun { get; init; }
    /// <summary>
    /// Classes: null = automatic (Ward clustering of the class-mean feature vectors; classes whose means join below the
    /// RMS over lags of the pooled within-class standard deviation are merged); otherwise the classes to use, each a list of run temperatures merged into one class
    /// (label = their mean); runs of other temperatures are dropped.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>>? Classes { get; init; }
    /// <summary>Lag dropping after ReliefF.</summary>
    public TmlDropLags DropLags { get; init; } = TmlDropLags.Automatic;
    /// <summary>
    /// Automatic dropping: the shortest lags are dropped, in increasing order, while their ReliefF weight is below this
    /// fraction of the largest weight (the first lag that reaches it and every longer lag are kept).
    /// </summary>
    public double DropFraction { get; init; } = 0.2;
    /// <summary>Subsample every class to the smallest class's size.</summary>
    public bool Balance { get; init; }
    /// <summary>Subsample every class to at most this many instances (0 = no limit).</summary>
    public int MaxPerClass { get; init; }
    /// <summary>Glass transition temperature (K) recorded in the model (liquid-like: T_ML &gt; Tg).</summary>
    public double Tg { get; init; } = double.NaN;
    /// <summary>Standardise features before the neighbour search (StandardScaler).</summary>
    public bool Standardize { get; init; }
    /// <summary>Instances sampled for ReliefF (0 = all).</summary>
    public int ReliefSamples { get; init; } = 2000;
    /// <summary>ReliefF neighbours per class.</summary>
    public int ReliefNeighbors { get; init; } = 10;
    /// <summary>Seed of folds and subsampling.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Threads (0 = all cores); results do not depend on it.</summary>
    public int Threads { get; init; }
    /// <summary>Type → species map of the trajectories.</summary>
    public ReadOptions? ReadOptions { get; init; }
}

/// <summary>What a training run produced besides the model: instance counts, the class dendrogram and the CV tables.</summary>
public sealed class TmlTrainResult
{
    /// <summary>The fitted model.</summary>
    public required TmlModel Model { get; init; }
    /// <summary>Per run: name, temperature, complete windows, skipped windows (past the end / off schedule), instances.</summary>
    public required ResultTable Runs { get; init; }
    /// <summary>Distinct run temperatures (K), ascending: the leaves of the dendrogram.</summary>
    public required double[] Temperatures { get; init; }
    /// <summary>Class-mean feature vectors (temperatures × all lags), row-major.</summary>
    public required double[] ClassMeans { get; init; }
    /// <summary>Ward clustering of the class means.</summary>
    public required HierarchicalClustering Dendrogram { get; init; }
    /// <summary>Merge threshold used by the automatic class rule (NaN when classes were given).</summary>
    public required double MergeThreshold { get; init; }
    /// <summary>Out-of-fold T_ML of every selected instance (same order as <see cref="CvLabels"/>).</summary>
    public required double[] CvPrediction { get; init; }
    /// <summary>Majority-vote class of every selected instance, out of fold.</summary>
    public required double[] CvVote { get; init; }
    /// <summary>Label of every selected instance.</summary>
    public required double[] CvLabels { get; init; }
    /// <summary>Per class: label, n, mean, median, std of out-of-fold T_ML, fraction liquid-like, vote accuracy.</summary>
    public required ResultTable ClassStats { get; init; }
    /// <summary>Confusion matrix counts [true class, voted class] in class order.</summary>
    public required long[,] Confusion { get; init; }
    /// <summary>Pooled metrics: accuracy, pearson, r2, rmse.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    /// <summary>Windows skipped over all runs (incomplete).</summary>
    public required int SkippedWindows { get; init; }
    /// <summary>Wall and process CPU seconds of the stages read, classes, relieff, cv (for benchmarks; not part of the model).</summary>
    public IReadOnlyList<(string Stage, double Wall, double Cpu)> Stages { get; init; } = [];
}

/// <summary>
/// <c>glassml tml train</c> as a library: instances (atom, window) of isothermal runs with features lg(Δr²/T) at the
/// lags and label T; classes chosen by Ward clustering of the class means (or given); ReliefF weight per lag and weak lags
/// dropped; stratified (or run-grouped) k-fold cross-validation of the kNN mean rule; the final model on every instance.
/// </summary>
public static class TmlTraining
{
    /// <summary>Trains a model.</summary>
    /// <exception cref="ArgumentException">Bad options (fewer than two classes, k too large, unknown lag or class).</exception>
    /// <exception cref="InputFormatException">Unreadable trajectories or no complete window.</exception>
    public static TmlTrainResult Train(IReadOnlyList<TmlRun> runs, TmlTrainOptions o, IReadOnlyList<InputHash> inputs)
    {
        if (runs.Count == 0) throw new ArgumentException("no training runs");
        if (o.K < 1) throw new ArgumentException("--k must be ≥ 1");
        if (o.Folds < 2) throw new ArgumentException("--cv must be ≥ 2");
        if (o.MaxPerClass < 0) throw new ArgumentException("--max-per-class must be ≥ 0");
        var lags = o.Lags.ToArray();
        var lagSteps = TmlWindows.LagSteps(lags, o.Dt);
        var sortIdx = Enumerable.Range(0, lags.Length).OrderBy(k => lagSteps[k]).ToArray();
        lags = sortIdx.Select(k => lags[k]).ToArray();
        int L = lags.Length;

        var stages = new List<(string, double, double)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var proc = System.Diagnostics.Process.GetCurrentProcess();
        double wall0 = 0, cpu0 = proc.TotalProcessorTime.TotalSeconds;
        void Stage(string name)
        {
            proc.Refresh();
            double w = clock.Elapsed.TotalSeconds, c = proc.TotalProcessorTime.TotalSeconds;
            stages.Add((name, w - wall0, c - cpu0)); wall0 = w; cpu0 = c;
        }

        // 1. instances
        var x = new List<double>(); var y = new List<double>(); var runOf = new List<int>();
        var species = new List<string>();
        var rName = new List<string>(); var rT = new List<double>(); var rWin = new List<long>(); var rPast = new List<long>(); var rOff = new List<long>(); var rInst = new List<long>();
        int skipped = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var ws = TmlWindows.Read(run.Path, o.Dt, lags, run.Temperature, o.Starts, AffineMode.Remove, o.ReadOptions);
            foreach (var s in ws.SpeciesNames) if (!species.Contains(s)) species.Add(s);
            int complete = 0, past = 0, off = 0;
            foreach (var w in ws.Windows)
            {
                if (!w.Complete) { if (w.PastEnd) past++; else off++; continue; }
                complete++;
                x.AddRange(w.Features);
                for (int i = 0; i < ws.Ids.Length; i++) { y.Add(run.Temperature); runOf.Add(r); }
            }
            if (complete == 0) throw new InputFormatException(run.Path, 0, $"no complete window: every start lacks a frame at some lag ({ws.Windows.FirstOrDefault()?.Problem})");
            skipped += past + off;
            rName.Add(run.Name); rT.Add(run.Temperature); rWin.Add(complete); rPast.Add(past); rOff.Add(off); rInst.Add((long)complete * ws.Ids.Length);
        }
        var runsTable = new ResultTable().Add("run", rName).Add("temperature", rT).Add("windows", rWin).Add("skipped_past_end", rPast)
            .Add("skipped_off_schedule", rOff).Add("instances", rInst);
        double[] X = [.. x], Y = [.. y];
        int n = Y.Length;

        Stage("read");
        // 2. classes: Ward clustering of the class means
        var temps = Y.Distinct().Order().ToArray();
        if (temps.Length < 2) throw new ArgumentException("need runs at two or more temperatures");
        var means = new double[temps.Length * L];
        var counts = new int[temps.Length];
        for (int i = 0; i < n; i++)
        {
            int c = Array.BinarySearch(temps, Y[i]); counts[c]++;
            for (int k = 0; k < L; k++) means[c * L + k] += X[i * L + k];
        }
        for (int c = 0; c < temps.Length; c++) for (int k = 0; k < L; k++) means[c * L + k] /= counts[c];
        var ward = HierarchicalClustering.Fit(means, temps.Length, L, Linkage.Ward, o.Threads);
        double threshold = double.NaN;
        List<double[]> classMembers;
        if (o.Classes is null)
        {
            // within-class spread: the RMS over lags of the pooled within-class standard deviation
            double ss = 0;
            for (int i = 0; i < n; i++)
            {
                int c = Array.BinarySearch(temps, Y[i]);
                for (int k = 0; k < L; k++) { double d = X[i * L + k] - means[c * L + k]; ss += d * d; }
            }
            threshold = Math.Sqrt(ss / Math.Max(1, n - temps.Length) / L);
            var cut = ward.CutByDistance(threshold);
            classMembers = cut.Distinct().Select(g => temps.Where((t, j) => cut[j] == g).ToArray()).OrderBy(m => m[0]).ToList();
        }
        else
        {
            classMembers = [];
            var used = new HashSet<double>();
            foreach (var cls in o.Classes)
            {
                var m = cls.Distinct().Order().ToArray();
                foreach (var t in m)
                {
                    if (Array.BinarySearch(temps, t) < 0) throw new ArgumentException($"--classes: no run at {TmlWindows.Fmt(t)} K (runs: {string.Join(", ", temps.Select(TmlWindows.Fmt))} K)");
                    if (!used.Add(t)) throw new ArgumentException($"--classes: {TmlWindows.Fmt(t)} K is in two classes");
                }
                classMembers.Add(m);
            }
            classMembers.Sort((a, b) => a[0].CompareTo(b[0]));
        }
        var classes = classMembers.Select(m => new TmlClass(m.Average(), m)).ToArray();
        if (classes.Length < 2) throw new ArgumentException($"only one class remains ({string.Join("+", classMembers[0].Select(TmlWindows.Fmt))} K): the runs cannot be told apart; give --classes");
        var labelOf = new Dictionary<double, double>();
        foreach (var c in classes) foreach (var t in c.Members) labelOf[t] = c.Label;

        // 3. selected rows (kept classes), then balance / per-class limit
        var byClass = new SortedDictionary<double, List<int>>();
        for (int i = 0; i < n; i++)
            if (labelOf.TryGetValue(Y[i], out double lab)) { if (!byClass.TryGetValue(lab, out var l)) byClass[lab] = l = []; l.Add(i); }
        int cap = o.Balance ? byClass.Values.Min(l => l.Count) : int.MaxValue;
        if (o.MaxPerClass > 0) cap = Math.Min(cap, o.MaxPerClass);
        var rng = new SplitMix64((ulong)o.Seed);
        var rows = new List<int>();
        foreach (var l in byClass.Values)
        {
            int[] a = [.. l];
            if (a.Length > cap) { rng.Shuffle(a.AsSpan()); a = a[..cap]; Array.Sort(a); }
            rows.AddRange(a);
        }
        rows.Sort();
        int m_ = rows.Count;
        var XS = new double[m_ * L]; var YS = new double[m_]; var GS = new int[m_];
        for (int r = 0; r < m_; r++)
        {
            Array.Copy(X, rows[r] * L, XS, r * L, L);
            YS[r] = labelOf[Y[rows[r]]]; GS[r] = runOf[rows[r]];
        }

        Stage("classes");
        // 4. ReliefF per lag, drop weak lags
        var weights = ReliefF.Weights(XS, m_, L, YS, new ReliefFOptions(o.ReliefNeighbors, o.ReliefSamples, o.Seed, o.Threads));
        Stage("relieff");
        var keep = new bool[L];
        double wmax = weights.Max();
        bool weak = true;
        for (int k = 0; k < L; k++)
        {
            // automatic: drop the shortest lags up to the first whose weight reaches DropFraction of the largest
            if (o.DropLags.Auto) { weak &= weights[k] < o.DropFraction * wmax; keep[k] = !weak; }
            else keep[k] = !o.DropLags.Lags.Any(d => Math.Round(d / o.Dt) == lagSteps[sortIdx[k]]);
        }
        if (!o.DropLags.Auto)
            foreach (var d in o.DropLags.Lags)
                if (!lagSteps.Contains((long)Math.Round(d / o.Dt))) throw new ArgumentException($"--drop-lags: {TmlWindows.Fmt(d)} ps is not one of --lags");
        int[] kept = Enumerable.Range(0, L).Where(k => keep[k]).ToArray();
        if (kept.Length == 0) throw new ArgumentException("--drop-lags drops every lag");
        int Lk = kept.Length;
        var XK = new double[m_ * Lk];
        for (int r = 0; r < m_; r++) for (int j = 0; j < Lk; j++) XK[r * Lk + j] = XS[r * L + kept[j]];

        // 5. cross-validation
        if (o.K > m_) throw new ArgumentException($"--k {o.K} exceeds the {m_} training instances");
        var folds = o.GroupByRun ? Splits.GroupKFold(GS, o.Folds, (ulong)o.Seed) : Splits.StratifiedKFold(YS, o.Folds, (ulong)o.Seed);
        var pred = new double[m_]; var vote = new double[m_];
        foreach (var f in folds)
        {
            var xtr = new double[f.Train.Length * Lk]; var ytr = new double[f.Train.Length];
            for (int r = 0; r < f.Train.Length; r++) { Array.Copy(XK, f.Train[r] * Lk, xtr, r * Lk, Lk); ytr[r] = YS[f.Train[r]]; }
            if (o.K > f.Train.Length) throw new ArgumentException($"--k {o.K} exceeds the {f.Train.Length} training instances of a fold");
            // the plain k-d tree here: the queries are training points themselves, where the principal-axis tree prunes no better
            // (same neighbours either way; measured 2026-12-03 in docs/benchmarks.md)
            var knn = NearestNeighbors.Fit(new NearestNeighborsOptions(o.K, o.Standardize, Threads: o.Threads, PrincipalAxes: false), xtr, f.Train.Length, Lk, ytr);
            var xte = new double[f.Test.Length * Lk];
            for (int r = 0; r < f.Test.Length; r++) Array.Copy(XK, f.Test[r] * Lk, xte, r * Lk, Lk);
            var nb = knn.Query(xte);
            var pm = knn.MeanLabels(nb); var pv = knn.VoteLabels(nb);
            for (int r = 0; r < f.Test.Length; r++) { pred[f.Test[r]] = pm[r]; vote[f.Test[r]] = pv[r]; }
        }

        Stage("cv");
        // 6. metrics
        var labels = classes.Select(c => c.Label).ToArray();
        var conf = new long[labels.Length, labels.Length];
        for (int r = 0; r < m_; r++) conf[Array.IndexOf(labels, YS[r]), Array.IndexOf(labels, vote[r])]++;
        double acc = Enumerable.Range(0, m_).Count(r => vote[r] == YS[r]) / (double)m_;
        double ym = YS.Average(), sst = 0, sse = 0;
        for (int r = 0; r < m_; r++) { sst += (YS[r] - ym) * (YS[r] - ym); sse += (YS[r] - pred[r]) * (YS[r] - pred[r]); }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["cv_accuracy"] = acc,
            ["cv_pearson"] = Correlation.Pearson(YS, pred),
            ["cv_r2"] = 1 - sse / sst,
            ["cv_rmse_K"] = Math.Sqrt(sse / m_),
            ["instances"] = m_,
            ["classes"] = labels.Length,
            ["lags_kept"] = Lk,
        };
        double tg = o.Tg;
        var cLab = new List<double>(); var cMem = new List<string>(); var cN = new List<long>(); var cMean = new List<double>(); var cMed = new List<double>();
        var cStd = new List<double>(); var cLa = new List<double>(); var cAcc = new List<double>();
        for (int c = 0; c < labels.Length; c++)
        {
            var v = Enumerable.Range(0, m_).Where(r => YS[r] == labels[c]).Select(r => pred[r]).ToArray();
            double mean = v.Average();
            cLab.Add(labels[c]); cMem.Add(string.Join("+", classes[c].Members.Select(TmlWindows.Fmt))); cN.Add(v.Length); cMean.Add(mean);
            cMed.Add(Median(v)); cStd.Add(Math.Sqrt(v.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, v.Length - 1)));
            cLa.Add(double.IsNaN(tg) ? double.NaN : v.Count(t => t > tg) / (double)v.Length);
            cAcc.Add(conf[c, c] / (double)v.Length);
        }
        var classStats = new ResultTable().Add("label", cLab).Add("members", cMem).Add("instances", cN).Add("tml_mean", cMean).Add("tml_median", cMed)
            .Add("tml_std", cStd).Add("liquid_like_fraction", cLa).Add("vote_accuracy", cAcc);

        // 7. final model
        var header = new MethodModelHeader(TmlModel.Method, TmlModel.Schema, species, metrics, inputs);
        var model = new TmlModel(header, kept.Select(k => lags[k]).ToArray(), tg, o.K, o.Standardize, XK, YS, classes, lags, weights);
        return new TmlTrainResult
        {
            Model = model, Runs = runsTable, Temperatures = temps, ClassMeans = means, Dendrogram = ward, MergeThreshold = threshold,
            CvPrediction = pred, CvVote = vote, CvLabels = YS, ClassStats = classStats, Confusion = conf, Metrics = metrics, SkippedWindows = skipped,
            Stages = stages,
        };
    }

    internal static double Median(double[] v)
    {
        if (v.Length == 0) return double.NaN;
        var s = (double[])v.Clone(); Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    internal static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
