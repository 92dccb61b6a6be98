using System.Globalization;
using System.Text.Json;
using GlassML.Descriptors;
using GlassML.Io;

namespace GlassML.Learning;

/// <summary>The learners <c>glassml learn</c> trains on tables.</summary>
public enum LearnerKind
{
    /// <summary>Histogram gradient-boosted trees (<see cref="GradientBoostedTrees"/>).</summary>
    Gbdt,
    /// <summary>L2-regularised L2-loss linear support-vector regression (<see cref="LinearSvr"/>).</summary>
    Svr,
    /// <summary>L2-regularised L2-loss linear support-vector classification (<see cref="LinearSvc"/>).</summary>
    Svc,
    /// <summary>Gaussian-process regression with an RBF, dot-product or polynomial kernel.</summary>
    Gpr,
    /// <summary>k-nearest neighbours (vote or mean of the labels).</summary>
    Knn,
}

/// <summary>Predictions of a <see cref="TabularModel"/>: value, class probability (binary classifiers) and predictive std (GPR).</summary>
public sealed record TabularPrediction(double[] Prediction, double[]? Probability, double[]? Std);

/// <summary>
/// A trained learner on named feature columns, with the uniform train / predict / save / load of <c>glassml learn</c>.
/// Parameters use the XGBoost / scikit-learn / LIBLINEAR names of spec/names.md. Model files are versioned JSON
/// (<see cref="ModelFile.Format"/>, schema <see cref="ModelFile.SchemaVersion"/>); a loaded model predicts bit-identically
/// and refuses a table whose columns differ from its features. GBDT files are <see cref="ModelFile"/>'s; linear models
/// store their weights; kNN and GPR store their training rows and are refitted (deterministically) on load.
/// </summary>
public sealed class TabularModel
{
    private GradientBoostedTreesModel? _gbdt;
    private LinearSvr? _svr;
    private LinearSvc? _svc;
    private NearestNeighbors? _knn;
    private GaussianProcessRegression<double[]>? _gpr;
    private FeatureTable? _train; // kNN and GPR: the training rows (stored in the model file)

    private TabularModel(LearnerKind kind, IReadOnlyList<string> features, IReadOnlyDictionary<string, string> parameters)
    {
        Kind = kind; FeatureNames = features; Parameters = parameters;
    }

    /// <summary>Which learner.</summary>
    public LearnerKind Kind { get; }
    /// <summary>Feature column names in model order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Training parameters as given (name → value).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }
    /// <summary>Metrics recorded at training (e.g. cross-validated AUC or RMSE).</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);
    /// <summary>True for classifiers (svc, knn with rule=vote, gbdt with objective=binary).</summary>
    public bool IsClassifier => Kind switch
    {
        LearnerKind.Svc => true,
        LearnerKind.Knn => Rule == "vote",
        LearnerKind.Gbdt => _gbdt!.Objective == GbdtObjective.BinaryLogistic,
        _ => false,
    };

    private string Rule => Parameters.TryGetValue("rule", out var r) ? r.ToLowerInvariant() : "vote";

