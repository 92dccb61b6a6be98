namespace GlassML.Io;

/// <summary>
/// Bad user input: names the file, the 1-based line (0 when not line-specific) and the problem.
/// The CLI prints <see cref="Exception.Message"/> as one line and exits non-zero.
/// </summary>
public sealed class InputFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InputFormatException(string file, long line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file; Line = line; Problem = problem;
    }

    /// <summary>File path as given by the user.</summary>
    public string File { get; }
    /// <summary>1-based line number, 0 if not applicable.</summary>
    public long Line { get; }
    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
