using System.Text;
using System.Text.Json;
using GlassML.Io;
using GlassML.Workflows.Demo;
using GlassML.Workflows.Ule;

namespace GlassML.Tests.Workflows.Ule;

/// <summary>
/// The one-pass dictionary reader (<c>UleDictionary.LoadStreamed</c>, the path of <see cref="UleDictionary.Load"/>) against
/// the whole-document reader it replaces (<c>LoadDocument</c>, the former code): for the shipped dictionary written whole
/// and in chunks, and for damaged, reordered and unusual variants of it, read with buffers of 1 byte to 1 MiB, the loaded
/// dictionary (its file bytes) or the error message is the same. Also the chunked base-64 writer against
/// <c>WriteStringValue(Convert.ToBase64String(…))</c>, byte for byte.
/// </summary>
public class UleDictionaryStreamedTests
{
    private static UleDictionary Shipped() =>
        UleModel.Load(DemoJob.ShippedModel("ule") ?? throw new InvalidOperationException("no shipped ule model"), "ule.model.json").Dictionary;

    private static string Saved(UleDictionary d)
    {
        string p = Path.Combine(Path.GetTempPath(), $"ule-stream-{Guid.NewGuid():N}.json");
        try { d.Save(p); return File.ReadAllText(p); } finally { File.Delete(p); }
    }

