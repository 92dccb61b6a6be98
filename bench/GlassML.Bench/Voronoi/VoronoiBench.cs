using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Bench.Voronoi;

/// <summary>
/// Voronoi tessellation of the s1 glass (500 atoms, tests/fixtures/voronoi/s1o.atoms.dump.gz) replicated to 32,000
/// (4×4×4) and 1,024,000 (16×16×8) atoms, plain, 2 threads. Compare with voro++ via tools/bench_voronoi.sh.
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*VoronoiBench*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class VoronoiBench
{
    private Frame _frame = null!;
    private VoronoiTessellation _tess = null!;
    private TimeSpan _cpu0;
    private int _calls;

    /// <summary>Number of atoms: 32000 or 1024000.</summary>
    [Params(32000, 1024000)]
    public int Atoms { get; set; }

    /// <summary>Threads (0 = all cores).</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Loads and replicates the glass.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var glass = LoadGlass();
        _frame = Atoms == 32000 ? glass.Replicate(4, 4, 4) : glass.Replicate(16, 16, 8);
        _tess = new VoronoiTessellation(new VoronoiOptions { Threads = Threads });
        _cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        _calls = 0;
    }

    /// <summary>Prints the process CPU time per call (comparable with voro++'s user time when the machine is loaded).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _cpu0;
        if (_calls > 0) Console.WriteLine($"// VoronoiBench {Atoms} atoms: {cpu.TotalSeconds / _calls:F3} s CPU per tessellation over {_calls} calls");
    }

    /// <summary>Tessellation only (volumes, faces, areas, edge counts).</summary>
    [Benchmark]
    public VoronoiResult Tessellate()
    {
        _calls++;
        return _tess.Compute(_frame);
    }

    /// <summary>Reads the 500-atom glass fixture, searching upwards from the working and base directories for the repository.</summary>
    public static Frame LoadGlass()
    {
        string? path = null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null && path is null; d = d.Parent)
            {
                var p = Path.Combine(d.FullName, "tests", "fixtures", "voronoi", "s1o.atoms.dump.gz");
                if (File.Exists(p)) path = p;
            }
        }
        if (path is null) throw new FileNotFoundException("tests/fixtures/voronoi/s1o.atoms.dump.gz not found above the working directory");
        using var rd = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var lines = rd.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(lines[3], CultureInfo.InvariantCulture);
        var b = new double[3][];
        for (int k = 0; k < 3; k++) b[k] = Array.ConvertAll(lines[5 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries), s => double.Parse(s, CultureInfo.InvariantCulture));
        var box = Box.FromLammps(b[0][0], b[0][1], b[1][0], b[1][1], b[2][0], b[2][1]);
        var ids = new long[n]; var sp = new int[n]; var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            var t = lines[9 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[i] = long.Parse(t[0], CultureInfo.InvariantCulture); sp[i] = int.Parse(t[1], CultureInfo.InvariantCulture) - 1;
            x[i] = double.Parse(t[2], CultureInfo.InvariantCulture); y[i] = double.Parse(t[3], CultureInfo.InvariantCulture); z[i] = double.Parse(t[4], CultureInfo.InvariantCulture);
        }
        return new Frame(box, new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
    }
}
