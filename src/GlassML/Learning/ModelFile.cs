using System.Globalization;
using System.Text.Json;
using GlassML.Io;

namespace GlassML.Learning;

/// <summary>
/// Versioned JSON model files (System.Text.Json). Layout of schema version 1:
/// <code>
/// { "format": "glassml-model", "schema_version": 1, "model": "gbdt", "glassml_version": "…",
///   "feature_names": [..], "parameters": { XGBoost name: value string }, "base_margin": x,
///   "best_iteration": i, "validation_history": [..], "metrics": { name: x },
///   "importance": { "total_gain": [..], "gain": [..] },
///   "trees": [ { "left": [..], "right": [..], "feature": [..], "threshold": [..], "default_left": [..],
///                "value": [..], "cover": [..], "gain": [..] } ] }
/// </code>
/// Doubles are written in shortest round-trip form, so a loaded model predicts bit-identically.
/// Non-finite metric values are written as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public static class ModelFile
{
    /// <summary>Current schema version.</summary>
    public const int SchemaVersion = 1;
    /// <summary>Value of the "format" field.</summary>
    public const string Format = "glassml-model";

    /// <summary>Writes a boosted-tree model atomically.</summary>
    public static void Save(GradientBoostedTreesModel model, string path) =>
        AtomicFile.Write(path, s => { using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = false }); Write(model, w); });

    /// <summary>The model as a JSON string.</summary>
    public static string ToJson(GradientBoostedTreesModel model)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true })) Write(model, w);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Num(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static void Write(GradientBoostedTreesModel m, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("schema_version", SchemaVersion);
        w.WriteString("model", "gbdt");
        w.WriteString("glassml_version", typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "");
        WriteGbdtState(m, w);
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>
    /// Writes a boosted-tree model's fields (feature_names … trees, the layout above without the header) as properties of
    /// the JSON object the writer is in; <see cref="ReadGbdtState"/> reads them back. Used to embed the model in a larger file.
    /// </summary>
    public static void WriteGbdtState(GradientBoostedTreesModel m, Utf8JsonWriter w)
    {
        w.WriteStartArray("feature_names");
        foreach (var n in m.FeatureNames) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteStartObject("parameters");
        foreach (var kv in m.Parameters.ToDictionary()) w.WriteString(kv.Key, kv.Value);
        w.WriteEndObject();
        w.WritePropertyName("base_margin"); Num(w, m.BaseMargin);
        w.WriteNumber("best_iteration", m.BestIteration);
        w.WriteStartArray("validation_history");
        foreach (var v in m.ValidationHistory) Num(w, v);
        w.WriteEndArray();
        w.WriteStartObject("metrics");
        foreach (var kv in m.Metrics) { w.WritePropertyName(kv.Key); Num(w, kv.Value); }
        w.WriteEndObject();
        w.WriteStartObject("importance");
        w.WriteStartArray("total_gain"); foreach (var v in m.TotalGainImportance()) Num(w, v); w.WriteEndArray();
        w.WriteStartArray("gain"); foreach (var v in m.GainImportance()) Num(w, v); w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("trees");
        foreach (var t in m.Trees)
        {
            w.WriteStartObject();
            w.WriteStartArray("left"); foreach (var v in t.left) w.WriteNumberValue(v); w.WriteEndArray();
            w.WriteStartArray("right"); foreach (var v in t.right) w.WriteNumberValue(v); w.WriteEndArray();
            w.WriteStartArray("feature"); foreach (var v in t.feature) w.WriteNumberValue(v); w.WriteEndArray();
            w.WriteStartArray("threshold"); foreach (var v in t.threshold) Num(w, v); w.WriteEndArray();
            w.WriteStartArray("default_left"); foreach (var v in t.defaultLeft) w.WriteBooleanValue(v); w.WriteEndArray();
            w.WriteStartArray("value"); foreach (var v in t.value) Num(w, v); w.WriteEndArray();
            w.WriteStartArray("cover"); foreach (var v in t.cover) Num(w, v); w.WriteEndArray();
            w.WriteStartArray("gain"); foreach (var v in t.gain) Num(w, v); w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Reads a boosted-tree model file. Any problem throws <see cref="InputFormatException"/> naming the file.</summary>
    public static GradientBoostedTreesModel LoadGbdt(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new InputFormatException(path, 0, $"cannot read model file: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new InputFormatException(path, 0, $"cannot read model file: {e.Message}"); }
        return ParseGbdt(bytes, path);
    }

    /// <summary>Parses a boosted-tree model from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static GradientBoostedTreesModel ParseGbdt(ReadOnlyMemory<byte> json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InputFormatException(source, (e.LineNumber ?? -1) + 1, $"not valid JSON: {e.Message}"); }
        using (doc)
        {
            try
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.GetString() != Format)
                    throw new FormatException($"not a GlassML model file (\"format\" must be \"{Format}\")");
                int version = root.GetProperty("schema_version").GetInt32();
                if (version != SchemaVersion) throw new FormatException($"schema_version {version} is not supported (this GlassML reads {SchemaVersion})");
                string kind = root.GetProperty("model").GetString() ?? "";
                if (kind != "gbdt") throw new FormatException($"model is '{kind}', expected 'gbdt'");
                return ReadGbdtState(root);
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InputFormatException(source, 0, e is KeyNotFoundException ? $"model file lacks a required field ({e.Message})" : e.Message);
            }
        }
    }

    /// <summary>
    /// Reads the fields written by <see cref="WriteGbdtState"/> from a JSON object (a model file's root or an embedded
    /// learner state). Problems throw <see cref="FormatException"/>, <see cref="KeyNotFoundException"/> (a missing field)
    /// or <see cref="InvalidOperationException"/> (a field of the wrong JSON kind).
    /// </summary>
    public static GradientBoostedTreesModel ReadGbdtState(JsonElement root)
    {
        var names = root.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("null feature name")).ToArray();
        var pars = new Dictionary<string, string>();
        foreach (var prop in root.GetProperty("parameters").EnumerateObject()) pars[prop.Name] = prop.Value.GetString() ?? "";
        GradientBoostedTreesParameters parameters;
        try { parameters = GradientBoostedTreesParameters.FromDictionary(pars); parameters.Validate(); }
        catch (ArgumentException e) { throw new FormatException($"parameters: {e.Message}"); }
        double baseMargin = Dbl(root.GetProperty("base_margin"));
        int best = root.GetProperty("best_iteration").GetInt32();
        var hist = root.GetProperty("validation_history").EnumerateArray().Select(Dbl).ToArray();
        var metrics = new Dictionary<string, double>();
        foreach (var prop in root.GetProperty("metrics").EnumerateObject()) metrics[prop.Name] = Dbl(prop.Value);
        var trees = new List<DecisionTree>();
        int k = 0;
        foreach (var t in root.GetProperty("trees").EnumerateArray())
        {
            try
            {
                trees.Add(new DecisionTree(
                    Ints(t.GetProperty("left")), Ints(t.GetProperty("right")), Ints(t.GetProperty("feature")),
                    Dbls(t.GetProperty("threshold")), t.GetProperty("default_left").EnumerateArray().Select(e => e.GetBoolean()).ToArray(),
                    Dbls(t.GetProperty("value")), Dbls(t.GetProperty("cover")), Dbls(t.GetProperty("gain"))));
            }
            catch (ArgumentException e) { throw new FormatException($"tree {k}: {e.Message}"); }
            k++;
        }
        try { return new GradientBoostedTreesModel(names, parameters, baseMargin, trees, best, hist, metrics); }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
    }

    private static double Dbl(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();

    private static double[] Dbls(JsonElement e) => e.EnumerateArray().Select(Dbl).ToArray();
    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
