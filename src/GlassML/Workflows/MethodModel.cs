using System.Text.Json;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows;

/// <summary>A training input recorded in a model or run record: the path as the user gave it and its SHA-256.</summary>
/// <param name="File">Path as given (relative to the manifest when it came from one).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
public sealed record InputHash(string File, string Sha256)
{
    /// <summary>Hashes a file.</summary>
    public static InputHash Of(string displayName, string path)
    {
        using var s = System.IO.File.OpenRead(path);
        return new InputHash(displayName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s)));
    }
}

/// <summary>
/// The fields every method's model file shares (schema <see cref="MethodModelFile.Format"/>): which method, schema
/// version, species order, training metrics and the hashes of the training inputs. The method's feature recipe (every
/// parameter fixed at training: r_p, SOAP options, cutoffs, normalisation constants) and its learner state are written
/// by the method itself under <c>recipe</c> and <c>model</c>.
/// </summary>
/// <param name="Method">Method name: bonds, sf, softness, ule or tml.</param>
/// <param name="Schema">The method's model schema version.</param>
/// <param name="Species">Species names in the model's order.</param>
/// <param name="Metrics">Training and validation metrics (name → value).</param>
/// <param name="Inputs">Training inputs with their hashes.</param>
public sealed record MethodModelHeader(string Method, int Schema, IReadOnlyList<string> Species,
    IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<InputHash> Inputs)
{
    /// <summary>The GlassML version that wrote the file.</summary>
    public string GlassmlVersion { get; init; } = MethodModelFile.Version;

    /// <summary>
    /// Checks that a structure uses only species this model was trained on (any composition of them is fine).
    /// </summary>
    /// <exception cref="InputFormatException">A species of the structure is unknown to the model.</exception>
    public void CheckSpecies(Frame frame, string file)
    {
        var counts = frame.SpeciesCounts();
        for (int s = 0; s < frame.Species.Count; s++)
        {
            if (counts[s] == 0) continue;
            string name = frame.Species[s].Name;
            if (!Species.Contains(name))
                throw new InputFormatException(file, 0,
                    $"species '{name}' is not one the {Method} model was trained on ({string.Join(", ", Species)}); map LAMMPS types with --types if the names differ");
        }
    }

    /// <summary>Index of each of a frame's species in the model's species order (-1 when absent).</summary>
    public int[] SpeciesMap(Frame frame)
    {
        var map = new int[frame.Species.Count];
        for (int s = 0; s < map.Length; s++) map[s] = Species.ToList().IndexOf(frame.Species[s].Name);
        return map;
    }
}

/// <summary>A loaded method model: the shared header and the method's own <c>recipe</c> and <c>model</c> sections.</summary>
public sealed class LoadedMethodModel : IDisposable
{
    private readonly JsonDocument _doc;

    internal LoadedMethodModel(string path, JsonDocument doc, MethodModelHeader header)
    {
        Path = path; _doc = doc; Header = header;
        Recipe = doc.RootElement.GetProperty("recipe");
        Model = doc.RootElement.GetProperty("model");
    }

    /// <summary>The file as given.</summary>
    public string Path { get; }
    /// <summary>The shared fields.</summary>
    public MethodModelHeader Header { get; }
    /// <summary>The method's feature recipe.</summary>
    public JsonElement Recipe { get; }
    /// <summary>The method's learner state.</summary>
    public JsonElement Model { get; }

    /// <summary>
    /// Reads the method's sections through <paramref name="read"/>; a missing property or a wrong value type becomes a
    /// one-line error naming the model file.
    /// </summary>
    /// <exception cref="InputFormatException">The sections are not what this GlassML writes.</exception>
    public T Read<T>(Func<LoadedMethodModel, T> read)
    {
        try { return read(this); }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new InputFormatException(Path, 0, $"malformed {Header.Method} model file: {e.Message}");
        }
    }

    /// <summary>
    /// Reads one field of the sections through <paramref name="read"/>; a missing property, a wrong value type or a value the
    /// method refuses becomes a one-line error naming the model file and the field (<c>MODEL: FIELD: problem</c>).
    /// </summary>
    /// <exception cref="InputFormatException">The field is not what this GlassML writes.</exception>
    public T Field<T>(string field, Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try { return read(); }
        catch (Exception e) when (IsMalformed(e))
        {
            string message = e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
            throw new InputFormatException(Path, 0, $"malformed {Header.Method} model file: {field}: {message}");
        }
    }

    private static bool IsMalformed(Exception e) =>
        e is KeyNotFoundException or InvalidOperationException or FormatException or JsonException or IndexOutOfRangeException or ArgumentException;

    /// <inheritdoc/>
    public void Dispose() => _doc.Dispose();
}

