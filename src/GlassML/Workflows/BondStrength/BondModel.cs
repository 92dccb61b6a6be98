using System.Text.Json;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>Predicted strengths of every bond of a frame.</summary>
/// <param name="Bonds">The bonds (from the model's cutoffs).</param>
/// <param name="Types">Pair-type index of each bond in the model's order (<see cref="BondTable.PairTypes"/>).</param>
/// <param name="Values">Predicted bond strength of each bond.</param>
public sealed record BondPrediction(BondTable Bonds, int[] Types, double[] Values);

/// <summary>
/// The bond-strength model: species, bond cutoffs, SOAP options, GPR hyperparameters and one <see cref="BondTypeGpr"/>
/// per pair type (a pair type without training bonds has none; its bonds are predicted as NaN). Saved as a
/// <c>glassml-method-model</c> of method <c>bonds</c>.
/// </summary>
public sealed class BondModel
{
    /// <summary>Method name in model files.</summary>
    public const string Method = "bonds";
    /// <summary>Model schema version.</summary>
    public const int Schema = 1;

    /// <summary>Creates a model.</summary>
    public BondModel(IReadOnlyList<string> species, BondCutoffs cutoffs, string soap, BondGprParameters parameters, IReadOnlyList<BondTypeGpr?> types)
    {
        Species = species; Cutoffs = cutoffs; SoapText = soap; Parameters = parameters; Types = types;
        if (types.Count != BondTable.PairTypes(species).Length) throw new ArgumentException("one GPR slot per pair type is required");
    }

    /// <summary>Species in model order.</summary>
    public IReadOnlyList<string> Species { get; }
    /// <summary>Bond cutoffs.</summary>
    public BondCutoffs Cutoffs { get; }
    /// <summary>SOAP options as <c>key=value,…</c> text (<see cref="DescriptorParameters.Soap"/>).</summary>
    public string SoapText { get; }
    /// <summary>GPR hyperparameters.</summary>
    public BondGprParameters Parameters { get; }
    /// <summary>One GPR per pair type (null: no training bonds of that type).</summary>
    public IReadOnlyList<BondTypeGpr?> Types { get; }
    /// <summary>Pair type names in model order.</summary>
    public string[] PairNames => BondTable.PairTypes(Species);

    /// <summary>The SOAP options (null without the SOAP factor).</summary>
    public SoapOptions? SoapOptions => Parameters.UseSoap ? DescriptorParameters.Soap(DescriptorParameters.Split(SoapText)) : null;

    /// <summary>Unit SOAP vectors of every atom of a frame as the model uses them.</summary>
    public UnitSoap Soap(Frame frame, int threads) => BondSoap.Unit(frame, SoapOptions, Species, threads);

    /// <summary>Finds the bonds of a frame with the model's cutoffs and predicts each.</summary>
    /// <exception cref="ArgumentException">A species of the frame is not one of the model's.</exception>
    public BondPrediction Predict(Frame frame, int threads)
    {
        var bonds = BondTable.Find(frame, Cutoffs, threads);
        return new BondPrediction(bonds, bonds.TypesIn(Species), Predict(bonds, Soap(frame, threads), threads));
    }

    /// <summary>Predicts given bonds from the frame's per-atom unit SOAP vectors.</summary>
    public double[] Predict(BondTable bonds, UnitSoap soap, int threads)
    {
        var types = bonds.TypesIn(Species);
        var output = new double[bonds.Count];
        Array.Fill(output, double.NaN);
        for (int t = 0; t < Types.Count; t++)
        {
            if (Types[t] is not { } gp) continue;
            var rows = new List<int>();
            for (int b = 0; b < types.Length; b++) if (types[b] == t) rows.Add(b);
            if (rows.Count > 0) gp.Predict(rows, bonds.Distance, bonds.I, bonds.J, soap, output, threads);
        }
        return output;
    }

