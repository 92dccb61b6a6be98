using System.IO.Compression;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// A <c>.gz</c> text output is one gzip member holding the whole text: OVITO's reader stops at the end of the first member
/// (a multi-member file, as a parallel compressor writes it, would be cut there), so the text read up to that end must be
/// all of it.
/// </summary>
public class GzipOutputTests
{
    // the text of the first gzip member only (its 10-byte header as .NET writes it, no optional fields; then raw deflate)
    private static byte[] FirstMember(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 18 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8, "not a gzip file");
        Assert.Equal(0, bytes[3]);   // no FEXTRA/FNAME/FCOMMENT: the deflate data starts at byte 10
        using var d = new DeflateStream(new MemoryStream(bytes, 10, bytes.Length - 10), CompressionMode.Decompress);
        var o = new MemoryStream();
        d.CopyTo(o);
        return o.ToArray();
    }

    private static byte[] All(string path)
    {
        using var g = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var o = new MemoryStream();
        g.CopyTo(o);
        return o.ToArray();
    }

    [Theory]
    [InlineData("t.csv.gz", 2)]
    [InlineData("t.xyz.gz", 2)]
    [InlineData("t.dump.gz", 0)]
    public void ALargeGzipOutputIsOneMember(string name, int threads)
    {
        using var tmp = new TempDir();
        // ≈ 4 MB of text: several MiB, more than any block a parallel compressor would cut
        int n = 6000, width = 30;
        var rng = new Random(5);
        var ids = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        var sp = Enumerable.Range(0, n).Select(_ => rng.Next(2)).ToArray();
        double[] Coord() => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 30).ToArray();
        var f = new Frame(Box.Cubic(30), new SpeciesTable(["Cu", "Zr"]), ids, sp, Coord(), Coord(), Coord());
        var v = Enumerable.Range(0, n * width).Select(_ => rng.NextDouble()).ToArray();
        var feats = new PerAtomFeatures(Enumerable.Range(0, width).Select(c => $"c{c}").ToArray(), n, v);
        string path = tmp.File(name);
        PerAtomOutput.Write(path, f, feats, KeepColumns.Everything, threads);
        var all = All(path);
        Assert.True(all.Length > 3 << 20, $"{all.Length} bytes of text");
        Assert.Equal(all, FirstMember(path));
    }
}
