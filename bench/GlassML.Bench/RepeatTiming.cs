using System.Diagnostics;

namespace GlassML.Bench;

/// <summary>Median wall and process-CPU seconds of repeated calls (the in-process side-by-side timings).</summary>
public static class RepeatTiming
{
    /// <summary>Calls <paramref name="run"/> <paramref name="reps"/> times; the median wall and CPU seconds per call.</summary>
    public static (double Wall, double Cpu) Median(int reps, Action run)
    {
        var proc = Process.GetCurrentProcess();
        var wall = new List<double>();
        var cpu = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            wall.Add(sw.Elapsed.TotalSeconds);
            proc.Refresh();
            cpu.Add((proc.TotalProcessorTime - c0).TotalSeconds);
        }
        wall.Sort(); cpu.Sort();
        return (wall[reps / 2], cpu[reps / 2]);
    }
}
