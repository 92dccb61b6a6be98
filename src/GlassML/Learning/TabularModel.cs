using System.Text.Json;
using GlassML.Io;

namespace GlassML.Learning;

/// <summary>The learners of <see cref="LearnerRegistry"/> as an enumeration (for callers that prefer a type to a name).</summary>
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
    /// <summary>Isotonic regression on one feature column (<see cref="IsotonicRegression"/>).</summary>
    Isotonic,
    /// <summary>One model of another learner per centre species (<see cref="BySpeciesLearner"/>).</summary>
    BySpecies,
}

/// <summary>
/// A trained registry learner (<see cref="ITrainedModel"/>) as a stand-alone model file, the file <c>glassml learn --model</c>
/// writes. Parameters use the XGBoost / scikit-learn / LIBLINEAR names of docs/features.md. Model files are versioned JSON:
/// the header <c>format</c> (<see cref="ModelFile.Format"/>), <c>schema_version</c> (<see cref="ModelFile.SchemaVersion"/>),
/// <c>model</c> (the learner name) and <c>glassml_version</c>, followed by the learner's state
/// (<see cref="ITrainedModel.WriteState"/>; for gbdt exactly <see cref="ModelFile"/>'s layout). A loaded model predicts
/// bit-identically and refuses a table whose columns differ from its features.
/// </summary>
public sealed class TabularModel
{
    private TabularModel(ITrainedModel model) => Model = model;

    /// <summary>The trained learner.</summary>
    public ITrainedModel Model { get; }
    /// <summary>Registry name of the learner.</summary>
    public string LearnerName => Model.LearnerName;
    /// <summary>Which learner.</summary>
    public LearnerKind Kind => ParseKind(Model.LearnerName);
    /// <summary>Feature column names in model order.</summary>
    public IReadOnlyList<string> FeatureNames => Model.FeatureNames;
    /// <summary>Training parameters (name → value).</summary>
    public IReadOnlyDictionary<string, string> Parameters => Model.Parameters;
    /// <summary>Metrics recorded at training (e.g. cross-validated AUC or RMSE); saved in the model file.</summary>
    public IDictionary<string, double> Metrics => Model.Metrics;
    /// <summary>True for classifiers (svc, knn with rule=vote, gbdt with objective=binary).</summary>
    public bool IsClassifier => Model.IsClassifier;

    /// <summary>Parses a learner name (any name of <see cref="LearnerRegistry"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static LearnerKind ParseKind(string name) => Enum.Parse<LearnerKind>(LearnerRegistry.Get(name).Name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    /// <summary>Trains a learner on a labelled table.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or bad value (the message names it); no labels.</exception>
    public static TabularModel Train(LearnerKind kind, FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0) =>
        Train(kind == LearnerKind.BySpecies ? "by_species" : kind.ToString(), train, parameters, threads);

    /// <summary>Trains the named registry learner on a labelled table.</summary>
    /// <exception cref="ArgumentException">Unknown learner or parameter, bad value (the message names it); no labels.</exception>
    public static TabularModel Train(string learner, FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0) =>
        new(LearnerRegistry.Fit(learner, train, parameters, threads));

    /// <summary>Wraps an already trained model (e.g. to save it as a stand-alone file).</summary>
    public static TabularModel From(ITrainedModel model) => new(model ?? throw new ArgumentNullException(nameof(model)));

    /// <summary>Predicts the rows of a table (columns matched to the model's features by name).</summary>
    /// <exception cref="ArgumentException">The table's columns differ from the model's features.</exception>
    public TabularPrediction Predict(FeatureTable table, int threads = 0) => Model.Predict(table, threads);

    /// <summary>Writes the model file atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, s =>
    {
        using var w = new Utf8JsonWriter(s);
        w.WriteStartObject();
        w.WriteString("format", ModelFile.Format);
        w.WriteNumber("schema_version", ModelFile.SchemaVersion);
        w.WriteString("model", Model.LearnerName);
        w.WriteString("glassml_version", typeof(TabularModel).Assembly.GetName().Version?.ToString() ?? "");
        Model.WriteState(w);
        w.WriteEndObject();
    });

    /// <summary>Loads a model file written by <see cref="Save"/> (or a GBDT <see cref="ModelFile"/>).</summary>
    /// <exception cref="InputFormatException">Not a GlassML model file, unknown schema or learner, or malformed content.</exception>
    public static TabularModel Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputFormatException(path, 0, $"cannot read model file: {e.Message}"); }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.GetString() != ModelFile.Format)
                throw new InputFormatException(path, 0, $"not a GlassML model file (no \"format\": \"{ModelFile.Format}\")");
            int schema = root.GetProperty("schema_version").GetInt32();
            if (schema > ModelFile.SchemaVersion) throw new InputFormatException(path, 0, $"model schema {schema} is newer than this GlassML ({ModelFile.SchemaVersion})");
            return new TabularModel(LearnerRegistry.Read(root.GetProperty("model").GetString() ?? "", root));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputFormatException(path, 0, $"malformed model file: {e.Message}");
        }
    }
}
