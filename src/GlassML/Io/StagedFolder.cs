namespace GlassML.Io;

/// <summary>
/// A folder output filled file by file (e.g. one per-atom file per sample) that appears only when the run succeeds:
/// files go to a hidden staging folder next to the destination and are moved in by <see cref="Commit"/>; disposing an
/// uncommitted folder removes the staging folder and any parent folders it created, so a failed run leaves nothing.
/// </summary>
public sealed class StagedFolder : IDisposable
{
    private readonly string _final, _staging;
    private readonly List<string> _created;
    private readonly List<string> _names = [];
    private bool _committed;

    /// <summary>Starts a folder output at <paramref name="dir"/> (an existing folder keeps its other files).</summary>
    /// <exception cref="ArgumentException">The path is a file, device, FIFO or socket, or standard output.</exception>
    public StagedFolder(string dir, string option)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (OutputPath.IsStandardOutput(dir)) throw new ArgumentException($"{option} {dir}: a folder cannot go to standard output; give a path");
        if (OutputPath.KindOf(dir) is OutputPath.Kind.Regular or OutputPath.Kind.Special) throw new ArgumentException($"{option}: '{dir}' is a file, not a folder");
        _final = Path.GetFullPath(dir);
        string parent = Path.GetDirectoryName(_final) ?? ".";
        _created = OutputPath.CreateFolders(parent);
        _staging = Path.Combine(parent, $".{Path.GetFileName(_final)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_staging);
    }

    /// <summary>The staging path of a file named <paramref name="name"/> (no folders) in the output.</summary>
    public string PathOf(string name)
    {
        lock (_names) _names.Add(name);
        return Path.Combine(_staging, name);
    }

    /// <summary>
    /// Moves every file into the destination (created if missing; files of the same name are replaced); with
    /// <c>GLASSML_FSYNC=1</c> the destination's entries are then flushed to the disk (the files were, when written).
    /// </summary>
    public void Commit()
    {
        bool created = !Directory.Exists(_final);
        Directory.CreateDirectory(_final);
        foreach (var n in _names) File.Move(Path.Combine(_staging, n), Path.Combine(_final, n), overwrite: true);
        Directory.Delete(_staging, recursive: true);
        _committed = true;
        FileSync.Committed(_final, created ? [.. _created, _final] : _created);
    }

    /// <summary>Removes the staging folder (and the parents it created) unless committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try { if (Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        OutputPath.RemoveCreated(_created);
    }
}
