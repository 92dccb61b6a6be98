using System.Text.Json;

namespace GlassML.Learning;

/// <summary>
/// Registry adapter of <see cref="IsotonicRegression"/> ("isotonic"): a 1-D monotone calibrator on a table with exactly one
/// feature column (e.g. a classifier's score). State = the fitted points.
/// </summary>
internal sealed class IsotonicLearner : ILearner
{
    public string Name => "isotonic";
    public string Description => "isotonic (monotone) regression of the target on one feature column (calibration)";
    public IReadOnlyList<string> ParameterNames { get; } = ["increasing"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        if (train.ColumnCount != 1)
            throw new ArgumentException($"isotonic regression needs exactly one feature column; the table has {train.ColumnCount}");
        var iso = IsotonicRegression.Fit(train.Values, train.Labels, increasing: LearnerState.Bool(parameters, "increasing", true));
        return new Model(train.Columns.ToArray(), parameters, iso);
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        if (names.Length != 1) throw new FormatException($"isotonic model with {names.Length} features (expected 1)");
        var x = LearnerState.ReadArray(s.GetProperty("x")); var y = LearnerState.ReadArray(s.GetProperty("y"));
        IsotonicRegression iso;
        try { iso = IsotonicRegression.FromFitted(x, y, s.GetProperty("increasing").GetBoolean()); }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
        return LearnerState.ReadMetrics(new Model(names, pars, iso), s);
    }

    private sealed class Model(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> p, IsotonicRegression iso) : TrainedModelBase("isotonic", names, p)
    {
        public override bool IsClassifier => false;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads) => new(iso.Predict(t.Values), null, null);
        protected override void WriteFields(Utf8JsonWriter w)
        {
            w.WriteBoolean("increasing", iso.Increasing);
            LearnerState.Array(w, "x", iso.X);
            LearnerState.Array(w, "y", iso.Y);
        }
    }
}
