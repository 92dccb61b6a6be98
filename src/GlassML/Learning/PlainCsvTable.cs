using System.IO.Compression;
using System.Text;
using GlassML.Io;

namespace GlassML.Learning;

/// <summary>
/// The fast path of <see cref="FeatureTableCsv.Read(string, string?)"/> for the plain CSV that GlassML, pandas and numpy write
/// (gzip-compressed when the name ends with ".gz"): no quote after the header, LF or CRLF line ends. Lines are split at commas and each cell trimmed and parsed where it lies
/// (no string per cell; numbers by <see cref="PlainNumberParser"/>, which is exact or declines, then by .NET), with the cell
/// rules of <see cref="CsvTableReader"/> (empty, nan, na → NaN; inf, +inf, -inf; integers for <c>id</c> and <c>group</c>). It gives
/// exactly the table the CSV reader gives, or gives up (returns null) at the first thing it does not handle in the same way —
/// a quote, a lone CR, a line of another width, a cell it cannot read, a missing target, an empty species, a group out of
/// range — so that the CSV reader reads the file again and reports any problem in its words, at its line.
/// </summary>
internal static class PlainCsvTable
{
    private const int Block = 1 << 20;   // chars decoded at a time
    private const int MaxLine = 1 << 28;

    /// <summary>The table of the file, or null when the CSV reader must read it.</summary>
    public static FeatureTable? TryRead(string path, string? target)
    {
        StreamReader reader;
        try
        {
            // a regular, non-empty file only (the CSV reader words every other case)
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (!file.CanSeek || file.Length == 0) { file.Dispose(); return null; }
            Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { return null; }
        using (reader)
        {
            try
            {
                string? headerLine = reader.ReadLine();
                if (headerLine is null || headerLine.Contains('"')) return null;
                IReadOnlyList<string> names;
                try
                {
                    using var header = new CsvTableReader(new StringReader(headerLine), path);
                    names = header.Header;
                }
                catch (InputFormatException) { return null; }
                return new Reader(names, target).Read(reader);
            }
            // not gzip data, a truncated file: the CSV reader reads it again and says so
            catch (Exception e) when (e is InvalidDataException or IOException) { return null; }
        }
    }

    private sealed class Reader
    {
        private readonly FeatureTableCsv.ColumnRole[] _role;
        private readonly int[] _feature;   // a feature column's position among the features
        private readonly string[] _featureNames;
        private readonly FeatureTableCsv.ChunkedDoubles _values = new();
        private readonly List<double>? _labels;
        private readonly List<long>? _ids;
        private readonly List<int>? _groups;
        private readonly List<string>? _species;
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _speciesNames =
            new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly double[] _row;
        private int _rows;

        public Reader(IReadOnlyList<string> names, string? target)
        {
            _role = names.Select(n => FeatureTableCsv.RoleOf(n, target)).ToArray();
            _feature = new int[names.Count];
            var features = new List<string>();
            for (int c = 0; c < names.Count; c++)
            {
                switch (_role[c])
                {
                    case FeatureTableCsv.ColumnRole.Target: _labels = []; break;
                    case FeatureTableCsv.ColumnRole.Id: _ids = []; break;
                    case FeatureTableCsv.ColumnRole.Group: _groups = []; break;
                    case FeatureTableCsv.ColumnRole.Species: _species = []; break;
                    case FeatureTableCsv.ColumnRole.Feature: _feature[c] = features.Count; features.Add(names[c]); break;
                }
            }
            _featureNames = [.. features];
            _row = new double[features.Count];
            TargetFound = target is null || _labels is not null;
        }

        private bool TargetFound { get; }

        public FeatureTable? Read(StreamReader reader)
        {
            if (!TargetFound) return null;
            var buf = new char[Block];
            int len = 0;
            while (true)
            {
                int got = reader.ReadBlock(buf, len, buf.Length - len);
                len += got;
                bool end = got == 0 || len < buf.Length;
                var text = buf.AsSpan(0, len);
                int done = 0;
                while (true)
                {
                    int nl = text[done..].IndexOf('\n');
                    if (nl < 0) break;
                    if (!Line(text.Slice(done, nl))) return null;
                    done += nl + 1;
                }
                if (end)
                {
                    if (done < len && !Line(text[done..])) return null;   // the last line without its line end
                    break;
                }
                // the unfinished line to the front; a line longer than the buffer makes the buffer grow
                text[done..].CopyTo(buf);
                len -= done;
                if (len == buf.Length)
                {
                    if (buf.Length >= MaxLine) return null;   // a line of more than 2^28 characters: the CSV reader's case
                    Array.Resize(ref buf, 2 * buf.Length);
                }
            }
            return new FeatureTable(_featureNames, _rows, _values.ToArray(), _labels?.ToArray(), _groups?.ToArray(), _ids?.ToArray(), _species?.ToArray());
        }

        // one physical line (without its '\n'); false: not handled as the CSV reader would
        private bool Line(ReadOnlySpan<char> line)
        {
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            if (line.Length == 0) return true;   // a blank line is skipped
            if (line.IndexOfAny('"', '\r') >= 0) return false;
            int c = 0;
            while (true)
            {
                int comma = line.IndexOf(',');
                var cell = (comma < 0 ? line : line[..comma]).Trim();
                if (c >= _role.Length || !Cell(c, cell)) return false;
                c++;
                if (comma < 0) break;
                line = line[(comma + 1)..];
            }
            if (c != _role.Length) return false;
            _values.Add(_row);
            _rows++;
            return true;
        }

        private bool Cell(int c, ReadOnlySpan<char> cell)
        {
            switch (_role[c])
            {
                case FeatureTableCsv.ColumnRole.Feature:
                    return CsvTableReader.TryNumber(cell, out _row[_feature[c]]);
                case FeatureTableCsv.ColumnRole.Target:
                    if (!CsvTableReader.TryNumber(cell, out double y) || double.IsNaN(y)) return false;
                    _labels!.Add(y);
                    return true;
                case FeatureTableCsv.ColumnRole.Id:
                    if (!CsvTableReader.TryInteger(cell, out long id)) return false;
                    _ids!.Add(id);
                    return true;
                case FeatureTableCsv.ColumnRole.Group:
                    if (!CsvTableReader.TryInteger(cell, out long g) || g is < int.MinValue or > int.MaxValue) return false;
                    _groups!.Add((int)g);
                    return true;
                case FeatureTableCsv.ColumnRole.Species:
                    if (cell.Length == 0) return false;
                    if (!_speciesNames.TryGetValue(cell, out var shared)) { shared = cell.ToString(); _speciesNames[shared] = shared; }
                    _species!.Add(shared);
                    return true;
                default:
                    return true;
            }
        }
    }
}
