using GlassML.Structure;

namespace GlassML.Io;

/// <summary>
/// Reads structures of any supported format, chosen by <see cref="DetectFormat"/>: LAMMPS dump
/// (<c>.dump</c>, <c>.lammpstrj</c>, <c>.gz</c>, or a first line starting with <c>ITEM:</c>), LAMMPS data
/// (<c>.data</c>, <c>.lmp</c>, or a header with an <c>atoms</c> count line) and extended XYZ (<c>.xyz</c>, <c>.extxyz</c>,
/// or an atom count on the first line). Gzip compression is detected by magic bytes for every format.
/// </summary>
public static class StructureReader
{
    /// <summary>Format name of LAMMPS text dumps.</summary>
    public const string LammpsDump = "lammps-dump";
    /// <summary>Format name of LAMMPS data files.</summary>
    public const string LammpsData = "lammps-data";
    /// <summary>Format name of extended XYZ files.</summary>
    public const string ExtendedXyz = "extxyz";

    /// <summary>
    /// Streams every frame of a file (a data file has one). All frames share one <see cref="SpeciesTable"/>.
    /// The file is opened when enumeration starts and closed when it ends or is disposed.
    /// </summary>
    public static IEnumerable<Frame> ReadFrames(string path, ReadOptions? options = null)
    {
        string fmt = DetectFormat(path);
        return fmt switch
        {
            LammpsDump => Stream(() => new LammpsDumpReader(path, options), r => r.ReadNext()),
            ExtendedXyz => Stream(() => new ExtendedXyzReader(path, options), r => r.ReadNext()),
            _ => Single(() => LammpsDataReader.Read(path, options)),
        };
    }

    /// <summary>
    /// One frame by 0-based index (−1 = last, −2 = second to last, ...). Frames before it are skipped without parsing
    /// their atoms; negative indices count the frames first (a second pass over the file).
    /// </summary>
    /// <exception cref="InputFormatException">Bad input, or the file has no frame of that index.</exception>
    public static Frame ReadFrame(string path, int index = 0, ReadOptions? options = null)
    {
        string fmt = DetectFormat(path);
        if (fmt == LammpsData)
        {
            if (index != 0 && index != -1) throw new InputFormatException(path, 0, $"frame {index} requested but a LAMMPS data file holds one frame");
            return LammpsDataReader.Read(path, options);
        }
        Func<IFrameSource> open = fmt == LammpsDump
            ? () => new DumpSource(new LammpsDumpReader(path, options))
            : () => new XyzSource(new ExtendedXyzReader(path, options));
        if (index < 0)
        {
            int count = 0;
            using (var s = open()) while (s.Skip()) count++;
            int target = count + index;
            if (target < 0) throw new InputFormatException(path, 0, $"frame {index} requested but the file has {count} frame(s)");
            index = target;
        }
        using (var s = open())
        {
            for (int i = 0; i < index; i++)
                if (!s.Skip()) throw new InputFormatException(path, 0, $"frame {index} requested but the file has {i} frame(s)");
            return s.Read() ?? throw new InputFormatException(path, 0, $"frame {index} requested but the file has {index} frame(s)");
        }
    }

    /// <summary>Number of frames in a file (dump and extxyz frames are skipped without parsing their atoms; a data file has 1).</summary>
    /// <exception cref="InputFormatException">Bad input.</exception>
    public static int CountFrames(string path, ReadOptions? options = null)
    {
        string fmt = DetectFormat(path);
        if (fmt == LammpsData) { LammpsDataReader.Read(path, options); return 1; }
        using IFrameSource s = fmt == LammpsDump ? new DumpSource(new LammpsDumpReader(path, options)) : new XyzSource(new ExtendedXyzReader(path, options));
        int count = 0;
        while (s.Skip()) count++;
        return count;
    }

    /// <summary>
    /// The format of a file: <see cref="LammpsDump"/>, <see cref="LammpsData"/> or <see cref="ExtendedXyz"/>.
    /// The extension decides (<c>.dump .lammpstrj</c> → dump; <c>.data .lmp</c> → data; <c>.xyz .extxyz</c> → extxyz;
    /// a trailing <c>.gz</c> is looked through, a bare <c>.gz</c> means dump); otherwise the content decides.
    /// </summary>
    /// <exception cref="InputFormatException">File missing or of no recognised format.</exception>
    public static string DetectFormat(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        bool gz = name.EndsWith(".gz", StringComparison.Ordinal);
        if (gz) name = name[..^3];
        string ext = Path.GetExtension(name);
        switch (ext)
        {
            case ".dump": case ".lammpstrj": return LammpsDump;
            case ".data": case ".lmp": return LammpsData;
            case ".xyz": case ".extxyz": return ExtendedXyz;
        }
        string? fmt = SniffContent(path);
        if (fmt is not null) return fmt;
        if (gz) return LammpsDump;
        throw new InputFormatException(path, 0, "unknown structure format (expected a LAMMPS dump, LAMMPS data file or extended XYZ; name it .dump, .data or .xyz)");
    }

    private static string? SniffContent(string path)
    {
        using var src = new LineSource(path);
        string? first = null;
        for (int i = 0; i < 40; i++)
        {
            string? l = src.ReadLine();
            if (l is null) break;
            if (i == 0)
            {
                first = l;
                if (l.TrimStart().StartsWith("ITEM:", StringComparison.Ordinal)) return LammpsDump;
                var f = LineSource.Fields(l);
                if (f.Length == 1 && long.TryParse(f[0], out _)) return ExtendedXyz;
                continue; // data files start with a free comment line
            }
            var w = LineSource.Fields(StripComment(l));
            if (w.Length == 2 && w[1] == "atoms" && long.TryParse(w[0], out _)) return LammpsData;
        }
        return null;
    }

    internal static string StripComment(string l)
    {
        int h = l.IndexOf('#');
        return h >= 0 ? l[..h] : l;
    }

    private static IEnumerable<Frame> Stream<T>(Func<T> open, Func<T, Frame?> next) where T : IDisposable
    {
        using var r = open();
        while (next(r) is Frame f) yield return f;
    }

    private static IEnumerable<Frame> Single(Func<Frame> read)
    {
        yield return read();
    }

    private interface IFrameSource : IDisposable
    {
        bool Skip();
        Frame? Read();
    }

    private sealed class DumpSource(LammpsDumpReader r) : IFrameSource
    {
        public bool Skip() => r.SkipNext();
        public Frame? Read() => r.ReadNext();
        public void Dispose() => r.Dispose();
    }

    private sealed class XyzSource(ExtendedXyzReader r) : IFrameSource
    {
        public bool Skip() => r.SkipNext();
        public Frame? Read() => r.ReadNext();
        public void Dispose() => r.Dispose();
    }
}
