using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using Spectre.Console;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml learn gbdt|svr|svc|gpr|knn --train TRAIN.csv [--test TEST.csv] --target COL [--params k=v,...] [--cv K]
/// [--out PRED.csv] [--model MODEL.json]</c>: train and evaluate a learner on CSV tables.
/// </summary>
public static class LearnCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var kind = new Argument<string>("LEARNER") { Description = "One of " + string.Join(", ", LearnerRegistry.Names) + "." };
        var train = new Option<string>("--train") { Description = "Training table (CSV with a header, or .parquet; id, type, species and group columns are not features).", Required = true };
        var test = new Option<string?>("--test") { Description = "Table to predict (and score, when it has the target column)." };
        var target = new Option<string>("--target") { Description = "Name of the target column.", Required = true };
        var pars = new Option<string?>("--params")
        {
            Description = "key=value,... — gbdt: n_estimators, learning_rate, max_depth, max_leaves, min_child_weight, gamma, lambda, alpha, subsample, "
                + "colsample_bytree, max_bin, objective=binary|regression, seed; svr/svc: C, epsilon, bias, tol; gpr: kernel=rbf|dot|poly, "
                + "length_scale, sigma0, degree, alpha, normalize_y; knn: k, rule=vote|mean, standardize.",
        };
        var cv = new Option<int>("--cv") { Description = "k-fold cross-validation on the training table (0 = none; stratified for classifiers, by group when a group column exists).", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Predictions (.csv or .parquet) for the test rows: id (when present), prediction, probability (classifiers) or std (gpr)." };
        var model = new Option<string?>("--model") { Description = "Write the trained model (versioned JSON)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the cross-validation folds.", DefaultValueFactory = _ => 42UL };
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("learn", "Train and evaluate a learner (gradient-boosted trees, linear SVR/SVC, Gaussian process, kNN) on CSV tables and print its metrics.");
        cmd.Arguments.Add(kind);
        foreach (var o in new Option[] { train, test, target, pars, cv, output, model, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var k = TabularModel.ParseKind(pr.GetValue(kind)!);
            var p = DescriptorParameters.Split(pr.GetValue(pars));
            int th = pr.GetValue(threads);
            string? outPath = pr.GetValue(output), modelPath = pr.GetValue(model), testPath = pr.GetValue(test);
            if (outPath is not null && testPath is null) throw new ArgumentException("--out needs --test (the rows to predict)");
            var trainTable = FeatureTableCsv.Read(pr.GetValue(train)!, pr.GetValue(target)!);
            var table = new Table().AddColumn("metric").AddColumn("value");
            var trained = TabularModel.Train(k, trainTable, p, th);
            int folds = pr.GetValue(cv);
            if (folds == 1 || folds < 0) throw new ArgumentException("--cv must be 0 (none) or at least 2");
            if (folds >= 2)
                foreach (var (name, value) in CrossValidate(k, trainTable, p, folds, pr.GetValue(seed), th, trained.IsClassifier))
                {
                    trained.Metrics[name] = value;
                    table.AddRow(name, value.ToString("G6", CultureInfo.InvariantCulture));
                }
            if (testPath is not null)
            {
                FeatureTable testTable;
                try { testTable = FeatureTableCsv.Read(testPath, pr.GetValue(target)!); }
                catch (InputFormatException e) when (e.Problem.Contains("target", StringComparison.OrdinalIgnoreCase)) { testTable = FeatureTableCsv.Read(testPath); }
                var pred = trained.Predict(testTable, th);
                if (testTable.Labels is not null)
                    foreach (var (name, value) in Score(testTable.Labels, pred, trained.IsClassifier))
                    {
                        trained.Metrics["test_" + name] = value;
                        table.AddRow("test " + name, value.ToString("G6", CultureInfo.InvariantCulture));
                    }
                if (outPath is not null) WritePredictions(outPath, testTable, pred);
            }
            if (modelPath is not null) trained.Save(modelPath);
            AnsiConsole.MarkupLine($"[bold]{k.ToString().ToLowerInvariant()}[/] trained on {trainTable.Rows} rows × {trainTable.ColumnCount} features");
            if (table.Rows.Count > 0) AnsiConsole.Write(table);
            if (outPath is not null) Console.WriteLine($"predictions written to {outPath}");
            if (modelPath is not null) Console.WriteLine($"model written to {modelPath}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Mean of the test-fold metrics over k folds (prefixed "cv_").</summary>
    public static IEnumerable<(string Name, double Value)> CrossValidate(LearnerKind kind, FeatureTable table, IReadOnlyDictionary<string, string> p, int k, ulong seed, int threads, bool classifier)
    {
        var splits = table.Groups is not null ? Splits.GroupKFold(table.Groups, k, seed)
            : classifier ? Splits.StratifiedKFold(table.Labels, k, seed)
            : Splits.KFold(table.Rows, k, seed);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var s in splits)
        {
            var (tr, te) = Splits.Apply(table, s);
            var m = TabularModel.Train(kind, tr, p, threads);
            foreach (var (name, v) in Score(te.Labels!, m.Predict(te, threads), classifier))
            {
                if (!sums.ContainsKey(name)) { sums[name] = 0; order.Add(name); }
                sums[name] += v;
            }
        }
        foreach (var n in order) yield return ("cv_" + n, sums[n] / splits.Length);
    }

    /// <summary>Metrics of predictions against labels: AUC (with probabilities) and accuracy for classifiers; RMSE, MAE, R², Pearson otherwise.</summary>
    public static IEnumerable<(string Name, double Value)> Score(double[] y, TabularPrediction p, bool classifier)
    {
        if (classifier)
        {
            if (p.Probability is not null) yield return ("auc", Metrics.RocAuc(y, p.Probability));
            yield return ("accuracy", Metrics.Accuracy(y, p.Prediction));
            yield break;
        }
        yield return ("rmse", Metrics.Rmse(y, p.Prediction));
        yield return ("mae", Metrics.Mae(y, p.Prediction));
        yield return ("r2", Metrics.R2(y, p.Prediction));
        yield return ("pearson", Metrics.Pearson(y, p.Prediction));
    }

    private static void WritePredictions(string path, FeatureTable t, TabularPrediction p)
    {
        var cols = new List<string>();
        var data = new List<double[]>();
        if (t.Ids is not null) { cols.Add("id"); data.Add(t.Ids.Select(v => (double)v).ToArray()); }
        cols.Add("prediction"); data.Add(p.Prediction);
        if (p.Probability is not null) { cols.Add("probability"); data.Add(p.Probability); }
        if (p.Std is not null) { cols.Add("std"); data.Add(p.Std); }
        var values = new double[t.Rows * cols.Count];
        for (int r = 0; r < t.Rows; r++)
            for (int c = 0; c < cols.Count; c++) values[r * cols.Count + c] = data[c][r];
        TableOutput.Write(path, cols, t.Rows, values);
    }
}
