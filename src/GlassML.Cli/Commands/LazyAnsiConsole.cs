using Spectre.Console;
using Spectre.Console.Rendering;

namespace GlassML.Cli.Commands;

/// <summary>
/// The Spectre.Console console of a run, created on first use: detecting the terminal's capabilities costs ≈ 30 ms of a
/// one-shot process's start-up, which verbs that print no table or progress bar (e.g. <c>featurize</c> with redirected
/// standard error) never need (issue 20, start-up).
/// </summary>
internal sealed class LazyAnsiConsole(Func<IAnsiConsole> create) : IAnsiConsole
{
    private IAnsiConsole? _inner;
    private bool _creating;
    private Profile? _placeholder;

    private IAnsiConsole Inner
    {
        get
        {
            if (_inner is not null) return _inner;
            _creating = true;
            try { return _inner = create(); }
            finally { _creating = false; }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// While the real console is being created, Spectre's factory asks the current console (this one) whether it runs on a
    /// legacy Windows console; one that does not exist yet has no such history, so it gets a plain profile (not legacy), which
    /// leaves the factory's own detection as it was when no console had been created.
    /// </remarks>
    public Profile Profile => _creating ? _placeholder ??= new Profile(new AnsiConsoleOutput(TextWriter.Null), System.Text.Encoding.UTF8) : Inner.Profile;

    /// <inheritdoc/>
    public IAnsiConsoleCursor Cursor => Inner.Cursor;

    /// <inheritdoc/>
    public IAnsiConsoleInput Input => Inner.Input;

    /// <inheritdoc/>
    public IExclusivityMode ExclusivityMode => Inner.ExclusivityMode;

    /// <inheritdoc/>
    public RenderPipeline Pipeline => Inner.Pipeline;

    /// <inheritdoc/>
    public void Clear(bool home) => Inner.Clear(home);

    /// <inheritdoc/>
    public void Write(IRenderable renderable) => Inner.Write(renderable);
}
