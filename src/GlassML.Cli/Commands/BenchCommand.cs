using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml bench neighbors</c>: wall time and peak memory of the neighbour-list build on a replicated glass
/// (the demo glass unless a file is given). Numbers in docs/benchmarks.md come from this verb.
/// </summary>
public static class BenchCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var cmd = new Command("bench", "Timing harness for the hot paths (results go to docs/benchmarks.md).");
        var nb = new Command("neighbors", "Neighbour-list build time and peak memory on a replicated glass.");
        var file = new Option<string?>("--file") { Description = "Structure file (default: the embedded demo glass)." };
        var types = CliSupport.TypesOption();
        var atoms = new Option<int>("--atoms") { Description = "Replicate the glass to at least this many atoms.", DefaultValueFactory = _ => 1_000_000 };
        var cutoffs = new Option<string>("--cutoff") { Description = "Comma-separated cutoffs (Å).", DefaultValueFactory = _ => "3.8,5.0" };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions (the best is reported).", DefaultValueFactory = _ => 3 };
        var threads = CliSupport.ThreadsOption();
        foreach (var o in new Option[] { file, types, atoms, cutoffs, repeats, threads }) nb.Options.Add(o);
        nb.SetAction(pr => CliSupport.Run(() =>
        {
            var path = pr.GetValue(file);
            Frame glass = path is null ? DemoGlass.Load() : Io.StructureReader.ReadFrame(path, 0, CliSupport.ParseTypes(pr.GetValue(types)));
            int target = pr.GetValue(atoms);
            int rep = Math.Max(1, (int)Math.Ceiling(Math.Cbrt(target / (double)glass.Count)));
            var big = rep > 1 ? glass.Replicate(rep, rep, rep) : glass;
            var search = new NeighborSearch(pr.GetValue(threads));
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"atoms {big.Count} ({glass.Count} × {rep}³), threads {(search.Threads == 0 ? Environment.ProcessorCount : search.Threads)}"));
            foreach (var rc in CliSupport.ParseDoubles(pr.GetValue(cutoffs)!, "--cutoff"))
            {
                double best = double.MaxValue; long pairs = 0;
                for (int k = 0; k < Math.Max(1, pr.GetValue(repeats)); k++)
                {
                    GC.Collect(); GC.WaitForPendingFinalizers();
                    var sw = Stopwatch.StartNew();
                    var nl = search.Ball(big, rc);
                    sw.Stop();
                    best = Math.Min(best, sw.Elapsed.TotalSeconds); pairs = nl.PairCount;
                }
                double peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024);
                Console.WriteLine(string.Create(inv, $"cutoff {rc} Å: {pairs} pairs ({pairs / (double)big.Count:F1}/atom), best {best:F3} s, process peak working set {peak:F2} GiB"));
            }
            return 0;
        }));
        cmd.Subcommands.Add(nb);
        cmd.Subcommands.Add(SoftnessInputs());
        cmd.Subcommands.Add(Simd());
        return cmd;
    }

    // the vector widths and instruction sets this process's code uses: a Native AOT publish fixes them at compile time
    // (IlcInstructionSet), the JIT per machine; the two give bit-identical results only when these lines agree
    // (tools/check_aot.sh)
    private static Command Simd()
    {
        var cmd = new Command("simd", "Print the vector widths and instruction sets this build uses (Vector<double>.Count, Vector128/256/512 acceleration, AVX2, FMA).");
        cmd.SetAction(_ => CliSupport.Run(() =>
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Vector<double>.Count {System.Numerics.Vector<double>.Count}, Vector128 {System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated}, " +
                $"Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, " +
                $"AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}, " +
                $"AVX-512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, AdvSimd {System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported}, " +
                $"dynamic code {System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled}"));
            return 0;
        }));
        return cmd;
    }

    // what `softness train` computes per sample before learning: D² labels over every frame (streamed) and the feature set
    // on frame 0
    private static Command SoftnessInputs()
    {
        var c = new Command("softness-inputs", "Time and peak memory of what softness train computes per trajectory: D² labels of every frame (streamed) and the seed features of frame 0.");
        var file = new Argument<string>("TRAJECTORY") { Description = "Compression trajectory (frame 0 = the glass)." };
        var types = CliSupport.TypesOption();
        var threads = CliSupport.ThreadsOption();
        c.Arguments.Add(file);
        foreach (var o in new Option[] { types, threads }) c.Options.Add(o);
        c.SetAction(pr => CliSupport.Run(() =>
        {
            var inv = CultureInfo.InvariantCulture;
            int th = pr.GetValue(threads);
            var sw = Stopwatch.StartNew();
            var labels = Workflows.Softness.SoftnessLabels.Compute(pr.GetValue(file)!, CliSupport.ParseTypes(pr.GetValue(types)), new Workflows.Softness.SoftnessLabelOptions(), th);
            double tl = sw.Elapsed.TotalSeconds, cl = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var features = Workflows.Softness.SoftnessModel.ComputeFeatures(labels.Reference, "seed", th);
            double peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024);
            Console.WriteLine(string.Create(inv, $"atoms {labels.Reference.Count}, frames {labels.Strains.Length}, plastic {100 * labels.PlasticFraction:F2} % at frame {labels.LabelFrame}; labels {tl:F1} s wall ({cl:F1} s process CPU so far), features ({features.FeatureCount} columns) {sw.Elapsed.TotalSeconds - tl:F1} s wall; process CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, peak working set {peak:F2} GiB"));
            return 0;
        }));
        return c;
    }
}
