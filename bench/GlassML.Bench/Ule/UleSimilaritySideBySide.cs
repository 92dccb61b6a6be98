using System.Buffers.Binary;
using System.Diagnostics;
using GlassML.Io;
using GlassML.Workflows.Ule;

namespace GlassML.Bench.Ule;

/// <summary>
/// Side by side of the ULE best-match assignment (the similarity part of <c>glassml ule encode</c>) against
/// tools/ule_similarity_numpy.py on the same unit SOAP rows (docs/benchmarks.md):
/// <list type="bullet">
/// <item><c>-- ule-similarity export DICT.json MANIFEST.csv COUNT OUTDIR</c>: the SOAP rows of the first COUNT samples
/// of the manifest (types 1:Cu,2:Zr), one after another, as OUTDIR/queries.npy, and the dictionary's ULE vectors as
/// OUTDIR/ules.npy (float64, row-major); OUTDIR/atoms.txt holds the atoms per sample.</item>
/// <item><c>-- ule-similarity run DICT.json QUERIES.npy ATOMS_PER_SAMPLE THREADS OUT.npy</c>: assigns every row (one
/// sample's rows at a time, as encode does) and prints the CPU and wall seconds of the assignment alone (loading is not
/// timed), the unassigned count and a checksum; OUT.npy = nearest ULE per row (int32) for the comparison.</item>
/// </list>
/// </summary>
public static class UleSimilaritySideBySide
{
    /// <summary>Dispatches export / run.</summary>
    public static void Run(string[] args)
    {
        if (args[0] == "export") Export(args[1], args[2], int.Parse(args[3]), args[4]);
        else if (args[0] == "run") Time(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), args[5]);
        else throw new ArgumentException("ule-similarity export|run ...");
    }

    private static void Export(string dictPath, string manifest, int count, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var dict = UleDictionary.Load(dictPath);
        var read = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
        var samples = UleSamples.Load(manifest, requireEnergy: false).Take(count).ToList();
        var rows = new List<double>();
        var atoms = new List<int>();
        foreach (var s in samples)
        {
            var f = s.Read(read);
            rows.AddRange(dict.SoapRows(f, s.File, 0));
            atoms.Add(f.Count);
        }
        int nf = dict.FeatureCount;
        NpyWriter.Write(Path.Combine(outDir, "queries.npy"), [.. rows], rows.Count / nf, nf);
        var u = new double[(long)dict.Count * nf];
        for (int j = 0; j < dict.Count; j++) dict.Vector(j).CopyTo(u.AsSpan(j * nf, nf));
        NpyWriter.Write(Path.Combine(outDir, "ules.npy"), u, dict.Count, nf);
        File.WriteAllText(Path.Combine(outDir, "atoms.txt"), string.Join("\n", atoms) + "\n");
        Console.WriteLine($"exported {rows.Count / nf} rows × {nf} of {samples.Count} samples and {dict.Count} ULEs (threshold {dict.Threshold:R}) to {outDir}");
    }

    private static void Time(string dictPath, string queries, int perSample, int threads, string outPath)
    {
        var dict = UleDictionary.Load(dictPath);
        var (q, n, nf) = ReadNpy(queries);
        if (nf != dict.FeatureCount) throw new ArgumentException($"{queries}: {nf} columns, the dictionary {dict.FeatureCount}");
        var nearest = new int[n];
        long unassigned = 0;
        double sumM = 0;
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int lo = 0; lo < n; lo += perSample)
        {
            int m = Math.Min(perSample, n - lo);
            var block = q.AsSpan(lo * nf, m * nf).ToArray();
            var a = dict.AssignRows(block, new long[m], new string[m], threads);
            a.Nearest.CopyTo(nearest, lo);
            unassigned += a.Unassigned;
            foreach (var x in a.M) sumM += x;
        }
        sw.Stop();
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        var bytes = new byte[4L * n];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), nearest[i]);
        WriteNpyInt32(outPath, bytes, n);
        Console.WriteLine($"glassml rows={n} features={nf} ules={dict.Count} threads={threads} assign_cpu_s={cpu:F2} assign_wall_s={sw.Elapsed.TotalSeconds:F2} " +
                          $"unassigned={unassigned} sum_m={sumM:R}");
    }

    private static (double[] Values, int Rows, int Cols) ReadNpy(string path)
    {
        using var fs = File.OpenRead(path);
        var pre = new byte[10];
        fs.ReadExactly(pre);
        int hl = pre[8] | pre[9] << 8;
        var hb = new byte[hl];
        fs.ReadExactly(hb);
        string h = System.Text.Encoding.ASCII.GetString(hb);
        if (!h.Contains("'<f8'") || h.Contains("'fortran_order': True")) throw new ArgumentException($"{path}: not a C-order float64 array");
        var shape = h[(h.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var dims = shape[..shape.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var v = new double[(long)dims[0] * dims[1]];
        fs.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
        return (v, dims[0], dims[1]);
    }

    private static void WriteNpyInt32(string path, byte[] data, int n)
    {
        string header = $"{{'descr': '<i4', 'fortran_order': False, 'shape': ({n},), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var fs = File.Create(path);
        fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        fs.Write(System.Text.Encoding.ASCII.GetBytes(header));
        fs.Write(data);
    }
}
