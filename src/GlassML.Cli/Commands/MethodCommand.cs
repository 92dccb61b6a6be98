using System.CommandLine;
using GlassML.Reporting;
using GlassML.Workflows;

namespace GlassML.Cli.Commands;

/// <summary>
/// The verb grammar of the five methods: <c>glassml METHOD train|apply|report …</c> (plus each method's own actions).
/// A method supplies its actions; <c>report</c> is the same for all: it rebuilds DIR/report.html from the run directory.
/// </summary>
public static class MethodCommand
{
    /// <summary>
    /// Creates <c>glassml METHOD</c> with the given actions and the shared <c>report</c> action (unless the method
    /// supplies its own <c>report</c>, which must still rebuild DIR/report.html when given only a run directory).
    /// </summary>
    public static Command Create(string method, string description, params Command[] actions)
    {
        var cmd = new Command(method, description);
        foreach (var a in actions) cmd.Subcommands.Add(a);
        if (!actions.Any(a => a.Name == "report")) cmd.Subcommands.Add(ReportCommand.Create(method));
        return cmd;
    }

    /// <summary>A fresh required <c>--out</c> option for a run directory.</summary>
    public static Option<string> OutDirOption() => OutputCheck.Folder(new Option<string>("--out")
    {
        Description = "Run directory to write (model.json, tables, per-atom files, plots, report.html, run.json).",
        Required = true,
    });

    /// <summary>Starts a run directory with provenance recorded for <c>glassml METHOD ACTION</c>.</summary>
    public static RunDirectory BeginRun(string method, string action, string outDir, int threads, string title) =>
        RunDirectory.Begin(outDir, new RunRecord(method, action, CliSupport.Arguments, threads), title);
}

/// <summary><c>glassml report DIR</c> and <c>glassml METHOD report DIR</c>: rebuild a run's report.html without recomputing.</summary>
public static class ReportCommand
{
    /// <summary>Creates the verb; with a method, the run directory must be of that method.</summary>
    public static Command Create(string? method = null)
    {
        var dir = new Argument<string>("DIR") { Description = "A run directory written by a train (or demo) run." };
        var cmd = new Command("report", "Rebuild DIR/report.html from the run directory's files (plots, tables, run.json), without recomputing.");
        cmd.Arguments.Add(dir);
        cmd.SetAction(pr => CliSupport.Run(() => Rebuild(pr.GetValue(dir)!, method)));
        return cmd;
    }

    /// <summary>Rebuilds DIR/report.html (checking, with a method, that DIR is a run of it) and prints its path.</summary>
    public static int Rebuild(string d, string? method)
    {
        {
            string run = Path.Combine(d, "run.json");
            if (!Directory.Exists(d)) throw new GlassML.Io.InputFormatException(d, 0, "no such run directory");
            if (method is not null && File.Exists(run))
            {
                using var doc = RunRecord.Read(run);
                string m = doc.RootElement.GetProperty("method").GetString() ?? "";
                if (m != method) throw new GlassML.Io.InputFormatException(run, 0, $"is a '{m}' run, not a '{method}' run (use 'glassml {m} report' or 'glassml report')");
            }
            Console.WriteLine(HtmlReport.Build(d));
            return 0;
        }
    }
}
