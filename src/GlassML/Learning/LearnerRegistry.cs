using System.Text.Json;

namespace GlassML.Learning;

/// <summary>
/// The learners by name: gbdt, svr, svc, gpr, knn, isotonic, and the wrapper by_species (one model per species). <see cref="Get"/> finds one; <see cref="Write"/> and
/// <see cref="Read(JsonElement)"/> embed a trained model in a larger JSON document as an object
/// <c>{ "learner": name, …state… }</c>.
/// </summary>
public static class LearnerRegistry
{
    private static readonly ILearner[] All =
        [new GbdtLearner(), new SvrLearner(), new SvcLearner(), new GprLearner(), new KnnLearner(), new IsotonicLearner(), new BySpeciesLearner()];

    /// <summary>Every registered learner, in a fixed order.</summary>
    public static IReadOnlyList<ILearner> Learners => All;

    /// <summary>Registered names, in the order of <see cref="Learners"/>.</summary>
    public static IReadOnlyList<string> Names => All.Select(l => l.Name).ToArray();

    /// <summary>The learner of that name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static ILearner Get(string name) =>
        All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown learner '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>Trains the named learner (shorthand for <c>Get(name).Fit(…)</c>).</summary>
    public static ITrainedModel Fit(string name, FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0) =>
        Get(name).Fit(train, parameters, threads);

    /// <summary>Rebuilds a model of the named learner from its state object.</summary>
    /// <exception cref="FormatException">Unknown learner name or malformed state (see <see cref="ILearner.Read"/> for the other exceptions).</exception>
    public static ITrainedModel Read(string name, JsonElement state)
    {
        ILearner learner;
        try { learner = Get(name); }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
        return learner.Read(state);
    }

    /// <summary>Writes <c>"propertyName": { "learner": name, …state… }</c> (or an unnamed object when <paramref name="propertyName"/> is null).</summary>
    public static void Write(Utf8JsonWriter writer, ITrainedModel model, string? propertyName = null)
    {
        ArgumentNullException.ThrowIfNull(writer); ArgumentNullException.ThrowIfNull(model);
        if (propertyName is null) writer.WriteStartObject(); else writer.WriteStartObject(propertyName);
        writer.WriteString("learner", model.LearnerName);
        model.WriteState(writer);
        writer.WriteEndObject();
    }

    /// <summary>Reads an object written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">No "learner" name, unknown learner or malformed state.</exception>
    public static ITrainedModel Read(JsonElement embedded)
    {
        if (embedded.ValueKind != JsonValueKind.Object || !embedded.TryGetProperty("learner", out var n) || n.ValueKind != JsonValueKind.String)
            throw new FormatException("learner state lacks its \"learner\" name");
        return Read(n.GetString()!, embedded);
    }
}
