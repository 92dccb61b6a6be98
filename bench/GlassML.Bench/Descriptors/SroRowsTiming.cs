using System.Diagnostics;
using GlassML.Descriptors;
using GlassML.Io;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// In-process CPU of the row blocks of featurize's streamed table (issue 20): builds <see cref="Featurizer.ComputeStreamed"/> for
/// the given families (default steinhardt, csro, distance; both neighbour lists) on a LAMMPS data file (types 1 = Cu, 2 = Zr), then
/// reads every row in id order as the NPY writer does, with one thread, and prints the CPU of the build (tessellation) and of the rows.
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- sro-rows DATA_FILE [repeats] [families,comma-separated]</c>.
/// </summary>
public static class SroRowsTiming
{
    /// <summary>Entry point of the runner.</summary>
    public static void Run(string[] args)
    {
        var frame = LammpsDataReader.Read(args[0], new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        string[] families = args.Length > 2 ? args[2].Split(',') : ["steinhardt", "csro", "distance"];
        var featurizer = new Featurizer(new FeaturizeOptions { Families = families, Neighbors = NeighborSource.Both, Threads = 1 });
        var order = Enumerable.Range(0, frame.Count).OrderBy(i => frame.Ids[i]).ToArray();
        var proc = Process.GetCurrentProcess();
        double Cpu() { proc.Refresh(); return proc.TotalProcessorTime.TotalSeconds; }
        double best = double.PositiveInfinity;
        for (int r = 0; r <= repeats; r++)
        {
            double c0 = Cpu();
            var table = featurizer.ComputeStreamed(frame);
            double c1 = Cpu();
            double sum = 0;
            foreach (int i in order) sum += table.Row(i)[^1];
            double c2 = Cpu();
            if (r > 0) best = Math.Min(best, c2 - c1);
            Console.WriteLine($"{(r == 0 ? "warm-up " : "")}{frame.Count} atoms, {table.FeatureCount} columns: build CPU {c1 - c0:F3} s, rows CPU {c2 - c1:F3} s (checksum {sum:R})");
        }
        Console.WriteLine($"best rows CPU {best:F3} s (1 thread)");
    }
}
