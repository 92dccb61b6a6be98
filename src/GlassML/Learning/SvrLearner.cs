using System.Text.Json;

namespace GlassML.Learning;

/// <summary>Registry adapter of <see cref="LinearSvr"/> ("svr"); state = weights and bias weight.</summary>
internal sealed class SvrLearner : ILearner
{
    public string Name => "svr";
    public string Description => "L2-regularised L2-loss linear support-vector regression (LIBLINEAR -s 11)";
    public IReadOnlyList<string> ParameterNames { get; } = ["C", "epsilon", "bias", "tol"];

    internal static LinearSvmOptions Options(IReadOnlyDictionary<string, string> p, int threads) =>
        new(C: LearnerState.Num(p, "C", 1.0), Epsilon: LearnerState.Num(p, "epsilon", 0.1), Bias: LearnerState.Num(p, "bias", 1.0),
            Tolerance: p.ContainsKey("tol") ? LearnerState.Num(p, "tol", 0) : null, Threads: threads);

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        return new Model(train.Columns.ToArray(), parameters, LinearSvr.Fit(Options(parameters, threads), train));
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        var svr = LinearSvr.FromWeights(Options(pars, 0), LearnerState.ReadArray(s.GetProperty("weights")), LearnerState.ReadNum(s.GetProperty("bias_weight")));
        if (svr.Features != names.Length) throw new FormatException($"{svr.Features} weights for {names.Length} features");
        return LearnerState.ReadMetrics(new Model(names, pars, svr), s);
    }

    private sealed class Model(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> p, LinearSvr svr) : TrainedModelBase("svr", names, p)
    {
        public override bool IsClassifier => false;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads) => new(svr.Predict(t.Values), null, null);
        protected override void WriteFields(Utf8JsonWriter w)
        {
            LearnerState.Array(w, "weights", svr.Weights);
            w.WritePropertyName("bias_weight"); LearnerState.Num(w, svr.BiasWeight);
        }
    }
}
