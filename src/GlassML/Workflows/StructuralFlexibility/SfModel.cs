using System.Text.Json;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;

namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>The linear SVR of one centre species: weights per feature of the recipe, the bias feature's weight and the learner settings.</summary>
/// <param name="Species">Centre species.</param>
/// <param name="Svr">The learner (LIBLINEAR <c>-s 11</c> semantics; bias feature value <see cref="LinearSvmOptions.Bias"/>).</param>
public sealed record SfSpeciesModel(string Species, LinearSvr Svr);

/// <summary>
/// A structural-flexibility model (method <c>sf</c>): SF_i = w_s · G_i + b_s·B for an atom i of centre species s, where
/// G_i are the radial structure functions of <see cref="SfRecipe"/> (r_p fixed at training) and w_s, b_s the weights of
/// one linear SVR per centre species trained on ln v_flex. Saved and loaded through <see cref="MethodModelFile"/>; a
/// reloaded model predicts bit for bit.
/// </summary>
public sealed class SfModel
{
    /// <summary>Method name in model files.</summary>
    public const string Method = "sf";
    /// <summary>Model schema version written.</summary>
    public const int Schema = 1;

    /// <summary>Creates a model.</summary>
    public SfModel(SfRecipe recipe, IReadOnlyList<SfSpeciesModel> learners, IReadOnlyDictionary<string, double>? metrics = null, IReadOnlyList<InputHash>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(learners);
        recipe.Validate();
        int f = recipe.FeatureNames.Count;
        foreach (var l in learners)
        {
            if (!recipe.Species.Contains(l.Species)) throw new ArgumentException($"learner for species '{l.Species}' not in the recipe's species");
            if (l.Svr.Features != f) throw new ArgumentException($"learner of '{l.Species}' has {l.Svr.Features} weights, the recipe {f} features");
        }
        Recipe = recipe; Learners = learners;
        Metrics = metrics ?? new Dictionary<string, double>();
        Inputs = inputs ?? [];
    }

    /// <summary>The feature recipe.</summary>
    public SfRecipe Recipe { get; }
    /// <summary>One learner per centre species that had training atoms.</summary>
    public IReadOnlyList<SfSpeciesModel> Learners { get; }
    /// <summary>Training metrics (name → value).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }
    /// <summary>Training inputs with hashes.</summary>
    public IReadOnlyList<InputHash> Inputs { get; }

    /// <summary>The learner of a centre species, or null.</summary>
    public LinearSvr? LearnerOf(string species) => Learners.FirstOrDefault(l => l.Species == species)?.Svr;

    /// <summary>
    /// SF of every atom (frame order) from positions and species alone. An atom whose species has no learner is NaN.
    /// </summary>
    /// <param name="frame">The structure.</param>
    /// <param name="threads">Threads (0 = all cores); the result does not depend on it.</param>
    /// <param name="file">Name of the structure in messages.</param>
    /// <exception cref="InputFormatException">The structure holds a species the model was not trained on.</exception>
    public double[] Apply(Frame frame, int threads = 0, string file = "(structure)")
    {
        ArgumentNullException.ThrowIfNull(frame);
        Header.CheckSpecies(frame, file);
        var feats = Recipe.Features(frame, threads);
        return Predict(frame, feats);
    }

    /// <summary>SF from precomputed features of <see cref="SfRecipe.Features"/> (rows in frame order).</summary>
    public double[] Predict(Frame frame, Descriptors.PerAtomFeatures features)
    {
        int n = frame.Count, f = features.FeatureCount;
        var sf = new double[n];
        Array.Fill(sf, double.NaN);
        for (int s = 0; s < frame.Species.Count; s++)
        {
            var svr = LearnerOf(frame.Species[s].Name);
            if (svr is null) continue;
            var rows = new List<int>();
            for (int i = 0; i < n; i++) if (frame.SpeciesIndex[i] == s) rows.Add(i);
            if (rows.Count == 0) continue;
            var x = new double[rows.Count * f];
            for (int k = 0; k < rows.Count; k++) features.Row(rows[k]).CopyTo(x.AsSpan(k * f, f));
            var p = svr.Predict(x);
            for (int k = 0; k < rows.Count; k++) sf[rows[k]] = p[k];
        }
        return sf;
    }

    /// <summary>The shared header of the model file.</summary>
    public MethodModelHeader Header => new(Method, Schema, Recipe.Species, Metrics, Inputs);

    /// <summary>Writes the model file.</summary>
    public void Save(string path) => MethodModelFile.Save(path, Header, Recipe.Write, w =>
    {
        w.WriteString("learner", "linear_svr");
        w.WriteString("target", "ln_v_flex");
        JsonSupport.Array(w, "features", Recipe.FeatureNames);
        w.WriteStartArray("species_models");
        foreach (var l in Learners)
        {
            var o = l.Svr.Options;
            w.WriteStartObject();
            w.WriteString("species", l.Species);
            JsonSupport.Number(w, "c", o.C);
            JsonSupport.Number(w, "epsilon", o.Epsilon);
            JsonSupport.Number(w, "tolerance", o.Tolerance ?? 1e-4);
            JsonSupport.Number(w, "bias", o.Bias);
            JsonSupport.Number(w, "bias_weight", l.Svr.BiasWeight);
            JsonSupport.Array(w, "weights", l.Svr.Weights);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Loads a model file written by <see cref="Save"/>.</summary>
    /// <exception cref="InputFormatException">Not an sf model, a newer schema, truncated or malformed (one line naming the file).</exception>
    public static SfModel Load(string path)
    =>
        MethodModelFile.Read(path, Method, Schema, FromLoaded);

    /// <summary>Loads a model from its bytes (e.g. the shipped demo model).</summary>
    public static SfModel Load(byte[] bytes, string name)
    =>
        MethodModelFile.Read(bytes, name, Method, Schema, FromLoaded);

    /// <summary>Reads the sf sections of a loaded method model.</summary>
    public static SfModel FromLoaded(LoadedMethodModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.Read(x =>
        {
            var recipe = SfRecipe.Read(x.Recipe, x.Header.Species);
            if (x.Model.GetProperty("learner").GetString() != "linear_svr") throw new FormatException("learner is not linear_svr");
            var names = JsonSupport.ReadStrings(x.Model.GetProperty("features"));
            if (!names.SequenceEqual(recipe.FeatureNames)) throw new FormatException("the feature list does not match the recipe's grid and species");
            var learners = new List<SfSpeciesModel>();
            foreach (var e in x.Model.GetProperty("species_models").EnumerateArray())
            {
                string sp = e.GetProperty("species").GetString() ?? "";
                var o = new LinearSvmOptions(JsonSupport.ReadNumber(e.GetProperty("c")), JsonSupport.ReadNumber(e.GetProperty("epsilon")),
                    JsonSupport.ReadNumber(e.GetProperty("bias")), JsonSupport.ReadNumber(e.GetProperty("tolerance")));
                var w = JsonSupport.ReadArray(e.GetProperty("weights"));
                if (w.Length != names.Length) throw new FormatException($"species '{sp}': {w.Length} weights for {names.Length} features");
                learners.Add(new SfSpeciesModel(sp, LinearSvr.FromWeights(o, w, JsonSupport.ReadNumber(e.GetProperty("bias_weight")))));
            }
            return new SfModel(recipe, learners, x.Header.Metrics, x.Header.Inputs);
        });
    }
}
