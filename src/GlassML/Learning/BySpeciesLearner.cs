using System.Text.Json;

namespace GlassML.Learning;

/// <summary>
/// One model per centre species ("by_species"): wraps any learner, fits it on each species' rows of the table
/// (<see cref="FeatureTable.Species"/>, species in ordinal order) and predicts each row with its species' model, merging
/// the predictions back in row order — the per-species models of the structural-flexibility method. The inner learner is
/// given to the constructor or, through the registry, as parameter <c>learner</c> (the other parameters go to it).
/// </summary>
public sealed class BySpeciesLearner : ILearner
{
    private readonly ILearner? _inner;

    /// <summary>Wraps <paramref name="inner"/>; null takes it from the parameter <c>learner</c>.</summary>
    public BySpeciesLearner(ILearner? inner = null) => _inner = inner;

    /// <inheritdoc/>
    public string Name => "by_species";
    /// <inheritdoc/>
    public string Description => "one model of another learner per centre species (parameter learner=NAME, table column species)";
    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => _inner is null ? ["learner"] : [.. _inner.ParameterNames];

    /// <inheritdoc/>
    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        ArgumentNullException.ThrowIfNull(parameters);
        var innerParams = new Dictionary<string, string>(parameters.ToDictionary(), StringComparer.OrdinalIgnoreCase);
        ILearner inner = _inner ?? (innerParams.Remove("learner", out var name) ? LearnerRegistry.Get(name)
            : throw new ArgumentException("by_species needs the parameter learner=NAME (the learner fitted per species)"));
        if (inner is BySpeciesLearner) throw new ArgumentException("by_species cannot wrap by_species");
        var species = train.Species ?? throw new ArgumentException("per-species models need a species column in the table");
        var names = species.Distinct().Order(StringComparer.Ordinal).ToArray();
        var models = new ITrainedModel[names.Length];
        for (int s = 0; s < names.Length; s++)
        {
            var rows = Enumerable.Range(0, train.Rows).Where(r => species[r] == names[s]).ToArray();
            try { models[s] = inner.Fit(train.SelectRows(rows), innerParams, threads); }
            catch (ArgumentException e) { throw new ArgumentException($"species {names[s]} ({rows.Length} rows): {e.Message}", e); }
        }
        if (models.Any(m => m.IsClassifier != models[0].IsClassifier))
            throw new ArgumentException($"the per-species {inner.Name} models disagree on classification vs regression; give the rule/objective explicitly");
        var recorded = new Dictionary<string, string>(innerParams, StringComparer.OrdinalIgnoreCase) { ["learner"] = inner.Name };
        return new Model(train.Columns.ToArray(), recorded, names, models);
    }

    /// <inheritdoc/>
    public ITrainedModel Read(JsonElement state)
    {
        var (features, pars) = LearnerState.ReadCommon(state);
        var names = state.GetProperty("species").EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("null species")).ToArray();
        var models = state.GetProperty("models").EnumerateArray().Select(LearnerRegistry.Read).ToArray();
        if (models.Length != names.Length || models.Length == 0) throw new FormatException($"{models.Length} models for {names.Length} species");
        return LearnerState.ReadMetrics(new Model(features, pars, names, models), state);
    }

    private sealed class Model(IReadOnlyList<string> features, IReadOnlyDictionary<string, string> p, string[] species, ITrainedModel[] models)
        : TrainedModelBase("by_species", features, p)
    {
        public override bool IsClassifier => models[0].IsClassifier;

        protected override TabularPrediction PredictAligned(FeatureTable t, int threads)
        {
            var sp = t.Species ?? throw new ArgumentException("a per-species model needs the rows' species (a species column)");
            int n = t.Rows;
            var pred = new double[n];
            double[]? prob = null, std = null;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int s = 0; s < species.Length; s++) index[species[s]] = s;
            var rowsOf = new List<int>[species.Length];
            for (int s = 0; s < species.Length; s++) rowsOf[s] = [];
            for (int r = 0; r < n; r++)
            {
                if (!index.TryGetValue(sp[r], out int s))
                    throw new ArgumentException($"row {r + 1}: species '{sp[r]}' has no model (trained on {string.Join(", ", species)})");
                rowsOf[s].Add(r);
            }
            for (int s = 0; s < species.Length; s++)
            {
                if (rowsOf[s].Count == 0) continue;
                var rows = rowsOf[s].ToArray();
                var p = models[s].Predict(t.SelectRows(rows), threads);
                for (int j = 0; j < rows.Length; j++)
                {
                    pred[rows[j]] = p.Prediction[j];
                    if (p.Probability is not null) (prob ??= new double[n])[rows[j]] = p.Probability[j];
                    if (p.Std is not null) (std ??= new double[n])[rows[j]] = p.Std[j];
                }
            }
            return new TabularPrediction(pred, prob, std);
        }

        protected override void WriteFields(Utf8JsonWriter w)
        {
            w.WriteStartArray("species"); foreach (var s in species) w.WriteStringValue(s); w.WriteEndArray();
            w.WriteStartArray("models"); foreach (var m in models) LearnerRegistry.Write(w, m); w.WriteEndArray();
        }
    }
}
