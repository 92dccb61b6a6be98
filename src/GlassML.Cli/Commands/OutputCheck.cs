using System.CommandLine;
using System.CommandLine.Parsing;
using GlassML.Io;

namespace GlassML.Cli.Commands;

/// <summary>
/// Checks every verb's output paths before any work starts, so that no run destroys a file: an output may not be one of
/// the command's inputs, two outputs may not be the same file, and an output may not be a device, FIFO or socket. With
/// <c>--no-clobber</c> an existing output is refused too. Symbolic links are compared by their targets. One text output
/// may be <c>-</c> (standard output, CSV) or <c>-.EXT</c> (standard output in that text format); folders (run
/// directories) and binary formats cannot.
/// </summary>
public static class OutputCheck
{
    /// <summary>The global <c>--no-clobber</c> option.</summary>
    public static Option<bool> NoClobberOption { get; } = new("--no-clobber")
    {
        Description = "Refuse to overwrite any existing output file or run directory.",
        Recursive = true,
    };

    /// <summary>Options that name outputs in every verb (<c>--model</c> names an output only in <c>learn</c> and <c>tml train</c>).</summary>
    private static readonly HashSet<string> OutputOptions = new(StringComparer.Ordinal)
        { "--out", "--bonds", "--msd", "--out-bonds", "--out-atoms", "--out-dir", "--modes-out", "--vectors", "--atoms", "--report", "--scripts" };

    /// <summary>Output options that name folders or binary files in every verb, so never standard output.</summary>
    private static readonly HashSet<string> NeverStandardOutput = new(StringComparer.Ordinal) { "--out-dir", "--vectors", "--atoms", "--report", "--scripts" };

    /// <summary>Output options of single verbs that name a folder (run directories), so never standard output.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, object> Folders = new();

    /// <summary>Marks an output option as a folder (a run directory): <c>-</c> (standard output) is refused for it.</summary>
    public static T Folder<T>(T option) where T : Option
    {
        Folders.AddOrUpdate(option, Folders);
        return option;
    }

    /// <summary>
    /// Checks the parsed command's outputs against its inputs; returns true when an output goes to standard output
    /// (<c>-</c> or <c>-.EXT</c>: at most one, a text format, not a folder).
    /// </summary>
    /// <exception cref="ArgumentException">An output collides with an input or another output, is a device, or asks for standard output where it cannot go.</exception>
    public static bool Verify(ParseResult parse)
    {
        var cmd = parse.CommandResult;
        bool learn = cmd.Command.Name == "learn" || (cmd.Parent as CommandResult)?.Command.Name == "learn"
            || (cmd.Command.Name == "train" && (cmd.Parent as CommandResult)?.Command.Name == "tml");   // tml train --model M.json writes a copy
        bool noClobber = parse.GetValue(NoClobberOption);
        var outputs = new List<(string Option, string Path)>();
        var inputs = new List<string>();
        string? stdout = null;
        foreach (var child in cmd.Children)
        {
            switch (child)
            {
                case OptionResult o when o.Option is not Option<bool>:
                    bool isOutput = OutputOptions.Contains(o.Option.Name) || (learn && o.Option.Name == "--model");
                    foreach (var t in o.Tokens)
                    {
                        if (isOutput && OutputPath.IsStandardOutput(t.Value))
                        {
                            if (NeverStandardOutput.Contains(o.Option.Name) || Folders.TryGetValue(o.Option, out _))
                                throw new ArgumentException($"{o.Option.Name} {t.Value}: this output is a folder or a binary file and cannot go to standard output; give a path");
                            OutputPath.CheckStandardOutput(t.Value, o.Option.Name);
                            if (stdout is not null) throw new ArgumentException($"{o.Option.Name} {t.Value}: {stdout} already writes to standard output; only one output can");
                            stdout = o.Option.Name;
                        }
                        else if (isOutput) outputs.Add((o.Option.Name, t.Value));
                        else if (LooksLikeFile(t.Value)) inputs.Add(t.Value);
                    }
                    break;
                case ArgumentResult a:
                    foreach (var t in a.Tokens) if (LooksLikeFile(t.Value)) inputs.Add(t.Value);
                    break;
            }
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (opt, path) in outputs)
        {
            var kind = OutputPath.KindOf(path);
            if (kind == OutputPath.Kind.Special) throw new ArgumentException($"{opt}: '{path}' is a device, FIFO or socket, not a regular file; GlassML will not replace it");
            if (noClobber && kind != OutputPath.Kind.Missing) throw new ArgumentException($"{opt}: '{path}' exists (--no-clobber)");
            string real = OutputPath.Resolve(path);
            if (!seen.TryAdd(real, opt)) throw new ArgumentException($"{opt}: '{path}' is also the output of {seen[real]}; give each output its own file");
            foreach (var i in inputs)
                if (OutputPath.Resolve(i) == real) throw new ArgumentException($"{opt}: '{path}' is one of the command's inputs; writing it would destroy the input");
        }
        return stdout is not null;
    }

    private static bool LooksLikeFile(string value)
    {
        if (value.Length == 0 || value.Length > 4096) return false;
        try { return File.Exists(value) || Directory.Exists(value); }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException) { return false; }
    }
}
