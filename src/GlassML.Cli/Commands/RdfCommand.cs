using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary><c>glassml rdf FILE --rmax R --bins N --out OUT.csv</c>: total and partial g(r).</summary>
public static class RdfCommand
{
    /// <summary>Most histogram bins <c>--bins</c> accepts (a histogram per species pair and thread is kept in memory).</summary>
    public const int MaxBins = 10_000_000;

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("FILE", "Structure file(s) (LAMMPS dump/data, extended XYZ).");
        var rmax = new Option<double>("--rmax") { Description = "Largest distance (Å).", DefaultValueFactory = _ => 10.0 };
        var bins = new Option<int>("--bins") { Description = "Number of bins.", DefaultValueFactory = _ => 200 };
        var output = new Option<string>("--out") { Description = "Output table, .csv or .parquet: columns r,total,<A-B>... .", Required = true };
        var types = CliSupport.TypesOption();
        var frame = CliSupport.FrameOption("all");
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("rdf", "Total and partial radial distribution functions g(r), normalised as LAMMPS compute rdf; averaged over the selected frames.");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { rmax, bins, output, types, frame, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var ro = CliSupport.ParseTypes(pr.GetValue(types));
            var files = CliSupport.Inputs(pr.GetValue(file), ro);
            string path = FrameFiles.Describe(files);
            double rm = pr.GetValue(rmax);
            int nb = pr.GetValue(bins);
            if (!(rm > 0) || !double.IsFinite(rm)) throw new ArgumentException("--rmax must be a positive distance");
            if (nb < 1 || nb > MaxBins) throw new ArgumentException($"--bins must be between 1 and {MaxBins}, not {nb}");
            var rdf = new PairDistribution(rm, nb);
            var search = new NeighborSearch(pr.GetValue(threads));
            var frames = FrameSelection.Select(files, pr.GetValue(frame)!, ro);
            PairDistributionResult? sum = null;
            int count = 0;
            foreach (var f in frames)
            {
                ProgressReporter.Stage($"frame {count + 1} (timestep {f.Timestep})");
                var g = rdf.Compute(f, search.Ball(f, rm));
                sum = sum is null ? g : Add(sum, g);
                count++;
            }
            if (sum is null) throw new InputFormatException(path, 0, "no frames selected");
            Write(pr.GetValue(output)!, Scale(sum, 1.0 / count));
            Console.WriteLine($"g(r) of {count} frame(s) written to {OutputPath.Describe(pr.GetValue(output)!)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Writes g(r) as CSV (r,total,partials...).</summary>
    public static void Write(string path, PairDistributionResult g)
    {
        var inv = CultureInfo.InvariantCulture;
        var columns = new List<string> { "r", "total" };
        columns.AddRange(g.PairNames);
        int rows = g.R.Length, nc = columns.Count;
        var values = new double[rows * nc];
        for (int b = 0; b < rows; b++)
        {
            values[b * nc] = double.Parse(g.R[b].ToString("G12", inv), inv); // bin centres as 12 significant digits
            values[b * nc + 1] = g.Total[b];
            for (int k = 0; k < g.Partial.Length; k++) values[b * nc + 2 + k] = g.Partial[k][b];
        }
        TableOutput.Write(path, columns, rows, values);
    }

    private static PairDistributionResult Add(PairDistributionResult a, PairDistributionResult b)
    {
        if (!a.PairNames.SequenceEqual(b.PairNames)) throw new ArgumentException("frames have different species");
        static double[] Sum(double[] x, double[] y) { var r = new double[x.Length]; for (int i = 0; i < x.Length; i++) r[i] = x[i] + y[i]; return r; }
        return a with
        {
            Total = Sum(a.Total, b.Total),
            Partial = a.Partial.Zip(b.Partial, Sum).ToArray(),
            Coordination = a.Coordination.Zip(b.Coordination, Sum).ToArray(),
        };
    }

    private static PairDistributionResult Scale(PairDistributionResult a, double s)
    {
        static double[] Mul(double[] x, double s) { var r = new double[x.Length]; for (int i = 0; i < x.Length; i++) r[i] = x[i] * s; return r; }
        return a with { Total = Mul(a.Total, s), Partial = a.Partial.Select(p => Mul(p, s)).ToArray(), Coordination = a.Coordination.Select(p => Mul(p, s)).ToArray() };
    }
}

/// <summary>Resolves a <c>--frame</c> value (index, 'last', 'all') into a stream of frames.</summary>
public static class FrameSelection
{
    /// <summary>The selected frames, streamed.</summary>
    public static IEnumerable<Frame> Select(string path, string selector, ReadOptions options) => Select([path], selector, options);

    /// <summary>The selected frames of several files read as one trajectory (indices count over all of them), streamed.</summary>
    public static IEnumerable<Frame> Select(IReadOnlyList<string> files, string selector, ReadOptions options)
    {
        selector = selector.Trim().ToLowerInvariant();
        if (selector == "all") return FrameFiles.ReadFrames(files, options);
        if (selector == "last") return [FrameFiles.ReadFrame(files, -1, options)];
        if (int.TryParse(selector, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 0)
            return [FrameFiles.ReadFrame(files, k, options)];
        throw new ArgumentException($"--frame: '{selector}' is not an index, 'last' or 'all'");
    }
}
