using System.Runtime.InteropServices;
using GlassML.Io;

namespace GlassML.Tests.Io;

public class WriteBehindFileTests
{
    // bytes from a simple generator (not from the stream under test)
    internal static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    // the final 128-byte header written at offset 0 of the stream and of the expected bytes (the writer thread must have written
    // the provisional one before)
    internal static void RewriteHeader(Stream s, MemoryStream expected, int seed)
    {
        var header = Bytes(128, seed);
        s.Position = 0;
        s.Write(header, 0, header.Length);
        expected.Position = 0;
        expected.Write(header);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]   // durable: the disk writeback started every 32 MiB, the file flushed at the end
    [InlineData(false, true)]   // direct writes past 32 MiB (where the file system takes them)
    [InlineData(true, true)]
    public void ManyBuffersOfWritesAndASeekBack_GiveTheBytesWrittenInOrder(bool durable, bool direct)
    {
        using var tmp = new TempDir();
        string path = tmp.File("a.bin");
        // 37 MiB in pieces of awkward sizes: several 4 MiB buffers, a start of writeback past 32 MiB, a queue that fills
        var expected = new MemoryStream();
        using (var s = new WriteBehindFile(path, durable, direct))
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
            RewriteHeader(s, expected, 99);
            s.Complete();
            Assert.Throws<ObjectDisposedException>(() => s.Write(new byte[1]));
            // grown to 32 MiB: the buffers from the one that reached it on are written direct
            if (direct && DirectWriteTests.DirectFileSystem(tmp.Path)) Assert.InRange(s.DirectBytes, 1, expected.Length - (28L << 20));
            else Assert.Equal(0, s.DirectBytes);
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(5 << 20, false, false)]
    [InlineData(33 << 20, false, false)]
    [InlineData(5 << 20, true, false)]
    [InlineData(0, false, true)]          // direct allowed, but the file is expected small: inline
    [InlineData(33 << 20, true, true)]    // grown past 32 MiB before the switch: direct, the switch is ignored
    public void SwitchingToInlineWritesMidStream_KeepsTheBytesInOrder_AndTheHeaderWrittenLast(int inlineAfter, bool durable, bool direct)
    {
        using var tmp = new TempDir();
        string path = tmp.File("c.bin");
        var expected = new MemoryStream();
        using (var s = new WriteBehindFile(path, durable, direct))
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
            RewriteHeader(s, expected, 98);
            s.Complete();
            bool written = direct && inlineAfter >= 32 << 20 && DirectWriteTests.DirectFileSystem(tmp.Path);
            Assert.Equal(written, s.DirectBytes > 0);
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

public class DirectWriteTests
{
    private static byte[] Bytes(int n, int seed) => WriteBehindFileTests.Bytes(n, seed);

    // a fresh folder on the disk's temporary folder or, with shm, in /dev/shm (null where there is none)
    private static string? Folder(bool shm)
    {
        string root = shm ? "/dev/shm" : Path.GetTempPath();
        if (!Directory.Exists(root)) return null;
        string d = Path.Combine(root, "glassml-direct-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    // writes a file expected at `size` bytes (not a multiple of 4 KiB): a provisional header, pieces of awkward sizes with
    // flushes at unaligned offsets (buffers that start mid-page), the final header written last at offset 0; returns the stream's
    // direct byte count and checks the bytes
    private static long WriteAndCheck(string path, long size, bool direct, bool durable = false, long failAt = long.MaxValue,
        long expect = -1)
    {
        var expected = new MemoryStream();
        long directBytes;
        using (var s = new WriteBehindFile(path, durable, direct) { FailDirectAt = failAt })
        {
            s.Expect(expect < 0 ? size : expect);
            s.Write(new byte[128]);
            expected.Write(new byte[128]);
            int seed = 11;
            while (expected.Length < size)
            {
                var piece = Bytes((int)Math.Min(size - expected.Length, 1 + (seed * 104_729L) % 2_100_000), seed);
                seed++;
                s.Write(piece);
                expected.Write(piece);
                if (seed % 5 == 0) s.Flush();
            }
            WriteBehindFileTests.RewriteHeader(s, expected, 7);
            s.Complete();
            directBytes = s.DirectBytes;
        }
        Assert.Equal(size, expected.Length);
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the file's bytes differ from those written");
        return directBytes;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]   // tmpfs: never direct (not among the known file systems)
    [InlineData(true, true)]
    public void ALargeFileNotAMultipleOfTheAlignment_HasTheBytesWritten_DirectOrBuffered(bool shm, bool durable)
    {
        string? dir = Folder(shm);
        if (dir is null) return;
        try
        {
            long size = (45L << 20) + 3001;
            long buffered = WriteAndCheck(Path.Combine(dir, "b.bin"), size, direct: false, durable);
            Assert.Equal(0, buffered);
            long direct = WriteAndCheck(Path.Combine(dir, "d.bin"), size, direct: true, durable);
            if (!shm && DirectFileSystem(dir))
            {
                // expected large from the start: every whole page but the unaligned ends of the flushed buffers
                Assert.InRange(direct, size - (4L << 20), size);
                Assert.Equal(0, direct % DirectIo.Alignment);
            }
            else Assert.Equal(0, direct);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void SmallFiles_AreWrittenBuffered_AndAFileGrownLarge_DirectFromThere()
    {
        string dir = Folder(shm: false)!;
        try
        {
            Assert.Equal(0, WriteAndCheck(Path.Combine(dir, "s.bin"), (20L << 20) + 5, direct: true));
            long grown = WriteAndCheck(Path.Combine(dir, "g.bin"), (40L << 20) + 77, direct: true, expect: 1000);
            if (DirectFileSystem(dir)) Assert.InRange(grown, 1, (40L << 20) + 77 - (28L << 20));
            else Assert.Equal(0, grown);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ADiskSlowerThanTheProducer_SendsTheRestOfTheFileBuffered_WithTheSameBytes()
    {
        string dir = Folder(shm: false)!;
        var bytes = Bytes((64 << 20) + 4321, 5);
        // writes the first `size` bytes 1 MiB at a time, pausing `pauseMs` after each, on a disk whose direct writes of a buffer
        // take `delayMs`; checks the file's bytes and returns whether the disk was found slow and how many bytes went direct
        (bool Slow, long Direct) Run(string name, int size, int delayMs, int pauseMs, double slowWait)
        {
            string path = Path.Combine(dir, name);
            bool slow;
            long direct;
            using (var s = new WriteBehindFile(path, durable: false, direct: true)
                   { DirectDelay = TimeSpan.FromMilliseconds(delayMs), SlowDiskWait = TimeSpan.FromSeconds(slowWait) })
            {
                s.Expect(size);
                for (int at = 0; at < size; at += 1 << 20)
                {
                    s.Write(bytes.AsSpan(at, Math.Min(1 << 20, size - at)));
                    if (pauseMs > 0) Thread.Sleep(pauseMs);
                }
                s.Complete();
                (slow, direct) = (s.SlowDisk, s.DirectBytes);
            }
            Assert.True(bytes.AsSpan(0, size).SequenceEqual(File.ReadAllBytes(path)), "the file's bytes differ from those written");
            return (slow, direct);
        }
        try
        {
            bool directFs = DirectFileSystem(dir);
            // 150 ms per 4 MiB buffer (≈ 28 MB/s) and a producer as fast as it can: it waits for the disk once the queue is full;
            // past 0.1 s of waiting (and a quarter of the time) the rest goes buffered
            var fast = Run("slow.bin", bytes.Length, delayMs: 150, pauseMs: 0, slowWait: 0.1);
            Assert.Equal(directFs, fast.Slow);
            if (directFs) Assert.InRange(fast.Direct, 1, bytes.Length - (16L << 20));   // some buffers direct, the later ones buffered
            else Assert.Equal(0, fast.Direct);
            // 5 ms per buffer and 40 ms to produce one (default threshold): no switch, every whole page direct (the queue's four
            // buffers absorb a stall of the writer thread of up to ≈ 160 ms without the producer waiting)
            var paced = Run("paced.bin", 40 << 20, delayMs: 5, pauseMs: 10, slowWait: 0.25);
            Assert.False(paced.Slow);
            Assert.Equal(directFs ? 40L << 20 : 0, paced.Direct);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AFailedDirectWrite_IsWrittenAgainBuffered_WithTheSameBytes()
    {
        string dir = Folder(shm: false)!;
        try
        {
            // the direct write reaching past 10 MiB writes half its pages direct, then fails: it and all after it go buffered
            long direct = WriteAndCheck(Path.Combine(dir, "f.bin"), (39L << 20) + 999, direct: true, failAt: 10L << 20);
            if (DirectFileSystem(dir)) Assert.InRange(direct, 1, 10L << 20);
            else Assert.Equal(0, direct);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void GlassmlDirectIo0_TurnsDirectWritesOff_SameNpyBytes()
    {
        string dir = Folder(shm: false)!;
        string? old = Environment.GetEnvironmentVariable(DirectIo.Variable);
        try
        {
            int rows = 200_003, cols = 21;    // 33.6 MB
            var v = new double[rows * cols];
            var rnd = new Random(3);
            for (int i = 0; i < v.Length; i++) v[i] = rnd.NextDouble() - 0.5;
            Environment.SetEnvironmentVariable(DirectIo.Variable, null);
            Assert.Equal(OperatingSystem.IsLinux() && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64),
                DirectIo.Allowed);
            NpyWriter.Write(Path.Combine(dir, "on.npy"), v, rows, cols);
            Environment.SetEnvironmentVariable(DirectIo.Variable, "0");
            Assert.False(DirectIo.Allowed);
            NpyWriter.Write(Path.Combine(dir, "off.npy"), v, rows, cols);
            var on = File.ReadAllBytes(Path.Combine(dir, "on.npy"));
            Assert.Equal(128 + 8L * v.Length, on.Length);
            Assert.True(on.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "off.npy"))));
            Assert.True(on.AsSpan(128).SequenceEqual(MemoryMarshal.AsBytes(v.AsSpan())));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DirectIo.Variable, old);
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Whether the folder lies on ext4, XFS or Btrfs on Linux (x64/arm64), from /proc/mounts (the longest mount point that
    /// contains it): the file systems where direct writes are expected.
    /// </summary>
    internal static bool DirectFileSystem(string folder)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return false;
        string full = Path.GetFullPath(folder).TrimEnd('/') + "/";
        string best = "", type = "";
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var f = line.Split(' ');
            if (f.Length < 3) continue;
            string mount = f[1].Replace("\\040", " ").TrimEnd('/') + "/";
            if (full.StartsWith(mount, StringComparison.Ordinal) && mount.Length >= best.Length) { best = mount; type = f[2]; }
        }
        return type is "ext4" or "xfs" or "btrfs";
    }
}
