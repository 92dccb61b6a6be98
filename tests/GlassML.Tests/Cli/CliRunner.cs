using GlassML.Cli;

namespace GlassML.Tests.Cli;

/// <summary>Runs the glassml CLI in-process with its standard output and error captured (tests in the "Console" collection).</summary>
public static class CliRunner
{
    /// <summary>Runs <c>glassml ARGS</c>; returns the exit code and what it printed.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var so = Console.Out; var se = Console.Error;
        var o = new StringWriter(); var e = new StringWriter();
        Console.SetOut(o); Console.SetError(e);
        try { return (Program.Main(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(so); Console.SetError(se); }
    }
}
