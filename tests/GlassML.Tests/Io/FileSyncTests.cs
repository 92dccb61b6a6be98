using System.Buffers.Binary;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// The output durability policy: by default outputs are atomic (temporary file + rename) without waiting for the disk;
/// <c>GLASSML_FSYNC=1</c> flushes the file before the rename and its folders after, with the same bytes.
/// </summary>
public class FileSyncTests
{
    // runs an action with GLASSML_FSYNC set to the value (null = unset), restoring the previous value
    private static void With(string? value, Action action)
    {
        string? old = Environment.GetEnvironmentVariable(FileSync.Variable);
        Environment.SetEnvironmentVariable(FileSync.Variable, value);
        try { action(); }
        finally { Environment.SetEnvironmentVariable(FileSync.Variable, old); }
    }

    // the NPY bytes of a rows × cols table, made here from the format (not by the writer under test)
    private static byte[] ExpectedNpy(double[] v, int rows, int cols)
    {
        string dict = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        string h = dict.PadRight(128 - 10 - 1) + "\n";
        var b = new byte[128 + 8L * v.Length];
        b[0] = 0x93; "NUMPY"u8.CopyTo(b.AsSpan(1)); b[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)h.Length);
        System.Text.Encoding.ASCII.GetBytes(h).CopyTo(b, 10);
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(128 + 8 * i), v[i]);
        return b;
    }

    [Fact]
    public void DurableOutputs_HaveTheSameBytes_AndFlushEveryFolderTheyChanged()
    {
        using var tmp = new TempDir();
        // more than 2^20 values: the whole-table body is written in pieces
        int rows = 131_077, cols = 9;
        var rnd = new Random(5);
        var v = new double[rows * cols];
        for (int i = 0; i < v.Length; i++) v[i] = rnd.NextDouble() * 1e3 - 500;
        v[7] = double.NaN; v[8] = double.NegativeInfinity; v[9] = -0.0;
        var expected = ExpectedNpy(v, rows, cols);

        string plain = tmp.File("plain.npy");
        long before = FileSync.FoldersSynced;
        With(null, () => NpyWriter.Write(plain, v, rows, cols));
        With("0", () => AtomicFile.WriteText(tmp.File("plain.csv"), w => w.Write("a,b\n1,2\n")));
        Assert.Equal(before, FileSync.FoldersSynced);    // the default waits for no disk
        Assert.Equal(expected, File.ReadAllBytes(plain));

        // durable, into two new folders: the file's folder and the parents of both new folders are flushed
        string durable = Path.Combine(tmp.Path, "c", "d", "durable.npy");
        With("1", () => NpyWriter.Write(durable, v, rows, cols));
        Assert.Equal(expected, File.ReadAllBytes(durable));
        Assert.True(FileSync.FoldersSynced - before >= 3, $"{FileSync.FoldersSynced - before} folders flushed");
        long mid = FileSync.FoldersSynced;
        With("1", () => AtomicFile.WriteText(tmp.File("durable.csv"), w => w.Write("a,b\n1,2\n")));
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(tmp.File("durable.csv")));
        Assert.True(FileSync.FoldersSynced > mid);
        // no temporary file is left beside the outputs
        Assert.Empty(Directory.GetFiles(tmp.Path, ".*"));
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "c", "d"), ".*"));
    }

    [Fact]
    public void DurableFailedWrites_LeaveNothing_AndKeepTheOldFile()
    {
        using var tmp = new TempDir();
        string keep = tmp.Write("keep.csv", "old\n");
        With("1", () =>
        {
            Assert.Throws<InvalidDataException>(() => AtomicFile.WriteText(keep, w => { w.Write("new, partial"); throw new InvalidDataException("boom"); }));
            string deep = Path.Combine(tmp.Path, "x", "y", "z.npy");
            Assert.Throws<InvalidDataException>(() => AtomicFile.Write(deep, s => { s.Write(new byte[1 << 20]); throw new InvalidDataException("boom"); }));
        });
        Assert.Equal("old\n", File.ReadAllText(keep));
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "x")));
        Assert.Equal([keep], Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void DurableStagedFolder_FlushesItsFolders_AndMovesTheSameFiles()
    {
        using var tmp = new TempDir();
        string dir = Path.Combine(tmp.Path, "run", "out");
        long before = FileSync.FoldersSynced;
        With("1", () =>
        {
            using var staged = new StagedFolder(dir, "--out");
            AtomicFile.WriteText(staged.PathOf("a.txt"), w => w.Write("alpha"));
            staged.Commit();
        });
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(dir, "a.txt")));
        // the file's staging folder, the parent of the new "run" and of "out", and "out" itself
        Assert.True(FileSync.FoldersSynced - before >= 4, $"{FileSync.FoldersSynced - before} folders flushed");
        Assert.Equal([dir], Directory.GetFileSystemEntries(Path.Combine(tmp.Path, "run")));
    }

    [Fact]
    public void FlushingAMissingFolder_IsAnIOError()
    {
        if (OperatingSystem.IsWindows()) return;
        using var tmp = new TempDir();
        Assert.Throws<IOException>(() => FileSync.Folder(Path.Combine(tmp.Path, "not-there")));
        FileSync.Folder(tmp.Path);
    }
}
