using System.Diagnostics;
using GlassML.Learning;

namespace GlassML.Bench.Learning;

/// <summary>
/// Side-by-side GBDT timing on a CSV table (the same file tools/gbdt_timing.py times with XGBoost):
/// <c>dotnet run -c Release --project bench/GlassML.Bench -- gbdt TABLE.csv.gz TARGET ROUNDS DEPTH THREADS [DROP_COLUMN]</c>.
/// Prints rows, features, training wall and CPU seconds (after one untimed 5-round warm-up) and the training AUC/RMSE.
/// </summary>
public static class GbdtSideBySide
{
    /// <summary>
    /// Test-split accuracy on a CSV table (test = group % 5 == 4), XGBoost parameters of
    /// tools/make_gbdt_fixtures.py: <c>-- gbdt-split TABLE.csv.gz ROUNDS</c>. Prints test AUC (high_pe) and RMSE (pe).
    /// </summary>
    public static void RunSplit(string[] args)
    {
        string path = args[0];
        int rounds = int.Parse(args[1]);
        foreach (string target in new[] { "high_pe", "pe" })
        {
            var t = FeatureTableCsv.Read(path, target);
            string other = target == "pe" ? "high_pe" : "pe";
            t = t.SelectColumns(Enumerable.Range(0, t.ColumnCount).Where(c => t.Columns[c] != other).ToArray());
            var train = Enumerable.Range(0, t.Rows).Where(i => t.Groups![i] % 5 != 4).ToArray();
            var test = Enumerable.Range(0, t.Rows).Where(i => t.Groups![i] % 5 == 4).ToArray();
            var (a, b) = (t.SelectRows(train), t.SelectRows(test));
            var p = new GradientBoostedTreesParameters
            {
                Objective = target == "pe" ? GbdtObjective.SquaredError : GbdtObjective.BinaryLogistic,
                NEstimators = rounds, LearningRate = 0.1, MaxDepth = 6, MaxBin = 256,
            };
            var pred = new GradientBoostedTrees(p).Fit(a).Predict(b);
            Console.WriteLine(target == "pe"
                ? $"glassml rows={t.Rows} train={a.Rows} test={b.Rows} rounds={rounds} test_rmse={Metrics.Rmse(b.Labels, pred):F6}"
                : $"glassml rows={t.Rows} train={a.Rows} test={b.Rows} rounds={rounds} test_auc={Metrics.RocAuc(b.Labels, pred):F6}");
        }
    }

    /// <summary>Runs the timing.</summary>
    public static void Run(string[] args)
    {
        string path = args[0], target = args[1];
        int rounds = int.Parse(args[2]), depth = int.Parse(args[3]), threads = int.Parse(args[4]);
        var t = FeatureTableCsv.Read(path, target);
        if (args.Length > 5)
        {
            var keep = Enumerable.Range(0, t.ColumnCount).Where(c => t.Columns[c] != args[5]).ToArray();
            t = t.SelectColumns(keep);
        }
        bool binary = target == "high_pe";
        var p = new GradientBoostedTreesParameters
        {
            Objective = binary ? GbdtObjective.BinaryLogistic : GbdtObjective.SquaredError,
            NEstimators = 5, LearningRate = 0.1, MaxDepth = depth, MaxBin = 256, Threads = threads,
        };
        new GradientBoostedTrees(p).Fit(t);
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var model = new GradientBoostedTrees(p with { NEstimators = rounds }).Fit(t);
        double s = sw.Elapsed.TotalSeconds;
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        model.Predict(t); // warm-up
        var swp = Stopwatch.StartNew();
        var pred = model.Predict(t);
        double predictSeconds = swp.Elapsed.TotalSeconds;
        double m = binary ? Metrics.RocAuc(t.Labels, pred) : Metrics.Rmse(t.Labels, pred);
        Console.WriteLine($"glassml gbdt rows={t.Rows} features={t.ColumnCount} rounds={rounds} depth={depth} threads={threads} seconds={s:F2} cpu_seconds={cpu:F2} train_{(binary ? "auc" : "rmse")}={m:F6} predict_seconds={predictSeconds:F3}");
    }

    /// <summary>
    /// Prediction only: <c>-- gbdt-predict TABLE.csv.gz TARGET ROUNDS DEPTH THREADS REPS [DROP_COLUMN]</c>. Trains once (2
    /// threads; the model is cached as TABLE.ROUNDS.DEPTH.glassml.json beside the table), predicts once untimed, then REPS
    /// times all rows with THREADS threads; prints the median wall and process-CPU seconds per prediction.
    /// </summary>
    public static void RunPredict(string[] args)
    {
        string path = args[0], target = args[1];
        int rounds = int.Parse(args[2]), depth = int.Parse(args[3]), threads = int.Parse(args[4]), reps = int.Parse(args[5]);
        var t = FeatureTableCsv.Read(path, target);
        if (args.Length > 6) t = t.SelectColumns(Enumerable.Range(0, t.ColumnCount).Where(c => t.Columns[c] != args[6]).ToArray());
        string cache = $"{path}.{target}.{rounds}.{depth}.glassml.json";
        GradientBoostedTreesModel model;
        if (File.Exists(cache)) model = GradientBoostedTreesModel.Load(cache);
        else
        {
            model = new GradientBoostedTrees(new GradientBoostedTreesParameters
            {
                Objective = target == "high_pe" ? GbdtObjective.BinaryLogistic : GbdtObjective.SquaredError,
                NEstimators = rounds, LearningRate = 0.1, MaxDepth = depth, MaxBin = 256, Threads = 2,
            }).Fit(t);
            model.Save(cache);
        }
        if (Environment.GetEnvironmentVariable("GLASSML_BENCH_NODE_WALK") == "1")
        {
            // the former prediction path (node walk, 8 rows at a time), for before/after figures in one build
            var type = typeof(GradientBoostedTreesModel);
            type.GetField("_flatBuilt", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(model, true);
        }
        var first = model.Predict(t, threads);
        var (wall, cpu) = RepeatTiming.Median(reps, () =>
        {
            var p = model.Predict(t, threads);
            for (int i = 0; i < p.Length; i++)
                if (BitConverter.DoubleToInt64Bits(p[i]) != BitConverter.DoubleToInt64Bits(first[i])) throw new InvalidOperationException("predictions differ between runs");
        });
        double sum = 0;
        foreach (double v in first) sum += v;
        Console.WriteLine($"glassml gbdt-predict rows={t.Rows} trees={model.Trees.Count} threads={threads} reps={reps} predict_seconds={wall:F4} predict_cpu_seconds={cpu:F4} sum={sum:R}");
    }
}
