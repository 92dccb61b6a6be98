using GlassML.Structure;

namespace GlassML.Io;

/// <summary>Streams frames from an extended XYZ file (work in progress).</summary>
public sealed class ExtendedXyzReader : IDisposable
{
    private readonly string _path;
    /// <summary>Opens a file.</summary>
    public ExtendedXyzReader(string path, ReadOptions? options = null) { _path = path; _ = options; }
    /// <summary>Next frame or null.</summary>
    public Frame? ReadNext() => throw new InputFormatException(_path, 0, "extended XYZ reading is not implemented yet");
    /// <summary>Skips a frame.</summary>
    public bool SkipNext() => throw new InputFormatException(_path, 0, "extended XYZ reading is not implemented yet");
    /// <inheritdoc/>
    public void Dispose() { }
}