    private static string Outcome(Func<UleDictionary> load)
    {
        try { return "loaded " + Saved(load()); }
        catch (InputFormatException e) { return "error " + e.Message; }
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Variants(string good, string chunked)
    {
        var u = new UTF8Encoding(false);
        yield return ("good", u.GetBytes(good));
        yield return ("chunked", u.GetBytes(chunked));
        int v = good.IndexOf("\"vectors_base64\": \"", StringComparison.Ordinal);
        int vs = v + "\"vectors_base64\": \"".Length, ve = good.IndexOf('"', vs);
        Assert.True(v > 0 && ve > vs + 100);
        foreach (int cut in new[] { 0, 1, 2, 10, good.Length / 3, v - 1, v + 5, vs, vs + 1, vs + 77, (vs + ve) / 2, ve - 1, ve, ve + 1, good.Length - 2, good.Length - 1 })
            yield return ($"cut {cut}", u.GetBytes(good[..cut]));
        foreach (int cut in new[] { chunked.Length / 2, chunked.Length - 30, chunked.Length - 3 })
            yield return ($"chunked cut {cut}", u.GetBytes(chunked[..cut]));
        yield return ("bom", [0xEF, 0xBB, 0xBF, .. u.GetBytes(good)]);
        yield return ("trailing data", u.GetBytes(good + "x"));
        yield return ("trailing space", u.GetBytes(good + "  \n\n "));
        yield return ("root array", u.GetBytes("[" + good + "]"));
        yield return ("empty", []);
        yield return ("empty object", u.GetBytes("{}"));
        string vectorsField = good[v..(ve + 1)];
        yield return ("no vectors", u.GetBytes(good.Replace(",\n  " + vectorsField, "")));
        yield return ("vectors first", u.GetBytes(good.Replace(",\n  " + vectorsField, "").Replace("{\n", "{\n  " + vectorsField + ",\n")));
        foreach (var (name, value) in new[] { ("number", "123"), ("null", "null"), ("object", "{}"), ("array of a number", "[1]"),
                     ("array with a number", "[\"AAAA\", 5]"), ("empty string", "\"\""), ("empty array", "[]") })
            yield return ($"vectors {name}", u.GetBytes(good.Replace(vectorsField, "\"vectors_base64\": " + value)));
        string b64 = good[vs..ve];
        yield return ("bad base-64 character", u.GetBytes(good.Remove(vs + 40, 1).Insert(vs + 40, "*")));
        yield return ("space in base-64", u.GetBytes(good.Insert(vs + 40, " ")));
        yield return ("newline in base-64", u.GetBytes(good.Insert(vs + 40, "\\n")));
        int letter = b64.IndexOf('A', 50);
        yield return ("escaped letter", u.GetBytes(good.Remove(vs + letter, 1).Insert(vs + letter, "\\u0041")));
        yield return ("escaped slash", u.GetBytes(good.Replace("/", "\\/")));
        yield return ("four more characters", u.GetBytes(good.Insert(ve, "AAAA")));
        yield return ("four fewer characters", u.GetBytes(good.Remove(ve - 8, 4)));
        yield return ("padding inside", u.GetBytes(good.Insert(vs + 40, "==")));
        var count = System.Text.RegularExpressions.Regex.Match(good, "\"count\": ([0-9]+),\n  \"feature_count\"");
        Assert.True(count.Success);
        int n = int.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        yield return ("count + 1", u.GetBytes(good.Replace(count.Value, $"\"count\": {n + 1},\n  \"feature_count\"")));
        yield return ("count 1.5", u.GetBytes(good.Replace(count.Value, "\"count\": 1.5,\n  \"feature_count\"")));
        yield return ("count 0", u.GetBytes(good.Replace(count.Value, "\"count\": 0,\n  \"feature_count\"")));
        yield return ("huge count", u.GetBytes(good.Replace(count.Value, "\"count\": 2000000000,\n  \"feature_count\"")));
        yield return ("count again after the vectors", u.GetBytes(good[..good.LastIndexOf('}')] + $",\n  \"count\": {n}\n}}"));
        yield return ("other count after the vectors", u.GetBytes(good[..good.LastIndexOf('}')] + $",\n  \"count\": {n + 1}\n}}"));
        yield return ("vectors twice", u.GetBytes(good[..good.LastIndexOf('}')] + ",\n  " + vectorsField + "\n}"));
        yield return ("feature_count text", u.GetBytes(good.Replace("\"feature_count\": ", "\"feature_count\": \"x\", \"y\": ")));
        yield return ("not a dictionary", u.GetBytes(good.Replace("glassml-ule-dictionary", "something-else")));
        yield return ("escaped field name", u.GetBytes(good.Replace("\"vectors_base64\"", "\"vectors\\u005Fbase64\"")));
    }

    [Fact]
    public void StreamedReaderGivesTheWholeDocumentReadersResultForEveryVariant()
    {
        var d = Shipped();
        string dir = Path.Combine(Path.GetTempPath(), $"ule-stream-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string good = Saved(d);
            string cp = Path.Combine(dir, "chunked.json");
            d.SaveChunked(cp, 2 * d.FeatureCount * 8 + 3);
            string chunked = File.ReadAllText(cp);
            Assert.StartsWith("[", JsonDocument.Parse(chunked).RootElement.GetProperty("vectors_base64").GetRawText(), StringComparison.Ordinal);
            int loaded = 0, streamedVariants = 0;
            foreach (var (name, bytes) in Variants(good, chunked))
            {
                string p = Path.Combine(dir, "dict.json");
                File.WriteAllBytes(p, bytes);
                string expected = Outcome(() => UleDictionary.LoadDocument(p));
                if (expected.StartsWith("loaded", StringComparison.Ordinal)) loaded++;
                bool streamed = false;
                foreach (int buffer in new[] { 1, 5, 64, 1000, 1 << 20 })
                {
                    string actual = Outcome(() => { var s = UleDictionary.LoadStreamed(p, buffer); streamed |= s is not null; return s ?? UleDictionary.LoadDocument(p); });
                    Assert.True(expected == actual, $"{name}, buffer {buffer}: expected {expected[..Math.Min(200, expected.Length)]}, got {actual[..Math.Min(200, actual.Length)]}");
                }
                Assert.Equal(expected, Outcome(() => UleDictionary.Load(p)));
                if (streamed) streamedVariants++;
                if (name is "good" or "chunked" or "escaped letter" or "escaped slash" or "trailing space" or "count again after the vectors" or "vectors twice" or "escaped field name")
                    Assert.True(streamed, $"{name}: not read by the streamed path");
                if (name is "good" or "chunked") Assert.Equal("loaded " + good, expected);
            }
            Assert.True(loaded >= 8, $"only {loaded} variants load");
            Assert.True(streamedVariants >= 8);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ChunkedBase64WriterWritesTheSameBytesAsOneString()
    {
        var rng = new Random(7);
        foreach (int length in new[] { 0, 1, 2, 3, 4, 49151, 49152, 49153, 98304, 200_003, 3 << 20 })
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(Write(w => w.WriteStringValue(Convert.ToBase64String(data))), Write(w => UleDictionary.WriteBase64(w, data)));
        }

        static byte[] Write(Action<Utf8JsonWriter> value)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
            {
                w.WriteStartObject();
                w.WritePropertyName("one");
                value(w);
                w.WriteStartArray("many");
                value(w);
                value(w);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return ms.ToArray();
        }
    }
}
