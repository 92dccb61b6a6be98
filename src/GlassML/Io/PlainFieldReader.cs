namespace GlassML.Io;

/// <summary>
/// Reads the fields of one data line as plain numbers (<see cref="PlainNumberParser"/>) in a single pass instead of
/// splitting it first. Fields are separated by spaces, tabs and '\r' (as <see cref="LineSource.Split"/> separates them);
/// a '#' right after a field or a separator ends the line's content. A read that succeeds gives what
/// <see cref="LineSource.SplitData"/> followed by <see cref="LineSource.TryDouble"/> / <see cref="LineSource.TryLong"/> /
/// <see cref="LineSource.TryInt"/> of the same field gives; false means only "not sure" (another spelling, another white
/// space, a missing field), and the caller then takes the general path.
/// </summary>
internal ref struct PlainFieldReader(ReadOnlySpan<char> line)
{
    private readonly ReadOnlySpan<char> _line = line;
    private int _pos;

    /// <summary>The next field as a double.</summary>
    public bool Double(out double value) => Ended(PlainNumberParser.ParseDouble(_line, SkipSeparators(), out value));

    /// <summary>The next field as a long (digits only: "3.0" is left to the general path).</summary>
    public bool Long(out long value) => Ended(PlainNumberParser.ParseLong(_line, SkipSeparators(), out value));

    /// <summary>The next field as an int.</summary>
    public bool Int(out int value)
    {
        bool ok = Long(out long l) && l >= int.MinValue && l <= int.MaxValue;
        value = ok ? (int)l : 0;
        return ok;
    }

    /// <summary>True when only separators and a comment remain (no further field).</summary>
    public bool AtEnd()
    {
        int p = SkipSeparators();
        return p == _line.Length || _line[p] == '#';
    }

    private int SkipSeparators()
    {
        int p = _pos;
        while (p < _line.Length && IsSeparator(_line[p])) p++;
        return p;
    }

    private static bool IsSeparator(char c) => c == ' ' || c == '\t' || c == '\r';

    // a number ending at `end` is a whole field when a separator, the end of the line or a comment follows it
    private bool Ended(int end)
    {
        if (end < 0) return false;
        if (end == _line.Length || _line[end] == '#') { _pos = _line.Length; return true; }
        if (!IsSeparator(_line[end])) return false;
        _pos = end + 1;
        return true;
    }
}
