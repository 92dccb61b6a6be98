using GlassML.Io;

namespace GlassML.Bench.Io;

/// <summary>
/// Structure reading alone: <c>dotnet run -c Release --project bench/GlassML.Bench -- read FILE REPS [TYPES]</c> (TYPES like
/// 1:Cu,2:Zr). One untimed read, then REPS reads; prints the median wall and process-CPU seconds per read.
/// </summary>
public static class ReadTiming
{
    /// <summary>Runs the timing.</summary>
    public static void Run(string[] args)
    {
        string path = args[0];
        int reps = int.Parse(args[1]);
        var options = new ReadOptions
        {
            TypeNames = args.Length > 2 ? args[2].Split(',').ToDictionary(p => int.Parse(p.Split(':')[0]), p => p.Split(':')[1]) : null,
        };
        int atoms = StructureReader.ReadFrame(path, 0, options).Count;
        var (wall, cpu) = RepeatTiming.Median(reps, () => StructureReader.ReadFrame(path, 0, options));
        Console.WriteLine($"read {Path.GetFileName(path)} atoms={atoms} reps={reps} seconds={wall:F4} cpu_seconds={cpu:F4}");
    }
}