/// <summary>
/// Reads and writes method model files. Layout:
/// <code>
/// { "format": "glassml-method-model", "method": "sf", "schema": 1, "glassml_version": "0.1.0",
///   "species": ["Cu", "Zr"], "recipe": { … }, "model": { … }, "metrics": { name: x },
///   "inputs": [ { "file": "…", "sha256": "…" } ] }
/// </code>
/// Doubles are shortest round-trip (<see cref="JsonSupport"/>), so a reloaded model predicts bit for bit. A file of
/// another method, a newer schema, another format or a truncated file is refused with one line.
/// </summary>
public static class MethodModelFile
{
    /// <summary>Value of the <c>format</c> field.</summary>
    public const string Format = "glassml-method-model";

    /// <summary>The library version written into files.</summary>
    public static string Version { get; } = typeof(MethodModelFile).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>Writes a model file atomically.</summary>
    public static void Save(string path, MethodModelHeader header, Action<Utf8JsonWriter> writeRecipe, Action<Utf8JsonWriter> writeModel) =>
        JsonSupport.WriteFile(path, w =>
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("method", header.Method);
            w.WriteNumber("schema", header.Schema);
            w.WriteString("glassml_version", header.GlassmlVersion);
            JsonSupport.Array(w, "species", header.Species);
            w.WriteStartObject("recipe"); writeRecipe(w); w.WriteEndObject();
            w.WriteStartObject("model"); writeModel(w); w.WriteEndObject();
            JsonSupport.Map(w, "metrics", header.Metrics);
            w.WriteStartArray("inputs");
            foreach (var h in header.Inputs)
            {
                w.WriteStartObject();
                w.WriteString("file", h.File);
                w.WriteString("sha256", h.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>Loads a model file of one method, refusing any other.</summary>
    /// <param name="path">The file.</param>
    /// <param name="method">The method that must have written it.</param>
    /// <param name="maxSchema">The newest schema version this code reads.</param>
    /// <exception cref="InputFormatException">Missing, not a model, another method, newer schema, truncated or malformed.</exception>
    public static LoadedMethodModel Load(string path, string method, int maxSchema)
    {
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, "is a directory, not a model file (give DIR/model.json)");
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        return Load(File.ReadAllBytes(path), path, method, maxSchema);
    }

    /// <summary>Loads a model file of one method and reads its sections with <paramref name="read"/> (the document is
    /// disposed afterwards); the shared body of every method model's <c>Load</c>.</summary>
    /// <exception cref="InputFormatException">As <see cref="Load(string, string, int)"/>, or a malformed section.</exception>
    public static T Read<T>(string path, string method, int maxSchema, Func<LoadedMethodModel, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var m = Load(path, method, maxSchema);
        return read(m);
    }

    /// <summary>Like <see cref="Read{T}(string, string, int, Func{LoadedMethodModel, T})"/> for a model given as bytes.</summary>
    public static T Read<T>(byte[] bytes, string path, string method, int maxSchema, Func<LoadedMethodModel, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var m = Load(bytes, path, method, maxSchema);
        return read(m);
    }

    /// <summary>Loads a model from its bytes (e.g. a model shipped inside the library); <paramref name="path"/> names it in messages.</summary>
    /// <exception cref="InputFormatException">Not a model, another method, newer schema, truncated or malformed.</exception>
    public static LoadedMethodModel Load(byte[] bytes, string path, string method, int maxSchema)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes); }
        catch (JsonException) { throw new InputFormatException(path, 0, "not a GlassML model file (malformed or truncated JSON)"); }
        try
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var fmt) || fmt.ValueKind != JsonValueKind.String)
                throw new InputFormatException(path, 0, $"not a GlassML method model (no \"format\": \"{Format}\")");
            if (fmt.GetString() == "glassml-model")
                throw new InputFormatException(path, 0, $"is a table model of 'glassml learn', not a {method} model");
            if (fmt.GetString() != Format) throw new InputFormatException(path, 0, $"not a GlassML method model (format '{fmt.GetString()}')");
            string m = root.GetProperty("method").GetString() ?? "";
            if (m != method) throw new InputFormatException(path, 0, $"is a '{m}' model, not a '{method}' model");
            int schema = root.GetProperty("schema").GetInt32();
            if (schema > maxSchema || schema < 1)
                throw new InputFormatException(path, 0, $"{method} model schema {schema} is not supported (this GlassML reads 1–{maxSchema})");
            var species = JsonSupport.ReadStrings(root.GetProperty("species"));
            if (species.Length == 0 || species.Distinct().Count() != species.Length) throw new InputFormatException(path, 0, "the model's species list is empty or repeats a name");
            var metrics = JsonSupport.ReadMap(root.GetProperty("metrics"));
            var inputs = root.GetProperty("inputs").EnumerateArray()
                .Select(e => new InputHash(e.GetProperty("file").GetString() ?? "", e.GetProperty("sha256").GetString() ?? "")).ToArray();
            var header = new MethodModelHeader(m, schema, species, metrics, inputs) { GlassmlVersion = root.GetProperty("glassml_version").GetString() ?? "" };
            return new LoadedMethodModel(path, doc, header);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            doc.Dispose();
            throw new InputFormatException(path, 0, $"malformed {method} model file: {e.Message}");
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }
}
