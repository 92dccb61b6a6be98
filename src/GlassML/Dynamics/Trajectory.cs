using System.Collections;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Dynamics;

/// <summary>How a <see cref="Trajectory"/> obtains unwrapped (continuous) positions.</summary>
public enum UnwrapMode
{
    /// <summary>Decided on the first frame: unwrapped columns if present, else image flags, else continuity.</summary>
    Auto,
    /// <summary>Positions are already unwrapped (xu/yu/zu); an error if a frame is not.</summary>
    Unwrapped,
    /// <summary>Wrapped positions plus image flags: r + H·(ix, iy, iz) with each frame's own cell; a frame without image flags is an error.</summary>
    ImageFlags,
    /// <summary>
    /// Continuity from wrapped positions: between consecutive frames an atom's fractional displacement is taken
    /// as its nearest periodic image (valid while atoms move less than half a cell width between frames);
    /// the accumulated image counts n give r + H·n with the current cell (so deforming cells are handled).
    /// Images are counted from the first frame read.
    /// </summary>
    Continuity,
    /// <summary>Positions are used as stored.</summary>
    None,
}

/// <summary>Options of a <see cref="Trajectory"/>.</summary>
public sealed record TrajectoryOptions
{
    /// <summary>MD timestep (ps); frame time = timestep × Dt. Required for time-based analyses (NaN = not given).</summary>
    public double Dt { get; init; } = double.NaN;
    /// <summary>Unwrapping strategy.</summary>
    public UnwrapMode Unwrap { get; init; } = UnwrapMode.Auto;
    /// <summary>Keep only frames with these 0-based indices in the file (null = all). Indices count every frame read, duplicates included.</summary>
    public IReadOnlySet<int>? FrameIndices { get; init; }
    /// <summary>Keep only frames with these timesteps (null = all).</summary>
    public IReadOnlySet<long>? Timesteps { get; init; }
    /// <summary>Keep every Stride-th frame of those otherwise selected (1 = all).</summary>
    public int Stride { get; init; } = 1;
    /// <summary>Sort atoms by id in every frame (default true; analyses match atoms by id either way).</summary>
    public bool SortById { get; init; } = true;
}

/// <summary>
/// A streaming, unwrapped view of a sequence of frames (usually a LAMMPS dump read frame by frame). Enumerating
/// it reads the source once, front to back, and yields new <see cref="Frame"/> objects whose X/Y/Z are unwrapped
/// positions (<see cref="Frame.PositionsUnwrapped"/> = true, <see cref="Frame.Images"/> = the image counts used),
/// atoms sorted by id. Only the current frame and, for continuity unwrapping, one array of previous fractional
/// positions are held, so memory is bounded by a few frames whatever the trajectory length.
/// A frame repeating the previous frame's timestep (e.g. written twice by a run boundary) is skipped and counted
/// in <see cref="DuplicatesSkipped"/>; decreasing timesteps are an error.
/// </summary>
public sealed class Trajectory : IEnumerable<Frame>
{
    // source(parse): frames in file order; parse(index) == false allows the source to yield null (frame skipped unparsed)
    private readonly Func<Func<int, bool>, IEnumerable<Frame?>> _source;

    /// <summary>Creates a trajectory over a re-enumerable frame source (called once per enumeration).</summary>
    public Trajectory(Func<IEnumerable<Frame>> source, TrajectoryOptions? options = null)
        : this(source is null ? throw new ArgumentNullException(nameof(source)) : _ => source(), options, 0) { }

    private Trajectory(Func<Func<int, bool>, IEnumerable<Frame?>> source, TrajectoryOptions? options, int _)
    {
        _source = source;
        Options = options ?? new TrajectoryOptions();
        if (Options.Stride < 1) throw new ArgumentOutOfRangeException(nameof(options), "Stride must be ≥ 1");
        if (!double.IsNaN(Options.Dt) && !(Options.Dt > 0 && !double.IsInfinity(Options.Dt)))
            throw new ArgumentOutOfRangeException(nameof(options), "Dt must be a positive time in ps (or NaN when not needed)");
        if (!Enum.IsDefined(Options.Unwrap)) throw new ArgumentOutOfRangeException(nameof(options), "Unwrap must be one of: Auto, Unwrapped, ImageFlags, Continuity, None");
    }

