using System.IO.Compression;
using System.Text;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// <see cref="GzipBlockStream"/>: members of 1 MiB of text each, compressed on several threads; the bytes decompress (as one
/// stream, by .NET's reader) to exactly what was written, are the same for any thread count and any way the writes were cut,
/// and an empty text is the bytes <see cref="GZipStream"/> writes for it.
/// </summary>
public class GzipBlockStreamTests
{
    // text that compresses like a table of numbers
    private static byte[] Text(int bytes, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(bytes + 64);
        while (sb.Length < bytes) sb.Append(rng.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(rng.Next(8) == 0 ? '\n' : ',');
        return Encoding.ASCII.GetBytes(sb.ToString(0, bytes));
    }

    private static byte[] Compress(byte[] data, int threads, int piece)
    {
        var ms = new MemoryStream();
        using (var gz = new GzipBlockStream(ms, threads, leaveOpen: true))
            for (int at = 0; at < data.Length; at += piece) gz.Write(data, at, Math.Min(piece, data.Length - at));
        return ms.ToArray();
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var r = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var o = new MemoryStream();
        r.CopyTo(o);
        return o.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(GzipBlockStream.BlockBytes - 1)]
    [InlineData(GzipBlockStream.BlockBytes)]
    [InlineData(GzipBlockStream.BlockBytes + 1)]
    [InlineData(11 * GzipBlockStream.BlockBytes / 2)]   // several batches of members at two threads
    public void MembersDecompressToTheTextWithTheSameBytesForAnyThreadsAndWrites(int bytes)
    {
        var data = Text(bytes, bytes);
        var one = Compress(data, 1, 1 << 16);
        Assert.Equal(data, Decompress(one));
        foreach (var (threads, piece) in new[] { (2, 1 << 16), (3, 7919), (0, data.Length), (2, 1) })
        {
            if (piece == 1 && bytes > 4 * GzipBlockStream.BlockBytes) continue;   // byte by byte: the small sizes only
            Assert.Equal(one, Compress(data, threads, piece));
        }
        // one member per started MiB: a text of more than a MiB is not one plain gzip stream
        var plain = new MemoryStream();
        using (var gz = new GZipStream(plain, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        if (bytes <= GzipBlockStream.BlockBytes) Assert.Equal(plain.ToArray(), one);
        else Assert.NotEqual(plain.ToArray(), one);
    }

    [Fact]
    public void AnEmptyTextIsWhatGZipStreamWritesForIt()
    {
        var plain = new MemoryStream();
        using (new GZipStream(plain, CompressionLevel.Optimal, leaveOpen: true)) { }
        var ms = new MemoryStream();
        using (new GzipBlockStream(ms, 2, leaveOpen: true)) { }
        Assert.Equal(plain.ToArray(), ms.ToArray());
        Assert.Empty(Decompress(ms.ToArray()));
    }
}
