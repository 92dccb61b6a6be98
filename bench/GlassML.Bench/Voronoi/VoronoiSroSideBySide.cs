using System.Diagnostics;
using GlassML.Descriptors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Bench.Voronoi;

/// <summary>
/// Side-by-side runner for the Voronoi speed target: the s1 glass replicated na×nb×nc, then (1) the Voronoi
/// tessellation alone and (2) <see cref="Featurizer"/> with every short-range family (voronoi, motifs, steinhardt,
/// csro, distance) on both neighbour sources, which includes its own tessellation and cutoff neighbour list.
/// Prints wall and process CPU time per repeat and the peak working set.
/// Run: <c>dotnet run -c Release --project bench/GlassML.Bench -- voronoi-sro 16 16 8 2 2</c>
/// (arguments: na nb nc threads repeats [warm-ups, default 1]; the first warm-up is the cold run, JIT included).
/// </summary>
public static class VoronoiSroSideBySide
{
    /// <summary>Entry point of the runner.</summary>
    public static void Run(string[] args)
    {
        int na = int.Parse(args[0]), nb = int.Parse(args[1]), nc = int.Parse(args[2]);
        int threads = args.Length > 3 ? int.Parse(args[3]) : 2;
        int repeats = args.Length > 4 ? int.Parse(args[4]) : 2;
        int warmups = args.Length > 5 ? int.Parse(args[5]) : 1;
        var frame = VoronoiBench.LoadGlass().Replicate(na, nb, nc);
        Console.WriteLine($"{frame.Count} atoms, {threads} threads");
        var tess = new VoronoiTessellation(new VoronoiOptions { Threads = threads });
        var feat = new Featurizer(new FeaturizeOptions { Families = ["all"], Neighbors = NeighborSource.Both, Threads = threads });
        for (int k = 0; k < warmups; k++)
        {
            Time($"warm-up {k + 1} (Voronoi + all SRO)", () => feat.Compute(frame));
            if (warmups > 1) Time($"warm-up {k + 1} (Voronoi alone)", () => tess.Compute(frame));
        }
        for (int r = 0; r < repeats; r++)
        {
            Time("Voronoi alone", () => tess.Compute(frame));
            int cols = 0;
            Time("Voronoi + all SRO families", () => cols = feat.Compute(frame).Names.Count);
            Console.WriteLine($"  ({cols} columns)");
        }
        if (Environment.GetEnvironmentVariable("GLASSML_STAGES") == "1")
        {
            // the Featurizer's steps one by one, keeping every intermediate alive as it does
            var search = new GlassML.Neighbors.NeighborSearch(threads);
            GlassML.Neighbors.NeighborList cut = null!;
            VoronoiResult voro = null!;
            var blocks = new List<PerAtomFeatures>();
            Time("cutoff neighbours 3.8", () => cut = search.Ball(frame, 3.8));
            Time("tessellation", () => voro = tess.Compute(frame));
            Time("voronoi statistics", () => blocks.Add(new VoronoiStatistics(threads).Compute(frame, voro)));
            Time("motifs", () => blocks.Add(new Motifs().Compute(frame, voro)));
            foreach (var nl in new[] { voro.Neighbors, cut })
            {
                Time($"steinhardt {nl.Source}", () => blocks.Add(new Steinhardt(new SteinhardtOptions { Threads = threads }).Compute(frame, nl)));
                Time($"csro {nl.Source}", () => blocks.Add(new ChemicalOrder(new ChemicalOrderOptions { Threads = threads }).Compute(frame, nl)));
                Time($"distance {nl.Source}", () => blocks.Add(new DistanceStatistics(new DistanceStatisticsOptions { Threads = threads }).Compute(frame, nl)));
            }
            Time("concat", () => PerAtomFeatures.Concat(blocks));
        }
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB");
    }

    private static void Time(string what, Action action)
    {
        GC.Collect();
        var p = Process.GetCurrentProcess();
        var cpu0 = p.TotalProcessorTime;
        long alloc0 = GC.GetTotalAllocatedBytes();
        var pause0 = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        p.Refresh();
        Console.WriteLine($"{what}: {sw.Elapsed.TotalSeconds:F2} s wall, {(p.TotalProcessorTime - cpu0).TotalSeconds:F2} s CPU, "
                          + $"{(GC.GetTotalAllocatedBytes() - alloc0) / (1024.0 * 1024 * 1024):F2} GiB allocated, GC pauses {(GC.GetTotalPauseDuration() - pause0).TotalSeconds:F2} s");
    }
}
