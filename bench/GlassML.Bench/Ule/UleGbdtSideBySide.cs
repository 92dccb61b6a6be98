using System.Globalization;
using GlassML.Workflows.Ule;

namespace GlassML.Bench.Ule;

/// <summary>
/// Whole-process side-by-side of the ULE regression's sparse-histogram GBDT and XGBoost (tools/ule_gbdt_xgboost.py) on a
/// fractions table: <c>dotnet run -c Release --project bench/GlassML.Bench -- ule-gbdt FRACTIONS.csv ROUNDS DEPTH ETA THREADS OUT.csv</c>
/// reads the table (<see cref="UleFractions.Read"/>), fits <see cref="UleRegression.Fit"/> (squared error, base score = mean
/// energy, max_bin 256, min_child_weight 1, λ 1, the ULE defaults but ROUNDS, DEPTH, ETA) on every row and writes the
/// prediction of every row (eV/atom, one per line, shortest round-trip).
/// </summary>
public static class UleGbdtSideBySide
{
    /// <summary>Runs one fit and prediction.</summary>
    public static void Run(string[] args)
    {
        var rows = UleFractions.Read(args[0]);
        int rounds = int.Parse(args[1], CultureInfo.InvariantCulture), depth = int.Parse(args[2], CultureInfo.InvariantCulture);
        double eta = double.Parse(args[3], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[4], CultureInfo.InvariantCulture);
        int u = rows[0].Fractions.Length;
        var table = UleRegression.Table(rows, Enumerable.Range(0, u).Select(j => $"ule_{j}").ToArray());
        var p = UleTrainOptions.DefaultGbdt with { NEstimators = rounds, MaxDepth = depth, LearningRate = eta };
        var model = UleRegression.Fit(table, p, threads);
        var pred = model.Predict(table, threads);
        File.WriteAllLines(args[5], pred.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }
}