    /// <summary>Writes the model file.</summary>
    public void Save(string path, IReadOnlyDictionary<string, double> metrics, IReadOnlyList<InputHash> inputs)
    {
        var header = new MethodModelHeader(Method, Schema, Species, metrics, inputs);
        MethodModelFile.Save(path, header, w =>
        {
            w.WriteString("bond_cutoffs", Cutoffs.ToString());
            w.WriteString("soap", SoapText);
            w.WriteString("params", Parameters.ToString());
        }, w =>
        {
            w.WriteStartArray("types");
            for (int t = 0; t < Types.Count; t++)
            {
                w.WriteStartObject();
                w.WriteString("pair", PairNames[t]);
                if (Types[t] is { } g)
                {
                    w.WriteNumber("bonds", g.Count);
                    w.WriteNumber("dim", g.Dim);
                    JsonSupport.Number(w, "target_mean", g.TargetMean);
                    JsonSupport.Number(w, "target_std", g.TargetStd);
                    JsonSupport.Number(w, "noise", g.Noise);
                    JsonSupport.Array(w, "distance", g.Distance);
                    JsonSupport.Array(w, "alpha", g.Alpha);
                    if (g.Q is not null) JsonSupport.Array(w, "q", g.Q);
                    else { JsonSupport.Array(w, "q_i", g.Qi!); JsonSupport.Array(w, "q_j", g.Qj!); }
                }
                else w.WriteNumber("bonds", 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>Loads a model file written by <see cref="Save"/>.</summary>
    /// <exception cref="InputFormatException">Not a bonds model, newer schema, truncated or malformed.</exception>
    public static (BondModel Model, MethodModelHeader Header) Load(string path) =>
        MethodModelFile.Read(path, Method, Schema, m => (FromLoaded(m), m.Header));

    /// <summary>Builds the model from a loaded model file (e.g. the shipped demo model).</summary>
    /// <exception cref="InputFormatException">Malformed sections.</exception>
    public static BondModel FromLoaded(LoadedMethodModel m) => m.Read(x =>
    {
        var species = x.Header.Species;
        var cut = x.Field("recipe.bond_cutoffs", () => BondCutoffs.Parse(x.Recipe.GetProperty("bond_cutoffs").GetString() ?? ""));
        string soap = x.Field("recipe.soap", () => x.Recipe.GetProperty("soap").GetString() ?? "");
        var p = x.Field("recipe.params", () => BondGprParameters.Parse(x.Recipe.GetProperty("params").GetString()));
        // the SOAP options are checked here (the compute object validates them), so a damaged model is refused on loading
        if (p.UseSoap) x.Field("recipe.soap", () => new GlassML.Descriptors.Soap(DescriptorParameters.Soap(DescriptorParameters.Split(soap)) with { Species = species.ToArray() }));
        var names = BondTable.PairTypes(species);
        var arr = x.Field("model.types", () => x.Model.GetProperty("types").EnumerateArray().ToArray());
        if (arr.Length != names.Length) throw new FormatException($"model.types: {arr.Length} pair types, the species give {names.Length}");
        var types = new BondTypeGpr?[names.Length];
        for (int t = 0; t < names.Length; t++)
        {
            var e = arr[t];
            string at = $"model.types[{t}]";
            T Get<T>(string name, Func<JsonElement, T> read) => x.Field($"{at}.{name}", () => read(e.GetProperty(name)));
            if (Get("pair", v => v.GetString()) != names[t]) throw new FormatException($"{at}.pair is '{Get("pair", v => v.GetString())}', expected '{names[t]}'");
            int n = Get("bonds", v => v.GetInt32());
            if (n == 0) continue;
            int dim = Get("dim", v => v.GetInt32());
            var d = Get("distance", JsonSupport.ReadArray);
            var alpha = Get("alpha", JsonSupport.ReadArray);
            double[]? q = null, qi = null, qj = null;
            if (p.Zeta == 1) q = Get("q", JsonSupport.ReadArray);
            else { qi = Get("q_i", JsonSupport.ReadArray); qj = Get("q_j", JsonSupport.ReadArray); }
            if (d.Length != n || alpha.Length != n || (q ?? qi)!.Length != (long)n * dim || (qj is not null && qj.Length != (long)n * dim))
                throw new FormatException($"{at} (pair {names[t]}): array lengths do not match bonds = {n}, dim = {dim}");
            types[t] = new BondTypeGpr(names[t], p, dim, d, q, qi, qj, alpha,
                Get("target_mean", JsonSupport.ReadNumber), Get("target_std", JsonSupport.ReadNumber), Get("noise", JsonSupport.ReadNumber));
        }
        return new BondModel(species, cut, soap, p, types);
    });
}
