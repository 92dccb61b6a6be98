using GlassML.Io;

namespace GlassML.Tests.Io;

public class WriteBehindFileTests
{
    // bytes from a simple generator (not from the stream under test)
    private static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // durable: the disk writeback started every 32 MiB, the file flushed at the end
    public void ManyBuffersOfWritesAndASeekBack_GiveTheBytesWrittenInOrder(bool durable)
    {
        using var tmp = new TempDir();
        string path = tmp.File("a.bin");
        // 37 MiB in pieces of awkward sizes: several 4 MiB buffers, a start of writeback past 32 MiB, a queue that fills
        var expected = new MemoryStream();
        using (var s = new WriteBehindFile(path, durable))
        {
            s.Write(new byte[128]);                 // a header written again at the end
            expected.Write(new byte[128]);
            int seed = 1;
            while (expected.Length < 37L << 20)
            {
                var piece = Bytes(1 + (seed * 7919) % 1_500_000, seed);
                seed++;
                s.Write(piece);
                expected.Write(piece);
            }
            s.WriteByte(42);
            expected.WriteByte(42);
            Assert.Equal(expected.Length, s.Length);
            var header = Bytes(128, 99);
            s.Position = 0;
            s.Write(header, 0, header.Length);
            expected.Position = 0;
            expected.Write(header);
            s.Complete();
            Assert.Throws<ObjectDisposedException>(() => s.Write(new byte[1]));
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(5 << 20, false)]
    [InlineData(33 << 20, false)]
    [InlineData(5 << 20, true)]
    public void SwitchingToInlineWritesMidStream_KeepsTheBytesInOrder_AndTheHeaderWrittenLast(int inlineAfter, bool durable)
    {
        using var tmp = new TempDir();
        string path = tmp.File("c.bin");
        var expected = new MemoryStream();
        using (var s = new WriteBehindFile(path, durable))
        {
            s.Write(new byte[128]);               // provisional header, queued to the writer thread
            expected.Write(new byte[128]);
            int seed = 3;
            bool switched = false;
            while (expected.Length < 36L << 20)
            {
                if (!switched && expected.Length >= inlineAfter) { s.WriteInline(); s.WriteInline(); switched = true; }
                var piece = Bytes(1 + (seed * 7919) % 700_000, seed);
                seed++;
                s.Write(piece);
                expected.Write(piece);
            }
            Assert.True(switched);
            // the final header overwrites the provisional one (which the writer thread must have written before)
            var header = Bytes(128, 98);
            s.Position = 0;
            s.Write(header);
            expected.Position = 0;
            expected.Write(header);
            s.Complete();
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void AnExistingFileIsRefused_AndAnEmptyFileIsWritten()
    {
        using var tmp = new TempDir();
        string path = tmp.File("b.bin");
        using (var s = new WriteBehindFile(path)) s.Complete();
        Assert.Empty(File.ReadAllBytes(path));
        Assert.Throws<IOException>(() => new WriteBehindFile(path));
    }
}