    /// <summary>Parses a learner name (gbdt, svr, svc, gpr, knn).</summary>
    public static LearnerKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "gbdt" => LearnerKind.Gbdt,
        "svr" => LearnerKind.Svr,
        "svc" => LearnerKind.Svc,
        "gpr" => LearnerKind.Gpr,
        "knn" => LearnerKind.Knn,
        _ => throw new ArgumentException($"unknown learner '{name}' (known: gbdt, svr, svc, gpr, knn)"),
    };

    /// <summary>Trains a learner on a labelled table.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or bad value (the message names it); no labels.</exception>
    public static TabularModel Train(LearnerKind kind, FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        if (train.Labels is null) throw new ArgumentException("the training table has no target column");
        var m = new TabularModel(kind, train.Columns.ToArray(), new Dictionary<string, string>(parameters, StringComparer.OrdinalIgnoreCase));
        m.Fit(train, threads);
        return m;
    }

    private void Fit(FeatureTable train, int threads)
    {
        var p = Parameters;
        switch (Kind)
        {
            case LearnerKind.Gbdt:
                _gbdt = new GradientBoostedTrees(GradientBoostedTreesParameters.FromDictionary(p) with { Threads = threads }).Fit(train);
                break;
            case LearnerKind.Svr:
                Check(p, "C", "epsilon", "bias", "tol");
                _svr = LinearSvr.Fit(SvmOptions(p, threads), train);
                break;
            case LearnerKind.Svc:
                Check(p, "C", "bias", "tol");
                _svc = LinearSvc.Fit(SvmOptions(p, threads), train);
                break;
            case LearnerKind.Knn:
                Check(p, "k", "rule", "standardize");
                if (Rule is not ("vote" or "mean")) throw new ArgumentException($"knn rule: '{Rule}' is not vote or mean");
                _knn = NearestNeighbors.Fit(new NearestNeighborsOptions(K: Int(p, "k", 5), Standardize: Bool(p, "standardize", true), Threads: threads), train);
                _train = train;
                break;
            case LearnerKind.Gpr:
                Check(p, "kernel", "length_scale", "sigma0", "degree", "alpha", "normalize_y");
                try
                {
                    _gpr = GaussianProcessRegression<double[]>.Fit(GprKernel(p), Rows(train), train.Labels,
                        new GaussianProcessOptions(Alpha: Num(p, "alpha", 1e-10), NormalizeY: Bool(p, "normalize_y", false), Threads: threads));
                }
                catch (InvalidOperationException e)
                {
                    // a kernel matrix that is not positive definite is a parameter choice, not a program error
                    throw new ArgumentException($"gpr: {e.Message}", e);
                }
                _train = train;
                break;
        }
    }

    /// <summary>Predicts the rows of a table (columns matched to the model's features by name).</summary>
    /// <exception cref="ArgumentException">The table's columns differ from the model's features.</exception>
    public TabularPrediction Predict(FeatureTable table, int threads = 0)
    {
        var t = table.AlignTo(FeatureNames);
        switch (Kind)
        {
            case LearnerKind.Gbdt:
            {
                var margin = _gbdt!.PredictMargin(t, threads);
                if (_gbdt.Objective != GbdtObjective.BinaryLogistic) return new(margin, null, null);
                var prob = new double[margin.Length]; var cls = new double[margin.Length];
                for (int i = 0; i < margin.Length; i++) { prob[i] = _gbdt.Transform(margin[i]); cls[i] = prob[i] > 0.5 ? 1 : 0; }
                return new(cls, prob, null);
            }
            case LearnerKind.Svr:
                return new(_svr!.Predict(t.Values), null, null);
            case LearnerKind.Svc:
                return new(_svc!.Predict(t.Values), null, null);
            case LearnerKind.Knn:
                return new(Rule == "mean" ? _knn!.PredictMean(t.Values) : _knn!.PredictVote(t.Values), null, null);
            default:
            {
                var g = _gpr!.Predict(Rows(t), withStd: true);
                return new(g.Mean, null, g.Std);
            }
        }
    }

    /// <summary>Writes the model file atomically.</summary>
    public void Save(string path)
    {
        if (Kind == LearnerKind.Gbdt) { _gbdt!.WithMetrics(Metrics).Save(path); return; }
        AtomicFile.Write(path, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("format", ModelFile.Format);
            w.WriteNumber("schema_version", ModelFile.SchemaVersion);
            w.WriteString("model", Kind.ToString().ToLowerInvariant());
            w.WriteString("glassml_version", typeof(TabularModel).Assembly.GetName().Version?.ToString() ?? "");
            w.WriteStartArray("feature_names"); foreach (var n in FeatureNames) w.WriteStringValue(n); w.WriteEndArray();
            w.WriteStartObject("parameters"); foreach (var (k, v) in Parameters) w.WriteString(k, v); w.WriteEndObject();
            w.WriteStartObject("metrics"); foreach (var (k, v) in Metrics) { w.WritePropertyName(k); Num(w, v); } w.WriteEndObject();
            switch (Kind)
            {
                case LearnerKind.Svr:
                    Array(w, "weights", _svr!.Weights);
                    w.WritePropertyName("bias_weight"); Num(w, _svr.BiasWeight);
                    break;
                case LearnerKind.Svc:
                    Array(w, "classes", _svc!.Classes);
                    w.WriteStartArray("weights"); foreach (var v in _svc.Weights) { w.WriteStartArray(); foreach (var x in v) Num(w, x); w.WriteEndArray(); } w.WriteEndArray();
                    Array(w, "bias_weights", _svc.BiasWeights);
                    break;
                default:
                    w.WriteNumber("rows", _train!.Rows);
                    Array(w, "x", _train.Values);
                    Array(w, "y", _train.Labels!);
                    break;
            }
            w.WriteEndObject();
        });
    }

    /// <summary>Loads a model file written by <see cref="Save"/> (or a GBDT <see cref="ModelFile"/>).</summary>
    /// <exception cref="InputFormatException">Not a GlassML model file, unknown schema or malformed content.</exception>
    public static TabularModel Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.GetString() != ModelFile.Format)
                throw new InputFormatException(path, 0, $"not a GlassML model file (no \"format\": \"{ModelFile.Format}\")");
            int schema = root.GetProperty("schema_version").GetInt32();
            if (schema > ModelFile.SchemaVersion) throw new InputFormatException(path, 0, $"model schema {schema} is newer than this GlassML ({ModelFile.SchemaVersion})");
            var kind = ParseKind(root.GetProperty("model").GetString() ?? "");
            if (kind == LearnerKind.Gbdt)
            {
                var g = ModelFile.ParseGbdt(bytes, path);
                var gm = new TabularModel(kind, g.FeatureNames, g.Parameters.ToDictionary()) { _gbdt = g };
                foreach (var (k, v) in g.Metrics) gm.Metrics[k] = v;
                return gm;
            }
            var names = root.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var pars = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pr in root.GetProperty("parameters").EnumerateObject()) pars[pr.Name] = pr.Value.GetString() ?? "";
            var m = new TabularModel(kind, names, pars);
            foreach (var pr in root.GetProperty("metrics").EnumerateObject()) m.Metrics[pr.Name] = ReadNum(pr.Value);
            switch (kind)
            {
                case LearnerKind.Svr:
                    m._svr = LinearSvr.FromWeights(SvmOptions(pars, 0), ReadArray(root.GetProperty("weights")), ReadNum(root.GetProperty("bias_weight")));
                    break;
                case LearnerKind.Svc:
                    m._svc = LinearSvc.FromWeights(SvmOptions(pars, 0), ReadArray(root.GetProperty("classes")),
                        root.GetProperty("weights").EnumerateArray().Select(ReadArray).ToArray(), ReadArray(root.GetProperty("bias_weights")));
                    break;
                default:
                    int rows = root.GetProperty("rows").GetInt32();
                    var train = new FeatureTable(names, rows, ReadArray(root.GetProperty("x")), ReadArray(root.GetProperty("y")));
                    m.Fit(train, 0);
                    break;
            }
            return m;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputFormatException(path, 0, $"malformed model file: {e.Message}");
        }
    }

    private static IKernel<double[]> GprKernel(IReadOnlyDictionary<string, string> p)
    {
        string kernel = p.TryGetValue("kernel", out var k) ? k.ToLowerInvariant() : "rbf";
        return kernel switch
        {
            "rbf" => new RbfKernel(Num(p, "length_scale", 1.0)),
            "dot" => new DotProductKernel(Num(p, "sigma0", 1.0)),
            "poly" => Kernels.Power(new DotProductKernel(Num(p, "sigma0", 1.0)), Num(p, "degree", 2.0)),
            _ => throw new ArgumentException($"gpr kernel: '{kernel}' is not rbf, dot or poly"),
        };
    }

    private static LinearSvmOptions SvmOptions(IReadOnlyDictionary<string, string> p, int threads) =>
        new(C: Num(p, "C", 1.0), Epsilon: Num(p, "epsilon", 0.1), Bias: Num(p, "bias", 1.0),
            Tolerance: p.ContainsKey("tol") ? Num(p, "tol", 0) : null, Threads: threads);

    private static double[][] Rows(FeatureTable t)
    {
        var r = new double[t.Rows][];
        for (int i = 0; i < t.Rows; i++) r[i] = t.Row(i).ToArray();
        return r;
    }

    private static void Check(IReadOnlyDictionary<string, string> p, params string[] known) => DescriptorParameters.CheckKeys(p, "params", known);

    private static double Num(IReadOnlyDictionary<string, string> p, string key, double fallback) => DescriptorParameters.Double(p, key, fallback);

    private static int Int(IReadOnlyDictionary<string, string> p, string key, int fallback) => DescriptorParameters.Int(p, key, fallback);

    private static bool Bool(IReadOnlyDictionary<string, string> p, string key, bool fallback) => DescriptorParameters.Bool(p, key, fallback);

    private static void Num(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static void Array(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Num(w, v);
        w.WriteEndArray();
    }

    private static double ReadNum(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var s => throw new FormatException($"'{s}' is not a number") }
        : e.GetDouble();

    private static double[] ReadArray(JsonElement e)
    {
        var r = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) r[i++] = ReadNum(x);
        return r;
    }
}
