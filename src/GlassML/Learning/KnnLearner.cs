using System.Text.Json;

namespace GlassML.Learning;

/// <summary>Registry adapter of <see cref="NearestNeighbors"/> ("knn"); state = the training rows (refitted, deterministically, on read).</summary>
internal sealed class KnnLearner : ILearner
{
    public string Name => "knn";
    public string Description => "k-nearest neighbours (rule=vote: majority label; rule=mean: mean label; default from the target)";
    public IReadOnlyList<string> ParameterNames { get; } = ["k", "rule", "standardize"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        var p = new Dictionary<string, string>(parameters.ToDictionary(), StringComparer.OrdinalIgnoreCase);
        // the rule follows the target unless given; the resolved rule is recorded with the model
        if (!p.ContainsKey("rule")) p["rule"] = LearningTasks.Infer(train.Labels) == LearningTask.Classification ? "vote" : "mean";
        if (LearnerState.Str(p, "rule", "vote") == "vote") LearningTasks.RequireClassLabels(train.Labels, "knn rule=vote");
        return Build(train, p, threads);
    }

    private static Model Build(FeatureTable train, IReadOnlyDictionary<string, string> p, int threads)
    {
        string rule = LearnerState.Str(p, "rule", "vote");
        if (rule is not ("vote" or "mean")) throw new ArgumentException($"knn rule: '{rule}' is not vote or mean");
        var knn = NearestNeighbors.Fit(new NearestNeighborsOptions(K: LearnerState.Int(p, "k", 5), Standardize: LearnerState.Bool(p, "standardize", true), Threads: threads), train);
        return new Model(train, p, knn, rule == "vote");
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        Model m;
        try { m = Build(LearnerState.ReadRows(s, names), pars, 0); }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
        return LearnerState.ReadMetrics(m, s);
    }

    private sealed class Model(FeatureTable train, IReadOnlyDictionary<string, string> p, NearestNeighbors knn, bool vote)
        : TrainedModelBase("knn", train.Columns.ToArray(), p)
    {
        public override bool IsClassifier => vote;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads) =>
            new(vote ? knn.PredictVote(t.Values) : knn.PredictMean(t.Values), null, null);
        protected override void WriteFields(Utf8JsonWriter w) => LearnerState.WriteRows(w, train);
    }
}
