namespace GlassML.Io;

/// <summary>
/// Writes a file atomically: content goes to a temporary file in the same folder, which is renamed over
/// the destination only when writing succeeded. A failed write leaves no partial output. The file is not flushed to the disk
/// (as numpy, pandas, LAMMPS and voro++ write theirs) unless <c>GLASSML_FSYNC=1</c> asks for durability against a power loss
/// (<see cref="FileSync"/>: the file before the rename, its folder after). Missing parent folders are
/// created, and removed again when the write fails. A device, FIFO, socket or
/// folder at the destination is refused; a symbolic link is written through to its target. The path <c>-</c> (or
/// <c>-.EXT</c>) writes to standard output (<see cref="OutputPath.StandardOutput"/>) instead, as it is produced.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through a stream; the destination appears only if <paramref name="write"/> returns normally.</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, writeBehind: false);

    /// <summary>
    /// As <see cref="Write(string, Action{Stream})"/>; with <paramref name="writeBehind"/> a file is written by a background thread
    /// (<see cref="WriteBehindFile"/>: for large outputs, so that the system calls and the disk overlap producing the bytes; where
    /// <see cref="DirectIo"/> allows it, a large file is written unbuffered).
    /// </summary>
    internal static void Write(string path, Action<Stream> write, bool writeBehind)
    {
        if (OutputPath.IsStandardOutput(path))
        {
            OutputPath.CheckStandardOutput(path);
            var writer = OutputPath.StandardOutput ?? Console.Out;
            using (var s = new BufferedStream(new TextWriterStream(writer), 1 << 16)) write(s);
            writer.Flush();
            return;
        }
        OutputPath.CheckFile(path);
        string full = OutputPath.Resolve(path); // a symbolic link is written through, not replaced
        string dir = Path.GetDirectoryName(full) ?? ".";
        var created = OutputPath.CreateFolders(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        bool done = false;
        try
        {
            if (writeBehind)
            {
                using var wb = new WriteBehindFile(tmp, FileSync.Durable, DirectIo.Allowed);
                write(wb);
                wb.Complete();
            }
            else
            {
                using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                write(fs);
                fs.Flush(FileSync.Durable);
            }
            File.Move(tmp, full, overwrite: true);
            done = true;
            FileSync.Committed(dir, created);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
            if (!done) OutputPath.RemoveCreated(created);
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.NewLine = "\n";
            write(w);
        });
}
