using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GlassML.Io;

namespace GlassML.Workflows.Sharding;

/// <summary>
/// Which share of a batch run one process does: shard <see cref="Index"/> of <see cref="Count"/> (0-based), taking a
/// contiguous, deterministic block of the run's units (frames or manifest rows).
/// </summary>
/// <param name="Index">This shard, 0 ≤ Index &lt; Count.</param>
/// <param name="Count">Number of shards.</param>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>
    /// Parses <c>K/N</c> (K = 1…N, as users count) or <c>slurm</c> (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, with
    /// SLURM_ARRAY_TASK_MIN subtracted so arrays starting at 1 work too).
    /// </summary>
    /// <exception cref="ArgumentException">Not K/N with 1 ≤ K ≤ N, or the SLURM variables are missing.</exception>
    public static ShardSpec Parse(string text, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        text = text.Trim();
        if (text.Equals("slurm", StringComparison.OrdinalIgnoreCase))
        {
            string? id = environment("SLURM_ARRAY_TASK_ID"), count = environment("SLURM_ARRAY_TASK_COUNT"), min = environment("SLURM_ARRAY_TASK_MIN");
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw new ArgumentException("--shard slurm: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set (run inside a job array, or give --shard K/N)");
            int lo = int.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 0;
            if (k - lo < 0 || k - lo >= n) throw new ArgumentException($"--shard slurm: task {k} is outside the array ({lo}…{lo + n - 1})");
            return new ShardSpec(k - lo, n);
        }
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int kk)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int nn) && nn >= 1 && kk >= 1 && kk <= nn)
            return new ShardSpec(kk - 1, nn);
        throw new ArgumentException($"--shard: '{text}' is not K/N with 1 ≤ K ≤ N (e.g. 2/4), or 'slurm'");
    }

    /// <summary>The units [Start, End) of this shard out of <paramref name="units"/>.</summary>
    public (int Start, int End) Range(int units) => ((int)((long)units * Index / Count), (int)((long)units * (Index + 1) / Count));
}


/// <summary>How <see cref="ShardParts.Merge"/> joins the parts of a sharded run.</summary>
public enum ShardJoin
{
    /// <summary>One after the other (frames, table rows; a CSV keeps the first part's header).</summary>
    Rows,
    /// <summary>Side by side: CSV parts that share their leading key columns (id, type, species…) and add their own value columns.</summary>
    Columns,
    /// <summary>Not joined as files: the parts are the first pass of a verb whose final pass (run by the merge) reads them.</summary>
    Rerun,
}

/// <summary>What a sharded run records with each unit's part.</summary>
/// <param name="Verb">The verb, e.g. "sf apply".</param>
/// <param name="Fingerprint">Hash of the run's inputs and options (<see cref="ShardParts.Fingerprint"/>).</param>
/// <param name="Units">Number of units of the whole run.</param>
/// <param name="Join">How the parts are joined.</param>
/// <param name="Extras">Suffixes of the side outputs each unit also writes (e.g. ".means.csv"), joined by rows into OUTSTEM+suffix.</param>
/// <param name="Arguments">The command's arguments (for <see cref="ShardJoin.Rerun"/>: the merge runs the verb's final pass with them).</param>
public sealed record PartInfo(string Verb, string Fingerprint, int Units, ShardJoin Join, IReadOnlyList<string> Extras, IReadOnlyList<string> Arguments);

/// <summary>The parts found for a merge: every unit 0…Units−1 once, all made with the same verb, inputs and options.</summary>
/// <param name="Info">What the parts record.</param>
/// <param name="Extension">The output extension the parts are (e.g. ".csv").</param>
/// <param name="Parts">Part file of each unit.</param>
public sealed record PartSet(PartInfo Info, string Extension, IReadOnlyList<string> Parts);

/// <summary>
/// The parts of a sharded run: each unit of work writes its own output atomically into <c>OUT.parts/</c> with a
/// sidecar recording what made it (verb, a fingerprint of the inputs' hashes and the options, a hash of the unit's own
/// inputs, the unit's place). A rerun skips units whose output and matching sidecar exist, so a killed task is redone
/// alone; <see cref="Merge"/> joins the parts into exactly the bytes a single run writes.
/// </summary>
public static class ShardParts
{
    /// <summary>The folder holding the parts of output <paramref name="output"/>.</summary>
    public static string Folder(string output) => output + ".parts";

    /// <summary>The part file of one unit (a JSON output's parts end in .json.part, apart from the .json records).</summary>
    public static string PartPath(string output, int unit) =>
        ExtraPath(output, unit, OutputExtension(output) is ".json" ? ".json.part" : OutputExtension(output));

