using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// Steinhardt q_l / ŵ_l (l = 4, 6, 8, 10, cutoff 3.8 Å) on the 500-atom CuZr glass s1 replicated 10×10×20
/// (1,000,000 atoms), the same input and settings as LAMMPS <c>compute orientorder/atom degrees 4 4 6 8 10
/// nnn NULL cutoff 3.8 wl yes wl/hat yes</c>. The neighbour list is built once in the setup (not timed).
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*SteinhardtBench*'</c>.
/// The glass is read from tests/fixtures/sro/s1_ortho.data.gz (found upwards from the working directory or
/// the <c>GLASSML_SRO_DATA</c> environment variable).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class SteinhardtBench
{
    private Frame _frame = null!;
    private NeighborList _list = null!;
    private Steinhardt _plain = null!, _averaged = null!;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Replication along c (atoms = 500 × 100 × Reps).</summary>
    [Params(20)]
    public int Reps { get; set; }

    /// <summary>Builds the replicated glass and its cutoff neighbour list.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _frame = ReadGlass().Replicate(10, 10, Reps);
        _list = new NeighborSearch(Threads).Ball(_frame, 3.8);
        _plain = new Steinhardt(new SteinhardtOptions { Average = false, Threads = Threads });
        _averaged = new Steinhardt(new SteinhardtOptions { Average = true, Threads = Threads });
    }

    /// <summary>q_l and ŵ_l only (what LAMMPS orientorder/atom computes).</summary>
    [Benchmark(Baseline = true)]
    public PerAtomFeatures QlWl() => _plain.Compute(_frame, _list);

    /// <summary>q_l, ŵ_l and the Lechner–Dellago q̄_l, ŵ̄_l.</summary>
    [Benchmark]
    public PerAtomFeatures QlWlAveraged() => _averaged.Compute(_frame, _list);

    internal static Frame ReadGlass()
    {
        string? path = Environment.GetEnvironmentVariable("GLASSML_SRO_DATA");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); path is null && dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "tests", "fixtures", "sro", "s1_ortho.data.gz");
            if (File.Exists(p)) path = p;
        }
        if (path is null) throw new FileNotFoundException("tests/fixtures/sro/s1_ortho.data.gz not found; set GLASSML_SRO_DATA");
        using var rd = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var lines = rd.ReadToEnd().Split('\n');
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        int atoms = 0, k = 0;
        double[] lo = new double[3], hi = new double[3];
        double xy = 0, xz = 0, yz = 0;
        for (; k < lines.Length; k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 2 && t[1] == "atoms") atoms = int.Parse(t[0], CultureInfo.InvariantCulture);
            else if (t.Length == 4 && t[3] is "xhi" or "yhi" or "zhi") { int a = t[3][0] - 'x'; lo[a] = D(t[0]); hi[a] = D(t[1]); }
            else if (t.Length == 6 && t[3] == "xy") { xy = D(t[0]); xz = D(t[1]); yz = D(t[2]); }
            else if (t.Length > 0 && t[0] == "Atoms") { k += 2; break; }
        }
        var ids = new long[atoms]; var sp = new int[atoms]; var x = new double[atoms]; var y = new double[atoms]; var z = new double[atoms];
        for (int a = 0; a < atoms; a++, k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[a] = long.Parse(t[0], CultureInfo.InvariantCulture); sp[a] = int.Parse(t[1], CultureInfo.InvariantCulture) - 1;
            x[a] = D(t[2]); y[a] = D(t[3]); z[a] = D(t[4]);
        }
        return new Frame(Box.FromLammps(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], xy, xz, yz), new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
    }
}
