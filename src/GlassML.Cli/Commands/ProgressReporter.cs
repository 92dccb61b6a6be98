using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace GlassML.Cli.Commands;

/// <summary>
/// The one progress reporter of a glassml run, on standard error only (results go to files and the summary to standard
/// output, never mixed with progress). When standard error is a terminal it shows a Spectre.Console progress line (after
/// the first second, cleared at the end); otherwise (batch logs, pipes) it prints a plain line
/// <c>glassml: VERB: STAGE (P %), T s</c> every <see cref="Interval"/> (10 s; environment variable
/// <c>GLASSML_PROGRESS_SECONDS</c>) while the verb runs, and <c>glassml: VERB: done in T s</c> if it printed any. The global
/// <c>--quiet</c> option silences both. Verbs say what they are doing with <see cref="Stage"/> and <see cref="Report"/>.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private static ProgressReporter? _current;
    private readonly object _lock = new();
    private readonly string _verb;
    private readonly TextWriter _err;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _loop;
    private string _stage = "running";
    private double _fraction = double.NaN;
    private bool _printed;

    private ProgressReporter(string verb, bool terminal, TimeSpan interval)
    {
        _verb = verb;
        _err = Console.Error;
        _loop = terminal ? Task.Run(() => TerminalLoop(_stop.Token)) : Task.Run(() => PlainLoop(interval, _stop.Token));
    }

    private ProgressReporter(string verb)
    {
        _verb = verb;
        _err = TextWriter.Null;
    }

    /// <summary>Seconds between plain progress lines when standard error is not a terminal.</summary>
    public static TimeSpan Interval =>
        double.TryParse(Environment.GetEnvironmentVariable("GLASSML_PROGRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(10);

    /// <summary>Starts the reporter of a run of <paramref name="verb"/> (silent when <paramref name="quiet"/>).</summary>
    public static ProgressReporter Start(string verb, bool quiet)
    {
        bool terminal = !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive && Console.Error == StandardError;
        var r = quiet ? new ProgressReporter(verb) : new ProgressReporter(verb, terminal, Interval);
        _current = r;
        return r;
    }

    private static readonly TextWriter StandardError = Console.Error;

    /// <summary>Sets the current stage (e.g. "frame 3 of 10"); the fraction is unknown until <see cref="Report"/>.</summary>
    public static void Stage(string text)
    {
        if (_current is not { } r) return;
        lock (r._lock) { r._stage = text; r._fraction = double.NaN; }
    }

    /// <summary>Sets the fraction done (0–1) of the current stage.</summary>
    public static void Report(double fraction)
    {
        if (_current is not { } r) return;
        lock (r._lock) r._fraction = Math.Clamp(fraction, 0, 1);
    }

    /// <summary>Stage and fraction of a loop over <paramref name="count"/> items (item <paramref name="index"/>, 0-based).</summary>
    public static void Item(string what, int index, int count)
    {
        Stage(count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{what} {index + 1} of {count}") : string.Create(CultureInfo.InvariantCulture, $"{what} {index + 1}"));
        if (count > 0) Report((double)index / count);
    }

    private string Line()
    {
        lock (_lock)
        {
            string pct = double.IsNaN(_fraction) ? "" : string.Create(CultureInfo.InvariantCulture, $" ({100 * _fraction:F0} %)");
            return string.Create(CultureInfo.InvariantCulture, $"glassml: {_verb}: {_stage}{pct}, {_clock.Elapsed.TotalSeconds:F0} s");
        }
    }

    // The waits end without an exception when the run stops (SuppressThrowing): Dispose waits for the loop, and a thrown and
    // caught cancellation cost every short call ≈ 1.5 ms (the unwinder's first use; 3 % of a 2,048-atom featurize).
    private async Task PlainLoop(TimeSpan interval, CancellationToken stop)
    {
        while (true)
        {
            await Task.Delay(interval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested) return;
            string line = Line();
            lock (_err) _err.WriteLine(line);
            _printed = true;
        }
    }

    private async Task TerminalLoop(CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (stop.IsCancellationRequested) return;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_err) });
        await console.Progress().AutoClear(true).HideCompleted(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(_verb, maxValue: 1.0);
                while (!stop.IsCancellationRequested)
                {
                    lock (_lock)
                    {
                        task.Description = $"{_verb}: {Markup.Escape(_stage)}";
                        task.IsIndeterminate = double.IsNaN(_fraction);
                        if (!double.IsNaN(_fraction)) task.Value = _fraction;
                    }
                    await Task.Delay(100, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                task.Value = 1;
            }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ReferenceEquals(_current, this)) _current = null;
        _stop.Cancel();
        try { _loop?.Wait(); }
        catch (AggregateException) { }
        if (_printed) lock (_err) _err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"glassml: {_verb}: done in {_clock.Elapsed.TotalSeconds:F0} s"));
        _stop.Dispose();
    }
}
