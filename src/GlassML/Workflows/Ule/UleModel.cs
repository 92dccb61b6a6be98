using System.Text;
using System.Text.Json;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Workflows.Ule;

/// <summary>
/// The barcode: the top K ULEs by mean |SHAP| over the training samples, the Kasper group first (founder's Voronoi index
/// with 2·n4 + n5 = 12), then the non-Kasper ULEs, each group by decreasing mean |SHAP|.
/// </summary>
/// <param name="Ules">ULE indices in barcode order.</param>
/// <param name="MeanAbsShap">Mean |SHAP| of each (same order).</param>
/// <param name="Kasper">Kasper flag of each (same order).</param>
public sealed record UleBarcode(int[] Ules, double[] MeanAbsShap, bool[] Kasper)
{
    /// <summary>Barcode length K.</summary>
    public int Length => Ules.Length;

    /// <summary>Selects the top <paramref name="k"/> ULEs (mean |SHAP| &gt; 0 only; ties to the lower index) and orders them.</summary>
    public static UleBarcode Select(double[] meanAbsShap, UleDictionary dict, int k)
    {
        var top = Enumerable.Range(0, meanAbsShap.Length).Where(j => meanAbsShap[j] > 0)
            .OrderByDescending(j => meanAbsShap[j]).ThenBy(j => j).Take(k).ToArray();
        var ordered = top.Where(j => dict.Founders[j].Kasper).Concat(top.Where(j => !dict.Founders[j].Kasper)).ToArray();
        return new UleBarcode(ordered, ordered.Select(j => meanAbsShap[j]).ToArray(), ordered.Select(j => dict.Founders[j].Kasper).ToArray());
    }

    /// <summary>The raw barcode of a sample: its fractions of the barcode ULEs.</summary>
    public double[] Raw(double[] fractions) => Ules.Select(j => fractions[j]).ToArray();

    /// <summary>The barcode renormalised to sum 1 (all zeros when the sample has none of the barcode ULEs).</summary>
    public double[] Normalised(double[] fractions)
    {
        var r = Raw(fractions);
        double s = r.Sum();
        return s > 0 ? r.Select(v => v / s).ToArray() : r;
    }

    /// <summary>Position of each ULE in the barcode (−1 when not in it), for per-atom output.</summary>
    public int[] PositionOf(int ules)
    {
        var p = Enumerable.Repeat(-1, ules).ToArray();
        for (int b = 0; b < Ules.Length; b++) p[Ules[b]] = b;
        return p;
    }
}

/// <summary>A trained ULE model: the dictionary, the GBDT on the fractions, the barcode.</summary>
public sealed class UleModel
{
    /// <summary>Method name in model files.</summary>
    public const string Method = "ule";
    /// <summary>Model schema written.</summary>
    public const int Schema = 1;

    /// <summary>Creates a model.</summary>
    public UleModel(UleDictionary dictionary, GradientBoostedTreesModel gbdt, UleBarcode barcode, int trainingAtoms)
    {
        Dictionary = dictionary; Gbdt = gbdt; Barcode = barcode; TrainingAtoms = trainingAtoms;
    }

    /// <summary>The ULE dictionary (embedded in the model file, so the model is self-contained).</summary>
    public UleDictionary Dictionary { get; }
    /// <summary>The regression of energy per atom on the fractions.</summary>
    public GradientBoostedTreesModel Gbdt { get; }
    /// <summary>The barcode.</summary>
    public UleBarcode Barcode { get; }
    /// <summary>Median atom count of the training samples (samples of another size are "transfer").</summary>
    public int TrainingAtoms { get; }

    /// <summary>Predicted energy per atom (eV/atom) of each sample vector.</summary>
    public double[] Predict(IReadOnlyList<UleSampleVector> rows, int threads = 0) =>
        Gbdt.Predict(UleRegression.Table(rows, Gbdt.FeatureNames), threads);

