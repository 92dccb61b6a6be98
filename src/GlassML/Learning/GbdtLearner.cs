using System.Text.Json;

namespace GlassML.Learning;

/// <summary>Registry adapter of <see cref="GradientBoostedTrees"/> ("gbdt"); state = <see cref="ModelFile"/>'s boosted-tree fields.</summary>
internal sealed class GbdtLearner : ILearner
{
    public string Name => "gbdt";
    public string Description => "histogram gradient-boosted trees (XGBoost hist semantics; objective from the target unless given)";
    public IReadOnlyList<string> ParameterNames { get; } =
        ["objective", "n_estimators", "learning_rate", "max_depth", "max_leaves", "grow_policy", "min_child_weight", "gamma", "lambda",
         "alpha", "subsample", "colsample_bytree", "max_bin", "base_score", "early_stopping_rounds", "seed"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        var labels = LearnerState.Labelled(train, Name).Labels!;
        var given = new Dictionary<string, string>(parameters.ToDictionary(), StringComparer.OrdinalIgnoreCase);
        var p = GradientBoostedTreesParameters.FromDictionary(given) with { Threads = threads };
        if (!given.ContainsKey("objective"))
        {
            // the objective follows the target: 0/1 → binary, continuous → regression; other class labels need a choice
            bool binary = LearningTasks.IsBinary01(train.Labels);
            if (!binary && LearningTasks.Infer(train.Labels) == LearningTask.Classification && labels.Distinct().Count() > 1)
                throw new ArgumentException("gbdt: the target looks like class labels but not 0/1; gbdt classifies 0/1 only — relabel it, or give objective=regression to regress on it");
            p = p with { Objective = binary ? GbdtObjective.BinaryLogistic : GbdtObjective.SquaredError };
            given["objective"] = binary ? "binary" : "regression";
        }
        else if (p.Objective == GbdtObjective.BinaryLogistic)
            LearningTasks.RequireClassLabels(train.Labels, "gbdt objective=binary");
        if (p.Objective == GbdtObjective.SquaredError && !given.ContainsKey("base_score"))
        {
            // as XGBoost ≥ 2.0: a regression starts from the target mean (not 0.5), recorded with the model
            double mean = 0;
            foreach (double y in labels) mean += y;
            mean /= train.Rows;
            p = p with { BaseScore = mean };
            given["base_score"] = mean.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        return new Model(new GradientBoostedTrees(p).Fit(train), given);
    }

    public ITrainedModel Read(JsonElement state)
    {
        var g = ModelFile.ReadGbdtState(state);
        var m = new Model(g, g.Parameters.ToDictionary());
        foreach (var (k, v) in g.Metrics) m.Metrics[k] = v;
        return m;
    }

    private sealed class Model(GradientBoostedTreesModel gbdt, IReadOnlyDictionary<string, string> parameters)
        : TrainedModelBase("gbdt", gbdt.FeatureNames, parameters)
    {
        public override bool IsClassifier => gbdt.Objective == GbdtObjective.BinaryLogistic;

        protected override TabularPrediction PredictAligned(FeatureTable t, int threads)
        {
            var margin = gbdt.PredictMargin(t, threads);
            if (!IsClassifier) return new(margin, null, null);
            var prob = new double[margin.Length]; var cls = new double[margin.Length];
            for (int i = 0; i < margin.Length; i++) { prob[i] = gbdt.Transform(margin[i]); cls[i] = prob[i] > 0.5 ? 1 : 0; }
            return new(cls, prob, null);
        }

        public override void WriteState(Utf8JsonWriter w) => ModelFile.WriteGbdtState(gbdt.WithMetrics(new Dictionary<string, double>(Metrics)), w);

        protected override void WriteFields(Utf8JsonWriter w) { }
    }
}
