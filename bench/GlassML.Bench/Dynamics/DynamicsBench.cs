using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Bench.Dynamics;

/// <summary>
/// Strain (D²min etc.) of 1,000,000 atoms (the 500-atom compression fixture replicated 10×10×20, frame 0 → 4) and
/// lagged displacements streamed over a large trajectory (the isothermal fixture replicated, written once as a
/// plain-text dump). Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*DynamicsBench*'</c>.
/// Peak working set of the benchmark process is printed at cleanup.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class DynamicsBench
{
    private Frame _ref = null!, _cur = null!;
    private NeighborList _nl = null!;
    private string _traj = "";

    /// <summary>Replication of the isothermal trajectory along each axis (500·n³ atoms, 17 frames).</summary>
    [Params(6)]
    public int TrajectoryReplication { get; set; }

    /// <summary>Builds the 1M-atom frames, their neighbour list and the large trajectory file.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string fx = FixtureDir();
        var ro = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
        var frames = StructureReader.ReadFrames(Path.Combine(fx, "compression_ortho.dump.gz"), ro).ToList();
        foreach (var f in frames) f.SortById();
        _ref = frames[0].Replicate(10, 10, 20);
        _cur = frames[4].Replicate(10, 10, 20);
        _nl = new NeighborSearch().Ball(_ref, 4.5);
        int n = TrajectoryReplication;
        _traj = Path.Combine(Path.GetTempPath(), $"glassml-bench-iso-{n}.dump");
        if (!File.Exists(_traj))
            LammpsDumpWriter.Write(_traj, StructureReader.ReadFrames(Path.Combine(fx, "isothermal_1500K.dump.gz"), ro).Select(f => { f.SortById(); return Unwrapped(f.Replicate(n, n, n)); }));
        Console.WriteLine($"// strain: {_ref.Count} atoms, {_nl.PairCount} pairs; trajectory {_traj}: {new FileInfo(_traj).Length / 1e6:F0} MB");
    }

    /// <summary>Reports the peak working set.</summary>
    [GlobalCleanup]
    public void Cleanup() => Console.WriteLine($"// peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");

    /// <summary>Cutoff neighbour list (4.5 Å) of 1M atoms.</summary>
    [Benchmark]
    public int NeighborList1M() => new NeighborSearch().Ball(_ref, 4.5).PairCount;

    /// <summary>D²min, strain invariants and rotation of 1M atoms with a precomputed list.</summary>
    [Benchmark]
    public double Strain1M() => new NonAffineDisplacement().Compute(_ref, _nl, _cur).D2min[0];

    /// <summary>Lagged displacements (8 lags, 2 origins) streamed from the large dump.</summary>
    [Benchmark]
    public double LaggedDisplacementsStreamed()
    {
        var traj = Trajectory.Open(_traj, new TrajectoryOptions { Dt = 0.001 });
        var res = new LaggedDisplacement([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2], 0.001).Compute(traj);
        return res.Msd("all", 7);
    }

    private static Frame Unwrapped(Frame f)
    {
        // the fixture holds xu yu zu; Replicate shifts them by cell vectors, which keeps them unwrapped
        f.PositionsUnwrapped = true;
        return f;
    }

    internal static string FixtureDirectory() => FixtureDir();

    private static string FixtureDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "tests", "fixtures", "dynamics");
            if (Directory.Exists(p)) return p;
        }
        throw new DirectoryNotFoundException("tests/fixtures/dynamics not found above " + AppContext.BaseDirectory);
    }
}