    /// <summary>A trajectory over frames already in memory (they are not modified).</summary>
    public static Trajectory FromFrames(IReadOnlyList<Frame> frames, TrajectoryOptions? options = null) => new(() => frames, options);

    /// <summary>
    /// A trajectory read lazily from a file (LAMMPS dump, plain or .gz; extended XYZ; a data file is one frame) via
    /// <see cref="StructureReader"/>. With <see cref="TrajectoryOptions.FrameIndices"/> and no continuity unwrapping,
    /// unselected dump frames are skipped without parsing their atoms.
    /// </summary>
    /// <param name="path">File to read.</param>
    /// <param name="options">Time step, unwrapping and frame selection.</param>
    /// <param name="readOptions">Type → species map etc.</param>
    public static Trajectory Open(string path, TrajectoryOptions? options = null, ReadOptions? readOptions = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fmt = StructureReader.DetectFormat(path);
        if (fmt != StructureReader.LammpsDump)
            return new Trajectory(() => StructureReader.ReadFrames(path, readOptions), options) { Path = path };
        return new Trajectory(parse => DumpFrames(path, readOptions, parse), options, 0) { Path = path };
    }

    private static IEnumerable<Frame?> DumpFrames(string path, ReadOptions? readOptions, Func<int, bool> parse)
    {
        using var r = new LammpsDumpReader(path, readOptions);
        for (int index = 0; ; index++)
        {
            if (!parse(index))
            {
                if (!r.SkipNext()) yield break;
                yield return null;
                continue;
            }
            var f = r.ReadNext();
            if (f is null) yield break;
            yield return f;
        }
    }

    /// <summary>The file read, when opened with <see cref="Open"/>; else null.</summary>
    public string? Path { get; private init; }

    /// <summary>The options.</summary>
    public TrajectoryOptions Options { get; }

    /// <summary>Frames skipped as duplicates of the previous timestep during the last enumeration.</summary>
    public int DuplicatesSkipped { get; private set; }

    /// <summary>Time of a frame, timestep × Dt (ps).</summary>
    /// <exception cref="InvalidOperationException">When Dt was not given.</exception>
    public double TimeOf(Frame frame)
    {
        if (double.IsNaN(Options.Dt)) throw new InvalidOperationException("the trajectory has no timestep Dt: give TrajectoryOptions.Dt (ps)");
        return frame.Timestep * Options.Dt;
    }

