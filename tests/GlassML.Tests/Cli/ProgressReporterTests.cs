using System.Runtime.ExceptionServices;
using GlassML.Cli.Commands;

namespace GlassML.Tests.Cli;

/// <summary>
/// Stopping the progress reporter ends its loop without a thrown cancellation: every call of the command disposes one, and a
/// first exception costs a short call ≈ 1.5 ms (issue 20, start-up). Alone: the first-chance handler sees every thread's exceptions.
/// </summary>
[Collection("Alone")]
public class ProgressReporterTests
{
    [Fact]
    public void StoppingThrowsNoCancellation()
    {
        int cancelled = 0, printed = 0;
        void Seen(object? _, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is OperationCanceledException) Interlocked.Increment(ref cancelled);
        }
        AppDomain.CurrentDomain.FirstChanceException += Seen;
        var err = Console.Error;
        var w = new StringWriter();
        try
        {
            Console.SetError(w);
            // the default interval (nothing printed: the loop is stopped while it waits) and a short one (lines printed, then
            // stopped between two of them)
            using (ProgressReporter.Start("test", quiet: false)) Thread.Sleep(30);
            Environment.SetEnvironmentVariable("GLASSML_PROGRESS_SECONDS", "0.005");
            using (ProgressReporter.Start("test", quiet: false))
            {
                ProgressReporter.Stage("step");
                Thread.Sleep(60);
            }
            printed = w.ToString().Split('\n').Count(l => l.StartsWith("glassml: test: step", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLASSML_PROGRESS_SECONDS", null);
            Console.SetError(err);
            AppDomain.CurrentDomain.FirstChanceException -= Seen;
        }
        Assert.Equal(0, cancelled);
        Assert.True(printed > 0, w.ToString());
        Assert.Contains("glassml: test: done in", w.ToString());
    }
}
