using System.Globalization;
using GlassML.Learning;

namespace GlassML.Workflows.Softness;

/// <summary>Which non-affine displacement measure labels atoms.</summary>
public enum D2Measure
{
    /// <summary>Falk–Langer D²min summed over the neighbours (OVITO's "Non-affine squared displacement"; Å²). The method's default.</summary>
    Sum,
    /// <summary>D²min divided by the number of neighbours (Å²).</summary>
    Mean,
}

/// <summary>
/// How plastic labels are made from a compression trajectory: the label frame is the one whose engineering strain along
/// <see cref="Axis"/> is nearest <see cref="Strain"/>; D² of every frame is taken against frame 0 over the reference
/// neighbours within <see cref="Cutoff"/>; an atom is plastic when its D² exceeds <see cref="D2Threshold"/> or, with
/// <see cref="PlasticFraction"/>, when it is among that top fraction of the sample's atoms.
/// </summary>
public sealed record SoftnessLabelOptions
{
    /// <summary>Engineering strain of the label frame (magnitude; compression or tension). Default 0.04.</summary>
    public double Strain { get; init; } = 0.04;
    /// <summary>Loading axis: 0 = x, 1 = y, 2 = z (default).</summary>
    public int Axis { get; init; } = 2;
    /// <summary>D² measure. Default <see cref="D2Measure.Sum"/>.</summary>
    public D2Measure D2 { get; init; } = D2Measure.Sum;
    /// <summary>Neighbour cutoff (Å) of D² in the reference frame. Default 4.5 Å.</summary>
    public double Cutoff { get; init; } = 4.5;
    /// <summary>D² above which an atom is plastic (Å²). Default 5.</summary>
    public double D2Threshold { get; init; } = 5.0;
    /// <summary>When set, the top fraction of atoms by D² (per sample and frame) is plastic instead of a threshold.</summary>
    public double? PlasticFraction { get; init; }
    /// <summary>
    /// When set, atoms closer than this distance (Å, in the reference frame) to a non-periodic face of the box (free
    /// surfaces, loading ends) are left out of labels and scores.
    /// </summary>
    public double? Inner { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value out of range (message names the option).</exception>
    public void Validate()
    {
        if (!(Strain > 0) || !double.IsFinite(Strain)) throw new ArgumentException("--strain must be a positive engineering strain (e.g. 0.04)");
        if (Axis is < 0 or > 2) throw new ArgumentException("--axis must be x, y or z");
        if (!(Cutoff > 0) || !double.IsFinite(Cutoff)) throw new ArgumentException("--cutoff must be a positive distance (Å)");
        if (!(D2Threshold >= 0) || !double.IsFinite(D2Threshold)) throw new ArgumentException("--d2-threshold must be a finite D² ≥ 0 (Å²)");
        if (PlasticFraction is double f && !(f > 0 && f < 1)) throw new ArgumentException("--plastic-fraction must be in (0, 1)");
        if (Inner is double d && !(d > 0 && double.IsFinite(d))) throw new ArgumentException("--inner must be a positive distance (Å)");
    }

    /// <summary>How labels are made, in words (for reports and run.json).</summary>
    public string Describe() => FormattableString.Invariant(
        $"D² ({(D2 == D2Measure.Sum ? "sum" : "mean")}, cutoff {Cutoff} Å) against frame 0 at the frame nearest strain {Strain} along {"xyz"[Axis]}; plastic = ") +
        (PlasticFraction is double f ? FormattableString.Invariant($"top {f} of atoms by D²") : FormattableString.Invariant($"D² > {D2Threshold} Å²")) +
        (Inner is double d ? FormattableString.Invariant($"; atoms within {d} Å of a non-periodic face left out") : "");
}

/// <summary>
/// The feature-reduction cascade: a variance filter on the raw (unscaled) columns, a correlation filter that keeps the
/// more important of two columns with |ρ| above <see cref="Correlation"/>, the <see cref="Top"/> columns by
/// cross-validation-averaged gain, then recursive feature elimination down to <see cref="Rfe"/> columns. Text form:
/// <c>variance=0,corr=0.99,top=50,rfe=13</c> (any subset of the keys; <c>none</c> = no cascade).
/// </summary>
/// <param name="Variance">Columns whose raw variance over the training rows is at most this are dropped (0 = constant columns only).</param>
/// <param name="Correlation">|Pearson ρ| above which the less important of two columns is dropped (≥ 1 = off).</param>
/// <param name="Top">Columns kept by CV-averaged gain (0 = all).</param>
/// <param name="Rfe">Columns recursive feature elimination ends with (0 = no RFE).</param>
public sealed record CascadeOptions(double Variance = 0, double Correlation = 0.99, int Top = 50, int Rfe = 13)
{
    /// <summary>Parses <c>variance=…,corr=…,top=…,rfe=…</c> or <c>none</c>.</summary>
    /// <exception cref="ArgumentException">Unknown key or bad value.</exception>
    public static CascadeOptions Parse(string? text)
    {
        var c = new CascadeOptions();
        if (string.IsNullOrWhiteSpace(text)) return c;
        if (text.Trim() == "none") return new CascadeOptions(-1, 2, 0, 0);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--cascade: '{part}' is not key=value (keys: variance, corr, top, rfe)");
            string k = part[..eq].Trim(), v = part[(eq + 1)..].Trim();
            bool okD = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d);
            bool okI = int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i >= 0;
            c = k switch
            {
                "variance" when okD && d >= 0 => c with { Variance = d },
                "corr" when okD && d > 0 => c with { Correlation = d },
                "top" when okI => c with { Top = i },
                "rfe" when okI => c with { Rfe = i },
                "variance" or "corr" or "top" or "rfe" => throw new ArgumentException($"--cascade: bad value '{v}' for {k}"),
                _ => throw new ArgumentException($"--cascade: unknown key '{k}' (keys: variance, corr, top, rfe)"),
            };
        }
        return c;
    }

    /// <summary>The text form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"variance={Variance},corr={Correlation},top={Top},rfe={Rfe}");
}

