using GlassML.Cli;
using GlassML.Cli.Commands;
using Spectre.Console;

namespace GlassML.Tests.Cli;

/// <summary>
/// The Spectre console of a run is created on first use (<see cref="LazyAnsiConsole"/>, which stands in for Spectre's own
/// console while Spectre's factory inspects it). These tests pin that nothing the user sees changes with it: <c>glassml info</c>
/// prints byte for byte what it prints with a console created at start-up, and the featurize progress line that
/// <see cref="ProgressReporter"/> draws on a terminal (a console created while the lazy one is current, with its columns)
/// renders the same bytes, with the same capabilities detected.
/// </summary>
[Collection("Console")]
public class LazyConsoleTests
{
    private static (int Code, string Out, string Err) Run(bool eager, params string[] args)
    {
        bool before = Program.EagerConsole;
        var console = AnsiConsole.Console;
        Program.EagerConsole = eager;
        try { return CliRunner.Run(args); }
        finally { Program.EagerConsole = before; AnsiConsole.Console = console; }
    }

    [Theory]
    [InlineData("glass-s1", "s1_cu50zr50_500.data.gz")]
    [InlineData("dynamics", "isothermal_1500K.dump.gz")]
    public void InfoPrintsTheSameBytesAsWithAConsoleCreatedAtStartUp(string folder, string file)
    {
        string path = Fixtures.Path(folder, file);
        var lazy = Run(false, "info", path, "--types", "1:Cu,2:Zr");
        var eager = Run(true, "info", path, "--types", "1:Cu,2:Zr");
        Assert.Equal(0, lazy.Code);
        Assert.Equal(eager.Code, lazy.Code);
        Assert.Contains("atoms", lazy.Out);   // a table was drawn
        Assert.True(lazy.Out.Split('\n').Length > 5, lazy.Out);
        Assert.Equal(eager.Out, lazy.Out);
        Assert.Equal(eager.Err, lazy.Err);
    }

    private static string RenderProgress(bool lazy, bool ansi, out (bool Interactive, bool Ansi, int Width) caps)
    {
        var previous = AnsiConsole.Console;
        var w = new StringWriter();
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w),
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            Interactive = InteractionSupport.Yes,
            ColorSystem = ansi ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
        };
        try
        {
            // as Program.Main sets it up, then as ProgressReporter's terminal loop creates its console while this one is current
            AnsiConsole.Console = lazy ? new LazyAnsiConsole(() => AnsiConsole.Create(settings)) : AnsiConsole.Create(settings);
            var p = AnsiConsole.Profile;
            caps = (p.Capabilities.Interactive, p.Capabilities.Ansi, p.Width);
            var console = AnsiConsole.Create(settings);
            console.Profile.Width = 100;
            console.Progress().AutoRefresh(false).AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("featurize", maxValue: 1.0);
                    foreach (var (stage, f) in new[] { ("reading", 0.0), ("frame 1 of 2", 0.0), ("frame 1 of 2", 0.25), ("frame 2 of 2", 0.5), ("writing", 1.0) })
                    {
                        // (an indeterminate stage is an animation: its colours depend on the clock, so it is not compared)
                        task.Description = $"featurize: {Markup.Escape(stage)}";
                        task.Value = f;
                        ctx.Refresh();
                    }
                });
        }
        finally { AnsiConsole.Console = previous; }
        return w.ToString();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FeaturizeProgressRendersTheSameBytes(bool ansi)
    {
        string lazy = RenderProgress(true, ansi, out var lazyCaps);
        string eager = RenderProgress(false, ansi, out var eagerCaps);
        Assert.Equal(eagerCaps, lazyCaps);
        Assert.Contains("featurize: frame 2 of 2", lazy);
        Assert.Contains("50%", lazy);
        Assert.Equal(eager, lazy);
    }
}
