using System.Globalization;
using System.IO.Compression;

namespace GlassML.Io;

/// <summary>
/// Reads a text file line by line (plain or gzip, detected by the magic bytes 1f 8b), counting 1-based line
/// numbers, with one line of look-ahead. Helpers split lines into whitespace-separated fields and parse numbers
/// with the invariant culture, turning failures into <see cref="InputFormatException"/>.
/// </summary>
internal sealed class LineSource : IDisposable
{
    private readonly StreamReader _reader;
    private string? _peeked;
    private bool _hasPeek;

    public LineSource(string path)
    {
        Path = path;
        Stream fs;
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, "is a directory, not a file");
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (FileNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputFormatException(path, 0, "file not found"); }
        catch (UnauthorizedAccessException) { throw new InputFormatException(path, 0, "file cannot be read (access denied)"); }
        Stream s = fs;
        if (IsGzip(fs)) s = new BufferedStream(new GZipStream(fs, CompressionMode.Decompress), 1 << 16);
        else ByteLength = fs.Length;
        _reader = new StreamReader(s, System.Text.Encoding.UTF8, true, 1 << 16);
    }

    /// <summary>File path as given.</summary>
    public string Path { get; }

    /// <summary>Length of a plain (not gzip) file in bytes, else null: a bound on how many lines the file can hold.</summary>
    public long? ByteLength { get; }

    /// <summary>Number of the line most recently returned by <see cref="ReadLine"/> (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>True when the stream starts with the gzip magic bytes; the position is restored.</summary>
    public static bool IsGzip(Stream s)
    {
        if (!s.CanSeek) return false;
        long p = s.Position;
        int b0 = s.ReadByte(), b1 = s.ReadByte();
        s.Position = p;
        return b0 == 0x1f && b1 == 0x8b;
    }

    /// <summary>The next line, or null at the end of the file.</summary>
    public string? ReadLine()
    {
        string? l;
        if (_hasPeek) { l = _peeked; _hasPeek = false; _peeked = null; }
        else l = Raw();
        if (l is not null) LineNumber++;
        LastLine = l;
        return l;
    }

    /// <summary>The line the last <see cref="ReadLine"/> or <see cref="TryReadLine"/> returned (with its comment), or null;
    /// after <see cref="TryReadLine"/> the string is made on first use (read it before the next read or peek).</summary>
    public string? LastLine
    {
        get
        {
            if (_lastInBuffer) { _lastLine = new string(_buf, _lastStart, _lastLength); _lastInBuffer = false; }
            return _lastLine;
        }
        private set { _lastLine = value; _lastInBuffer = false; }
    }

    private string? _lastLine;
    private bool _lastInBuffer;
    private int _lastStart, _lastLength;

    /// <summary>
    /// The next line as characters without making a string when the line lies in the read buffer (the common case), or
    /// false at the end of the file. <paramref name="line"/> is valid until the next read or peek; line numbers,
    /// <see cref="LastLine"/>, look-ahead and the line-length limit behave as with <see cref="ReadLine"/>.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        if (_hasPeek)
        {
            string? p = ReadLine();
            line = p;
            return p is not null;
        }
        bool got;
        try { got = NextSpan(out line); }
        catch (InvalidDataException e) { throw new InputFormatException(Path, LineNumber + 1, $"corrupt gzip data ({e.Message})"); }
        catch (IOException e) { throw new InputFormatException(Path, LineNumber + 1, $"read error ({e.Message})"); }
        if (!got) { LastLine = null; return false; }
        LineNumber++;
        return true;
    }

    // Next() without the string: the line is a slice of _buf (the unread rest is moved to the front of the buffer before
    // refilling); a line longer than the buffer falls back to Next().
    private bool NextSpan(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var span = _buf.AsSpan(_pos, _len - _pos);
            int nl = span.IndexOf('\n');
            if (nl >= 0 || (_eof && span.Length > 0))
            {
                int end = nl >= 0 ? nl : span.Length;
                int start = _pos;
                _pos += nl >= 0 ? nl + 1 : span.Length;
                if (end > 0 && _buf[start + end - 1] == '\r') end--;
                line = _buf.AsSpan(start, end);
                _lastStart = start; _lastLength = end; _lastInBuffer = true; _lastLine = null;
                return true;
            }
            if (_eof) { line = default; return false; }
            if (_pos > 0)
            {
                span.CopyTo(_buf);
                _len = span.Length;
                _pos = 0;
            }
            if (_len == _buf.Length)
            {
                string? s = Next();
                LastLine = s;
                line = s;
                return s is not null;
            }
            int got = _reader.Read(_buf, _len, _buf.Length - _len);
            if (got == 0) _eof = true;
            else _len += got;
        }
    }

    /// <summary>
    /// The complete lines (each ending in a line break) that follow the current position, read ahead into a buffer of at
    /// least <paramref name="chars"/> characters, without consuming them; empty at the end of the file, after a
    /// <see cref="Peek"/>, or when the next line is longer than the buffer. Valid until the next read, peek or
    /// <see cref="Skip"/>; <see cref="Skip"/> consumes a leading part of it.
    /// </summary>
    public ReadOnlyMemory<char> CompleteLines(int chars)
    {
        if (_hasPeek) return default;
        if (_lastInBuffer) _ = LastLine; // the buffer is moved below
        if (_pos > 0)
        {
            Array.Copy(_buf, _pos, _buf, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        if (_buf.Length < chars)
        {
            var grown = new char[chars]; // not Array.Resize<char>: a generic instantiation jitted at start-up
            Array.Copy(_buf, grown, _len);
            _buf = grown;
        }
        try
        {
            while (!_eof && _len < _buf.Length)
            {
                int got = _reader.Read(_buf, _len, _buf.Length - _len);
                if (got == 0) _eof = true;
                else _len += got;
            }
        }
        catch (InvalidDataException e) { throw new InputFormatException(Path, LineNumber + 1, $"corrupt gzip data ({e.Message})"); }
        catch (IOException e) { throw new InputFormatException(Path, LineNumber + 1, $"read error ({e.Message})"); }
        int end = _buf.AsSpan(0, _len).LastIndexOf('\n');
        return new ReadOnlyMemory<char>(_buf, 0, end + 1);
    }

    /// <summary>Consumes the first <paramref name="chars"/> characters of <see cref="CompleteLines"/>, which hold
    /// <paramref name="lines"/> whole lines (<see cref="LineNumber"/> advances by that; <see cref="LastLine"/> becomes null).</summary>
    public void Skip(int chars, long lines)
    {
        if (_hasPeek || chars < 0 || chars > _len - _pos) throw new InvalidOperationException("Skip beyond the lines read ahead");
        _pos += chars;
        LineNumber += lines;
        LastLine = null;
    }

    /// <summary>The next line without consuming it.</summary>
    public string? Peek()
    {
        if (!_hasPeek)
        {
            if (_lastInBuffer) _ = LastLine; // the buffer may be refilled below
            _peeked = Raw(); _hasPeek = true;
        }
        return _peeked;
    }

    /// <summary>Longest line accepted (characters): far above any real dump, data, XYZ or CSV line (a 10,000-column CSV row
    /// is ≈ 250 KB), and small enough that a hostile file cannot make one line take gigabytes.</summary>
    public const int MaxLineLength = 16 << 20;

    private char[] _buf = new char[1 << 16];
    private int _pos, _len;
    private bool _eof;
    private readonly System.Text.StringBuilder _long = new();

    private string? Raw()
    {
        try { return Next(); }
        catch (InvalidDataException e) { throw new InputFormatException(Path, LineNumber + 1, $"corrupt gzip data ({e.Message})"); }
        catch (IOException e) { throw new InputFormatException(Path, LineNumber + 1, $"read error ({e.Message})"); }
    }

    // ReadLine with a length limit: lines end at "\n" ("\r" before it is dropped, as StreamReader does for "\r\n").
    private string? Next()
    {
        _long.Clear();
        while (true)
        {
            if (_pos >= _len)
            {
                if (_eof) break;
                _len = _reader.Read(_buf, 0, _buf.Length);
                _pos = 0;
                if (_len == 0) { _eof = true; break; }
            }
            var span = _buf.AsSpan(_pos, _len - _pos);
            int nl = span.IndexOf('\n');
            if (nl >= 0)
            {
                var part = span[..nl];
                _pos += nl + 1;
                if (_long.Length == 0) return new string(part.EndsWith("\r") ? part[..^1] : part);
                _long.Append(part);
                return Finish();
            }
            _long.Append(span);
            _pos = _len;
            if (_long.Length > MaxLineLength)
                throw new InputFormatException(Path, LineNumber + 1, $"line longer than {MaxLineLength >> 20} Mi characters (not a text structure or table file?)");
        }
        return _long.Length == 0 ? null : Finish();
    }

    private string Finish()
    {
        if (_long.Length > MaxLineLength)
            throw new InputFormatException(Path, LineNumber + 1, $"line longer than {MaxLineLength >> 20} Mi characters (not a text structure or table file?)");
        int n = _long.Length;
        if (n > 0 && _long[n - 1] == '\r') n--;
        return _long.ToString(0, n);
    }

    /// <summary>Skips blank lines; returns the next non-blank line without consuming it, or null at the end.</summary>
    public string? PeekNonBlank()
    {
        while (true)
        {
            string? l = Peek();
            if (l is null || !string.IsNullOrWhiteSpace(l)) return l;
            ReadLine();
        }
    }

    /// <summary>An error at the current line.</summary>
    public InputFormatException Error(string problem) => new(Path, LineNumber, problem);

    /// <summary>An error at a given line.</summary>
    public InputFormatException Error(long line, string problem) => new(Path, line, problem);

    public void Dispose() => _reader.Dispose();

    // ---- field helpers -------------------------------------------------------------------------

    /// <summary>
    /// Splits <paramref name="line"/> at spaces and tabs into at most <paramref name="ranges"/>.Length fields and
    /// returns the total number of fields (which may exceed the capacity).
    /// </summary>
    public static int Split(ReadOnlySpan<char> line, Span<Range> ranges)
    {
        int n = 0, i = 0, len = line.Length;
        while (true)
        {
            while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
            if (i >= len) return n;
            int start = i;
            while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') i++;
            if (n < ranges.Length) ranges[n] = new Range(start, i);
            n++;
        }
    }

    /// <summary>
    /// The fields of a data line as <see cref="Split"/> ranges after the comment (from <c>#</c>) and surrounding white space
    /// are removed, as <c>Fields(StructureReader.StripComment(line).Trim())</c> gives them as strings; <paramref name="content"/>
    /// is that stripped, trimmed line.
    /// </summary>
    public static int SplitData(ReadOnlySpan<char> line, Span<Range> ranges, out ReadOnlySpan<char> content)
    {
        int h = line.IndexOf('#');
        content = (h >= 0 ? line[..h] : line).Trim();
        return Split(content, ranges);
    }

    /// <summary>All fields of a line as strings.</summary>
    public static string[] Fields(string line) => line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses a floating-point field (invariant culture; the plain forms through <see cref="PlainNumberParser"/>).</summary>
    public static bool TryDouble(ReadOnlySpan<char> s, out double v) =>
        PlainNumberParser.TryParseDouble(s, out v)
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v)
        || TrySpecial(s, out v);

    private static bool TrySpecial(ReadOnlySpan<char> s, out double v)
    {
        // LAMMPS/C printf spell these "nan", "inf", "-inf"
        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase) || s.Equals("-nan", StringComparison.OrdinalIgnoreCase)) { v = double.NaN; return true; }
        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("+inf", StringComparison.OrdinalIgnoreCase)) { v = double.PositiveInfinity; return true; }
        if (s.Equals("-inf", StringComparison.OrdinalIgnoreCase)) { v = double.NegativeInfinity; return true; }
        v = 0; return false;
    }

    /// <summary>Parses a number or throws an <see cref="InputFormatException"/> at the current line.</summary>
    public double ParseDouble(ReadOnlySpan<char> s, string what)
    {
        if (!TryDouble(s, out double v)) throw Error($"{what}: '{s.ToString()}' is not a number");
        return v;
    }

    /// <summary>Parses a finite number or throws.</summary>
    public double ParseFinite(ReadOnlySpan<char> s, string what)
    {
        double v = ParseDouble(s, what);
        if (!double.IsFinite(v)) throw Error($"{what}: {s.ToString()} is not a finite number");
        return v;
    }

    /// <summary>Parses an integer (also accepts integral floating-point text such as "3.0") or throws.</summary>
    public long ParseLong(ReadOnlySpan<char> s, string what)
    {
        if (TryLong(s, out long v)) return v;
        throw Error($"{what}: '{s.ToString()}' is not an integer");
    }

    /// <summary>Parses an integer as <see cref="ParseLong"/> does, without throwing.</summary>
    public static bool TryLong(ReadOnlySpan<char> s, out long v)
    {
        if (PlainNumberParser.TryParseLong(s, out v) || long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v)) return true;
        if (TryDouble(s, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e15) { v = (long)d; return true; }
        return false;
    }

    /// <summary>Parses a 32-bit integer or throws.</summary>
    public int ParseInt(ReadOnlySpan<char> s, string what)
    {
        long v = ParseLong(s, what);
        if (v < int.MinValue || v > int.MaxValue) throw Error($"{what}: {v} is out of range");
        return (int)v;
    }

    /// <summary>Parses a 32-bit integer as <see cref="ParseInt"/> does, without throwing.</summary>
    public static bool TryInt(ReadOnlySpan<char> s, out int v)
    {
        bool ok = TryLong(s, out long l) && l >= int.MinValue && l <= int.MaxValue;
        v = ok ? (int)l : 0;
        return ok;
    }
}
