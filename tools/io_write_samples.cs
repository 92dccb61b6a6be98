// File-based .NET app used by tools/check_writers_with_ase.sh: writes our outputs for the Python checks,
// or times reading a dump. Run: dotnet run -c Release tools/io_write_samples.cs -- write OUTDIR | bench FILE
#:project ../src/GlassML/GlassML.csproj
#:property PublishAot=false
using System.Diagnostics;
using GlassML.Descriptors;
using GlassML.Io;

var fx = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "tools", "..", "tests", "fixtures", "io");
var cuzr = new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };
if (args[0] == "write")
{
    string dir = args[1];
    Directory.CreateDirectory(dir);
    var f = StructureReader.ReadFrame(Path.Combine(fx, "tri.data.gz"), 0, cuzr);
    var v = new double[f.Count * 3];
    for (int i = 0; i < f.Count; i++) { v[3 * i] = f.Ids[i] * 0.5; v[3 * i + 1] = Math.Sin(f.Ids[i]); v[3 * i + 2] = -1e-300 * f.Ids[i]; }
    var feat = new PerAtomFeatures(["half_id", "sin_id", "tiny"], f.Count, v);
    ExtendedXyzWriter.Write(Path.Combine(dir, "ours.extxyz"), f, feat);
    LammpsDumpWriter.Write(Path.Combine(dir, "ours.dump"), StructureReader.ReadFrames(Path.Combine(fx, "nvt.dump.gz"), cuzr));
    LammpsDumpWriter.Write(Path.Combine(dir, "ours_tri.dump"), f, feat);
    CsvWriter.Write(Path.Combine(dir, "ours.csv"), f, feat);
    NpyWriter.Write(Path.Combine(dir, "ours.npy"), f, feat);
    Console.WriteLine($"wrote {dir}");
}
else if (args[0] == "bench")
{
    for (int rep = 0; rep < 3; rep++)
    {
        var sw = Stopwatch.StartNew();
        long atoms = 0; int frames = 0;
        using (var r = new LammpsDumpReader(args[1], cuzr))
            while (r.ReadNext() is { } fr) { atoms += fr.Count; frames++; }
        double t = sw.Elapsed.TotalSeconds;
        sw.Restart();
        int skipped = 0;
        using (var r = new LammpsDumpReader(args[1], cuzr)) while (r.SkipNext()) skipped++;
        double ts = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"read {frames} frames, {atoms} atoms in {t:F3} s ({atoms / t / 1e6:F2} M atoms/s); skip all in {ts:F3} s; {new FileInfo(args[1]).Length / 1e6:F1} MB");
    }
}
