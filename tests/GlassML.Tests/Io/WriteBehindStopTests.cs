using System.Runtime.ExceptionServices;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// The writer thread of a <see cref="WriteBehindFile"/> is stopped without an exception, whichever way it stops (the file
/// completed, switched to inline writing, disposed unfinished) and whether or not it is waiting for work: every large output
/// stops one on the way to the command's exit, and a first exception costs ≈ 1 ms there (issue 20). The bytes are those
/// written. Alone: the first-chance handler sees every thread's exceptions.
/// </summary>
[Collection("Alone")]
public class WriteBehindStopTests
{
    [Theory]
    [InlineData("complete", 0)]
    [InlineData("complete", 50)]      // the writer waits on an empty queue when it is stopped
    [InlineData("inline", 50)]
    [InlineData("dispose", 50)]
    public void TheWriterStopsWithoutAnException(string how, int pauseMs)
    {
        using var tmp = new TempDir();
        string path = tmp.File("a.bin");
        var expected = new MemoryStream();
        int thrown = 0;
        void Seen(object? _, FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref thrown);
        AppDomain.CurrentDomain.FirstChanceException += Seen;
        try
        {
            using var s = new WriteBehindFile(path);
            for (int seed = 1; expected.Length < 9L << 20; seed++)
            {
                var piece = WriteBehindFileTests.Bytes(700_001, seed);
                s.Write(piece);
                expected.Write(piece);
            }
            s.Flush();
            Thread.Sleep(pauseMs);
            if (how == "complete") s.Complete();
            else if (how == "inline")
            {
                s.WriteInline();
                var tail = WriteBehindFileTests.Bytes(1000, 7);
                s.Write(tail);
                expected.Write(tail);
                s.Complete();
            }
        }
        finally { AppDomain.CurrentDomain.FirstChanceException -= Seen; }
        Assert.Equal(0, thrown);
        // a file disposed unfinished holds what reached the writer (everything was flushed to it before)
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(1_300_000)]    // one buffer, as a small output (a 2,048-atom table)
    [InlineData(9_000_000)]    // several
    public void CompletingTakesNoNewBuffer(int bytes)
    {
        // the last buffer is queued, and no fresh one is made for bytes that will not come (its allocation cost a short call a
        // garbage collection)
        using var tmp = new TempDir();
        string path = tmp.File("a.bin");
        var data = WriteBehindFileTests.Bytes(bytes, 3);
        long allocated;
        using (var s = new WriteBehindFile(path))
        {
            s.Write(data);
            long before = GC.GetAllocatedBytesForCurrentThread();
            s.Complete();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.InRange(allocated, 0, 64 << 10);
        Assert.Equal(data, File.ReadAllBytes(path));
    }
}
