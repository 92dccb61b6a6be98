using System.Diagnostics;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Bench.Io;

/// <summary>
/// Writes one N × F per-atom table (the seed feature count F = 746 by default) as CSV and as Parquet and prints seconds and
/// bytes, then reads each back with <see cref="GlassML.Learning.FeatureTableCsv.Read(string, string?)"/> (seconds, and a bit-for-bit
/// check of every value): <c>dotnet run -c Release --project bench/GlassML.Bench -- table-write N [F] [DIR] [read]</c>
/// (a fourth argument <c>read</c> only reads files written before; <c>parquet</c>, <c>read-parquet</c> or <c>write-parquet</c>
/// writes and reads, reads, or writes the Parquet file alone). Values are seeded random doubles with feature-like
/// spread (not compressible by repetition); ids, types and species as featurize writes them.
/// </summary>
public static class TableWriteSideBySide
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        int f = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 746;
        string dir = args.Length > 2 ? args[2] : Path.GetTempPath();
        var ids = new long[n]; var sp = new int[n]; var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++) { ids[i] = i + 1; sp[i] = i % 3 == 0 ? 1 : 0; }
        var frame = new Frame(Box.Cubic(100), new SpeciesTable(["Cu", "Zr"]), ids, sp, x, y, z);
        string mode = args.Length > 3 ? args[3] : "";
        bool readOnly = mode is "read" or "read-parquet";
        string[] formats = mode is "parquet" or "read-parquet" or "write-parquet" ? [".parquet"] : [".csv", ".parquet"];
        var names = Enumerable.Range(0, f).Select(k => $"feature_{k}").ToArray();
        if (!readOnly)
        {
            var v = GC.AllocateUninitializedArray<double>(checked(n * f));
            var rng = new Random(746);
            for (long k = 0; k < v.LongLength; k++) v[k] = Value(rng, k);
            var features = new PerAtomFeatures(names, n, v);
            foreach (var ext in formats)
            {
                string path = Path.Combine(dir, $"table-write-{n}x{f}{ext}");
                var wcpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                PerAtomOutput.Write(path, frame, features, KeepColumns.Nothing);
                sw.Stop();
                double wcpu = (Process.GetCurrentProcess().TotalProcessorTime - wcpu0).TotalSeconds;
                long bytes = new FileInfo(path).Length;
                Console.WriteLine($"{ext,-9} {n} x {f}: write {sw.Elapsed.TotalSeconds:F2} s wall, {wcpu:F2} s CPU, {bytes:N0} bytes ({path})");
            }
        }
        if (mode == "write-parquet") return;
        GC.Collect(); // the written values are regenerated for the comparison, so only one table is in memory while reading
        foreach (var ext in formats)
        {
            string path = Path.Combine(dir, $"table-write-{n}x{f}{ext}");
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var rw = Stopwatch.StartNew();
            var table = GlassML.Learning.FeatureTableCsv.Read(path);
            rw.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            long diff = 0;
            var again = new Random(746);
            for (long k = 0; k < table.Values.LongLength; k++)
                if (BitConverter.DoubleToInt64Bits(table.Values[k]) != BitConverter.DoubleToInt64Bits(Value(again, k))) diff++;
            Console.WriteLine($"{ext,-9} {n} x {f}: read {rw.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU, {table.Rows} rows, {diff} values differ bit-wise");
            table = null;
            GC.Collect();
        }
    }

    private static double Value(Random rng, long k) =>
        (k % 7 == 0) ? Math.Round(rng.NextDouble() * 16) : rng.NextDouble() * Math.Pow(10, (int)(k % 5) - 2);
}
