using System.Globalization;
using System.Text;
using System.Text.Json;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Learning;
using GlassML.Structure;

namespace GlassML.Workflows.Softness;

/// <summary>
/// A trained quench-in softness model: the feature recipe (feature set and the columns the cascade kept), the boosted
/// trees on those columns and the isotonic calibration of their raw score (margin) into softness ∈ [0, 1]. Softness is
/// the calibrated probability that an atom is plastic at the label strain, in the balanced population the trees were
/// trained on (equal numbers of plastic and other atoms).
/// </summary>
public sealed class SoftnessModel
{
    /// <summary>Method name in model files.</summary>
    public const string Method = "softness";
    /// <summary>Model schema version written.</summary>
    public const int Schema = 1;

    /// <summary>Creates a model.</summary>
    public SoftnessModel(MethodModelHeader header, string featureSet, SoftnessLabelOptions labels, string cascade,
        GradientBoostedTreesModel trees, IsotonicRegression calibration, double seedCutoff = AmlearnNeighbors.DefaultDistanceCutoff)
    {
        Header = header; FeatureSet = featureSet; Labels = labels; Cascade = cascade; Trees = trees; Calibration = calibration; SeedCutoff = seedCutoff;
    }

    /// <summary>
    /// Seed cutoff (Å) assumed for model files that do not record one: the cutoff shell of the "seed" set before it took amlearn's
    /// 4.0 Å default.
    /// </summary>
    public const double LegacySeedCutoff = 3.8;

    /// <summary>Shared model fields (species, metrics, inputs).</summary>
    public MethodModelHeader Header { get; }
    /// <summary>Feature set computed on a glass (e.g. <c>seed</c>).</summary>
    public string FeatureSet { get; }
    /// <summary>Cutoff (Å) of the seed set's cutoff shell the model was trained with (<see cref="FeaturizeOptions.SeedCutoff"/>).</summary>
    public double SeedCutoff { get; }
    /// <summary>The label settings the model was trained with (recorded, not needed to apply).</summary>
    public SoftnessLabelOptions Labels { get; }
    /// <summary>The cascade settings (text form).</summary>
    public string Cascade { get; }
    /// <summary>Boosted trees on <see cref="Columns"/>.</summary>
    public GradientBoostedTreesModel Trees { get; }
    /// <summary>Raw score → softness.</summary>
    public IsotonicRegression Calibration { get; }
    /// <summary>The feature columns the model uses (the cascade's survivors).</summary>
    public IReadOnlyList<string> Columns => Trees.FeatureNames;

    /// <summary>
    /// Computes a feature set on a glass: every column, or (for the "seed" set) only <paramref name="columns"/> and what they
    /// depend on, with the same values bit for bit (<see cref="SeedFeatureSets.ComputeColumns"/>).
    /// </summary>
    public static PerAtomFeatures ComputeFeatures(Frame glass, string featureSet, int threads, IReadOnlyList<string>? columns = null,
        double seedCutoff = AmlearnNeighbors.DefaultDistanceCutoff) =>
        new Featurizer(new FeaturizeOptions { Families = [featureSet], Threads = threads, Columns = featureSet == "seed" ? columns : null, SeedCutoff = seedCutoff }).Compute(glass);

    /// <summary>Raw scores (boosted-tree margins) of every atom from its features.</summary>
    public double[] RawScores(PerAtomFeatures features, int threads = 0) => Trees.PredictMargin(Table(features, Columns), threads);

    /// <summary>A table of the named columns of a feature block (rows = atoms).</summary>
    /// <exception cref="ArgumentException">A column is missing.</exception>
    public static FeatureTable Table(PerAtomFeatures features, IReadOnlyList<string> columns)
    {
        if (features.Names.SequenceEqual(columns)) return new FeatureTable(columns, features.AtomCount, features.Values); // no copy
        var idx = columns.Select(c => features.IndexOf(c) is int i and >= 0 ? i : throw new ArgumentException($"feature column '{c}' is missing")).ToArray();
        int n = features.AtomCount, nc = idx.Length, nf = features.FeatureCount;
        var v = new double[(long)n * nc];
        for (int a = 0; a < n; a++)
            for (int c = 0; c < nc; c++) v[(long)a * nc + c] = features.Values[(long)a * nf + idx[c]];
        return new FeatureTable(columns, n, v);
    }

    /// <summary>Softness of raw scores (non-decreasing in the score).</summary>
    public double[] Softness(double[] raw) => Calibration.Predict(raw);

    /// <summary>Softness of every atom of a glass (atoms in the frame's order); checks its species first.</summary>
    /// <exception cref="InputFormatException">A species the model was not trained on.</exception>
    /// <exception cref="ArgumentException">The feature set lacks a column of the model (e.g. a model trained on the earlier 'seed').</exception>
    public (double[] Raw, double[] Softness) Apply(Frame glass, string file, int threads = 0)
    {
        Header.CheckSpecies(glass, file);
        // the seed set: only the model's columns (and what they depend on), not the whole catalogue
        var catalogue = FeatureSet == "seed" ? SeedFeatureSets.For(glass.Species.All.Select(s => s.Name).ToArray()) : null;
        if (catalogue is not null && Columns.FirstOrDefault(c => !catalogue.Contains(c)) is string unknown)
            throw MissingColumn(unknown);
        var features = ComputeFeatures(glass, FeatureSet, threads, catalogue is null ? null : Columns, SeedCutoff);
        if (Columns.FirstOrDefault(c => features.IndexOf(c) < 0) is string missing) throw MissingColumn(missing);
        var raw = RawScores(features, threads);
        return (raw, Softness(raw));
    }