    /// <summary>The part of a unit's side output with suffix <paramref name="suffix"/> (e.g. ".means.csv").</summary>
    public static string ExtraPath(string output, int unit, string suffix) =>
        Path.Combine(Folder(output), string.Create(CultureInfo.InvariantCulture, $"unit-{unit:D6}{suffix}"));

    /// <summary>The side output of <paramref name="output"/> with suffix <paramref name="suffix"/>: the output without .gz and extension, plus the suffix.</summary>
    public static string SiblingPath(string output, string suffix)
    {
        string p = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? output[..^3] : output;
        return Path.ChangeExtension(p, null) + suffix;
    }

    private static string SidecarPath(string part) => part + ".json";

    /// <summary>The output's extension including a trailing .gz (e.g. ".csv", ".xyz.gz").</summary>
    public static string OutputExtension(string output)
    {
        string name = Path.GetFileName(output);
        string ext = Path.GetExtension(name);
        if (ext.Equals(".gz", StringComparison.OrdinalIgnoreCase)) ext = Path.GetExtension(name[..^3]) + ext;
        return ext.ToLowerInvariant();
    }

    /// <summary>
    /// A fingerprint of a run's inputs and options: SHA-256 over the verb, each input's SHA-256 and the options as given
    /// (without --shard, --threads, --out and --quiet, which do not change the result).
    /// </summary>
    /// <exception cref="InputFormatException">An input file does not exist.</exception>
    public static string Fingerprint(string verb, IEnumerable<string> inputFiles, IEnumerable<string> options)
    {
        var sb = new StringBuilder(verb).Append('\n');
        foreach (var f in inputFiles) sb.Append(HashOf(f)).Append('\n');
        foreach (var o in options) sb.Append(o).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>A hash of one unit's own input files (e.g. the structure of one manifest row), empty for none.</summary>
    /// <exception cref="InputFormatException">An input file does not exist.</exception>
    public static string UnitHash(IEnumerable<string> unitInputs)
    {
        var sb = new StringBuilder();
        foreach (var f in unitInputs) sb.Append(HashOf(f)).Append('\n');
        return sb.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static string HashOf(string file) =>
        File.Exists(file) ? InputHash.Of(file, file).Sha256 : throw new InputFormatException(file, 0, "file not found");

    /// <summary>True when a unit's part (and side outputs) exist and were made by the same verb, inputs and options.</summary>
    public static bool IsDone(string output, int unit, PartInfo info, string unitHash)
    {
        string part = PartPath(output, unit), side = SidecarPath(part);
        if (!File.Exists(part) || !File.Exists(side) || info.Extras.Any(x => !File.Exists(ExtraPath(output, unit, x)))) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(side));
            var r = doc.RootElement;
            return r.GetProperty("fingerprint").GetString() == info.Fingerprint && r.GetProperty("unit").GetInt32() == unit
                && r.GetProperty("units").GetInt32() == info.Units && (r.TryGetProperty("unit_hash", out var h) ? h.GetString() : "") == unitHash;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return false; }
    }

