using System.Diagnostics;
using System.Text.Json;
using GlassML.Io;

namespace GlassML.Workflows;

/// <summary>
/// Provenance of one run, written as <c>run.json</c>: command line, GlassML version, thread count, seed, SHA-256 of
/// every input and the time of each stage. Everything but <c>timings</c> is deterministic for the same inputs.
/// </summary>
public sealed class RunRecord
{
    private readonly List<InputHash> _inputs = [];
    private readonly List<(string Stage, double Seconds)> _timings = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly Stopwatch _total = Stopwatch.StartNew();

    /// <summary>Starts a record.</summary>
    /// <param name="method">Method (or verb) name.</param>
    /// <param name="action">train, apply, …</param>
    /// <param name="commandLine">The arguments as the user gave them.</param>
    /// <param name="threads">Thread count requested (0 = all cores).</param>
    public RunRecord(string method, string action, IReadOnlyList<string> commandLine, int threads)
    {
        Method = method; Action = action; CommandLine = commandLine; Threads = threads;
    }

    /// <summary>Method name.</summary>
    public string Method { get; }
    /// <summary>Action name.</summary>
    public string Action { get; }
    /// <summary>Command-line arguments.</summary>
    public IReadOnlyList<string> CommandLine { get; }
    /// <summary>Threads requested.</summary>
    public int Threads { get; }
    /// <summary>Inputs hashed so far.</summary>
    public IReadOnlyList<InputHash> Inputs => _inputs;
    /// <summary>Named settings (options after defaults were applied), written in the order added.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;
    /// <summary>Metrics shown at the top of the report.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Records an input file (hashing it) once.</summary>
    public InputHash AddInput(string displayName, string path)
    {
        var existing = _inputs.FirstOrDefault(i => i.File == displayName);
        if (existing is not null) return existing;
        var h = InputHash.Of(displayName, path);
        _inputs.Add(h);
        return h;
    }

    /// <summary>Records a setting.</summary>
    public void Set(string name, string value) => _settings[name] = value;

    /// <summary>Runs a stage and records its wall time.</summary>
    public T Time<T>(string stage, Func<T> work)
    {
        var sw = Stopwatch.StartNew();
        var r = work();
        _timings.Add((stage, sw.Elapsed.TotalSeconds));
        return r;
    }

    /// <summary>Runs a stage and records its wall time.</summary>
    public void Time(string stage, Action work) => Time(stage, () => { work(); return 0; });

    /// <summary>Writes run.json.</summary>
    public void Write(string path) => JsonSupport.WriteFile(path, w =>
    {
        w.WriteStartObject();
        w.WriteString("format", "glassml-run");
        w.WriteString("method", Method);
        w.WriteString("action", Action);
        w.WriteString("glassml_version", MethodModelFile.Version);
        JsonSupport.Array(w, "command_line", CommandLine);
        w.WriteNumber("threads", Threads);
        w.WriteStartObject("settings");
        foreach (var (k, v) in _settings) w.WriteString(k, v);
        w.WriteEndObject();
        JsonSupport.Map(w, "metrics", Metrics);
        w.WriteStartArray("inputs");
        foreach (var h in _inputs)
        {
            w.WriteStartObject();
            w.WriteString("file", h.File);
            w.WriteString("sha256", h.Sha256);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("timings");
        foreach (var (s, t) in _timings) JsonSupport.Number(w, s, Math.Round(t, 3));
        JsonSupport.Number(w, "total", Math.Round(_total.Elapsed.TotalSeconds, 3));
        w.WriteString("machine", $"{Environment.ProcessorCount} cores, {Environment.OSVersion}");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>Reads the parts of a run.json a report shows (method, action, version, command line, settings, metrics, inputs, timings).</summary>
    /// <exception cref="InputFormatException">Not a run record.</exception>
    public static JsonDocument Read(string path)
    {
        try
        {
            var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!doc.RootElement.TryGetProperty("format", out var f) || f.GetString() != "glassml-run")
                throw new InputFormatException(path, 0, "not a GlassML run record (run.json)");
            return doc;
        }
        catch (JsonException) { throw new InputFormatException(path, 0, "malformed or truncated run.json"); }
    }
}
