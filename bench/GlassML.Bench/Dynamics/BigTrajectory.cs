using System.Globalization;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Bench.Dynamics;

/// <summary>
/// Writes a large LAMMPS dump for the streaming benchmark: the isothermal 1500 K fixture trajectory (real LAMMPS
/// run, 500 atoms, 17 frames, unwrapped coordinates) replicated n×n×n, its frames written <c>repeats</c> times
/// with the timesteps of each repeat shifted past the previous one.
/// <c>dotnet run -c Release --project bench/GlassML.Bench -- big-trajectory OUT.dump N REPEATS</c>.
/// </summary>
public static class BigTrajectory
{
    /// <summary>Entry point of the side runner.</summary>
    public static void Run(string[] args)
    {
        if (args.Length != 3) throw new ArgumentException("usage: big-trajectory OUT.dump N REPEATS");
        string output = args[0];
        int n = int.Parse(args[1], CultureInfo.InvariantCulture), repeats = int.Parse(args[2], CultureInfo.InvariantCulture);
        string fx = DynamicsBench.FixtureDirectory();
        var ro = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
        var src = StructureReader.ReadFrames(Path.Combine(fx, "isothermal_1500K.dump.gz"), ro).ToList();
        long span = src[^1].Timestep - src[0].Timestep + 1000;
        IEnumerable<Frame> Frames()
        {
            for (int r = 0; r < repeats; r++)
                foreach (var f0 in src)
                {
                    f0.SortById();
                    var f = f0.Replicate(n, n, n);
                    f.PositionsUnwrapped = true;
                    f.Timestep = f0.Timestep + r * span;
                    yield return f;
                }
        }
        LammpsDumpWriter.Write(output, Frames());
        Console.WriteLine($"{output}: {new FileInfo(output).Length / 1e9:F2} GB, {src[0].Count * n * n * n} atoms × {src.Count * repeats} frames");
    }
}