    /// <inheritdoc/>
    public IEnumerator<Frame> GetEnumerator()
    {
        DuplicatesSkipped = 0;
        int index = -1, selected = 0;
        long lastStep = long.MinValue;
        UnwrapMode mode = Options.Unwrap;
        double[]? prevS = null;   // previous fractional positions (3N), continuity mode
        int[][]? img = null;      // accumulated image counts, continuity mode
        long[]? firstIds = null;
        bool MayParse(int i) => mode != UnwrapMode.Continuity && mode != UnwrapMode.Auto && Options.FrameIndices is not null
                                 ? Options.FrameIndices.Contains(i) : true;
        foreach (var srcOrSkipped in _source(i => MayParse(i)))
        {
            index++;
            if (srcOrSkipped is not Frame src) continue;
            if (src.Timestep == lastStep && index > 0) { DuplicatesSkipped++; continue; }
            if (src.Timestep < lastStep && index > 0)
                throw new InvalidDataException($"frame {index}: timestep {src.Timestep} is smaller than the previous one ({lastStep}); frames must be in time order");
            lastStep = src.Timestep;
            if (mode == UnwrapMode.Auto)
                mode = src.PositionsUnwrapped ? UnwrapMode.Unwrapped : src.Images is not null ? UnwrapMode.ImageFlags : UnwrapMode.Continuity;

            bool wanted = (Options.FrameIndices is null || Options.FrameIndices.Contains(index))
                       && (Options.Timesteps is null || Options.Timesteps.Contains(src.Timestep));
            if (!wanted && mode != UnwrapMode.Continuity) continue;

            var f = Copy(src, Options.SortById);
            if (firstIds is null) firstIds = f.Ids;
            else if (f.Count != firstIds.Length) throw new InvalidDataException($"frame {index} (timestep {f.Timestep}) has {f.Count} atoms, the first frame had {firstIds.Length}");
            switch (mode)
            {
                case UnwrapMode.Unwrapped:
                    if (!src.PositionsUnwrapped) throw new InvalidDataException($"frame {index} (timestep {src.Timestep}) has no unwrapped positions (xu yu zu)");
                    break;
                case UnwrapMode.ImageFlags:
                    // image unwrapping asked for explicitly: a file without ix iy iz is an error, not silently used as stored
                    if (f.Images is null)
                        throw new InputFormatException(Path ?? "trajectory", 0, $"frame {index} (timestep {src.Timestep}) has no image flags (ix iy iz){(src.PositionsUnwrapped ? "; its positions are already unwrapped (xu yu zu): use --unwrap auto" : "; use --unwrap auto (continuity from wrapped positions)")}");
                    if (src.PositionsUnwrapped) break;
                    ApplyImages(f, f.Images);
                    break;
                case UnwrapMode.Continuity:
                    if (prevS is not null && !f.Ids.AsSpan().SequenceEqual(firstIds))
                        throw new InvalidDataException($"frame {index} (timestep {f.Timestep}) holds different atom ids than the first frame; continuity unwrapping needs the same atoms (sort by id)");
                    prevS ??= new double[3 * f.Count];
                    bool first = img is null;
                    img ??= [new int[f.Count], new int[f.Count], new int[f.Count]];
                    Accumulate(f, prevS, img, first);
                    ApplyImages(f, img);
                    break;
            }
            f.PositionsUnwrapped = mode != UnwrapMode.None || src.PositionsUnwrapped;
            if (!wanted) continue;
            if (selected++ % Options.Stride != 0) continue;
            yield return f;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static Frame Copy(Frame s, bool sort)
    {
        var f = new Frame(s.Box, s.Species, (long[])s.Ids.Clone(), (int[])s.SpeciesIndex.Clone(), (double[])s.X.Clone(), (double[])s.Y.Clone(), (double[])s.Z.Clone(), s.Timestep)
        {
            PositionsUnwrapped = s.PositionsUnwrapped,
            Images = s.Images is null ? null : [(int[])s.Images[0].Clone(), (int[])s.Images[1].Clone(), (int[])s.Images[2].Clone()],
        };
        foreach (var (k, v) in s.Columns) f.Columns[k] = (double[])v.Clone();
        if (sort) f.SortById();
        return f;
    }

    private static void ApplyImages(Frame f, int[][] img)
    {
        var box = f.Box;
        for (int i = 0; i < f.Count; i++)
        {
            var s = box.ShiftVector(img[0][i], img[1][i], img[2][i]);
            f.X[i] += s.X; f.Y[i] += s.Y; f.Z[i] += s.Z;
        }
        f.Images = [(int[])img[0].Clone(), (int[])img[1].Clone(), (int[])img[2].Clone()];
    }

    private static void Accumulate(Frame f, double[] prevS, int[][] img, bool first)
    {
        var box = f.Box;
        bool px = box.Periodic[0], py = box.Periodic[1], pz = box.Periodic[2];
        for (int i = 0; i < f.Count; i++)
        {
            var s = box.ToFractional(f.Position(i));
            if (!first)
            {
                if (px) img[0][i] -= (int)Math.Round(s.X - prevS[3 * i]);
                if (py) img[1][i] -= (int)Math.Round(s.Y - prevS[3 * i + 1]);
                if (pz) img[2][i] -= (int)Math.Round(s.Z - prevS[3 * i + 2]);
            }
            prevS[3 * i] = s.X; prevS[3 * i + 1] = s.Y; prevS[3 * i + 2] = s.Z;
        }
    }
}
