using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// SOAP power spectrum (r_cut 5, n_max 11, l_max 12, σ 0.5, gto, Cu+Zr) on the 500-atom Cu50Zr50 glass s1 and its
/// 2×2×2 replication (4000 atoms), 1 and 2 threads; neighbour search excluded (done in setup).
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*SoapBench*'</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class SoapBench
{
    private Soap _soap = null!;
    private Frame _frame = null!;
    private NeighborList _nl = null!;

    /// <summary>Replication of the 500-atom glass along each axis (1 → 500 atoms, 2 → 4000).</summary>
    [Params(1, 2)]
    public int Replicate { get; set; }

    /// <summary>Threads (MaxDegreeOfParallelism).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Loads the glass and builds the neighbour list.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var f = ReadGlass();
        _frame = Replicate > 1 ? f.Replicate(Replicate, Replicate, Replicate) : f;
        _soap = new Soap(new SoapOptions { RCut = 5, NMax = 11, LMax = 12, Sigma = 0.5, Species = ["Cu", "Zr"], Threads = Threads });
        _nl = new NeighborSearch(Threads).Ball(_frame, _soap.RequiredCutoff);
    }

    /// <summary>One SOAP evaluation of every atom.</summary>
    [Benchmark]
    public PerAtomFeatures Soap_r5_n11_l12() => _soap.Compute(_frame, _nl);

    /// <summary>The glass dump from tests/fixtures/soap (found by walking up from the binary); id type x y z, type 1 = Cu.</summary>
    internal static Frame ReadGlass()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string? path = null;
        for (; dir is not null && path is null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "tests", "fixtures", "soap", "s1_cu50zr50_500.dump.gz");
            if (File.Exists(p)) path = p;
        }
        if (path is null) throw new FileNotFoundException("tests/fixtures/soap/s1_cu50zr50_500.dump.gz not found above " + AppContext.BaseDirectory);
        using var r = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var lines = new List<string>();
        string? line;
        while ((line = r.ReadLine()) is not null) lines.Add(line);
        var ci = CultureInfo.InvariantCulture;
        int n = int.Parse(lines[lines.IndexOf("ITEM: NUMBER OF ATOMS") + 1], ci);
        int b = lines.FindIndex(l => l.StartsWith("ITEM: BOX BOUNDS", StringComparison.Ordinal));
        double[] B(int k) => lines[b + k].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, ci)).ToArray();
        var bx = B(1); var by = B(2); var bz = B(3);
        int a = lines.FindIndex(l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var ids = new long[n]; var sp = new int[n]; var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            var t = lines[a + 1 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ids[i] = long.Parse(t[0], ci); sp[i] = int.Parse(t[1], ci) - 1;
            x[i] = double.Parse(t[2], ci); y[i] = double.Parse(t[3], ci); z[i] = double.Parse(t[4], ci);
        }
        var f = new Frame(Box.Orthogonal(new Vec3(bx[0], by[0], bz[0]), new Vec3(bx[1], by[1], bz[1])), new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
        f.SortById();
        return f;
    }
}
