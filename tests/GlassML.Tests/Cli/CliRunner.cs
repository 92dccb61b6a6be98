using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>Runs the glassml CLI in-process with its standard output and error captured (tests in the "Console" collection).</summary>
public static class CliRunner
{
    /// <summary>
    /// Runs <c>glassml ARGS</c>; returns the exit code and what it printed. Unless a test sets GLASSML_PROGRESS_SECONDS
    /// itself, the plain progress lines (every 10 s by default) are switched off for the call, so a run slowed down by
    /// a loaded machine prints the same as on a quiet one.
    /// </summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        bool quietProgress = Environment.GetEnvironmentVariable(ProgressVariable) is null;
        if (quietProgress) Environment.SetEnvironmentVariable(ProgressVariable, "1e9");
        Console.SetOut(o); Console.SetError(e);
        try { return (Program.Main(args), o.ToString(), e.ToString()); }
        finally
        {
            Console.SetOut(so); Console.SetError(se);
            if (quietProgress) Environment.SetEnvironmentVariable(ProgressVariable, null);
        }
    }

    private const string ProgressVariable = "GLASSML_PROGRESS_SECONDS";
}
