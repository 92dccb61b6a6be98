using System.Diagnostics;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;

// Usage: dotnet run -c Release --project tools/soap/timing -- NMAX LMAX THREADS REPLICATE
// Times Soap.Compute (neighbour list built once, excluded) on the 500-atom glass or its REPLICATE³ copy.
// Reports wall-clock atoms/s and atoms per CPU-second of the process (robust when the machine is shared).
var ci = CultureInfo.InvariantCulture;
int nmax = args.Length > 0 ? int.Parse(args[0], ci) : 11, lmax = args.Length > 1 ? int.Parse(args[1], ci) : 12;
int threads = args.Length > 2 ? int.Parse(args[2], ci) : 1, rep = args.Length > 3 ? int.Parse(args[3], ci) : 1;
var g = GlassML.Bench.Descriptors.SoapBench.ReadGlass();
if (rep > 1) g = g.Replicate(rep, rep, rep);
var soap = new Soap(new SoapOptions { RCut = 5, NMax = nmax, LMax = lmax, Sigma = 0.5, Species = ["Cu", "Zr"], Threads = threads });
var nl = new NeighborSearch(threads).Ball(g, soap.RequiredCutoff);
for (int w = 0; w < 3; w++) soap.Compute(g, nl); // JIT tiers
int reps = Math.Max(3, 20000 / g.Count);
var proc = Process.GetCurrentProcess();
double bestWall = double.MaxValue;
proc.Refresh();
var cpu0 = proc.TotalProcessorTime;
var total = Stopwatch.StartNew();
for (int r = 0; r < reps; r++)
{
    var sw = Stopwatch.StartNew();
    soap.Compute(g, nl);
    bestWall = Math.Min(bestWall, sw.Elapsed.TotalSeconds);
}
double wall = total.Elapsed.TotalSeconds;
proc.Refresh();
double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
Console.WriteLine(string.Format(ci,
    "SOAP rcut 5 nmax {0} lmax {1} sigma 0.5, {2} atoms, {3} thread(s), {4} reps: mean wall {5:F4} s ({6:F0} atoms/s), best wall {7:F4} s ({8:F0} atoms/s), {9:F0} atoms per CPU-second; load average {10}",
    nmax, lmax, g.Count, threads, reps, wall / reps, g.Count * reps / wall, bestWall, g.Count / bestWall, g.Count * reps / cpu,
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a"));