    /// <summary>Writes the model file (method "ule").</summary>
    public void Save(string path, IReadOnlyDictionary<string, double> metrics, IReadOnlyList<InputHash> inputs) =>
        MethodModelFile.Save(path, new MethodModelHeader(Method, Schema, Dictionary.Species, metrics, inputs),
            w =>
            {
                w.WriteStartObject("dictionary");
                Dictionary.WriteBody(w);
                w.WriteEndObject();
            },
            w =>
            {
                w.WriteNumber("training_atoms", TrainingAtoms);
                w.WriteStartObject("barcode");
                w.WriteStartArray("ules"); foreach (var j in Barcode.Ules) w.WriteNumberValue(j); w.WriteEndArray();
                JsonSupport.Array(w, "mean_abs_shap", Barcode.MeanAbsShap);
                w.WriteStartArray("kasper"); foreach (var k in Barcode.Kasper) w.WriteBooleanValue(k); w.WriteEndArray();
                w.WriteEndObject();
                w.WritePropertyName("gbdt");
                w.WriteRawValue(ModelFile.ToJson(Gbdt));
            });

    /// <summary>Loads a model file.</summary>
    /// <exception cref="InputFormatException">Not a ule model, newer schema, truncated or malformed.</exception>
    public static UleModel Load(string path)
    =>
        MethodModelFile.Read(path, Method, Schema, FromLoaded);

    /// <summary>Loads a model from bytes (e.g. the shipped demo model).</summary>
    public static UleModel Load(byte[] bytes, string name)
    =>
        MethodModelFile.Read(bytes, name, Method, Schema, FromLoaded);

    /// <summary>Reads the sections of a loaded method model.</summary>
    public static UleModel FromLoaded(LoadedMethodModel m) => m.Read(x =>
    {
        var dict = UleDictionary.FromJson(x.Recipe.GetProperty("dictionary"), x.Path);
        var gbdt = ModelFile.ParseGbdt(Encoding.UTF8.GetBytes(x.Model.GetProperty("gbdt").GetRawText()), x.Path);
        var b = x.Model.GetProperty("barcode");
        var ules = b.GetProperty("ules").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        if (ules.Any(j => j < 0 || j >= dict.Count)) throw new FormatException("barcode ULE index out of range");
        var barcode = new UleBarcode(ules, JsonSupport.ReadArray(b.GetProperty("mean_abs_shap")), b.GetProperty("kasper").EnumerateArray().Select(e => e.GetBoolean()).ToArray());
        if (gbdt.FeatureNames.Count != dict.Count) throw new FormatException($"the regression has {gbdt.FeatureNames.Count} features for {dict.Count} ULEs");
        return new UleModel(dict, gbdt, barcode, x.Model.GetProperty("training_atoms").GetInt32());
    });
}

/// <summary>The ULE method in <c>glassml demo</c>: each atom's ULE index in the shipped dictionary (−1 = unassigned).</summary>
public static class UleDemo
{
    /// <summary>Applies the shipped model to the demo glass: one column, <c>ule</c>, by atom index.</summary>
    public static double[][] Apply(Demo.DemoContext ctx)
    {
        var model = UleModel.FromLoaded(ctx.Model);
        ctx.Model.Header.CheckSpecies(ctx.Glass, "(demo glass)");
        // the glass in id order for the assignment, mapped back to the frame's atom order
        var order = Enumerable.Range(0, ctx.Glass.Count).OrderBy(i => ctx.Glass.Ids[i]).ToArray();
        var sorted = new Structure.Frame(ctx.Glass.Box, ctx.Glass.Species, order.Select(i => ctx.Glass.Ids[i]).ToArray(),
            order.Select(i => ctx.Glass.SpeciesIndex[i]).ToArray(), order.Select(i => ctx.Glass.X[i]).ToArray(),
            order.Select(i => ctx.Glass.Y[i]).ToArray(), order.Select(i => ctx.Glass.Z[i]).ToArray());
        var a = model.Dictionary.Assign(sorted, "(demo glass)", ctx.Threads);
        var ule = new double[ctx.Glass.Count];
        for (int k = 0; k < order.Length; k++) ule[order[k]] = a.Ule[k];
        return [ule];
    }
}