    /// <summary>Writes one unit: the part (and side outputs) through <paramref name="write"/> (atomically), then its sidecar.</summary>
    public static void WriteUnit(string output, int unit, PartInfo info, string unitHash, Action<string> write)
    {
        string part = PartPath(output, unit);
        Directory.CreateDirectory(Folder(output));
        File.Delete(SidecarPath(part)); // a part without a sidecar counts as not done
        write(part);
        JsonSupport.WriteFile(SidecarPath(part), w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "glassml-part");
            w.WriteString("verb", info.Verb);
            w.WriteString("fingerprint", info.Fingerprint);
            w.WriteString("unit_hash", unitHash);
            w.WriteNumber("unit", unit);
            w.WriteNumber("units", info.Units);
            w.WriteString("extension", OutputExtension(output));
            w.WriteString("join", info.Join.ToString().ToLowerInvariant());
            JsonSupport.Array(w, "extras", info.Extras);
            JsonSupport.Array(w, "arguments", info.Arguments);
            w.WriteString("glassml_version", MethodModelFile.Version);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Finds the parts in <paramref name="folders"/>: every unit 0…U−1 exactly once, all made with the same verb, inputs
    /// and options.
    /// </summary>
    /// <exception cref="InputFormatException">A part is missing, duplicated, or made with other options or inputs.</exception>
    public static PartSet Collect(IReadOnlyList<string> folders)
    {
        var parts = new SortedDictionary<int, string>();
        PartInfo? info = null; string? ext = null;
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new InputFormatException(folder, 0, "no such folder of parts");
            foreach (var side in Directory.GetFiles(folder, "unit-*.json").Order(StringComparer.Ordinal))
            {
                using var doc = ParseSidecar(side);
                var r = doc.RootElement;
                string fp = r.GetProperty("fingerprint").GetString()!, e = r.GetProperty("extension").GetString()!;
                int u = r.GetProperty("unit").GetInt32(), n = r.GetProperty("units").GetInt32();
                if (info is null)
                {
                    var join = r.TryGetProperty("join", out var j) ? Enum.Parse<ShardJoin>(j.GetString()!, ignoreCase: true) : ShardJoin.Rows;
                    string[] Strings(string name) => r.TryGetProperty(name, out var a) ? JsonSupport.ReadStrings(a).ToArray() : [];
                    info = new PartInfo(r.GetProperty("verb").GetString()!, fp, n, join, Strings("extras"), Strings("arguments"));
                    ext = e;
                }
                else if (fp != info.Fingerprint || n != info.Units || e != ext)
                    throw new InputFormatException(side, 0, "this part was made with other inputs or options than the others; rerun the shards with the same command");
                string part = side[..^5];
                if (!File.Exists(part)) continue; // a unit whose part is gone counts as missing
                if (!parts.TryAdd(u, part) && Path.GetFullPath(parts[u]) != Path.GetFullPath(part))
                    throw new InputFormatException(side, 0, $"unit {u} is present twice ({parts[u]})");
            }
        }
        if (info is null) throw new InputFormatException(folders[0], 0, "no parts found (unit-*.json)");
        var missing = Enumerable.Range(0, info.Units).Where(u => !parts.ContainsKey(u)).ToArray();
        if (missing.Length > 0) throw new InputFormatException(folders[0], 0, $"{missing.Length} of {info.Units} units are missing (first: {missing[0]}); rerun the shards that made them");
        return new PartSet(info, ext!, parts.Values.ToArray());
    }

    /// <summary>
    /// Joins the parts found in <paramref name="folders"/> into <paramref name="output"/> (and each side output into its
    /// sibling file): by rows (CSV parts keep the first part's header; extended XYZ and LAMMPS dump parts are
    /// concatenated) or by columns (CSV parts side by side, their shared key columns once). Returns the number of units.
    /// </summary>
    /// <exception cref="InputFormatException">A part is missing, duplicated, made with other options or inputs, or its columns do not fit the others.</exception>
    /// <exception cref="ArgumentException">The output's extension is not the parts', or the parts are a first pass (merge runs the verb's final pass).</exception>
    public static int Merge(IReadOnlyList<string> folders, string output) => Join(Collect(folders), output);

    /// <summary>Joins collected parts; see <see cref="Merge"/>.</summary>
    /// <exception cref="InputFormatException">A part's columns or rows do not fit the others.</exception>
    /// <exception cref="ArgumentException">The output's extension is not the parts', or the parts are a first pass.</exception>
    public static int Join(PartSet set, string output)
    {
        if (OutputExtension(output) != set.Extension) throw new ArgumentException($"--out: the parts are '{set.Extension}' files; give an output ending in '{set.Extension}'");
        if (set.Info.Join == ShardJoin.Rerun) throw new ArgumentException($"the parts are the first pass of '{set.Info.Verb}'; its final pass reads them ('glassml merge')");
        if (set.Info.Join == ShardJoin.Columns) JoinColumns(set.Parts, output);
        else JoinRows(set.Parts, output, set.Extension);
        foreach (var x in set.Info.Extras)
        {
            var extras = set.Parts.Select(p => p[..^set.Extension.Length] + x).ToArray();
            foreach (var e in extras) if (!File.Exists(e)) throw new InputFormatException(e, 0, "side output of this unit is missing; rerun the shard that made it");
            JoinRows(extras, SiblingPath(output, x), OutputExtension(x));
        }
        return set.Info.Units;
    }

