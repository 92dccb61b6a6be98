using System.Runtime.InteropServices;

namespace GlassML.Io;

/// <summary>
/// Checks on output paths so that writing never destroys anything it should not: a device, FIFO or socket is refused
/// (writing would replace it with a regular file), a folder is refused for a file output, and a symbolic link is written
/// through to its target instead of being replaced.
/// </summary>
public static class OutputPath
{
    /// <summary>What a path is.</summary>
    public enum Kind
    {
        /// <summary>Nothing there.</summary>
        Missing,
        /// <summary>A regular file.</summary>
        Regular,
        /// <summary>A folder.</summary>
        Directory,
        /// <summary>A character or block device, FIFO or socket.</summary>
        Special,
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct StatX64
    {
        public ulong Dev, Ino, Nlink;
        public uint Mode, Uid, Gid, Pad0;
        public ulong Rdev;
        public long Size, BlkSize, Blocks;
        public long ATime, ATimeNs, MTime, MTimeNs, CTime, CTimeNs;
        public long R0, R1, R2;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat(string path, out StatX64 buf);

    /// <summary>What the path is (following symbolic links).</summary>
    public static Kind KindOf(string path)
    {
        if (System.IO.Directory.Exists(path)) return Kind.Directory;
        if (!File.Exists(path)) return Kind.Missing;
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            try
            {
                if (Stat(path, out var st) == 0) return (st.Mode & 0xF000) == 0x8000 ? Kind.Regular : Kind.Special;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        string full = Path.GetFullPath(path);
        return full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal) || full.StartsWith("/sys/", StringComparison.Ordinal)
            ? Kind.Special : Kind.Regular;
    }

    /// <summary>The path a file output really writes: a symbolic link's final target, else the full path.</summary>
    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            // a path that is no symbolic link (most often a new output) has no link target: asked first, without an exception
            // (asking a missing path for its final target throws, ≈ 1.5 ms of a short call for its first exception)
            var info = new FileInfo(full);
            if (info.LinkTarget is null) return full;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null) return Path.GetFullPath(target.FullName);
        }
        catch (IOException) { }
        return full;
    }

    /// <summary>
    /// True when an output path asks for standard output: <c>-</c> (CSV, the default table format) or <c>-.EXT</c> (that
    /// text format, e.g. <c>-.xyz</c> or <c>-.dump</c>).
    /// </summary>
    public static bool IsStandardOutput(string path) =>
        path == "-" || (path.StartsWith("-.", StringComparison.Ordinal) && path.IndexOfAny(['/', '\\']) < 0);

    /// <summary>How a summary line names an output: <c>standard output</c> for <c>-</c> and <c>-.EXT</c>, else the path as given.</summary>
    public static string Describe(string path) => IsStandardOutput(path) ? "standard output" : path;

    /// <summary>
    /// The writer standard-output results go to (null: <see cref="Console.Out"/> at the time of writing). The CLI points it
    /// at the real standard output and sends its own messages to standard error while a result goes to standard output.
    /// </summary>
    public static TextWriter? StandardOutput { get; set; }

    /// <summary>Refuses standard output for a binary format (Parquet, NPY, gzip), which a terminal or text pipe cannot take.</summary>
    /// <exception cref="ArgumentException">The path is <c>-.parquet</c>, <c>-.npy</c> or ends in <c>.gz</c>.</exception>
    public static void CheckStandardOutput(string path, string option = "--out")
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".parquet" or ".npy" or ".gz")
            throw new ArgumentException($"{option} {path}: {ext[1..]} is a binary format and cannot be written to standard output; give a file name (or '-' for CSV)");
    }

    /// <summary>
    /// Creates a missing output folder and its missing parents (an output's missing parent folders are created, for
    /// files and run directories alike); returns the folders it created, outermost first, for <see cref="RemoveCreated"/>.
    /// </summary>
    public static List<string> CreateFolders(string dir)
    {
        var created = new List<string>();
        for (string? d = Path.GetFullPath(dir); d is not null && !System.IO.Directory.Exists(d); d = Path.GetDirectoryName(d)) created.Insert(0, d);
        System.IO.Directory.CreateDirectory(dir);
        return created;
    }

    /// <summary>Removes folders made by <see cref="CreateFolders"/> (innermost first, only while empty): a failed run leaves nothing behind.</summary>
    public static void RemoveCreated(IReadOnlyList<string> created)
    {
        ArgumentNullException.ThrowIfNull(created);
        for (int i = created.Count - 1; i >= 0; i--)
        {
            try
            {
                if (System.IO.Directory.Exists(created[i]) && !System.IO.Directory.EnumerateFileSystemEntries(created[i]).Any()) System.IO.Directory.Delete(created[i]);
                else return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        }
    }

    /// <summary>Refuses a file output at a device, FIFO, socket or folder.</summary>
    /// <exception cref="ArgumentException">The path is not a regular file or missing.</exception>
    public static void CheckFile(string path, string option = "--out")
    {
        switch (KindOf(path))
        {
            case Kind.Directory: throw new ArgumentException($"{option}: '{path}' is a folder, not a file");
            case Kind.Special: throw new ArgumentException($"{option}: '{path}' is a device, FIFO or socket, not a regular file; GlassML will not replace it");
        }
    }
}
