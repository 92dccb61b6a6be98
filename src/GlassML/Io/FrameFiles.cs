using System.Globalization;
using System.Text.RegularExpressions;
using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Frames as users have them: one multi-frame file, a list of files, or glob patterns (<c>frames/*.dump</c>, expanded here,
/// so a quoted pattern works as well as one the shell expanded), each plain or gzip-compressed. The files are read one
/// after the other in the order of their first frame's timestep (files with equal timesteps keep their given order; a
/// pattern's matches are in natural name order, <c>f2</c> before <c>f10</c>), so a trajectory split into one file per
/// frame is read as one trajectory. Frames of different files have their own <see cref="SpeciesTable"/> (same names for the
/// same type map).
/// </summary>
public static class FrameFiles
{
    /// <summary>
    /// Expands the inputs: a name with <c>*</c>, <c>?</c> or <c>[…]</c> in its last path component is matched against that
    /// folder (an existing file of that exact name wins); other names must be existing files.
    /// </summary>
    /// <exception cref="InputFormatException">A missing file, a pattern that matches nothing, or no input at all.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (File.Exists(input)) { files.Add(input); continue; }
            if (Directory.Exists(input)) throw new InputFormatException(input, 0, "is a directory, not a structure file (give a pattern such as DIR/*.dump)");
            string name = Path.GetFileName(input);
            if (name.IndexOfAny(['*', '?', '[']) < 0) throw new InputFormatException(input, 0, "file not found");
            string dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
            if (dir.IndexOfAny(['*', '?', '[']) >= 0) throw new InputFormatException(input, 0, "a pattern may only have wildcards in the file name, not in the folders");
            if (!Directory.Exists(dir)) throw new InputFormatException(input, 0, $"folder '{dir}' not found");
            var re = new Regex("^" + GlobToRegex(name) + "$", RegexOptions.CultureInvariant);
            var matches = Directory.EnumerateFiles(dir)
                .Where(f => re.IsMatch(Path.GetFileName(f)))
                .Select(f => Path.GetDirectoryName(input) is { Length: > 0 } ? f : Path.GetFileName(f))
                .OrderBy(f => f, NaturalOrder.Instance)
                .ToList();
            if (matches.Count == 0) throw new InputFormatException(input, 0, "no file matches this pattern");
            files.AddRange(matches);
        }
        if (files.Count == 0) throw new ArgumentException("no input files");
        return files;
    }

    /// <summary>The files ordered by the timestep of their first frame (stable: equal timesteps keep the given order).</summary>
    /// <exception cref="InputFormatException">A file that cannot be read.</exception>
    public static IReadOnlyList<string> OrderByTimestep(IReadOnlyList<string> files, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count < 2) return files;
        var steps = files.Select(f => FirstTimestep(f, options)).ToArray();
        return Enumerable.Range(0, files.Count).OrderBy(i => steps[i]).Select(i => files[i]).ToArray();
    }

    /// <summary><see cref="Expand"/> then <see cref="OrderByTimestep"/>.</summary>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> inputs, ReadOptions? options = null) => OrderByTimestep(Expand(inputs), options);

    /// <summary>Every frame of every file, in file order, streamed.</summary>
    public static IEnumerable<Frame> ReadFrames(IReadOnlyList<string> files, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var f in files)
            foreach (var frame in StructureReader.ReadFrames(f, options)) yield return frame;
    }

    /// <summary>Number of frames of all files together.</summary>
    public static int CountFrames(IReadOnlyList<string> files, ReadOptions? options = null) => files.Sum(f => StructureReader.CountFrames(f, options));

    /// <summary>
    /// One frame by 0-based index over all files together (−1 = last, −2 = second to last, ...). A single file is read as
    /// <see cref="StructureReader.ReadFrame"/> reads it (frames before the index skipped unparsed).
    /// </summary>
    /// <exception cref="InputFormatException">No frame of that index.</exception>
    public static Frame ReadFrame(IReadOnlyList<string> files, int index, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 1) return StructureReader.ReadFrame(files[0], index, options);
        var counts = files.Select(f => StructureReader.CountFrames(f, options)).ToArray();
        int total = counts.Sum(), k = index < 0 ? total + index : index;
        if (k < 0 || k >= total) throw new InputFormatException(Describe(files), 0, $"frame {index} requested but the {files.Count} files hold {total} frame(s)");
        for (int i = 0; ; i++)
        {
            if (k < counts[i]) return StructureReader.ReadFrame(files[i], k, options);
            k -= counts[i];
        }
    }

    /// <summary>How the files are named in messages: the file, or the first file and how many more.</summary>
    public static string Describe(IReadOnlyList<string> files) =>
        files.Count == 1 ? files[0] : string.Create(CultureInfo.InvariantCulture, $"{files[0]} (+{files.Count - 1} more files)");

    /// <summary>The timestep of the first frame of a file (dumps: read from the header without parsing the atoms).</summary>
    /// <exception cref="InputFormatException">An unreadable file, or a dump without a timestep.</exception>
    public static long FirstTimestep(string path, ReadOptions? options = null)
    {
        if (StructureReader.DetectFormat(path) != StructureReader.LammpsDump) return StructureReader.ReadFrame(path, 0, options).Timestep;
        using var src = new LineSource(path);
        while (src.ReadLine() is string line)
        {
            if (!line.TrimStart().StartsWith("ITEM: TIMESTEP", StringComparison.Ordinal)) continue;
            string? next = src.ReadLine();
            if (next is not null && long.TryParse(next.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long step)) return step;
            throw new InputFormatException(path, 0, "ITEM: TIMESTEP is not followed by an integer");
        }
        throw new InputFormatException(path, 0, "no frame (no ITEM: TIMESTEP line)");
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    int close = glob.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); break; }
                    string set = glob[(i + 1)..close];
                    if (set.StartsWith('!')) set = "^" + set[1..];
                    sb.Append('[').Append(set.Replace(@"\", @"\\")).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Orders names with digit runs compared as numbers (frame2 before frame10).</summary>
    private sealed class NaturalOrder : IComparer<string>
    {
        public static readonly NaturalOrder Instance = new();

        public int Compare(string? a, string? b)
        {
            if (a is null || b is null) return string.CompareOrdinal(a, b);
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
                {
                    int si = i, sj = j;
                    while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                    while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                    var da = a.AsSpan(si, i - si).TrimStart('0'); var db = b.AsSpan(sj, j - sj).TrimStart('0');
                    if (da.Length != db.Length) return da.Length.CompareTo(db.Length);
                    int c = da.SequenceCompareTo(db);
                    if (c != 0) return c;
                }
                else
                {
                    if (a[i] != b[j]) return a[i].CompareTo(b[j]);
                    i++; j++;
                }
            }
            int r = (a.Length - i).CompareTo(b.Length - j);
            return r != 0 ? r : string.CompareOrdinal(a, b);
        }
    }
}
