using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace GlassML.Io;

/// <summary>
/// Reads a comma-separated table with a header row through CsvHelper's RFC 4180 parser: quoted fields and headers
/// (as pandas and Excel write them, including commas, doubled quotes and line breaks inside quotes), a UTF-8/UTF-16
/// byte-order mark, LF, CRLF or CR line ends, gzip when the path ends with ".gz". Blank lines are skipped, and so are
/// lines starting with '#' when <c>comments</c> is set. Cells and header names are trimmed of surrounding white space.
/// Every problem is an <see cref="InputFormatException"/> naming the source and the line where the record starts.
/// </summary>
public sealed class CsvTableReader : IDisposable
{
    private readonly TextReader _text;
    private readonly CsvParser _parser;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private string[] _record = [];

    /// <summary>Opens a file (gzip by the ".gz" suffix) and reads its header row.</summary>
    /// <exception cref="InputFormatException">Missing or unreadable file, no header row, or a malformed header.</exception>
    public static CsvTableReader Open(string path, bool comments = false)
    {
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, "is a directory, not a CSV file");
        Stream s;
        try { s = File.OpenRead(path); }
        catch (FileNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputFormatException(path, 0, $"cannot open: {e.Message}"); }
        try
        {
            Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(s, CompressionMode.Decompress) : s;
            return new CsvTableReader(new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16), path, comments);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>Reads the header row from text (the reader is disposed with this object); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputFormatException">No header row, an empty or duplicate column name, or malformed CSV.</exception>
    public CsvTableReader(TextReader text, string source, bool comments = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        Source = source;
        var cfg = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            IgnoreBlankLines = true,
            AllowComments = comments,
            Comment = '#',
            BadDataFound = null, // a stray quote inside an unquoted cell is kept as text, as pandas does
        };
        _parser = new CsvParser(text, cfg);
        if (!Read()) throw new InputFormatException(source, 0, "empty file (no header row)");
        var header = new string[_record.Length];
        for (int c = 0; c < header.Length; c++)
        {
            string n = _record[c].Trim();
            if (c == 0) n = n.TrimStart('\uFEFF').Trim(); // a second BOM after a re-encoding
            if (n.Length == 0) throw Error($"column {c + 1} has an empty name");
            if (!_index.TryAdd(n, c)) throw Error($"duplicate column '{n}' in the header");
            header[c] = n;
        }
        Header = header;
        HeaderLine = Line;
    }

    /// <summary>The file name (or other source) used in error messages.</summary>
    public string Source { get; }

    /// <summary>The trimmed column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The 1-based line of the header row.</summary>
    public long HeaderLine { get; }

    /// <summary>The 1-based line where the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>Number of cells in the current record.</summary>
    public int Count => _record.Length;

    /// <summary>Index of a column by name, or −1.</summary>
    public int Column(string name) => _index.TryGetValue(name, out int c) ? c : -1;

    /// <summary>Advances to the next record; false at the end of the file.</summary>
    /// <exception cref="InputFormatException">Malformed CSV (e.g. a quote left open at the end of the file) or unreadable gzip data.</exception>
    public bool Read()
    {
        try
        {
            if (!_parser.Read()) { _record = []; return false; }
            _record = _parser.Record ?? [];
            // RawRow is the last physical line of the record; a record spanning lines (quoted line breaks) starts earlier.
            long breaks = 0;
            foreach (var f in _record) if (f.AsSpan().IndexOfAny('\r', '\n') >= 0) breaks += CountLineBreaks(f);
            Line = _parser.RawRow - breaks;
            return true;
        }
        catch (CsvHelperException e) { throw new InputFormatException(Source, e.Context?.Parser?.RawRow ?? Line, $"malformed CSV ({FirstLine(e.Message)})"); }
        catch (InvalidDataException e) { throw new InputFormatException(Source, 0, $"not a valid gzip file: {e.Message}"); }
    }

    /// <summary>Checks that the current record has one cell per header column.</summary>
    /// <exception cref="InputFormatException">Another number of cells.</exception>
    public void RequireHeaderWidth()
    {
        if (_record.Length != Header.Count) throw Error($"expected {Header.Count} cells, found {_record.Length}");
    }

    /// <summary>The trimmed text of a cell of the current record.</summary>
    public ReadOnlySpan<char> Cell(int column) => _record[column].AsSpan().Trim();

    /// <summary>The trimmed text of a cell of the current record as a string.</summary>
    public string Text(int column)
    {
        string s = _record[column];
        return s.Length > 0 && (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) ? s.Trim() : s;
    }

    /// <summary>An integer cell.</summary>
    /// <exception cref="InputFormatException">Not an integer (message names the column).</exception>
    public long Integer(int column)
    {
        var cell = Cell(column);
        return TryInteger(cell, out long v) ? v : throw Error($"column '{Header[column]}': '{cell.ToString()}' is not an integer");
    }

    /// <summary>The integer of a trimmed cell (<see cref="Integer"/>'s rule); false when it is not one.</summary>
    internal static bool TryInteger(ReadOnlySpan<char> cell, out long v) =>
        PlainNumberParser.TryParseLong(cell, out v) || long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out v);

    /// <summary>A finite number.</summary>
    /// <exception cref="InputFormatException">Not a finite number (message names the column).</exception>
    public double Finite(int column)
    {
        var cell = Cell(column);
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw Error($"column '{Header[column]}': '{cell.ToString()}' is not a finite number");
    }

    /// <summary>
    /// A number as pandas and numpy write them: empty, nan, NaN, na and NA are missing (NaN); inf, +inf, -inf, Infinity are ±∞.
    /// </summary>
    /// <exception cref="InputFormatException">Anything else that is not a number.</exception>
    public double Number(int column)
    {
        var cell = Cell(column);
        return TryNumber(cell, out double v) ? v : throw Error($"column '{Header[column]}': cannot read '{cell.ToString()}' as a number");
    }

    /// <summary>
    /// The number of a trimmed cell (<see cref="Number"/>'s rule: empty, nan, na → NaN; inf, +inf, -inf; else what .NET parses,
    /// the plain forms by <see cref="PlainNumberParser"/>, which gives the same bits or declines); false when it is not one.
    /// </summary>
    internal static bool TryNumber(ReadOnlySpan<char> cell, out double v)
    {
        if (cell.Length == 0) { v = double.NaN; return true; }
        if (PlainNumberParser.TryParseDouble(cell, out v) || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out v)) return true;
        if (cell.Equals("nan", StringComparison.OrdinalIgnoreCase) || cell.Equals("na", StringComparison.OrdinalIgnoreCase)) { v = double.NaN; return true; }
        if (cell.Equals("inf", StringComparison.OrdinalIgnoreCase) || cell.Equals("+inf", StringComparison.OrdinalIgnoreCase)) { v = double.PositiveInfinity; return true; }
        if (cell.Equals("-inf", StringComparison.OrdinalIgnoreCase)) { v = double.NegativeInfinity; return true; }
        return false;
    }

    /// <summary>An error at the current record's line.</summary>
    public InputFormatException Error(string problem) => new(Source, Line, problem);

    /// <inheritdoc />
    public void Dispose()
    {
        _parser.Dispose();
        _text.Dispose();
    }

    private static long CountLineBreaks(string s)
    {
        long n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n') n++;
            else if (s[i] == '\r' && (i + 1 == s.Length || s[i + 1] != '\n')) n++;
        }
        return n;
    }

    private static string FirstLine(string message)
    {
        int k = message.IndexOfAny(['\r', '\n']);
        return (k < 0 ? message : message[..k]).Trim();
    }
}
