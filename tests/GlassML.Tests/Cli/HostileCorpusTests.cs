using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>Tests that measure the process's own peak memory run alone (no other test allocates meanwhile).</summary>
[CollectionDefinition("Alone", DisableParallelization = true)]
public class AloneCollection;

/// <summary>
/// The hostile-input corpus of issue 17 (tests/fixtures/hostile/corpus.json.gz, made by tools/make_hostile_corpus.py): every
/// case runs in-process through <see cref="Program.Main"/> with a 10 s limit and a 1 GiB limit on the peak resident memory
/// the kernel records (VmHWM, reset before each case through /proc/self/clear_refs; the test runs with no other test in
/// parallel), and must end with exit code 2, exactly one stderr line starting "glassml: error:", nothing on stdout, no
/// stack trace, no new file or folder, and its inputs byte-identical. Cases listed in <see cref="AcceptedValid"/> are
/// inputs the tool rightly accepts (exit 0); they are counted separately.
/// </summary>
[Collection("Alone")]
public class HostileCorpusTests
{
    /// <summary>Peak resident memory allowed per case, above the test process's resident memory before the corpus.</summary>
    public const long MemoryLimit = 1L << 30;

    /// <summary>A field of /proc/self/status in bytes (VmRSS, VmHWM), or -1 where there is none.</summary>
    internal static long Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) to the current RSS; false where that is not possible.</summary>
    internal static bool ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Corpus cases that are valid input, reviewed one by one (exit 0 and an output are right for them).</summary>
    public static readonly HashSet<string> AcceptedValid = new(StringComparer.Ordinal)
    {
        // info describes a file; physically odd but readable content is shown, not refused (the analysis verbs refuse it)
        "info/dump_coincident", "info/dump_density_impossible",
        "info/data_coincident", "info/xyz_coincident",
        // unknown dump items (UNITS, TIME, ...) are skipped by design
        "info/dump_unknown_item", "rdf/dump_unknown_item", "featurize/dump_unknown_item", "energy/dump_unknown_item",
        // frames are read lazily: a verb that uses frame 0 does not read a damaged later frame
        "featurize/dump_second_frame_truncated", "energy/dump_second_frame_truncated",
        // species labels are free text in extended XYZ
        "info/xyz_bad_species", "rdf/xyz_bad_species", "featurize/xyz_bad_species",
        // missing parent folders of an output are created (documented); any extension other than .xyz/.extxyz/.gz is CSV
        "outputs/rdf_out_missing_parent", "outputs/rdf_out_bad_extension",
        // a one-row table trains a (trivial) model for these learners
        "learn_gbdt/one_row", "learn_svr/one_row", "learn_gpr/one_row",
    };

    private sealed record Case(string Name, string[] Args, Dictionary<string, JsonElement> Files);

    private static List<Case> Load()
    {
        using var gz = new GZipStream(File.OpenRead(Fixtures.Path("hostile", "corpus.json.gz")), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var list = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var files = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in c.GetProperty("files").EnumerateObject()) files[p.Name] = p.Value.Clone();
            list.Add(new Case(c.GetProperty("name").GetString()!, c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray(), files));
        }
        return list;
    }

    private static readonly string GoodDump = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n6\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n"
        + "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n4 2 7 7 7\n5 1 2 6 4\n6 2 8 2 6\n";

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, true)) gz.Write(data);
        return ms.ToArray();
    }

    private static string Fill(string s, string dir, string glass, string pot) => s.Replace("{D}", dir).Replace("{GLASS}", glass).Replace("{POT}", pot);

    private static void Make(string dir, string rel, JsonElement spec, string glass, string pot)
    {
        string path = Path.Combine(dir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (spec.TryGetProperty("text", out var text)) { File.WriteAllText(path, text.GetString()); return; }
        string gen = spec.GetProperty("gen").GetString()!;
        switch (gen)
        {
            case "bomb": // 64 MiB of NUL bytes as one line, < 1 MB compressed
                File.WriteAllBytes(path, Gzip(new byte[64 << 20]));
                break;
            case "longline":
                File.WriteAllText(path, "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 1 1 " + new string('1', 17 << 20) + "\n");
                break;
            case "corruptgz":
            {
                var b = Gzip(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(GoodDump, 50))));
                for (int i = 20; i < b.Length - 8; i += 7) b[i] ^= 0x5a;
                File.WriteAllBytes(path, b);
                break;
            }
            case "truncgz":
            {
                var b = Gzip(System.Text.Encoding.ASCII.GetBytes(GoodDump));
                File.WriteAllBytes(path, b[..(b.Length / 2)]);
                break;
            }
            case "hugeheader":
                File.WriteAllText(path, GoodDump.Replace("ATOMS\n6", "ATOMS\n2000000000") + string.Concat(Enumerable.Range(7, 500).Select(i => $"{i} 1 {i % 10}.{i % 7} {i % 9}.5 {i % 8}.25\n")));
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "ule-dict": // the dictionary embedded in the shipped ule model
                GlassML.Workflows.Ule.UleModel.Load(ShippedModel("ule"), "ule.model.json").Dictionary.Save(path);
                break;
            case "ule-fractions": // a well-formed fractions table on that dictionary: 6 samples in 3 groups
            {
                int k = GlassML.Workflows.Ule.UleModel.Load(ShippedModel("ule"), "ule.model.json").Dictionary.Count;
                var sb = new System.Text.StringBuilder("sample,file,frame,group,role,n,energy_per_atom,unassigned");
                for (int j = 0; j < k; j++) sb.Append($",ule_{j}");
                sb.Append('\n');
                for (int r = 0; r < 6; r++)
                {
                    sb.Append($"s{r},s{r}.data,0,g{r % 3},train,500,-4.{100 + r},0");
                    for (int j = 0; j < k; j++) sb.Append(j == r % k ? ",1" : ",0");
                    sb.Append('\n');
                }
                File.WriteAllText(path, sb.ToString());
                break;
            }
            default:
                if (gen.StartsWith("model:", StringComparison.Ordinal)) File.WriteAllBytes(path, ShippedModel(gen[6..]));
                else if (gen.StartsWith("model-truncated:", StringComparison.Ordinal)) { var b = ShippedModel(gen[16..]); File.WriteAllBytes(path, b[..(b.Length / 2)]); }
                else if (gen.StartsWith("model-nan:", StringComparison.Ordinal))
                {
                    // every fractional number of the shipped model becomes 1e308 (valid JSON, absurd values)
                    string json = System.Text.Encoding.UTF8.GetString(ShippedModel(gen[10..]));
                    File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(json, @"(?<=[:\[,]\s*)-?\d+\.\d+([eE][-+]?\d+)?(?=\s*[,\]}])", "1e308"));
                }
                else if (gen.StartsWith("model-compact-huge:", StringComparison.Ordinal))
                {
                    // only the numbers written without spaces (a softness model's trees) become 1e308: the model loads, its sums overflow
                    string json = System.Text.Encoding.UTF8.GetString(ShippedModel(gen[19..]));
                    File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(json, @"(?<=[:\[,])-?\d+\.\d+(e-?\d+)?(?=[,\]}])", "1e308"));
                }
                else if (gen.StartsWith("copy-rel:", StringComparison.Ordinal)) File.Copy(Path.Combine(dir, gen[9..]), path);
                else if (gen.StartsWith("copy:", StringComparison.Ordinal)) File.Copy(Fill(gen[5..], dir, glass, pot), path);
                else if (gen.StartsWith("link:", StringComparison.Ordinal)) File.CreateSymbolicLink(path, Fill(gen[5..], dir, glass, pot));
                else throw new InvalidOperationException($"unknown generator {gen}");
                break;
        }
    }

    private static byte[] ShippedModel(string method) =>
        GlassML.Workflows.Demo.DemoJob.ShippedModel(method) ?? throw new InvalidOperationException($"no shipped {method} model");

    private static Dictionary<string, string> Snapshot(string dir)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories))
        {
            var fi = new FileInfo(e);
            if (fi.LinkTarget is not null) d[e] = "link:" + fi.LinkTarget;
            else if (Directory.Exists(e)) d[e] = "dir";
            else d[e] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(e)));
        }
        return d;
    }

    [Fact]
    public async Task EveryHostileCaseEndsInOneCleanErrorLine()
    {
        var cases = Load();
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
        // every verb and method sub-verb is covered
        string[] verbs = ["info", "rdf", "featurize", "strain", "displacements", "vflex", "energy", "modes", "learn", "merge", "slurm", "report",
            "sf train", "sf apply", "sf report", "bonds label", "bonds train", "bonds apply", "bonds msd", "bonds report", "tml train", "tml apply",
            "tml analyze", "tml report", "ule build", "ule encode", "ule train", "ule apply", "ule compare", "ule report", "softness train",
            "softness apply", "softness report"];
        foreach (var v in verbs)
            Assert.True(cases.Count(c => string.Join(' ', c.Args.SkipWhile(a => a.StartsWith("--", StringComparison.Ordinal) || a is "1K" or "50M" or "0" or "lots"))
                .StartsWith(v + " ", StringComparison.Ordinal)) >= 3, $"the corpus has fewer than 3 cases of '{v}'");
        string root = Path.Combine(Path.GetTempPath(), $"glassml-hostile-{Guid.NewGuid():N}");
        var failures = new List<string>();
        int clean = 0, valid = 0;
        long maxPeak = 0;
        var times = new List<(double Seconds, long Memory, string Name)>();
        var messages = new List<string>();
        string maxPeakCase = "";
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        long baseline = Status("VmRSS");
        bool peaks = baseline > 0 && ResetPeak() && Status("VmHWM") > 0;
        // where /proc/self/clear_refs cannot be written (non-Linux, a restricted sandbox) the bound falls back to bytes allocated
        var total = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            foreach (var (c, k) in cases.Select((c, k) => (c, k)))
            {
                string dir = Path.Combine(root, $"c{k}");
                Directory.CreateDirectory(dir);
                string glass = Path.Combine(dir, "glass.data.gz"), pot = Path.Combine(dir, "pot.eam.fs.gz");
                // the shared inputs are copied only into cases that use them (the potential is 570 kB)
                string uses = string.Join(" ", c.Args) + string.Concat(c.Files.Values.Select(v => v.GetRawText()));
                if (uses.Contains("{GLASS}", StringComparison.Ordinal)) File.Copy(Fixtures.Path("glass-s1", "s1_cu50zr50_500.data.gz"), glass);
                if (uses.Contains("{POT}", StringComparison.Ordinal)) File.Copy(Fixtures.Path("eam", "CuZr_mm.eam.fs.gz"), pot);
                foreach (var (rel, spec) in c.Files) Make(dir, rel, spec, glass, pot);
                var before = Snapshot(dir);
                string[] args = c.Args.Select(a => Fill(a, dir, glass, pot)).ToArray();

                var err = new StringWriter(); var outText = new StringWriter();
                var se = Console.Error; var so = Console.Out;
                Console.SetError(err); Console.SetOut(outText);
                long alloc0 = GC.GetTotalAllocatedBytes();
                if (peaks) ResetPeak();
                var sw = System.Diagnostics.Stopwatch.StartNew();
                int code; bool finished;
                try
                {
                    var task = Task.Run(() => Program.Main(args));
                    finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))) == task;
                    code = finished ? await task : -1;
                }
                catch (Exception e) { finished = true; code = -2; err.Write($"[exception escaped Main: {e.GetType().Name}: {e.Message}]"); }
                finally { Console.SetError(se); Console.SetOut(so); }
                // peak resident memory above the process's memory before the corpus (a case cannot hide behind memory a
                // previous case left resident: that counts against it); without /proc, bytes allocated as the bound
                long used = peaks ? Status("VmHWM") - baseline : GC.GetTotalAllocatedBytes() - alloc0;
                if (used > maxPeak) { maxPeak = used; maxPeakCase = c.Name; }
                times.Add((sw.Elapsed.TotalSeconds, used, c.Name));
                messages.Add($"{c.Name}\t{code}\t{err.ToString().TrimEnd('\n').Replace('\n', '|')}");
                string text = err.ToString();
                var lines = text.TrimEnd('\n').Split('\n');
                string why = "";
                if (!finished) why = "took longer than 10 s";
                else if (used > MemoryLimit) why = $"{(peaks ? "peak resident memory" : "allocated")} {used >> 20} MiB above the start";
                else if (AcceptedValid.Contains(c.Name)) { if (code == 0) valid++; else why = $"accepted-valid case exited {code}: {text.Trim()}"; }
                else if (code != 2) why = $"exit code {code}";
                else if (lines.Length != 1 || !text.StartsWith("glassml: error: ", StringComparison.Ordinal)) why = "not one 'glassml: error:' line";
                else if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal)) why = "stack trace or exception name";
                else if (outText.ToString().Length > 0) why = "printed to standard output";
                else
                {
                    var after = Snapshot(dir);
                    var added = after.Keys.Except(before.Keys).ToList();
                    var changed = before.Where(kv => !after.TryGetValue(kv.Key, out var h) || h != kv.Value).Select(kv => kv.Key).ToList();
                    if (added.Count > 0) why = $"created {string.Join(", ", added.Select(a => Path.GetRelativePath(dir, a)))}";
                    else if (changed.Count > 0) why = $"changed or removed {string.Join(", ", changed.Select(a => Path.GetRelativePath(dir, a)))}";
                    else clean++;
                }
                if (why != "") failures.Add($"{c.Name}: {why} [{sw.Elapsed.TotalSeconds:F1} s] {(lines.Length > 0 ? lines[0] : "")}{(lines.Length > 1 ? " | " + lines[1] : "")}");
                Directory.Delete(dir, true);
            }
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, true); GlassML.Neighbors.SearchBudget.Reset(); }
        string summary = $"{cases.Count} cases: {clean} clean errors, {valid} accepted-valid, {failures.Count} failures in {total.Elapsed.TotalSeconds:F0} s; " +
                         $"largest {(peaks ? "peak RSS" : "allocation")} {maxPeak >> 20} MiB above the start ({maxPeakCase})";
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "glassml-hostile-summary.txt"), summary + "\n" + string.Join("\n", failures) + "\nslowest:\n"
            + string.Join("\n", times.OrderByDescending(t => t.Seconds).Take(15).Select(t => $"  {t.Seconds:F2} s {t.Memory >> 20} MiB {t.Name}"))
            + "\nlargest memory:\n" + string.Join("\n", times.OrderByDescending(t => t.Memory).Take(10).Select(t => $"  {t.Seconds:F2} s {t.Memory >> 20} MiB {t.Name}")) + "\n");
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "glassml-hostile-messages.tsv"), messages);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures));
        Assert.True(total.Elapsed.TotalMinutes < 3, summary);
    }
}
