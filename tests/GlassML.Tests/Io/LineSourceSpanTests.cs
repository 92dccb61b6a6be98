using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary><see cref="LineSource.TryReadLine"/> (lines as spans of the read buffer) gives the lines string.Split gives, mixed
/// with <see cref="LineSource.ReadLine"/> and <see cref="LineSource.Peek"/>, across buffer refills and longer-than-buffer lines.</summary>
public class LineSourceSpanTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpanLinesMatchStringSplitAcrossBufferBoundaries(bool endWithNewline)
    {
        var rng = new Random(20);
        var lines = new List<string>();
        for (int i = 0; i < 3_000; i++)
        {
            int len = rng.Next(12) == 0 ? rng.Next(60_000, 140_000) / 100 * (rng.Next(8) == 0 ? 100 : 1) : rng.Next(0, 90);
            lines.Add(new string((char)('a' + i % 26), len) + (i % 7 == 0 ? " # c" : ""));
        }
        string text = string.Join("\n", lines.Select((l, i) => i % 5 == 0 ? l + "\r" : l)) + (endWithNewline ? "\n" : "");
        string p = Path.Combine(Path.GetTempPath(), $"glassml-span-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(p, text);
            var expected = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
            if (endWithNewline) expected.RemoveAt(expected.Count - 1);
            using var src = new LineSource(p);
            for (int i = 0; i < expected.Count; i++)
            {
                string got;
                switch (i % 4)
                {
                    case 0:
                        Assert.True(src.TryReadLine(out var span));
                        got = span.ToString();
                        Assert.Equal(expected[i], src.LastLine);
                        break;
                    case 1:
                        Assert.True(src.TryReadLine(out var s2));
                        got = s2.ToString();
                        Assert.Equal(i + 1 < expected.Count ? expected[i + 1] : null, src.Peek()); // the peek may refill the buffer: LastLine must survive it
                        Assert.Equal(expected[i], src.LastLine);
                        break;
                    default:
                        got = src.ReadLine()!;
                        break;
                }
                Assert.Equal(expected[i], got);
                Assert.Equal(i + 1, src.LineNumber);
            }
            Assert.False(src.TryReadLine(out _));
            Assert.Null(src.ReadLine());
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void SplitDataStripsTheCommentAndWhiteSpaceAsTheStringPathDoes()
    {
        Span<Range> r = stackalloc Range[4];
        foreach (string line in new[] { "  1 2\t3.5  # note", "\u00a0 7 \u00a0", "# only", "", "a b c d e f" })
        {
            int n = LineSource.SplitData(line, r, out var content);
            string stripped = line.Split('#')[0].Trim();
            Assert.Equal(stripped, content.ToString());
            var fields = stripped.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(fields.Length, n);
            for (int k = 0; k < Math.Min(n, r.Length); k++) Assert.Equal(fields[k], content[r[k]].ToString());
        }
    }
}
