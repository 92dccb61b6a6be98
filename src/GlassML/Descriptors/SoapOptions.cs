namespace GlassML.Descriptors;

/// <summary>Radial basis of the SOAP expansion (DScribe's <c>rbf</c>).</summary>
public enum SoapRadialBasis
{
    /// <summary>
    /// Orthonormalised l-dependent Gaussian-type orbitals g_nl(r) = Σ_k β_lnk r^l exp(−α_lk r²) on [0, ∞)
    /// (DScribe <c>rbf="gto"</c>); radial integrals in closed form.
    /// </summary>
    Gto,
    /// <summary>
    /// Orthonormalised polynomials g_n(r) = Σ_k β_nk (r_cut − r)^{k+2}, k = 1..n_max, on [0, r_cut]
    /// (DScribe <c>rbf="polynomial"</c>); radial integrals by 100-point Gauss–Legendre quadrature.
    /// </summary>
    Polynomial,
}

/// <summary>Averaging over the centres (DScribe's <c>average</c>).</summary>
public enum SoapAverage
{
    /// <summary>One vector per atom.</summary>
    Off,
    /// <summary>Average the expansion coefficients c_nlm over atoms, then form one power spectrum.</summary>
    Inner,
    /// <summary>Average the per-atom power spectra.</summary>
    Outer,
}

/// <summary>
/// Radial weighting of each neighbour's Gaussian in the density (DScribe's <c>weighting</c> functions).
/// The weight multiplies the amplitude of the Gaussian of a neighbour at distance r from the centre.
/// </summary>
public abstract record SoapWeighting
{
    /// <summary>Weight of a neighbour at distance <paramref name="r"/> (Å).</summary>
    public abstract double Weight(double r);

    /// <summary>The radial cutoff DScribe infers from this function when r_cut is not given (Å).</summary>
    public abstract double InferredCutoff { get; }

    internal abstract void Validate();
}

/// <summary>
/// Polynomial weighting (Caro 2019): w(r) = c (1 + 2(r/r0)³ − 3(r/r0)²)^m for r ≤ r0, 0 beyond.
/// Inferred cutoff = r0.
/// </summary>
/// <param name="R0">Range r0 (Å), &gt; 0.</param>
/// <param name="C">Amplitude c ≥ 0.</param>
/// <param name="M">Exponent m ≥ 0.</param>
public sealed record SoapPolyWeighting(double R0, double C = 1.0, double M = 1.0) : SoapWeighting
{
    /// <inheritdoc/>
    public override double Weight(double r)
    {
        if (r > R0) return 0;
        double x = r / R0, x2 = x * x;
        return C * Math.Pow(1 + 2 * x2 * x - 3 * x2, M);
    }

    /// <inheritdoc/>
    public override double InferredCutoff => R0;

    internal override void Validate()
    {
        if (!(R0 > 0)) throw new ArgumentOutOfRangeException(nameof(R0), "poly weighting needs r0 > 0");
        if (!(C >= 0)) throw new ArgumentOutOfRangeException(nameof(C), "poly weighting needs c ≥ 0");
        if (!(M >= 0)) throw new ArgumentOutOfRangeException(nameof(M), "poly weighting needs m ≥ 0");
    }
}

/// <summary>
/// Power-law weighting (Willatt et al. 2018): w(r) = c / (d + (r/r0)^m).
/// Inferred cutoff = r0 (c/threshold − d)^{1/m}.
/// </summary>
/// <param name="R0">Range r0 (Å), &gt; 0.</param>
/// <param name="C">Amplitude c ≥ 0.</param>
/// <param name="D">Offset d ≥ 0.</param>
/// <param name="M">Exponent m ≥ 0.</param>
/// <param name="Threshold">Weight at the inferred cutoff (DScribe default 0.01).</param>
public sealed record SoapPowWeighting(double R0, double C = 1.0, double D = 1.0, double M = 1.0, double Threshold = 1e-2) : SoapWeighting
{
    /// <inheritdoc/>
    public override double Weight(double r) => C / (D + Math.Pow(r / R0, M));

    /// <inheritdoc/>
    public override double InferredCutoff => R0 * Math.Pow(C / Threshold - D, 1.0 / M);

    internal override void Validate()
    {
        if (!(R0 > 0)) throw new ArgumentOutOfRangeException(nameof(R0), "pow weighting needs r0 > 0");
        if (!(C >= 0)) throw new ArgumentOutOfRangeException(nameof(C), "pow weighting needs c ≥ 0");
        if (!(D >= 0)) throw new ArgumentOutOfRangeException(nameof(D), "pow weighting needs d ≥ 0");
        if (!(M >= 0)) throw new ArgumentOutOfRangeException(nameof(M), "pow weighting needs m ≥ 0");
        if (!(Threshold > 0)) throw new ArgumentOutOfRangeException(nameof(Threshold), "pow weighting needs threshold > 0");
    }
}

