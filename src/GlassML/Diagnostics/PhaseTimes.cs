using System.Diagnostics;
using System.Globalization;

namespace GlassML.Diagnostics;

/// <summary>
/// Opt-in per-phase timing for performance work: with the environment variable <c>GLASSML_PHASES=1</c>, every
/// <see cref="Mark"/> writes one line to standard error with the wall and process-CPU seconds since the previous mark
/// (the first mark counts from process start) and, on Linux, the CPU seconds of the busiest thread, e.g.
/// <c>phase tessellation wall 0.412 cpu 0.801 busiest 0.405</c>. On a loaded machine wall time means little; a phase that
/// runs on two threads has busiest ≈ cpu / 2, a serial one busiest ≈ cpu. Off (a flag test) otherwise.
/// </summary>
public static class PhaseTimes
{
    /// <summary>Whether marks are written (GLASSML_PHASES=1 at start-up).</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("GLASSML_PHASES") == "1";

    [ThreadStatic] private static bool t_quiet;

    /// <summary>Marks made on this thread are skipped (a background computation whose phases are not the process's).</summary>
    internal static bool QuietOnThisThread { get => t_quiet; set => t_quiet = value; }

    private static readonly object Gate = new();
    private static DateTime _lastWall;
    private static TimeSpan _lastCpu;
    private static Dictionary<string, long> _lastTicks = new();

    /// <summary>Ends the phase <paramref name="name"/> (no-op unless <see cref="Enabled"/>).</summary>
    public static void Mark(string name)
    {
        if (!Enabled || t_quiet) return;
        lock (Gate)
        {
            using var p = Process.GetCurrentProcess();
            var wall = DateTime.Now;
            var cpu = p.TotalProcessorTime;
            if (_lastWall == default) _lastWall = p.StartTime;
            var ticks = ThreadTicks();
            long busiest = 0;
            foreach (var (tid, t) in ticks) busiest = Math.Max(busiest, t - _lastTicks.GetValueOrDefault(tid));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"phase {name} wall {(wall - _lastWall).TotalSeconds:F3} cpu {(cpu - _lastCpu).TotalSeconds:F3} busiest {busiest / 100.0:F2}"));
            _lastTicks = ThreadTicks();
            _lastWall = DateTime.Now;
            using var q = Process.GetCurrentProcess();
            _lastCpu = q.TotalProcessorTime;
        }
    }

    // utime + stime of every thread of this process in clock ticks (1/100 s on Linux), by thread id; empty elsewhere
    private static Dictionary<string, long> ThreadTicks()
    {
        var d = new Dictionary<string, long>();
        try
        {
            foreach (var dir in Directory.GetDirectories("/proc/self/task"))
            {
                string s = File.ReadAllText(Path.Combine(dir, "stat"));
                var f = s[(s.LastIndexOf(')') + 2)..].Split(' ');
                d[Path.GetFileName(dir)] = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return d;
    }
}
