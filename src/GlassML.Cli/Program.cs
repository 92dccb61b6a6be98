using System.CommandLine;
using GlassML.Cli.Commands;

namespace GlassML.Cli;

/// <summary>Entry point of the <c>glassml</c> tool.</summary>
public static class Program
{
    /// <summary>Builds the command tree. Each verb lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("GlassML: structural and dynamical descriptors and machine learning for metallic-glass atomic structures.");
        foreach (var c in Verbs()) root.Subcommands.Add(c);
        root.Options.Add(OutputCheck.NoClobberOption);
        root.Options.Add(CliSupport.MaxMemoryOption);
        root.Options.Add(CliSupport.QuietOption);
        return root;
    }

    private static IEnumerable<Command> Verbs()
    {
        yield return InfoCommand.Create();
        yield return RdfCommand.Create();
        yield return FeaturizeCommand.Create();
        yield return StrainCommand.Create();
        yield return DisplacementsCommand.Create();
        yield return VflexCommand.Create();
        yield return EnergyCommand.Create();
        yield return ModesCommand.Create();
        yield return SfCommand.Create();
        yield return TmlCommand.Create();
        yield return LearnCommand.Create();
        yield return BondsCommand.Create();
        yield return UleCommand.Create();
        yield return SoftnessCommand.Create();
        yield return DemoCommand.Create();
        yield return ReportCommand.Create();
        yield return ClusterCommands.Merge();
        yield return ClusterCommands.Slurm();
        yield return BenchCommand.Create();
    }

    /// <summary>Test hook: create the Spectre console at start-up instead of on first use (<see cref="LazyAnsiConsole"/>).</summary>
    internal static bool EagerConsole { get; set; }

    /// <summary>Runs the tool; returns the exit code (0 success, 1 failure, 2 bad input).</summary>
    public static int Main(string[] args)
    {
        CliSupport.Arguments = args;
        CliSupport.ResetNotes();
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"glassml: error: {parse.Errors[0].Message.Replace('\n', ' ')} (see 'glassml {string.Join(' ', CommandPath(parse))} --help')");
            return CliSupport.BadInput;
        }
        bool toStdout = false;
        CliSupport.Quiet = parse.GetValue(CliSupport.QuietOption);
        CliSupport.Verb = string.Join(' ', CommandPath(parse)) is { Length: > 0 } verb ? verb : "glassml";
        int check = CliSupport.Run(() =>
        {
            string? max = parse.GetValue(CliSupport.MaxMemoryOption);
            if (max is null) GlassML.Neighbors.SearchBudget.Reset();
            else GlassML.Neighbors.SearchBudget.MaxMemoryBytes = CliSupport.ParseSize(max, "--max-memory");
            toStdout = OutputCheck.Verify(parse);
            return 0;
        });
        if (check != 0) return check;
        // with --out - the result owns standard output: every message, table and progress line goes to standard error
        var stdout = Console.Out;
        if (toStdout) { GlassML.Io.OutputPath.StandardOutput = stdout; Console.SetOut(Console.Error); }
        try
        {
            // tables and progress go to the Console.Out of this run (not to the one in force when Spectre first started);
            // the console is created when first used (its terminal detection is a noticeable part of a short run)
            var runOut = Console.Out;
            Spectre.Console.IAnsiConsole Create() => Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Out = new Spectre.Console.AnsiConsoleOutput(runOut),
            });
            Spectre.Console.AnsiConsole.Console = EagerConsole ? Create() : new LazyAnsiConsole(Create);
            return parse.Invoke();
        }
        finally
        {
            if (toStdout) { Console.SetOut(stdout); GlassML.Io.OutputPath.StandardOutput = null; stdout.Flush(); }
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.ParseResult parse)
    {
        var names = new List<string>();
        for (var c = parse.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            if (c.Parent is not null) names.Insert(0, c.Command.Name);
        return names;
    }
}
