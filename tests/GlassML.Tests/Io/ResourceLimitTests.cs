using System.IO.Compression;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>Hostile inputs cannot make a reader spend unbounded memory.</summary>
public class ResourceLimitTests
{
    [Fact]
    public void AGzipBombOfOneEndlessLineIsRefusedEarly()
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-bomb-{Guid.NewGuid():N}.dump.gz");
        try
        {
            using (var fs = File.Create(p))
            using (var gz = new GZipStream(fs, CompressionLevel.SmallestSize))
            {
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++) gz.Write(zeros); // 64 MiB of NUL bytes, one "line"
            }
            Assert.True(new FileInfo(p).Length < 1 << 20);
            long before = GC.GetTotalAllocatedBytes();
            var e = Assert.Throws<InputFormatException>(() => StructureReader.ReadFrame(p));
            Assert.Contains("line longer than", e.Message);
            Assert.Equal(1, e.Line);
            Assert.True(GC.GetTotalAllocatedBytes() - before < 400L << 20, "reading the bomb allocated too much");
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void LinesOfEveryEndingAreReadAsBefore()
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-lines-{Guid.NewGuid():N}.txt");
        try
        {
            string longLine = new('x', 200_000);
            File.WriteAllText(p, "a\r\nb\n\n" + longLine + "\r\nlast");
            using var src = new LineSource(p);
            Assert.Equal("a", src.ReadLine());
            Assert.Equal("b", src.ReadLine());
            Assert.Equal("", src.ReadLine());
            Assert.Equal(longLine, src.ReadLine());
            Assert.Equal("last", src.ReadLine());
            Assert.Null(src.ReadLine());
            Assert.Equal(5, src.LineNumber);
        }
        finally { File.Delete(p); }
    }
}
