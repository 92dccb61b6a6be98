using BenchmarkDotNet.Running;

namespace GlassML.Bench;

/// <summary>
/// BenchmarkDotNet entry: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*'</c>.
/// Side-by-side runners: <c>-- gbdt ...</c> (see <see cref="Learning.GbdtSideBySide"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the selected benchmarks.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gbdt") { Learning.GbdtSideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "soap") { Descriptors.SoapTiming.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "stream") { Descriptors.StreamTiming.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "read") { Io.ReadTiming.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "gbdt-predict") { Learning.GbdtSideBySide.RunPredict(args[1..]); return; }
        if (args.Length > 0 && args[0] == "gbdt-split") { Learning.GbdtSideBySide.RunSplit(args[1..]); return; }
        if (args.Length > 0 && args[0] == "voronoi-cells") { Voronoi.VoronoiCellTiming.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "voronoi-sro") { Voronoi.VoronoiSroSideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "table-write") { Io.TableWriteSideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "ule-similarity") { Ule.UleSimilaritySideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "big-trajectory") { Dynamics.BigTrajectory.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "npy-write") { Io.NpyWriteSideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "modes-hessian") { Dynamics.ModesHessianExport.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "ule-gbdt") { Ule.UleGbdtSideBySide.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "sro-rows") { Descriptors.SroRowsTiming.Run(args[1..]); return; }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