/// <summary>Everything <c>glassml softness train</c> needs besides the manifest.</summary>
public sealed record SoftnessTrainOptions
{
    /// <summary>Label settings.</summary>
    public SoftnessLabelOptions Labels { get; init; } = new();
    /// <summary>Feature set: <c>seed</c> (the method's catalogue). Computed on frame 0 of each trajectory.</summary>
    public string Features { get; init; } = "seed";
    /// <summary>Cutoff (Å) of the seed set's cutoff shell (<see cref="Descriptors.FeaturizeOptions.SeedCutoff"/>; default amlearn's 4.0 Å).</summary>
    public double SeedCutoff { get; init; } = Descriptors.AmlearnNeighbors.DefaultDistanceCutoff;
    /// <summary>The reduction cascade.</summary>
    public CascadeOptions Cascade { get; init; } = new();
    /// <summary>Cross-validation folds (grouped by sample when there are enough training samples).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Hyper-parameter search: null, <c>random:N</c> or <c>bayes:N</c>, scored by CV AUC.</summary>
    public string? Search { get; init; }
    /// <summary>Boosted-tree parameters (XGBoost names), before any search.</summary>
    public GradientBoostedTreesParameters Gbdt { get; init; } = DefaultGbdt;
    /// <summary>Bootstrap resamples of the held-out AUC's 95 % interval.</summary>
    public int Bootstrap { get; init; } = 1000;
    /// <summary>Random seed (undersampling, folds, bootstrap, search).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Threads (0 = all cores); results are identical for any count.</summary>
    public int Threads { get; init; }
    /// <summary>Train one model per manifest <c>condition</c> and report the generalisation matrix.</summary>
    public bool Generalization { get; init; } = true;

    /// <summary>
    /// Boosted-tree defaults for small balanced training sets: 100 trees, learning rate 0.05, depth 2, min child weight 10,
    /// row subsampling 0.7, column subsampling 0.8. Deeper trees overfit a few hundred plastic atoms: on the committed MD
    /// fixture depth 4 (200 trees, min child weight 1) gave in-sample AUC 0.92 and held-out 0.52, depth 2 held-out 0.62.
    /// Larger data sets can afford deeper trees (<c>--gbdt</c>, or <c>--search</c>).
    /// </summary>
    public static GradientBoostedTreesParameters DefaultGbdt { get; } = new()
    {
        Objective = GbdtObjective.BinaryLogistic, NEstimators = 100, LearningRate = 0.05, MaxDepth = 2, MinChildWeight = 10, Subsample = 0.7, ColsampleBytree = 0.8,
    };
}
