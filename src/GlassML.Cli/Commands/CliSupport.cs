using System.CommandLine;
using System.Globalization;
using GlassML.Io;
using Spectre.Console;

namespace GlassML.Cli.Commands;

/// <summary>Shared option definitions, option parsing and the user-error wrapper every verb uses.</summary>
public static class CliSupport
{
    /// <summary>Exit code for bad user input (file, option or data).</summary>
    public const int BadInput = 2;

    /// <summary>The command-line arguments of this process (recorded in run.json).</summary>
    public static IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>The global <c>--max-memory</c> option: the memory a neighbour search may plan to use (e.g. 4G, 500M).</summary>
    public static Option<string?> MaxMemoryOption { get; } = new("--max-memory")
    {
        Description = "Memory a neighbour search (rdf, featurize, strain, displacements, Voronoi, ...) may plan to use, e.g. 8G or 500M; a search estimated to need more is refused before it starts. Default: half the available memory.",
        Recursive = true,
    };

    /// <summary>Parses a size such as <c>4G</c>, <c>500M</c>, <c>1.5GB</c> or a plain number of bytes.</summary>
    /// <exception cref="ArgumentException">Not a positive size.</exception>
    public static long ParseSize(string text, string optionName)
    {
        string t = text.Trim().ToUpperInvariant();
        if (t.EndsWith('B') && t.Length > 1 && !char.IsDigit(t[^2])) t = t[..^1];
        double mult = 1;
        if (t.Length > 0 && "KMGT".Contains(t[^1]))
        {
            mult = Math.Pow(1024, "KMGT".IndexOf(t[^1]) + 1);
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v * mult < 1 || v * mult > 1e18)
            throw new ArgumentException($"{optionName}: '{text}' is not a memory size (e.g. 8G, 500M)");
        return (long)(v * mult);
    }

