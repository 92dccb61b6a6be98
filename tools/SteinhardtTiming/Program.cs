using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

// Usage: dotnet run -c Release --project tools/SteinhardtTiming -- [repsC=20] [threads=2] [average=false] [repeats=3]
// Replicates tests/fixtures/sro/s1_ortho.data.gz 10×10×repsC (500·100·repsC atoms), builds the 3.8 Å cutoff list,
// and times Steinhardt (l = 4, 6, 8, 10, ŵ_l) wall and process CPU time; prints Σq6 and Σŵ10 to compare with LAMMPS.
int reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
bool average = args.Length > 2 && bool.Parse(args[2]);
int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;

string path = Path.Combine("tests", "fixtures", "sro", "s1_ortho.data.gz");
if (!File.Exists(path)) throw new FileNotFoundException("run from the repository root", path);
var lines = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress)).ReadToEnd().Split('\n');
static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
var lo = new double[3]; var hi = new double[3];
int atoms = 0, k = 0;
for (; k < lines.Length; k++)
{
    var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (t.Length == 2 && t[1] == "atoms") atoms = int.Parse(t[0], CultureInfo.InvariantCulture);
    else if (t.Length == 4 && t[3] is "xhi" or "yhi" or "zhi") { int a = t[3][0] - 'x'; lo[a] = D(t[0]); hi[a] = D(t[1]); }
    else if (t.Length > 0 && t[0] == "Atoms") { k += 2; break; }
}
var ids = new long[atoms]; var sp = new int[atoms]; var x = new double[atoms]; var y = new double[atoms]; var z = new double[atoms];
for (int a = 0; a < atoms; a++, k++)
{
    var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    ids[a] = long.Parse(t[0], CultureInfo.InvariantCulture); sp[a] = int.Parse(t[1], CultureInfo.InvariantCulture) - 1;
    x[a] = D(t[2]); y[a] = D(t[3]); z[a] = D(t[4]);
}
var glass = new Frame(Box.FromLammps(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]), new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
var frame = glass.Replicate(10, 10, reps);
var proc = Process.GetCurrentProcess();
(double Wall, double Cpu) Time(Action a)
{
    proc.Refresh(); var c0 = proc.TotalProcessorTime; var sw = Stopwatch.StartNew();
    a();
    sw.Stop(); proc.Refresh();
    return (sw.Elapsed.TotalSeconds, (proc.TotalProcessorTime - c0).TotalSeconds);
}
NeighborList nl = null!;
var ts = Time(() => nl = new NeighborSearch(threads).Ball(frame, 3.8));
Console.WriteLine($"atoms {frame.Count}, pairs {nl.PairCount}, threads {threads}, average {average}");
Console.WriteLine($"NeighborSearch.Ball(3.8): wall {ts.Wall:F2} s, cpu {ts.Cpu:F2} s");
var st = new Steinhardt(new SteinhardtOptions { Average = average, Threads = threads });
for (int r = 0; r < repeats; r++)
{
    PerAtomFeatures res = null!;
    var tq = Time(() => res = st.Compute(frame, nl));
    Console.WriteLine($"Steinhardt: wall {tq.Wall:F2} s, cpu {tq.Cpu:F2} s, sum q6 {res.Column("q6_cut").Sum():F6}, sum w10 {res.Column("w10_cut").Sum():F6}");
}
Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
