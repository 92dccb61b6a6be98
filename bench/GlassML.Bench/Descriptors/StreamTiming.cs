using GlassML.Descriptors;
using GlassML.Io;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// A streamed feature table as <c>glassml featurize</c> makes it, without the file: the rows taken in id order (as the NPY writer
/// takes them) and summed instead of written, so that the two-thread speed-up of the computation is seen apart from the disk
/// that a whole-process run writes its table to (32,768 atoms: the seed set 196 MB, SOAP 5/11/12 863 MB; this machine's disk
/// takes direct writes at ≈ 1.0–1.6 GB/s).
/// Run: <c>GlassML.Bench stream DATA_FILE THREADS REPS FAMILIES [SOAP_PARAMETERS]</c> (types 1 = Cu, 2 = Zr; FAMILIES as
/// featurize's --features, e.g. seed or soap; default SOAP rcut=5,nmax=11,lmax=12,sigma=0.5); prints the median wall and
/// process-CPU seconds of REPS tables after one untimed one, and the sum of every value (the same for every thread count).
/// </summary>
public static class StreamTiming
{
    /// <summary>Entry point of the runner.</summary>
    public static void Run(string[] args)
    {
        string path = args[0];
        int threads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        int reps = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        string[] families = args[3].Split(',');
        string soap = args.Length > 4 ? args[4] : "rcut=5,nmax=11,lmax=12,sigma=0.5";
        var frame = LammpsDataReader.Read(path, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" }, Threads = threads });
        var featurizer = new Featurizer(new FeaturizeOptions
        {
            Families = families,
            Parameters = families.Contains("soap")
                ? new Dictionary<string, IReadOnlyDictionary<string, string>> { ["soap"] = DescriptorParameters.Split(soap) }
                : new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            Threads = threads,
        });
        // the writer's row order: ids ascending
        var order = Enumerable.Range(0, frame.Count).OrderBy(i => frame.Ids[i]).ToArray();
        double sum = 0;
        void Table()
        {
            var table = featurizer.ComputeStreamed(frame);
            double s = 0;
            foreach (int i in order)
                foreach (double v in table.Row(i)) s += v;
            sum = s;
        }
        Table();
        var (wall, cpu) = RepeatTiming.Median(reps, Table);
        Console.WriteLine($"stream {args[3]} {Path.GetFileName(path)} atoms={frame.Count} threads={threads} reps={reps} wall={wall:F4} cpu={cpu:F4} sum={sum:R}");
    }
}
