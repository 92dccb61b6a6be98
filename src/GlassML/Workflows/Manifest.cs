using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using GlassML.Io;

namespace GlassML.Workflows;

/// <summary>The role of a manifest row.</summary>
public enum SampleRole
{
    /// <summary>Used to fit the model (and in cross-validation).</summary>
    Train,
    /// <summary>Held out: evaluated only.</summary>
    Test,
    /// <summary>No label needed: the model is applied.</summary>
    Apply,
}

/// <summary>
/// One row of a manifest: a structure (or trajectory) file, the frame to use, its role, its cross-validation group and
/// any method-specific columns (temperature, energy, condition, …) as text.
/// </summary>
/// <param name="Manifest">Path of the manifest file (as given).</param>
/// <param name="Line">1-based line of the row in the manifest (for messages).</param>
/// <param name="File">The structure file, resolved relative to the manifest's folder.</param>
/// <param name="Frame">Frame selector: an index (0 = first), <c>last</c> or <c>all</c>.</param>
/// <param name="Role">train, test or apply.</param>
/// <param name="Group">Cross-validation group (e.g. one trajectory); the file name when the column is absent.</param>
/// <param name="Values">Every column of the row by header name (including the standard ones).</param>
public sealed record ManifestRow(string Manifest, long Line, string File, string Frame, SampleRole Role, string Group,
    IReadOnlyDictionary<string, string> Values)
{
    /// <summary>A short name of the sample: file name without folders and extensions, plus the frame when not 0.</summary>
    public string Name
    {
        get
        {
            string n = Path.GetFileName(File);
            foreach (var ext in new[] { ".gz", ".dump", ".lammpstrj", ".data", ".xyz", ".extxyz", ".lmp" })
                if (n.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) n = n[..^ext.Length];
            return Frame == "0" ? n : $"{n}@{Frame}";
        }
    }

    /// <summary>A method column's text; an error naming manifest and line when it is missing or empty.</summary>
    /// <exception cref="InputFormatException">The column is absent or empty on this row.</exception>
    public string Text(string column) =>
        Values.TryGetValue(column, out var v) && v.Length > 0 ? v : throw new InputFormatException(Manifest, Line, $"column '{column}' is missing or empty");

    /// <summary>A method column as a finite number; an error naming manifest and line otherwise.</summary>
    /// <exception cref="InputFormatException">Missing, empty or not a finite number.</exception>
    public double Number(string column)
    {
        string t = Text(column);
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new InputFormatException(Manifest, Line, $"column '{column}': '{t}' is not a finite number");
        return v;
    }

    /// <summary>True when the row has a non-empty value in that column.</summary>
    public bool Has(string column) => Values.TryGetValue(column, out var v) && v.Length > 0;
}

/// <summary>
/// A CSV manifest (<c>samples.csv</c>) listing a method's inputs: columns <c>file</c> (relative to the manifest),
/// <c>frame</c> (default 0), <c>role</c> (train | test | apply, default train), <c>group</c> (cross-validation group,
/// default the file), then any method columns. Parsed as RFC 4180 (quoted fields, BOM, CRLF); every error names the
/// manifest and line. Lines starting with <c>#</c> are comments.
/// </summary>
public sealed class Manifest
{
    private Manifest(string path, IReadOnlyList<ManifestRow> rows) { Path = path; Rows = rows; }

    /// <summary>The manifest file as given.</summary>
    public string Path { get; }
    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<ManifestRow> Rows { get; }
    /// <summary>Rows of a role, in file order.</summary>
    public IReadOnlyList<ManifestRow> Of(SampleRole role) => Rows.Where(r => r.Role == role).ToArray();

    /// <summary>Reads and checks a manifest: required columns, roles, frames, that every file exists.</summary>
    /// <exception cref="InputFormatException">Any problem, with manifest file and line.</exception>
    public static Manifest Load(string path, IReadOnlyCollection<string>? requiredColumns = null)
    {
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, "is a directory, not a manifest CSV");
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var cfg = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            AllowComments = true,
            Comment = '#',
            IgnoreBlankLines = true,
            DetectColumnCountChanges = true,
            BadDataFound = null,
        };
        var rows = new List<ManifestRow>();
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvReader(reader, cfg);
            if (!csv.Read() || !csv.ReadHeader()) throw new InputFormatException(path, 1, "empty manifest (a header with a 'file' column is required)");
            var header = csv.HeaderRecord!.Select(h => h.Trim()).ToArray();
            var dup = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new InputFormatException(path, 1, $"column '{dup.Key}' appears twice in the header");
            if (!header.Contains("file")) throw new InputFormatException(path, 1, "no 'file' column in the header");
            foreach (var c in requiredColumns ?? [])
                if (!header.Contains(c)) throw new InputFormatException(path, 1, $"no '{c}' column in the header (this method needs it)");
            while (csv.Read())
            {
                long line = csv.Parser.RawRow;
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                for (int i = 0; i < header.Length; i++) values[header[i]] = csv.GetField(i)?.Trim() ?? "";
                string file = values["file"];
                if (file.Length == 0) throw new InputFormatException(path, line, "empty 'file'");
                string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, file));
                if (Directory.Exists(full)) throw new InputFormatException(path, line, $"'{file}' is a directory, not a structure file");
                if (!File.Exists(full)) throw new InputFormatException(path, line, $"'{file}' not found (paths are relative to the manifest's folder)");
                string frame = values.TryGetValue("frame", out var f) && f.Length > 0 ? f.ToLowerInvariant() : "0";
                if (frame is not ("last" or "all") && !(int.TryParse(frame, NumberStyles.None, CultureInfo.InvariantCulture, out int fi) && fi >= 0))
                    throw new InputFormatException(path, line, $"frame '{frame}' is not an index, 'last' or 'all'");
                string roleText = values.TryGetValue("role", out var r) && r.Length > 0 ? r.ToLowerInvariant() : "train";
                var role = roleText switch
                {
                    "train" => SampleRole.Train,
                    "test" => SampleRole.Test,
                    "apply" => SampleRole.Apply,
                    _ => throw new InputFormatException(path, line, $"role '{roleText}' is not train, test or apply"),
                };
                string group = values.TryGetValue("group", out var g) && g.Length > 0 ? g : file;
                rows.Add(new ManifestRow(path, line, full, frame, role, group, values));
            }
        }
        catch (CsvHelperException e)
        {
            long line = e.Context?.Parser?.RawRow ?? 0;
            throw new InputFormatException(path, line, $"malformed CSV ({FirstLine(e.Message)})");
        }
        if (rows.Count == 0) throw new InputFormatException(path, 0, "the manifest lists no files");
        return new Manifest(path, rows);
    }

    /// <summary>A manifest made from files given on the command line (role train, frame as given, group = file).</summary>
    public static Manifest FromFiles(IEnumerable<string> files, string frame = "0", SampleRole role = SampleRole.Train)
    {
        var rows = new List<ManifestRow>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new InputFormatException(f, 0, "file not found");
            rows.Add(new ManifestRow("(command line)", 0, System.IO.Path.GetFullPath(f), frame, role, f,
                new Dictionary<string, string> { ["file"] = f, ["frame"] = frame }));
        }
        if (rows.Count == 0) throw new ArgumentException("no input files");
        return new Manifest("(command line)", rows);
    }

    private static string FirstLine(string s)
    {
        int i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }
}
