using System.Globalization;
using System.Text.Json;
using GlassML.Descriptors;

namespace GlassML.Learning;

/// <summary>
/// Shared parts of the learner adapters: the common state fields (feature_names, parameters, metrics), JSON number
/// helpers (doubles in shortest round-trip form, non-finite values as "NaN"/"Infinity"/"-Infinity") and parameter parsing.
/// </summary>
internal abstract class TrainedModelBase : ITrainedModel
{
    protected TrainedModelBase(string learner, IReadOnlyList<string> features, IReadOnlyDictionary<string, string> parameters)
    {
        LearnerName = learner; FeatureNames = features;
        Parameters = new Dictionary<string, string>(parameters.ToDictionary(), StringComparer.OrdinalIgnoreCase);
    }

    public string LearnerName { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }
    public IDictionary<string, double> Metrics { get; } = new Dictionary<string, double>(StringComparer.Ordinal);
    public abstract bool IsClassifier { get; }

    public TabularPrediction Predict(FeatureTable table, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        return PredictAligned(table.AlignTo(FeatureNames), threads);
    }

    /// <summary>Predicts a table whose columns are in model order.</summary>
    protected abstract TabularPrediction PredictAligned(FeatureTable table, int threads);

    public virtual void WriteState(Utf8JsonWriter w)
    {
        LearnerState.WriteCommon(w, FeatureNames, Parameters, Metrics);
        WriteFields(w);
    }

    /// <summary>Writes the learner's own fields after the common ones.</summary>
    protected abstract void WriteFields(Utf8JsonWriter w);
}

internal static class LearnerState
{
    public static void WriteCommon(Utf8JsonWriter w, IReadOnlyList<string> features, IReadOnlyDictionary<string, string> parameters, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        w.WriteStartArray("feature_names"); foreach (var n in features) w.WriteStringValue(n); w.WriteEndArray();
        w.WriteStartObject("parameters"); foreach (var (k, v) in parameters) w.WriteString(k, v); w.WriteEndObject();
        w.WriteStartObject("metrics"); foreach (var (k, v) in metrics) { w.WritePropertyName(k); Num(w, v); } w.WriteEndObject();
    }

    /// <summary>Reads the common fields; the model's metrics are filled by <see cref="ReadMetrics"/>.</summary>
    public static (string[] Features, Dictionary<string, string> Parameters) ReadCommon(JsonElement s)
    {
        var names = s.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("null feature name")).ToArray();
        var pars = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pr in s.GetProperty("parameters").EnumerateObject()) pars[pr.Name] = pr.Value.GetString() ?? "";
        return (names, pars);
    }

    public static T ReadMetrics<T>(T model, JsonElement s) where T : ITrainedModel
    {
        foreach (var pr in s.GetProperty("metrics").EnumerateObject()) model.Metrics[pr.Name] = ReadNum(pr.Value);
        return model;
    }

    public static void Num(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    public static void Array(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Num(w, v);
        w.WriteEndArray();
    }

    public static double ReadNum(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity,
            var t => double.Parse(t!, NumberStyles.Float, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();

    public static double[] ReadArray(JsonElement e)
    {
        var o = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) o[i++] = ReadNum(x);
        return o;
    }

    /// <summary>The stored training rows of instance-based learners (kNN, GPR): "rows", "x" (row-major), "y".</summary>
    public static void WriteRows(Utf8JsonWriter w, FeatureTable t)
    {
        w.WriteNumber("rows", t.Rows);
        Array(w, "x", t.Values);
        Array(w, "y", t.Labels!);
    }

    public static FeatureTable ReadRows(JsonElement s, IReadOnlyList<string> names)
    {
        int rows = s.GetProperty("rows").GetInt32();
        try { return new FeatureTable(names, rows, ReadArray(s.GetProperty("x")), ReadArray(s.GetProperty("y"))); }
        catch (ArgumentException e) { throw new FormatException($"training rows: {e.Message}"); }
    }

    public static void Check(IReadOnlyDictionary<string, string> p, string learner, IReadOnlyList<string> known)
    {
        foreach (var k in p.Keys)
            if (!known.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"unknown {learner} parameter '{k}' (known: {string.Join(", ", known)})");
    }

    public static FeatureTable Labelled(FeatureTable t, string learner)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Labels is null) throw new ArgumentException("the training table has no target column");
        if (t.Rows == 0) throw new ArgumentException($"{learner}: the training table has no rows");
        return t;
    }

    public static double Num(IReadOnlyDictionary<string, string> p, string key, double fallback) => DescriptorParameters.Double(p, key, fallback);
    public static int Int(IReadOnlyDictionary<string, string> p, string key, int fallback) => DescriptorParameters.Int(p, key, fallback);
    public static bool Bool(IReadOnlyDictionary<string, string> p, string key, bool fallback) => DescriptorParameters.Bool(p, key, fallback);
    public static string Str(IReadOnlyDictionary<string, string> p, string key, string fallback) => p.TryGetValue(key, out var v) ? v.ToLowerInvariant() : fallback;
}
