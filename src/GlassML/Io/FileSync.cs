using System.Runtime.InteropServices;
using System.Text;

namespace GlassML.Io;

/// <summary>
/// Whether outputs wait for the disk. By default an output is written atomically (a temporary file in the same folder, renamed
/// over the destination) but not flushed to the disk, as numpy's <c>np.save</c>, pandas, LAMMPS and voro++ write theirs: the
/// operating system writes it back later, and a crash of the program never leaves a partial file. With the environment variable
/// <c>GLASSML_FSYNC=1</c> every output is also durable against a power loss: the file is flushed to the disk before the rename
/// and its folder (and every folder the output created) after it.
/// </summary>
internal static class FileSync
{
    /// <summary>The environment variable that asks for outputs flushed to the disk.</summary>
    internal const string Variable = "GLASSML_FSYNC";

    /// <summary>True when <c>GLASSML_FSYNC=1</c>: files and their folders are flushed to the disk when an output is committed.</summary>
    internal static bool Durable => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Folders flushed so far by <see cref="Folder"/> (tests check that the durable path ran).</summary>
    internal static long FoldersSynced => Interlocked.Read(ref _foldersSynced);
    private static long _foldersSynced;

    /// <summary>
    /// Flushes a folder's entries (a rename or a new file in it) to the disk. POSIX systems only: Windows has no such call (its
    /// renames are journaled by NTFS), and where the C library cannot be called. A file system that cannot flush folders (EINVAL)
    /// is let be.
    /// </summary>
    /// <exception cref="IOException">The folder could not be opened or flushed.</exception>
    internal static void Folder(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Encoding.UTF8.GetBytes(Path.GetFullPath(dir) + "\0");
        int fd;
        try { fd = Open(path, 0 /* O_RDONLY */); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return; }   // no C library to ask
        if (fd < 0) throw new IOException($"cannot open the folder {dir} to flush it to the disk (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            const int EINVAL = 22;
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is int e && e != EINVAL)
                throw new IOException($"cannot flush the folder {dir} to the disk (errno {e})");
        }
        finally { Close(fd); }
        Interlocked.Increment(ref _foldersSynced);
    }

    /// <summary>
    /// After a rename into <paramref name="dir"/>, durable outputs flush that folder and the parent of every folder the output
    /// created (<paramref name="created"/>, outermost first, from <see cref="OutputPath.CreateFolders"/>), so that the new
    /// entries survive a power loss.
    /// </summary>
    internal static void Committed(string dir, IReadOnlyList<string> created)
    {
        if (!Durable) return;
        foreach (var c in created) Folder(Path.GetDirectoryName(c) ?? ".");
        Folder(dir);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
