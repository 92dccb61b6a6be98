using System.Security.Cryptography;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// SOAP in steady state: <c>dotnet run -c Release --project bench/GlassML.Bench -- soap FILE REPS THREADS [TYPES] [RCUT NMAX LMAX SIGMA]</c>
/// (TYPES like 1:Cu,2:Zr; default SOAP 5 11 12 0.5). One untimed call, then REPS calls of the neighbour list and of
/// <see cref="Soap.Compute"/>; prints the median wall and process-CPU seconds of each (and the least CPU of REPS more SOAP calls) and the sha256 of the values.
/// </summary>
public static class SoapTiming
{
    /// <summary>Runs the timing.</summary>
    public static void Run(string[] args)
    {
        string path = args[0];
        int reps = int.Parse(args[1]), threads = int.Parse(args[2]);
        var read = new ReadOptions
        {
            TypeNames = args.Length > 3 ? args[3].Split(',').ToDictionary(p => int.Parse(p.Split(':')[0]), p => p.Split(':')[1]) : null,
        };
        double rc = args.Length > 4 ? double.Parse(args[4]) : 5, sg = args.Length > 7 ? double.Parse(args[7]) : 0.5;
        int nm = args.Length > 5 ? int.Parse(args[5]) : 11, lm = args.Length > 6 ? int.Parse(args[6]) : 12;
        var frame = StructureReader.ReadFrame(path, 0, read);
        var soap = new Soap(new SoapOptions { RCut = rc, NMax = nm, LMax = lm, Sigma = sg, Species = ["Cu", "Zr"], Threads = threads });
        var search = new NeighborSearch(threads);
        var nl = search.Ball(frame, soap.RequiredCutoff);
        var res = soap.Compute(frame, nl);
        var (nw, nc) = RepeatTiming.Median(reps, () => search.Ball(frame, soap.RequiredCutoff));
        var (sw, sc) = RepeatTiming.Median(reps, () => res = soap.Compute(frame, nl));
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++) best = Math.Min(best, RepeatTiming.Median(1, () => res = soap.Compute(frame, nl)).Cpu);
        var hash = Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(res.Values.AsSpan())))[..16];
        Console.WriteLine($"soap {Path.GetFileName(path)} atoms={frame.Count} pairs={nl.PairCount} threads={threads} reps={reps} " +
                          $"neighbors wall={nw:F4} cpu={nc:F4} soap wall={sw:F4} cpu={sc:F4} (min {best:F4}) atoms_per_cpu_s={frame.Count / sc:F0} sha={hash}");
    }
}
