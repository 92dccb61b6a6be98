using GlassML.Descriptors;

namespace GlassML.Workflows.Ule;

/// <summary>How the similarity M of two unit-length SOAP vectors p̂_i, p̂_j is measured.</summary>
public enum UleSimilarity
{
    /// <summary>M = 1 − ‖p̂_i − p̂_j‖/2 (1 for identical environments, 0 for opposite vectors).</summary>
    Distance,
    /// <summary>M = p̂_i · p̂_j (the normalised dot-product kernel).</summary>
    Cosine,
}

/// <summary>
/// Options of the ULE dictionary (unique local environments): the SOAP descriptor, the similarity and the threshold of
/// leader clustering (or a target ULE count the threshold is bisected to).
/// </summary>
public sealed record UleOptions
{
    /// <summary>
    /// The method's SOAP: r_cut 5 Å, n_max 11, l_max 12, σ 0.5 Å, gto basis, cross-species blocks, periodic, rows scaled
    /// to unit length (<see cref="SoapOptions.Normalize"/> is always forced on).
    /// </summary>
    public static SoapOptions DefaultSoap { get; } = new() { RCut = 5.0, NMax = 11, LMax = 12, Sigma = 0.5, Rbf = SoapRadialBasis.Gto, Crossover = true, Periodic = true, Normalize = true };

    /// <summary>SOAP options (Normalize is forced on; Species, when null, is taken from the first training sample).</summary>
    public SoapOptions Soap { get; init; } = DefaultSoap;
    /// <summary>Similarity measure.</summary>
    public UleSimilarity Similarity { get; init; } = UleSimilarity.Distance;
    /// <summary>Exponent ζ ≥ 1 applied to M (M ← M^ζ; 1 = none).</summary>
    public double Zeta { get; init; } = 1.0;
    /// <summary>Leader-clustering threshold: an atom founds a new ULE when its best M is below it (the method's 0.84).</summary>
    public double Threshold { get; init; } = 0.84;
    /// <summary>When set, the threshold is bisected so that the training set gives about this many ULEs.</summary>
    public int? TargetCount { get; init; }
    /// <summary>Bisection steps for <see cref="TargetCount"/>.</summary>
    public int BisectionSteps { get; init; } = 14;
    /// <summary>Thresholds at which the ULE count is also reported (empty: a default grid around the threshold).</summary>
    public IReadOnlyList<double>? CurveThresholds { get; init; }
    /// <summary>A clustering that reaches this many ULEs is stopped (the count is reported as "≥ cap") — guards the curve and bisection.</summary>
    public int CountCap { get; init; } = 20000;
    /// <summary>Worker threads (0 = all cores). Results are identical for any count.</summary>
    public int Threads { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(Zeta >= 1) || double.IsInfinity(Zeta)) throw new ArgumentException($"--zeta must be ≥ 1 (got {Zeta})");
        if (!(Threshold > 0 && Threshold <= 1)) throw new ArgumentException($"--threshold must be in (0, 1] (got {Threshold})");
        if (TargetCount is int u && u < 1) throw new ArgumentException($"--target-count must be ≥ 1 (got {u})");
        if (!Enum.IsDefined(Similarity)) throw new ArgumentException("--similarity must be distance or cosine");
        if (BisectionSteps < 1) throw new ArgumentException("bisection steps must be ≥ 1");
        if (CountCap < 1) throw new ArgumentException("count cap must be ≥ 1");
    }
}
