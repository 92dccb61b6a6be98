using GlassML.Descriptors;
using GlassML.Io;

namespace GlassML.Bench.Descriptors;

/// <summary>
/// SOAP as <c>glassml featurize --features soap</c> streams it, without the file: the streamed table's rows taken in id order
/// (as the NPY writer takes them) and summed instead of written, so that the two-thread speed-up of the computation is seen
/// apart from the disk that a whole-process run writes its table to (863 MB at 32,768 atoms).
/// Run: <c>GlassML.Bench soap-stream DATA_FILE THREADS REPS [SOAP_PARAMETERS]</c> (types 1 = Cu, 2 = Zr; default SOAP
/// rcut=5,nmax=11,lmax=12,sigma=0.5); prints the median wall and process-CPU seconds of REPS tables after one untimed one, and
/// the sum of every value (the same for every thread count).
/// </summary>
public static class SoapStreamTiming
{
    /// <summary>Entry point of the runner.</summary>
    public static void Run(string[] args)
    {
        string path = args[0];
        int threads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        int reps = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        string parameters = args.Length > 3 ? args[3] : "rcut=5,nmax=11,lmax=12,sigma=0.5";
        var frame = LammpsDataReader.Read(path, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" }, Threads = threads });
        var featurizer = new Featurizer(new FeaturizeOptions
        {
            Families = ["soap"],
            Parameters = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["soap"] = DescriptorParameters.Split(parameters) },
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
        Console.WriteLine($"soap-stream {Path.GetFileName(path)} atoms={frame.Count} threads={threads} reps={reps} wall={wall:F4} cpu={cpu:F4} sum={sum:R}");
    }
}
