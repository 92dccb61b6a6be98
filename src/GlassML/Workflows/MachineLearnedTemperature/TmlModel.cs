using System.Text.Json;
using GlassML.Io;
using GlassML.Learning;

namespace GlassML.Workflows.MachineLearnedTemperature;

/// <summary>A temperature class of the model: its label (K) and the run temperatures merged into it.</summary>
/// <param name="Label">Label (K): the mean of the member temperatures.</param>
/// <param name="Members">Run temperatures (K) of the class, ascending.</param>
public sealed record TmlClass(double Label, IReadOnlyList<double> Members);

/// <summary>
/// A machine-learned-temperature model: the lags (ps) whose lg(Δr²/T) are the features, the glass transition
/// temperature Tg that separates liquid-like from solid-like atoms, and a k-nearest-neighbour regressor over the
/// training instances (T_ML = mean temperature label of the k nearest training instances, optionally after a
/// StandardScaler fitted on them). Saved as a <c>glassml-method-model</c> file of method <c>tml</c>.
/// </summary>
public sealed class TmlModel
{
    /// <summary>Method name in model files.</summary>
    public const string Method = "tml";
    /// <summary>Schema version written.</summary>
    public const int Schema = 1;

    private NearestNeighbors? _knn;

    /// <summary>Creates a model from its parts (training rows row-major rows × lags).</summary>
    public TmlModel(MethodModelHeader header, double[] lags, double tg, int k, bool standardize, double[] x, double[] labels,
        IReadOnlyList<TmlClass> classes, double[] allLags, double[] reliefWeights)
    {
        if (lags.Length == 0 || x.Length != labels.Length * lags.Length) throw new ArgumentException("training rows do not match the lags");
        if (k < 1 || k > labels.Length) throw new ArgumentException($"k = {k} must be between 1 and the {labels.Length} training instances");
        if (allLags.Length != reliefWeights.Length) throw new ArgumentException("one ReliefF weight per lag");
        Header = header; Lags = lags; Tg = tg; K = k; Standardize = standardize; X = x; Labels = labels; Classes = classes;
        AllLags = allLags; ReliefWeights = reliefWeights;
    }

    /// <summary>Shared header (species, metrics, inputs).</summary>
    public MethodModelHeader Header { get; }
    /// <summary>Lags (ps) of the feature columns, ascending.</summary>
    public double[] Lags { get; }
    /// <summary>Glass transition temperature (K): T_ML &gt; Tg is liquid-like.</summary>
    public double Tg { get; }
    /// <summary>Neighbours k.</summary>
    public int K { get; }
    /// <summary>Whether features are standardised (StandardScaler on the training rows) before the neighbour search.</summary>
    public bool Standardize { get; }
    /// <summary>Training features, row-major instances × lags.</summary>
    public double[] X { get; }
    /// <summary>Training labels (K).</summary>
    public double[] Labels { get; }
    /// <summary>Classes used.</summary>
    public IReadOnlyList<TmlClass> Classes { get; }
    /// <summary>Every lag the training computed (ps), before lags were dropped.</summary>
    public double[] AllLags { get; }
    /// <summary>ReliefF weight of each of <see cref="AllLags"/>.</summary>
    public double[] ReliefWeights { get; }
    /// <summary>Number of training instances.</summary>
    public int Rows => Labels.Length;

    /// <summary>T_ML of query rows (row-major queries × lags): mean label of the k nearest training instances.</summary>
    public double[] Predict(ReadOnlySpan<double> features, int threads = 0)
    {
        _knn ??= NearestNeighbors.Fit(new NearestNeighborsOptions(K, Standardize, Threads: threads), X, Rows, Lags.Length, Labels);
        var knn = _knn.Options.Threads == threads ? _knn : NearestNeighbors.Fit(new NearestNeighborsOptions(K, Standardize, Threads: threads), X, Rows, Lags.Length, Labels);
        return knn.PredictMean(features);
    }

    /// <summary>Writes the model file atomically.</summary>
    public void Save(string path) => MethodModelFile.Save(path, Header, w =>
    {
        w.WriteString("feature", "lg(dr2/T): log10 of the squared displacement (A^2) over the window's lag divided by the run temperature (K)");
        JsonSupport.Array(w, "lags_ps", Lags);
        JsonSupport.Number(w, "tg", Tg);
        JsonSupport.Array(w, "all_lags_ps", AllLags);
        JsonSupport.Array(w, "relieff_weights", ReliefWeights);
        w.WriteStartArray("classes");
        foreach (var c in Classes)
        {
            w.WriteStartObject();
            JsonSupport.Number(w, "label", c.Label);
            JsonSupport.Array(w, "members", c.Members.ToArray());
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }, w =>
    {
        w.WriteString("learner", "knn-mean");
        w.WriteNumber("k", K);
        w.WriteBoolean("standardize", Standardize);
        w.WriteNumber("rows", Rows);
        JsonSupport.Array(w, "labels", Labels);
        JsonSupport.Array(w, "x", X);
    });

    /// <summary>Loads a model file.</summary>
    /// <exception cref="InputFormatException">Not a tml model, newer schema, truncated or malformed.</exception>
    public static TmlModel Load(string path)
    =>
        MethodModelFile.Read(path, Method, Schema, FromLoaded);

    /// <summary>Reads a loaded method model of method tml (e.g. the shipped demo model).</summary>
    /// <exception cref="InputFormatException">Malformed sections.</exception>
    public static TmlModel FromLoaded(LoadedMethodModel m) => m.Read(l =>
    {
        var r = l.Recipe; var md = l.Model;
        var lags = JsonSupport.ReadArray(r.GetProperty("lags_ps"));
        var classes = r.GetProperty("classes").EnumerateArray()
            .Select(c => new TmlClass(JsonSupport.ReadNumber(c.GetProperty("label")), JsonSupport.ReadArray(c.GetProperty("members")))).ToArray();
        var labels = JsonSupport.ReadArray(md.GetProperty("labels"));
        var x = JsonSupport.ReadArray(md.GetProperty("x"));
        if (md.GetProperty("learner").GetString() != "knn-mean") throw new FormatException("learner is not knn-mean");
        if (md.GetProperty("rows").GetInt32() != labels.Length || x.Length != labels.Length * lags.Length)
            throw new FormatException("the training rows do not match rows × lags");
        return new TmlModel(l.Header, lags, JsonSupport.ReadNumber(r.GetProperty("tg")), md.GetProperty("k").GetInt32(),
            md.GetProperty("standardize").GetBoolean(), x, labels, classes,
            JsonSupport.ReadArray(r.GetProperty("all_lags_ps")), JsonSupport.ReadArray(r.GetProperty("relieff_weights")));
    });
}
