using System.Diagnostics;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Bench.Voronoi;

/// <summary>
/// In-process cost per cell of the Voronoi cutter (issue 20, item 3): tessellates a LAMMPS data file (types 1 = Cu,
/// 2 = Zr; default the embedded demo glass replicated 2×2×4 = 32,768 atoms, as tools/bench_all.sh does) with one thread,
/// after a warm-up, and prints the process CPU time and wall time per tessellation and per cell.
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- voronoi-cells [DATA_FILE|demo] [repeats] [radical|plain] [hash]</c>;
/// with <c>hash</c> it also prints a SHA-256 over the bits of every output array (vertices and the 3.8 Å cutoff list kept), to
/// check that a change of the cutter leaves every result bit as it was (the same digest as the tests' VoronoiHashTests.Hash).
/// Compare with voro++'s whole process CPU time on the same atoms minus its input/output (tools/bench_all.sh).
/// </summary>
public static class VoronoiCellTiming
{
    /// <summary>Entry point of the runner.</summary>
    public static void Run(string[] args)
    {
        string src = args.Length > 0 ? args[0] : "demo";
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        bool radical = args.Length > 2 && args[2] == "radical";
        var frame = src == "demo"
            ? GlassML.DemoGlass.Load().Replicate(2, 2, 4)
            : LammpsDataReader.Read(src, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
        bool hash = args.Length > 3 && args[3] == "hash";
        var options = new VoronoiOptions { Threads = 1 };
        if (hash) options = options with { KeepVertices = true, CutoffNeighbors = 3.8 };
        if (radical) options = options with { Radii = new Dictionary<string, double> { ["Cu"] = 1.28, ["Zr"] = 1.60 } };
        var tess = new VoronoiTessellation(options);
        var first = tess.Compute(frame);
        if (hash) Console.WriteLine($"hash {Hash(first)}");
        var proc = Process.GetCurrentProcess();
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var res = tess.Compute(frame);
            sw.Stop();
            proc.Refresh();
            double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
            best = Math.Min(best, cpu);
            Console.WriteLine($"{frame.Count} atoms{(radical ? " radical" : "")}: CPU {cpu:F3} s ({1e6 * cpu / frame.Count:F2} µs/cell), wall {sw.Elapsed.TotalSeconds:F3} s, {res.FaceCount} faces");
        }
        Console.WriteLine($"best CPU {best:F3} s = {1e6 * best / frame.Count:F2} µs per cell (1 thread)");
    }

    /// <summary>SHA-256 over the exact bits of every array of the result (first 128 bits, hex), as in VoronoiHashTests.</summary>
    private static string Hash(VoronoiResult r)
    {
        using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void D(double[]? a)
        {
            h.AppendData(BitConverter.GetBytes(a?.Length ?? -1));
            if (a is not null) h.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        void I(int[]? a)
        {
            h.AppendData(BitConverter.GetBytes(a?.Length ?? -1));
            if (a is not null) h.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        D(r.Volume); D(r.Area); I(r.FaceOffsets); I(r.FaceNeighbor); D(r.FaceDx); D(r.FaceDy); D(r.FaceDz); D(r.FaceDistance);
        D(r.FaceArea); I(r.FaceEdges); D(r.FaceSubVolume); I(r.FaceVertexOffsets); D(r.VertexX); D(r.VertexY); D(r.VertexZ);
        var c = r.CutoffNeighbors;
        I(c?.Offsets); I(c?.Index); D(c?.Dx); D(c?.Dy); D(c?.Dz); D(c?.Distance);
        return Convert.ToHexString(h.GetHashAndReset())[..32].ToLowerInvariant();
    }
}
