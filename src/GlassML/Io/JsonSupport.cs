using System.Text.Json;

namespace GlassML.Io;

/// <summary>
/// JSON conventions shared by every GlassML file (models, run records, reports): doubles in shortest round-trip form,
/// non-finite values as the strings "NaN", "Infinity", "-Infinity", so a value read back is bit-identical.
/// </summary>
public static class JsonSupport
{
    /// <summary>Writes a double value (non-finite as a string).</summary>
    public static void Number(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    /// <summary>Writes a named double property.</summary>
    public static void Number(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        Number(w, v);
    }

    /// <summary>Writes a named array of doubles.</summary>
    public static void Array(Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v);
        w.WriteEndArray();
    }

    /// <summary>Writes a named array of strings.</summary>
    public static void Array(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Writes a named object of name → double.</summary>
    public static void Map(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, double>> values)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in values) Number(w, k, v);
        w.WriteEndObject();
    }

    /// <summary>Reads a double written by <see cref="Number(Utf8JsonWriter, double)"/>.</summary>
    /// <exception cref="FormatException">Neither a number nor one of the non-finite strings.</exception>
    public static double ReadNumber(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"'{s}' is not a number"),
        },
        _ => throw new FormatException($"expected a number, found {e.ValueKind}"),
    };

    /// <summary>Reads an array of doubles.</summary>
    public static double[] ReadArray(JsonElement e)
    {
        var r = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) r[i++] = ReadNumber(x);
        return r;
    }

    /// <summary>Reads an array of strings.</summary>
    public static string[] ReadStrings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString() ?? "").ToArray();

    /// <summary>Reads an object of name → double.</summary>
    public static Dictionary<string, double> ReadMap(JsonElement e)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = ReadNumber(p.Value);
        return d;
    }

    /// <summary>Writes a JSON document atomically (indented, "\n" line ends).</summary>
    public static void WriteFile(string path, Action<Utf8JsonWriter> body)
    {
        AtomicFile.Write(path, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true, NewLine = "\n" });
            body(w);
        });
    }
}
