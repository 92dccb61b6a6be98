using System.Text.Json;

namespace GlassML.Learning;

/// <summary>Predictions of a trained learner: value (class label for classifiers), class probability (binary classifiers) and predictive std (GPR).</summary>
/// <param name="Prediction">Predicted value or class label per row.</param>
/// <param name="Probability">Probability of the positive class (binary classifiers with a score), else null.</param>
/// <param name="Std">Predictive standard deviation (Gaussian process), else null.</param>
public sealed record TabularPrediction(double[] Prediction, double[]? Probability, double[]? Std);

/// <summary>
/// A learning algorithm with its hyper-parameters given by name (scikit-learn's estimator habit): <see cref="Fit"/> trains
/// on a labelled <see cref="FeatureTable"/> and returns an <see cref="ITrainedModel"/>; <see cref="Read"/> rebuilds a
/// trained model from the state its <see cref="ITrainedModel.WriteState"/> wrote. Learners are found by name in
/// <see cref="LearnerRegistry"/>; workflows compose them through this interface without switching on the kind.
/// Implementations are stateless and thread-safe.
/// </summary>
public interface ILearner
{
    /// <summary>Registry name (lower case, e.g. "gbdt").</summary>
    string Name { get; }
    /// <summary>One-line description for help texts.</summary>
    string Description { get; }
    /// <summary>Accepted parameter names (case-insensitive); any other key is refused by <see cref="Fit"/>.</summary>
    IReadOnlyList<string> ParameterNames { get; }
    /// <summary>Trains on the table's features and labels. Results are bit-identical for any <paramref name="threads"/> (0 = all cores).</summary>
    /// <exception cref="ArgumentException">No labels, an unknown parameter or a bad value (the message names it), or labels the learner cannot use.</exception>
    ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0);
    /// <summary>Rebuilds a model from the properties <see cref="ITrainedModel.WriteState"/> wrote into <paramref name="state"/> (a JSON object).</summary>
    /// <exception cref="FormatException">Malformed state (also <see cref="KeyNotFoundException"/> for a missing field,
    /// <see cref="InvalidOperationException"/> for a field of the wrong JSON kind).</exception>
    ITrainedModel Read(JsonElement state);
}

/// <summary>
/// A trained learner on named feature columns. <see cref="Predict"/> matches the table's columns to
/// <see cref="FeatureNames"/> by name (refusing missing or extra ones); <see cref="WriteState"/> writes everything needed
/// to predict bit-identically after <see cref="ILearner.Read"/>, as properties of the JSON object the writer is in, so the
/// state can be embedded in a larger model file (see <see cref="LearnerRegistry.Write"/>).
/// </summary>
public interface ITrainedModel
{
    /// <summary>Registry name of the learner that made it.</summary>
    string LearnerName { get; }
    /// <summary>Feature column names in model order.</summary>
    IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Training parameters (name → value string); fitted hyper-parameters are recorded here too where a learner fits them.</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }
    /// <summary>Metrics recorded with the model (e.g. cross-validated R²); saved with its state.</summary>
    IDictionary<string, double> Metrics { get; }
    /// <summary>True when <see cref="TabularPrediction.Prediction"/> holds class labels.</summary>
    bool IsClassifier { get; }
    /// <summary>Predicts the rows of a table.</summary>
    /// <exception cref="ArgumentException">The table's columns differ from <see cref="FeatureNames"/>.</exception>
    TabularPrediction Predict(FeatureTable table, int threads = 0);
    /// <summary>Writes the model's state as properties of the current JSON object (feature_names, parameters, metrics, learner fields).</summary>
    void WriteState(Utf8JsonWriter writer);
}
