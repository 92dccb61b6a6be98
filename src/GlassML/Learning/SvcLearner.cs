using System.Text.Json;

namespace GlassML.Learning;

/// <summary>Registry adapter of <see cref="LinearSvc"/> ("svc"); state = classes, weight vectors and bias weights.</summary>
internal sealed class SvcLearner : ILearner
{
    public string Name => "svc";
    public string Description => "L2-regularised L2-loss linear support-vector classification (LIBLINEAR -s 2; one-vs-rest)";
    public IReadOnlyList<string> ParameterNames { get; } = ["C", "bias", "tol"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        LearningTasks.RequireClassLabels(train.Labels, Name);
        return new Model(train.Columns.ToArray(), parameters, LinearSvc.Fit(SvrLearner.Options(parameters, threads), train));
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        var svc = LinearSvc.FromWeights(SvrLearner.Options(pars, 0), LearnerState.ReadArray(s.GetProperty("classes")),
            s.GetProperty("weights").EnumerateArray().Select(LearnerState.ReadArray).ToArray(), LearnerState.ReadArray(s.GetProperty("bias_weights")));
        if (svc.Weights.Any(v => v.Length != names.Length)) throw new FormatException($"weight vectors do not have {names.Length} entries");
        return LearnerState.ReadMetrics(new Model(names, pars, svc), s);
    }

    private sealed class Model(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> p, LinearSvc svc) : TrainedModelBase("svc", names, p)
    {
        public override bool IsClassifier => true;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads) => new(svc.Predict(t.Values), null, null);
        protected override void WriteFields(Utf8JsonWriter w)
        {
            LearnerState.Array(w, "classes", svc.Classes);
            w.WriteStartArray("weights");
            foreach (var v in svc.Weights) { w.WriteStartArray(); foreach (var x in v) LearnerState.Num(w, x); w.WriteEndArray(); }
            w.WriteEndArray();
            LearnerState.Array(w, "bias_weights", svc.BiasWeights);
        }
    }
}
