namespace GlassML.Io;

/// <summary>
/// Parses the data lines of a text section (blank and comment-only lines skipped, as the serial readers skip them) on
/// several threads: the complete lines read ahead by a <see cref="LineSource"/> are cut at line breaks into one range per
/// thread; a first pass counts each range's data lines, so that every line knows its index in the section, and a second
/// pass parses them in place. Only the success path runs here: when any line has a problem (or is not simple enough, e.g.
/// a new atom type), nothing is consumed and the caller's serial code reads the same lines again and reports the problem
/// as it always has, so messages and values do not depend on the thread count.
/// </summary>
internal static class ParallelLines
{
    /// <summary>Characters read ahead per block (2 MB): large enough that the per-block hand-offs cost nothing.</summary>
    public const int BlockChars = 1 << 20;

    /// <summary>Room for the fields of a line (and one more, so that a longer line is still counted).</summary>
    public const int MaxFields = 11;

    /// <summary>
    /// Parses data line <paramref name="index"/> of the block (0-based): <paramref name="line"/> is the whole line without its
    /// line break (<see cref="LineSource.SplitData"/> gives its fields). False when the line has a problem.
    /// </summary>
    public delegate bool LineParser(ReadOnlySpan<char> line, int index);

    /// <summary>
    /// Reads up to <paramref name="remaining"/> data lines of a section from the lines read ahead by
    /// <paramref name="src"/>, with <paramref name="threads"/> threads. <paramref name="ensure"/> is called first with the
    /// number of data lines the block holds (at most <paramref name="remaining"/>; to size arrays), then
    /// <paramref name="parse"/> for each of them, concurrently, then <paramref name="commit"/> (serially; may refuse).
    /// Returns how many data lines were read and consumed, or −1 when nothing was consumed (no complete line ahead, a line
    /// with a problem, a line starting with a letter, or a refused commit).
    /// </summary>
    public static int Read(LineSource src, int remaining, int threads, Action<int> ensure, LineParser parse, Func<int, bool>? commit = null)
    {
        var text = src.CompleteLines(BlockChars);
        if (text.Length == 0 || remaining <= 0) return -1;
        int parts = Math.Max(1, threads);
        var starts = new int[parts + 1];
        var span = text.Span;
        for (int r = 1; r < parts; r++)
        {
            int at = Math.Max(starts[r - 1], (int)((long)text.Length * r / parts));
            int nl = at < text.Length ? span[at..].IndexOf('\n') : -1;
            starts[r] = nl < 0 ? text.Length : at + nl + 1;
        }
        starts[parts] = text.Length;

        // pass 1: data lines per range
        var dataLines = new int[parts];
        var po = new ParallelOptions { MaxDegreeOfParallelism = parts };
        Parallel.For(0, parts, po, r => dataLines[r] = CountDataLines(text.Span[starts[r]..starts[r + 1]]));
        var firstIndex = new int[parts];
        int total = 0;
        for (int r = 0; r < parts; r++) { firstIndex[r] = total; total += dataLines[r]; }
        int take = Math.Min(total, remaining);
        ensure(take);

        // pass 2: parse; each range reports where its last taken line ends
        var ends = new int[parts];
        var lineCounts = new long[parts];
        int failed = 0;
        Parallel.For(0, parts, po, r =>
        {
            int quota = Math.Clamp(take - firstIndex[r], 0, dataLines[r]);
            if (!ParseRange(text.Span[starts[r]..starts[r + 1]], firstIndex[r], quota, quota == dataLines[r], parse, ref failed, out ends[r], out lineCounts[r]))
                Volatile.Write(ref failed, 1);
        });
        if (failed != 0 || (commit is not null && !commit(take))) return -1;

        // consumed: the whole block when the section goes on, else up to the end of its last data line
        int chars = 0;
        long lines = 0;
        for (int r = 0; r < parts; r++)
        {
            chars = starts[r] + ends[r];
            lines += lineCounts[r];
            if (take < total && firstIndex[r] + dataLines[r] >= take) break;
        }
        src.Skip(chars, lines);
        return take;
    }

    // Lines whose content (before any '#', white space trimmed) is not empty, as LineSource.SplitData sees them.
    private static int CountDataLines(ReadOnlySpan<char> text)
    {
        int n = 0;
        while (text.Length > 0)
        {
            int nl = text.IndexOf('\n');
            var line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            if (ContentStart(line) >= 0) n++;
        }
        return n;
    }

    /// <summary>Where a data line's content starts (its first character that is not white space), or −1 for a blank or
    /// comment-only line: the content <see cref="LineSource.SplitData"/> gives is not empty exactly when this is ≥ 0.</summary>
    public static int ContentStart(ReadOnlySpan<char> line)
    {
        int k = 0;
        while (k < line.Length && char.IsWhiteSpace(line[k])) k++;
        return k < line.Length && line[k] != '#' ? k : -1;
    }

    // Parses the first `quota` data lines of a range; `end`/`lines`: the characters and lines consumed, i.e. up to the end
    // of the last parsed line, or the whole range when that holds no further data line.
    private static bool ParseRange(ReadOnlySpan<char> text, int first, int quota, bool all, LineParser parse, ref int failed, out int end, out long lines)
    {
        int pos = 0, done = 0;
        lines = 0;
        end = 0;
        while (pos < text.Length && (all || done < quota))
        {
            int next = pos + text[pos..].IndexOf('\n') + 1;
            var raw = text[pos..(next - 1)];
            pos = next;
            lines++;
            int k = ContentStart(raw);
            if (k < 0) continue;
            if (char.IsLetter(raw[k]) || !parse(raw, first + done)) return false;
            done++;
            end = pos;
            if ((done & 1023) == 0 && Volatile.Read(ref failed) != 0) return false;
        }
        if (all) end = pos; // else the loop stopped right after the last parsed line
        return true;
    }
}
