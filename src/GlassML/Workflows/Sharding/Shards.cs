using System.Globalization;
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

/// <summary>
/// The parts of a sharded run: each unit of work writes its own output atomically into <c>OUT.parts/</c> with a
/// sidecar recording what made it (verb, a fingerprint of the inputs' hashes and the options, the unit's place). A rerun
/// skips units whose output and matching sidecar exist, so a killed task is redone alone; <see cref="Merge"/> joins the
/// parts into exactly the bytes a single run writes.
/// </summary>
public static class ShardParts
{
    /// <summary>The folder holding the parts of output <paramref name="output"/>.</summary>
    public static string Folder(string output) => output + ".parts";

    /// <summary>The part file of one unit.</summary>
    public static string PartPath(string output, int unit) =>
        Path.Combine(Folder(output), string.Create(CultureInfo.InvariantCulture, $"unit-{unit:D6}{OutputExtension(output)}"));

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
    public static string Fingerprint(string verb, IEnumerable<string> inputFiles, IEnumerable<string> options)
    {
        var sb = new StringBuilder(verb).Append('\n');
        foreach (var f in inputFiles) sb.Append(InputHash.Of(f, f).Sha256).Append('\n');
        foreach (var o in options) sb.Append(o).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>True when a unit's part exists and was made by the same verb, inputs and options.</summary>
    public static bool IsDone(string output, int unit, string fingerprint)
    {
        string part = PartPath(output, unit), side = SidecarPath(part);
        if (!File.Exists(part) || !File.Exists(side)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(side));
            return doc.RootElement.GetProperty("fingerprint").GetString() == fingerprint && doc.RootElement.GetProperty("unit").GetInt32() == unit;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return false; }
    }

    /// <summary>Writes one unit: the part through <paramref name="write"/> (atomically), then its sidecar.</summary>
    public static void WriteUnit(string output, string verb, int unit, int units, string fingerprint, Action<string> write)
    {
        string part = PartPath(output, unit);
        Directory.CreateDirectory(Folder(output));
        File.Delete(SidecarPath(part)); // a part without a sidecar counts as not done
        write(part);
        JsonSupport.WriteFile(SidecarPath(part), w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "glassml-part");
            w.WriteString("verb", verb);
            w.WriteString("fingerprint", fingerprint);
            w.WriteNumber("unit", unit);
            w.WriteNumber("units", units);
            w.WriteString("extension", OutputExtension(output));
            w.WriteString("glassml_version", MethodModelFile.Version);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Joins the parts found in <paramref name="folders"/> into <paramref name="output"/>: every unit 0…U−1 exactly once,
    /// all made with the same verb, inputs and options. CSV parts keep the first part's header; extended XYZ and LAMMPS
    /// dump parts are concatenated. Returns the number of units.
    /// </summary>
    /// <exception cref="InputFormatException">A part is missing, duplicated, or made with other options or inputs.</exception>
    public static int Merge(IReadOnlyList<string> folders, string output)
    {
        var parts = new SortedDictionary<int, string>();
        string? fingerprint = null, ext = null; int units = -1;
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new InputFormatException(folder, 0, "no such folder of parts");
            foreach (var side in Directory.GetFiles(folder, "unit-*.json").Order(StringComparer.Ordinal))
            {
                using var doc = ParseSidecar(side);
                var r = doc.RootElement;
                string fp = r.GetProperty("fingerprint").GetString()!, e = r.GetProperty("extension").GetString()!;
                int u = r.GetProperty("unit").GetInt32(), n = r.GetProperty("units").GetInt32();
                if (fingerprint is null) { fingerprint = fp; ext = e; units = n; }
                else if (fp != fingerprint || n != units || e != ext)
                    throw new InputFormatException(side, 0, "this part was made with other inputs or options than the others; rerun the shards with the same command");
                string part = side[..^5];
                if (!File.Exists(part)) continue; // a unit whose part is gone counts as missing
                if (!parts.TryAdd(u, part) && Path.GetFullPath(parts[u]) != Path.GetFullPath(part))
                    throw new InputFormatException(side, 0, $"unit {u} is present twice ({parts[u]})");
            }
        }
        if (fingerprint is null) throw new InputFormatException(folders[0], 0, "no parts found (unit-*.json)");
        var missing = Enumerable.Range(0, units).Where(u => !parts.ContainsKey(u)).ToArray();
        if (missing.Length > 0) throw new InputFormatException(folders[0], 0, $"{missing.Length} of {units} units are missing (first: {missing[0]}); rerun the shards that made them");
        if (OutputExtension(output) != ext) throw new ArgumentException($"--out: the parts are '{ext}' files; give an output ending in '{ext}'");
        bool csv = ext!.StartsWith(".csv", StringComparison.Ordinal);
        bool gz = ext.EndsWith(".gz", StringComparison.Ordinal);
        AtomicFile.Write(output, s =>
        {
            Stream o = gz ? new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true) : s;
            try
            {
                bool first = true;
                foreach (var (_, part) in parts)
                {
                    using var inp = File.OpenRead(part);
                    Stream src = gz ? new System.IO.Compression.GZipStream(inp, System.IO.Compression.CompressionMode.Decompress) : inp;
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
        return units;
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
