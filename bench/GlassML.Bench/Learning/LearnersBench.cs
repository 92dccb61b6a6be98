using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GlassML.Learning;

namespace GlassML.Bench.Learning;

/// <summary>
/// kNN (k = 50) queries and linear SVR training on the data written by tools/bench_learners.py
/// (directory from GLASSML_BENCH_DIR, default /tmp/glassml-bench):
/// <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*LearnersBench*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class LearnersBench
{
    private const int N = 100_000, F = 10;
    private double[] _train = [], _query = [], _sx = [], _sy = [];
    private NearestNeighbors? _knn;

    /// <summary>Threads for the kNN queries and SVR row loops.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private static double[] Load(string name)
    {
        string dir = Environment.GetEnvironmentVariable("GLASSML_BENCH_DIR") ?? "/tmp/glassml-bench";
        var bytes = File.ReadAllBytes(Path.Combine(dir, name));
        var v = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
        return v;
    }

    private TimeSpan _cpu;

    /// <summary>Records the process CPU time before each iteration (the machine may be shared: CPU time is printed too).</summary>
    [IterationSetup]
    public void CpuStart() => _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>Prints the CPU time of the iteration.</summary>
    [IterationCleanup]
    public void CpuStop() => Console.WriteLine($"// CPU time of iteration (threads {Threads}): {(Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds:F2} s");

    /// <summary>Loads the data and builds the tree (not timed).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _train = Load("knn_train.bin"); _query = Load("knn_query.bin");
        _sx = Load("svr_x.bin"); _sy = Load("svr_y.bin");
        _knn = NearestNeighbors.Fit(new NearestNeighborsOptions(K: 50, Standardize: false, Threads: Threads), _train, N, F, new double[N]);
    }

    /// <summary>100,000 queries, k = 50, against the 100,000 × 10 tree.</summary>
    [Benchmark]
    public int KnnQuery50() => _knn!.Query(_query).Indices[^1];

    /// <summary>Building the k-d tree of 100,000 × 10 points.</summary>
    [Benchmark]
    public int KdTreeBuild() => new KdTree(_train, N, F).Count;

    /// <summary>LinearSvr C = 1, p = 0.1, B = 1, ε = 1e-4 (LIBLINEAR -s 11 defaults) on 100,000 × 10.</summary>
    [Benchmark]
    public double SvrTrain() => LinearSvr.Fit(new LinearSvmOptions(C: 1, Epsilon: 0.1, Bias: 1, Tolerance: 1e-4, Threads: Threads), _sx, N, F, _sy).Weights[0];

    /// <summary>Same with ε = 1e-8.</summary>
    [Benchmark]
    public double SvrTrainTight() => LinearSvr.Fit(new LinearSvmOptions(C: 1, Epsilon: 0.1, Bias: 1, Tolerance: 1e-8, Threads: Threads), _sx, N, F, _sy).Weights[0];
}