    private ArgumentException MissingColumn(string missing) =>
        new($"the model needs feature column '{missing}', which the '{FeatureSet}' feature set does not have" +
            (FeatureSet == "seed" ? " (models trained before issue 12 used the interstice-based set, now 'seed-amlearn': retrain the model)" : ""));

    /// <summary>Writes the model file.</summary>
    public void Save(string path) => MethodModelFile.Save(path, Header, w =>
    {
        w.WriteString("features", FeatureSet);
        if (FeatureSet == "seed") JsonSupport.Number(w, "seed_cutoff", SeedCutoff);
        JsonSupport.Array(w, "columns", Columns);
        w.WriteString("cascade", Cascade);
        w.WriteStartObject("labels");
        JsonSupport.Number(w, "strain", Labels.Strain);
        w.WriteString("axis", "xyz"[Labels.Axis].ToString());
        w.WriteString("d2", Labels.D2 == D2Measure.Sum ? "sum" : "mean");
        JsonSupport.Number(w, "cutoff", Labels.Cutoff);
        JsonSupport.Number(w, "d2_threshold", Labels.D2Threshold);
        if (Labels.PlasticFraction is double f) JsonSupport.Number(w, "plastic_fraction", f);
        if (Labels.Inner is double d) JsonSupport.Number(w, "inner", d);
        w.WriteEndObject();
    }, w =>
    {
        w.WritePropertyName("trees");
        w.WriteRawValue(Compact(ModelFile.ToJson(Trees)));
        w.WriteStartObject("calibration");
        w.WriteString("kind", "isotonic");
        JsonSupport.Array(w, "x", Calibration.X);
        JsonSupport.Array(w, "y", Calibration.Y);
        w.WriteEndObject();
    });

    // the trees' JSON without indentation (numbers keep their literal text, so the model still round-trips bit for bit) and
    // without the training thread count (not part of the model: the same bytes for any --threads)
    private static string Compact(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        if (node["parameters"] is System.Text.Json.Nodes.JsonObject p && p.ContainsKey("nthread")) p["nthread"] = "0";
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Loads a model file.</summary>
    /// <exception cref="InputFormatException">Not a softness model, newer schema, truncated or malformed.</exception>
    public static SoftnessModel Load(string path)
    =>
        MethodModelFile.Read(path, Method, Schema, FromLoaded);

    /// <summary>Loads a model from its bytes (e.g. the one shipped in the library).</summary>
    public static SoftnessModel Load(byte[] bytes, string name)
    =>
        MethodModelFile.Read(bytes, name, Method, Schema, FromLoaded);

    /// <summary>Reads the softness sections of a loaded method model.</summary>
    public static SoftnessModel FromLoaded(LoadedMethodModel m) => m.Read(x =>
    {
        var r = x.Recipe;
        string features = r.GetProperty("features").GetString() ?? throw new FormatException("features");
        var lab = r.GetProperty("labels");
        var labels = new SoftnessLabelOptions
        {
            Strain = JsonSupport.ReadNumber(lab.GetProperty("strain")),
            Axis = "xyz".IndexOf(lab.GetProperty("axis").GetString() ?? "z", StringComparison.Ordinal),
            D2 = lab.GetProperty("d2").GetString() == "mean" ? D2Measure.Mean : D2Measure.Sum,
            Cutoff = JsonSupport.ReadNumber(lab.GetProperty("cutoff")),
            D2Threshold = JsonSupport.ReadNumber(lab.GetProperty("d2_threshold")),
            PlasticFraction = lab.TryGetProperty("plastic_fraction", out var pf) ? JsonSupport.ReadNumber(pf) : null,
            Inner = lab.TryGetProperty("inner", out var inn) ? JsonSupport.ReadNumber(inn) : null,
        };
        var treesJson = Encoding.UTF8.GetBytes(x.Model.GetProperty("trees").GetRawText());
        var trees = ModelFile.ParseGbdt(treesJson, x.Path);
        var cal = x.Model.GetProperty("calibration");
        if (cal.GetProperty("kind").GetString() != "isotonic") throw new FormatException("calibration kind must be isotonic");
        var iso = IsotonicRegression.FromFitted(cal.GetProperty("x").EnumerateArray().Select(JsonSupport.ReadNumber).ToArray(),
            cal.GetProperty("y").EnumerateArray().Select(JsonSupport.ReadNumber).ToArray(), increasing: true);
        var cols = JsonSupport.ReadStrings(r.GetProperty("columns"));
        if (!cols.SequenceEqual(trees.FeatureNames)) throw new FormatException("recipe columns differ from the trees' feature names");
        double seedCutoff = r.TryGetProperty("seed_cutoff", out var sc) ? JsonSupport.ReadNumber(sc) : LegacySeedCutoff;
        return new SoftnessModel(x.Header, features, labels, r.GetProperty("cascade").GetString() ?? "", trees, iso, seedCutoff);
    });

    /// <summary>A one-line description.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"softness model: {FeatureSet} features → {Columns.Count} columns, {Trees.Trees.Count} trees, species {string.Join(",", Header.Species)}");
}
