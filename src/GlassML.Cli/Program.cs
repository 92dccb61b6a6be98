using System.CommandLine;
using GlassML.Cli.Commands;

namespace GlassML.Cli;

/// <summary>Entry point of the <c>glassml</c> tool.</summary>
public static class Program
{
    /// <summary>Builds the command tree. Each verb lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot() => BuildRoot(null);

    /// <summary>
    /// The command tree with only the verb named <paramref name="verb"/> when it is one (what a call to that verb parses:
    /// its options and help are those of the full tree, and the other verbs' options are not built), no verb for
    /// <c>--version</c>, else every verb.
    /// </summary>
    public static RootCommand BuildRoot(string? verb)
    {
        var root = new RootCommand("GlassML: structural and dynamical descriptors and machine learning for metallic-glass atomic structures.");
        bool known = verb == "--version";
        foreach (var (name, _) in Verbs) known |= name == verb;
        foreach (var (name, create) in Verbs)
            if (!known || name == verb) root.Subcommands.Add(create());
        root.Options.Add(OutputCheck.NoClobberOption);
        root.Options.Add(CliSupport.MaxMemoryOption);
        root.Options.Add(CliSupport.QuietOption);
        return root;
    }

    /// <summary>Every verb by name, in help order (a test checks each name against the command it creates).</summary>
    internal static readonly (string Name, Func<Command> Create)[] Verbs =
    [
        ("info", InfoCommand.Create),
        ("rdf", RdfCommand.Create),
        ("featurize", FeaturizeCommand.Create),
        ("strain", StrainCommand.Create),
        ("displacements", DisplacementsCommand.Create),
        ("vflex", VflexCommand.Create),
        ("energy", EnergyCommand.Create),
        ("modes", ModesCommand.Create),
        ("sf", SfCommand.Create),
        ("tml", TmlCommand.Create),
        ("learn", LearnCommand.Create),
        ("bonds", BondsCommand.Create),
        ("ule", UleCommand.Create),
        ("softness", SoftnessCommand.Create),
        ("demo", DemoCommand.Create),
        ("report", () => ReportCommand.Create()),
        ("merge", ClusterCommands.Merge),
        ("slurm", ClusterCommands.Slurm),
        ("bench", BenchCommand.Create),
    ];

    /// <summary>Test hook: create the Spectre console at start-up instead of on first use (<see cref="LazyAnsiConsole"/>).</summary>
    internal static bool EagerConsole { get; set; }

    /// <summary>Runs the tool; returns the exit code (0 success, 1 failure, 2 bad input).</summary>
    public static int Main(string[] args)
    {
        CliSupport.Arguments = args;
        CliSupport.ResetNotes();
        var parse = BuildRoot(args.Length > 0 ? args[0] : null).Parse(args);
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
