using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml learn LEARNER --train TRAIN.csv [--test TEST.csv] --target COL [--params k=v,...] [--cv K] [--by-species]
/// [--species-onehot] [--out PRED.csv] [--model MODEL.json]</c>: train and evaluate a registry learner on CSV tables.
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
                + "colsample_bytree, max_bin, objective=binary|regression (default: binary for a 0/1 target, else regression), base_score, seed; "
                + "svr/svc: C, epsilon, bias, tol; gpr: kernel=rbf|dot|poly|bond, length_scale, sigma0, degree, theta, zeta (bond), constant, "
                + "noise_level, noise_fraction, alpha, normalize_y, optimizer=lbfgs|none, restarts, seed, bounds=LO:HI; knn: k, rule=vote|mean (default from the target), standardize; "
                + "isotonic: increasing.",
        };
        var cv = new Option<int>("--cv")
        {
            Description = "k-fold cross-validation on the training table (0 = none): folds keep each group whole when a group column exists, "
                + "are stratified for classifiers; metrics are pooled over all out-of-fold predictions (per-fold values printed below).",
            DefaultValueFactory = _ => 0,
        };
        var bySpecies = new Option<bool>("--by-species") { Description = "Fit one model per centre species (species column) and merge the predictions in row order." };
        var oneHot = new Option<bool>("--species-onehot") { Description = "Add one-hot columns species_<S> (from the species column) to the features." };
        var output = new Option<string?>("--out") { Description = "Predictions (.csv or .parquet) for the test rows: id (when present), prediction, probability (classifiers) or std (gpr)." };
        var model = new Option<string?>("--model") { Description = "Write the trained model (versioned JSON)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the cross-validation folds.", DefaultValueFactory = _ => 42UL };
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("learn", "Train and evaluate a learner (gradient-boosted trees, linear SVR/SVC, Gaussian process, kNN, isotonic) on CSV tables and print its metrics.");
        cmd.Arguments.Add(kind);
        foreach (var o in new Option[] { train, test, target, pars, cv, bySpecies, oneHot, output, model, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            ILearner learner = LearnerRegistry.Get(pr.GetValue(kind)!);
            bool perSpecies = pr.GetValue(bySpecies), encode = pr.GetValue(oneHot);
            if (perSpecies) learner = new BySpeciesLearner(learner);
            var p = DescriptorParameters.Split(pr.GetValue(pars));
            int th = pr.GetValue(threads);
            string? outPath = pr.GetValue(output), modelPath = pr.GetValue(model), testPath = pr.GetValue(test);
            string trainPath = pr.GetValue(train)!, targetName = pr.GetValue(target)!;
            if (outPath is not null && testPath is null) throw new ArgumentException("--out needs --test (the rows to predict)");
            int folds = pr.GetValue(cv);
            if (folds == 1 || folds < 0) throw new ArgumentException("--cv must be 0 (none) or at least 2");
            ProgressReporter.Stage($"reading {trainPath}");
            var trainTable = FeatureTableCsv.Read(trainPath, targetName);
            if ((perSpecies || encode) && trainTable.Species is null)
                throw new InputFormatException(trainPath, 1, $"{(perSpecies ? "--by-species" : "--species-onehot")} needs a '{FeatureTableCsv.SpeciesColumn}' column");
            if (encode) trainTable = SpeciesEncoding.OneHot(trainTable);
            var table = new List<string[]>();
            ProgressReporter.Stage("fitting");
            var trained = learner.Fit(trainTable, p, th);
            CrossValidationResult? cvr = null;
            if (folds >= 2)
            {
                ProgressReporter.Stage($"{folds}-fold cross-validation");
                cvr = CrossValidation.Run(learner, trainTable, p, folds, pr.GetValue(seed), trained.IsClassifier, th);
                foreach (var (name, value) in cvr.Pooled)
                {
                    trained.Metrics["cv_" + name] = value;
                    table.Add(["cv " + name + " (pooled)", Fmt(value)]);
                }
            }
            if (testPath is not null)
            {
                FeatureTable testTable;
                try { testTable = FeatureTableCsv.Read(testPath, targetName); }
                catch (InputFormatException e) when (e.Problem.Contains("target", StringComparison.OrdinalIgnoreCase)) { testTable = FeatureTableCsv.Read(testPath); }
                if ((perSpecies || encode) && testTable.Species is null)
                    throw new InputFormatException(testPath, 1, $"{(perSpecies ? "--by-species" : "--species-onehot")} needs a '{FeatureTableCsv.SpeciesColumn}' column");
                try
                {
                    if (encode) testTable = SpeciesEncoding.OneHot(testTable, SpeciesEncoding.SpeciesOf(trained.FeatureNames));
                }
                catch (ArgumentException e) { throw new InputFormatException(testPath, 0, e.Message); }
                var pred = trained.Predict(testTable, th);
                if (testTable.Labels is not null)
                    foreach (var (name, value) in CrossValidation.Score(testTable.Labels, pred, trained.IsClassifier))
                    {
                        trained.Metrics["test_" + name] = value;
                        table.Add(["test " + name, Fmt(value)]);
                    }
                if (outPath is not null) WritePredictions(outPath, testTable, pred);
            }
            if (modelPath is not null) TabularModel.From(trained).Save(modelPath);
            string what = perSpecies ? $"{learner.Name} ({trained.Parameters["learner"]} per species: {SpeciesCounts(trainTable)})" : learner.Name;
            Console.WriteLine($"{what} trained on {trainTable.Rows} rows × {trainTable.ColumnCount} features"
                + (encode ? $" (incl. {SpeciesEncoding.SpeciesOf(trained.FeatureNames).Length} one-hot species columns)" : ""));
            var fitted = trained.Parameters.Where(kv => kv.Key.StartsWith("fitted_", StringComparison.Ordinal) || kv.Key == "log_marginal_likelihood")
                .Select(kv => $"{kv.Key.Replace("fitted_", "", StringComparison.Ordinal)} = {Fmt(double.Parse(kv.Value, CultureInfo.InvariantCulture))}").ToArray();
            if (fitted.Length > 0) Console.WriteLine("fitted hyper-parameters: " + string.Join(", ", fitted));
            if (cvr is not null)
            {
                string how = cvr.Grouped
                    ? $"{cvr.Folds}-fold {cvr.Scheme}, folds grouped by column '{FeatureTableCsv.GroupColumn}' ({cvr.GroupCount} groups)"
                    : $"{cvr.Folds}-fold {cvr.Scheme} (no '{FeatureTableCsv.GroupColumn}' column: rows are split independently)";
                Console.WriteLine($"cross-validation: {how}; metrics pooled over all {trainTable.Rows} out-of-fold predictions");
            }
            if (table.Count > 0) WriteTable(["metric", "value"], table);
            if (cvr is not null)
            {
                var names = cvr.PerFold[0].Metrics.Select(m => m.Name).ToArray();
                var rows = cvr.PerFold.Select(f => (string[])[(f.Fold + 1).ToString(CultureInfo.InvariantCulture), f.Rows.ToString(CultureInfo.InvariantCulture),
                        .. names.Select(n => f.Metrics.Where(m => m.Name == n).Select(m => Fmt(m.Value)).FirstOrDefault("–"))]).ToList();
                Console.WriteLine("per-fold metrics (secondary; the pooled values above are the cross-validated estimate):");
                WriteTable(["fold", "rows", .. names], rows);
            }
            if (outPath is not null) Console.WriteLine($"predictions written to {OutputPath.Describe(outPath)}");
            if (modelPath is not null) Console.WriteLine($"model written to {modelPath}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>A plain aligned text table on standard output (first column left-aligned, the others right-aligned).</summary>
    private static void WriteTable(string[] head, List<string[]> rows)
    {
        var width = new int[head.Length];
        foreach (var r in rows.Prepend(head))
            for (int c = 0; c < r.Length; c++) width[c] = Math.Max(width[c], r[c].Length);
        foreach (var r in rows.Prepend(head))
            Console.WriteLine("  " + string.Join("  ", r.Select((v, c) => c == 0 ? v.PadRight(width[c]) : v.PadLeft(width[c]))));
    }

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string SpeciesCounts(FeatureTable t) =>
        string.Join(", ", t.Species!.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

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