    /// <summary>A fresh <c>--seed</c> option.</summary>
    public static Option<int> SeedOption() => new("--seed")
    {
        Description = "Random seed (same inputs and seed give the same bytes in every table and model).",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>A fresh <c>--threads</c> option (0 = all cores).</summary>
    public static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Worker threads (0 = all cores; inside a SLURM job the default is SLURM_CPUS_PER_TASK). Results are identical for any count.",
        DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int c) && c > 0 ? c : 0,
    };

    /// <summary>A fresh <c>--types</c> option mapping LAMMPS types to species, e.g. <c>1:Cu,2:Zr</c>.</summary>
    public static Option<string?> TypesOption() => new("--types")
    {
        Description = "LAMMPS type → species map, e.g. 1:Cu,2:Zr. Without it the file names its species (a dump element column, a data file's Atom Type Labels, '1 63.546 # Cu' Masses comments, a '# Cu Zr' or pair_coeff header comment, extended XYZ species), or the masses do (a data file's Masses or a dump's mass column, by standard atomic weight; printed once on stderr), else type k is species \"k\". Any label works, e.g. A, B, X.",
    };

    /// <summary>A fresh <c>--frame</c> option: an index (0-based), <c>last</c> or <c>all</c>.</summary>
    public static Option<string> FrameOption(string defaultValue = "0") => new("--frame")
    {
        Description = "Frame to use: an index (0 = first), 'last', or 'all'.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>A fresh <c>--keep</c> option: which extra per-atom columns of the input go into a per-atom output.</summary>
    public static Option<string> KeepOption() => new("--keep")
    {
        Description = "Extra per-atom columns of the input (a dump's c_pe, v_*, f_*, vx…, extended XYZ properties) written before the results: all, none, or a list such as c_pe,v_stress (a computed column of the same name wins).",
        DefaultValueFactory = _ => "all",
    };

    /// <summary>The <c>--out</c> description shared by the per-atom verbs.</summary>
    public const string PerAtomOutDescription = "Output: .csv (id,type,species,columns; rows by id), .xyz/.extxyz (extended XYZ for OVITO/ASE), .dump/.lammpstrj (LAMMPS dump, results as extra columns) — each may end in .gz — .npy (float64 matrix) or .parquet";

    /// <summary>Parses a <c>--types</c> value into reader options.</summary>
    public static ReadOptions ParseTypes(string? types)
    {
        if (string.IsNullOrWhiteSpace(types)) return new ReadOptions { Note = NoteOnce };
        var map = new Dictionary<int, string>();
        foreach (var part in types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !int.TryParse(kv[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int t) || t < 1 || kv[1].Length == 0)
                throw new ArgumentException($"--types: '{part}' is not TYPE:SPECIES (e.g. 1:Cu)");
            if (GlassML.Structure.Species.LabelProblem(kv[1]) is string problem) throw new ArgumentException($"--types: {problem}");
            if (!map.TryAdd(t, kv[1])) throw new ArgumentException($"--types: type {t} given twice");
        }
        return new ReadOptions { TypeNames = map };
    }

    private static readonly HashSet<string> Noted = new(StringComparer.Ordinal);

    /// <summary>Forgets the notes printed so far (each run of <see cref="Program.Main"/> prints its own).</summary>
    public static void ResetNotes() { lock (Noted) Noted.Clear(); }

    /// <summary>Prints <c>glassml: note: TEXT</c> on stderr, once per distinct text in a run (e.g. how species were inferred).</summary>
    public static void NoteOnce(string text)
    {
        lock (Noted) if (!Noted.Add(text)) return;
        Console.Error.WriteLine($"glassml: note: {OneLine(text)}");
    }

    /// <summary>Refuses non-finite results of a model (a damaged model file), naming the model.</summary>
    /// <exception cref="InputFormatException">A value is NaN or infinite.</exception>
    public static void RequireFinite(IReadOnlyList<double> values, string modelPath, string what)
    {
        int bad = values.Count(v => !double.IsFinite(v));
        if (bad > 0) throw new InputFormatException(modelPath, 0, $"gives a non-finite {what} for {bad} of {values.Count} atoms or samples; the model file is damaged");
    }

    /// <summary>Parses a comma-separated list of doubles.</summary>
    public static double[] ParseDoubles(string text, string optionName)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]) || !double.IsFinite(r[i]))
                throw new ArgumentException($"{optionName}: '{parts[i]}' is not a number");
        return r;
    }

    /// <summary>
    /// Runs a verb body, turning user errors (bad files, bad options) into one line on stderr and exit code 2.
    /// Programming errors still surface with their stack trace.
    /// </summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(Unwrap(e)))
        {
            Console.Error.WriteLine($"glassml: error: {OneLine(MessageOf(Unwrap(e)))}");
            return BadInput;
        }
        catch (Exception e) when (Unwrap(e) is OutOfMemoryException or InsufficientMemoryException)
        {
            Console.Error.WriteLine("glassml: error: out of memory: the input or a size option (cutoff, bins, atoms) asks for more memory than this machine has; reduce it");
            return BadInput;
        }
    }

    /// <summary>The first inner exception of an aggregate thrown by a parallel loop (else the exception itself).</summary>
    public static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: > 0 } a) e = a.InnerExceptions[0];
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }

    /// <summary>Runs work with a progress bar on an interactive terminal, silently otherwise.</summary>
    public static T WithProgress<T>(string label, Func<Action<double>, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(_ => { });
        T result = default!;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(label, maxValue: 1.0);
            result = work(f => task.Value = Math.Clamp(f, 0, 1));
            task.Value = 1;
        });
        return result;
    }

    private static bool IsUserError(Exception e) =>
        e is InputFormatException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
          or ArgumentException or FormatException or InvalidDataException or IOException or KeyNotFoundException or OverflowException;

    /// <summary>The message without the " (Parameter 'x')" that ArgumentException appends (a code name, not the user's option).</summary>
    private static string MessageOf(Exception e) =>
        e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}