/// <summary>
/// Exponential weighting: w(r) = c / (d + exp(−r/r0)). Inferred cutoff = r0 ln(c/threshold − d).
/// </summary>
/// <param name="R0">Range r0 (Å), &gt; 0.</param>
/// <param name="C">Amplitude c ≥ 0.</param>
/// <param name="D">Offset d ≥ 0.</param>
/// <param name="Threshold">Weight at the inferred cutoff (DScribe default 0.01).</param>
public sealed record SoapExpWeighting(double R0, double C = 1.0, double D = 1.0, double Threshold = 1e-2) : SoapWeighting
{
    /// <inheritdoc/>
    public override double Weight(double r) => C / (D + Math.Exp(-r / R0));

    /// <inheritdoc/>
    public override double InferredCutoff => R0 * Math.Log(C / Threshold - D);

    internal override void Validate()
    {
        if (!(R0 > 0)) throw new ArgumentOutOfRangeException(nameof(R0), "exp weighting needs r0 > 0");
        if (!(C >= 0)) throw new ArgumentOutOfRangeException(nameof(C), "exp weighting needs c ≥ 0");
        if (!(D >= 0)) throw new ArgumentOutOfRangeException(nameof(D), "exp weighting needs d ≥ 0");
        if (!(Threshold > 0)) throw new ArgumentOutOfRangeException(nameof(Threshold), "exp weighting needs threshold > 0");
    }
}

/// <summary>
/// Parameters of the SOAP power spectrum, named and defaulted as in DScribe 2.1 where DScribe has a
/// default (there: sigma 1.0; here the glass-ML default 0.5).
/// </summary>
public sealed record SoapOptions
{
    /// <summary>
    /// Radial cutoff r_cut (Å). Null: inferred from <see cref="Weighting"/> as DScribe does
    /// (poly: r0; pow/exp: where the weight falls to its threshold). Must exceed 1 Å for the gto basis.
    /// </summary>
    public double? RCut { get; init; } = 5.0;
    /// <summary>Number of radial basis functions n_max ≥ 1.</summary>
    public int NMax { get; init; } = 8;
    /// <summary>Maximum spherical-harmonic degree l_max, 0..20.</summary>
    public int LMax { get; init; } = 6;
    /// <summary>Width σ of the atomic Gaussians (Å), &gt; 0.</summary>
    public double Sigma { get; init; } = 0.5;
    /// <summary>Radial basis.</summary>
    public SoapRadialBasis Rbf { get; init; } = SoapRadialBasis.Gto;
    /// <summary>
    /// Species (element names) of the expansion; they are ordered by ascending atomic number as in DScribe
    /// (when some name is not an element, the order given is kept). Null: all species of the frame.
    /// Atoms of a species not listed are an error.
    /// </summary>
    public IReadOnlyList<string>? Species { get; init; }
    /// <summary>
    /// True (default): every periodic image in the neighbour list counts. False: only the images with no
    /// cell shift count (DScribe <c>periodic=False</c> on a finite system).
    /// </summary>
    public bool Periodic { get; init; } = true;
    /// <summary>
    /// True (default, DScribe's default): cross-species blocks Z1 &lt; Z2 are included. False: only same-species
    /// blocks (DScribe 2.1 <c>compression={"mode":"crossover"}</c>).
    /// </summary>
    public bool Crossover { get; init; } = true;
    /// <summary>Averaging over atoms; with Inner/Outer the result has a single row.</summary>
    public SoapAverage Average { get; init; } = SoapAverage.Off;
    /// <summary>Optional radial weighting function (null: weight 1).</summary>
    public SoapWeighting? Weighting { get; init; }
    /// <summary>Optional weight of the centre atom itself (DScribe <c>w0</c>; overrides the weighting function at r = 0).</summary>
    public double? W0 { get; init; }
    /// <summary>Scale each output row to unit Euclidean length (for similarity kernels). DScribe has no such option.</summary>
    public bool Normalize { get; init; }
    /// <summary>
    /// Optional gto basis to use instead of computing one (e.g. DScribe's exact α, β loaded with
    /// <see cref="SoapGtoBasis.Load"/>); must have the same n_max and at least l_max + 1 rows.
    /// </summary>
    public SoapGtoBasis? Basis { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}