    private static void JoinRows(IReadOnlyList<string> parts, string output, string ext)
    {
        bool csv = ext.StartsWith(".csv", StringComparison.Ordinal);
        bool gz = ext.EndsWith(".gz", StringComparison.Ordinal);
        string? header = null;
        if (csv)
            foreach (var p in parts)
            {
                using var r = OpenText(p, gz);
                string h = r.ReadLine() ?? "";
                if (header is null) header = h;
                else if (h != header) throw new InputFormatException(p, 1, "has other columns than the first part; the units cannot be joined into one table");
            }
        AtomicFile.Write(output, s =>
        {
            Stream o = gz ? new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true) : s;
            try
            {
                bool first = true;
                foreach (var part in parts)
                {
                    using var inp = File.OpenRead(part);
                    Stream src = gz ? new GZipStream(inp, CompressionMode.Decompress) : inp;
                    using (src)
                    {
                        if (csv && !first) SkipLine(src);
                        src.CopyTo(o);
                    }
                    first = false;
                }
            }
            finally { if (gz) o.Dispose(); }
        });
    }

    /// <summary>Most parts read at once by a side-by-side join; more are joined in groups first (file handles are limited).</summary>
    internal static int MaxOpenParts { get; set; } = 200;

    /// <summary>CSV parts side by side: the key columns (the columns all headers start with) once, then each part's own columns.</summary>
    private static void JoinColumns(IReadOnlyList<string> parts, string output)
    {
        if (parts.Count <= MaxOpenParts) { JoinColumnsAtOnce(parts, output); return; }
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileName(output)}.join-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            var groups = parts.Chunk(MaxOpenParts).Select((g, i) =>
            {
                string t = Path.Combine(tmp, string.Create(CultureInfo.InvariantCulture, $"g{i:D6}{OutputExtension(output)}"));
                JoinColumnsAtOnce(g, t);
                return t;
            }).ToArray();
            JoinColumns(groups, output);
        }
        finally { Directory.Delete(tmp, true); }
    }

    private static void JoinColumnsAtOnce(IReadOnlyList<string> parts, string output)
    {
        bool gz = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var readers = parts.Select(p => OpenText(p, gz)).ToArray();
        try
        {
            var headers = readers.Select(r => (r.ReadLine() ?? "").Split(',')).ToArray();
            int keys = headers[0].Length;
            foreach (var h in headers.Skip(1))
            {
                int k = 0;
                while (k < Math.Min(keys, h.Length) && h[k] == headers[0][k]) k++;
                keys = k;
            }
            if (keys == 0 && parts.Count > 1) throw new InputFormatException(parts[1], 1, "shares no key columns with the first part");
            WriteText(output, gz, w =>
            {
                var sb = new StringBuilder();
                for (int line = 1; ; line++)
                {
                    sb.Clear();
                    string? first = line == 1 ? string.Join(',', headers[0]) : readers[0].ReadLine();
                    for (int p = 1; p < readers.Length; p++)
                    {
                        string? l = line == 1 ? string.Join(',', headers[p]) : readers[p].ReadLine();
                        if ((l is null) != (first is null)) throw new InputFormatException(parts[p], line, "has another number of rows than the first part");
                        if (l is null) continue;
                        int cut = KeyEnd(l, keys);
                        if (parts.Count > 1 && (cut > first!.Length || string.CompareOrdinal(l, 0, first, 0, cut) != 0 || (cut < first.Length && first[cut] != ',')))
                            throw new InputFormatException(parts[p], line, "holds other atoms (key columns) than the first part");
                        sb.Append(l, cut, l.Length - cut);
                    }
                    if (first is null) break;
                    w.Write(first); w.Write(sb); w.Write('\n');
                }
            });
        }
        finally { foreach (var r in readers) r.Dispose(); }
    }

    private static void WriteText(string output, bool gz, Action<TextWriter> write) => AtomicFile.Write(output, s =>
    {
        Stream o = gz ? new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true) : s;
        using (var w = new StreamWriter(o, new UTF8Encoding(false), 1 << 16, leaveOpen: true)) write(w);
        if (gz) o.Dispose();
    });

    /// <summary>The position of the comma after the first <paramref name="keys"/> fields.</summary>
    private static int KeyEnd(string line, int keys)
    {
        int at = -1;
        for (int k = 0; k < keys; k++) { at = line.IndexOf(',', at + 1); if (at < 0) return line.Length; }
        return at;
    }

    private static StreamReader OpenText(string path, bool gz)
    {
        Stream s = File.OpenRead(path);
        if (gz) s = new GZipStream(s, CompressionMode.Decompress);
        return new StreamReader(s, Encoding.UTF8);
    }

    private static JsonDocument ParseSidecar(string side)
    {
        try
        {
            var doc = JsonDocument.Parse(File.ReadAllBytes(side));
            if (!doc.RootElement.TryGetProperty("format", out var f) || f.GetString() != "glassml-part") throw new InputFormatException(side, 0, "not a GlassML part record");
            return doc;
        }
        catch (JsonException) { throw new InputFormatException(side, 0, "malformed or truncated part record"); }
    }

    private static void SkipLine(Stream s)
    {
        int b;
        while ((b = s.ReadByte()) >= 0 && b != '\n') { }
    }
}
