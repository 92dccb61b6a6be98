using System.CommandLine;
using GlassML.Io;

namespace GlassML.Cli.Commands;

/// <summary>Shared option definitions and the user-error wrapper every verb uses.</summary>
public static class CliSupport
{
    /// <summary>Exit code for bad user input (file, option or data).</summary>
    public const int BadInput = 2;

    /// <summary>A fresh <c>--threads</c> option (0 = all cores).</summary>
    public static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Worker threads (0 = all cores). Results are identical for any count.",
        DefaultValueFactory = _ => 0,
    };

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
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"glassml: error: {OneLine(e.Message)}");
            return BadInput;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is InputFormatException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
          or ArgumentException or FormatException or InvalidDataException or IOException;

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}
