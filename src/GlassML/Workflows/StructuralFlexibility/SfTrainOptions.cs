namespace GlassML.Workflows.StructuralFlexibility;

/// <summary>How <see cref="SfTrainer"/> chooses r_p per (centre, neighbour) species pair.</summary>
public enum SfRpMode
{
    /// <summary>First peak of the partial g(r) around the centre atoms with the lowest q % ln v_flex (q widened until ≥ 200 atoms).</summary>
    LowFlex,
    /// <summary>First peak of the partial g(r) around all training centre atoms.</summary>
    All,
    /// <summary>Values given by the user (<see cref="SfTrainOptions.ExplicitRp"/>).</summary>
    Explicit,
}

/// <summary>Settings of <see cref="SfTrainer.Train"/> (the CLI's <c>glassml sf train</c> options).</summary>
public sealed record SfTrainOptions
{
    /// <summary>How r_p is chosen. Default <see cref="SfRpMode.LowFlex"/>.</summary>
    public SfRpMode RpMode { get; init; } = SfRpMode.LowFlex;
    /// <summary>q (%) of <see cref="SfRpMode.LowFlex"/>: the least flexible q % of each centre species. Default 10.</summary>
    public double RpPercent { get; init; } = 10;
    /// <summary>q is widened until at least this many centre atoms of a species are used (all of them if fewer). Default 200.</summary>
    public int RpMinAtoms { get; init; } = 200;
    /// <summary>r_p per pair (<c>"Cu-Zr"</c> → Å) for <see cref="SfRpMode.Explicit"/>.</summary>
    public IReadOnlyDictionary<string, double>? ExplicitRp { get; init; }
    /// <summary>Bin width (Å) of the partial g(r) whose first peak gives r_p. Default 0.05.</summary>
    public double PeakBinWidth { get; init; } = 0.05;
    /// <summary>Largest distance (Å) of that g(r). Default 6.</summary>
    public double PeakRange { get; init; } = 6.0;

    /// <summary>LIBLINEAR -c. Default 1.</summary>
    public double C { get; init; } = 1.0;
    /// <summary>LIBLINEAR -p (ε-insensitive width). Default 0.1.</summary>
    public double Epsilon { get; init; } = 0.1;
    /// <summary>
    /// LIBLINEAR -e (stopping tolerance of -s 11: ‖∇f(w)‖ ≤ e‖∇f(0)‖). Default 1e-6, tighter than LIBLINEAR's 1e-4:
    /// the radial structure functions are strongly correlated, and at 1e-4 the weights ω(r̄) stop up to 0.06 from the
    /// optimum (objective 4 % above it on the NVE fixture).
    /// </summary>
    public double Tolerance { get; init; } = 1e-6;
    /// <summary>LIBLINEAR -B (bias feature value; its weight is regularised). Default 1.</summary>
    public double Bias { get; init; } = 1.0;

    /// <summary>Share of atoms (or of groups) held out for testing; 0 = no test set. Default 0.2.</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Hold out whole groups (e.g. structures) instead of atoms.</summary>
    public bool SplitByGroup { get; init; }
    /// <summary>k of k-fold cross-validation on the training rows (0 = none; grouped when <see cref="SplitByGroup"/>).</summary>
    public int Folds { get; init; }
    /// <summary>C values to compare by cross-validated R² per species (the best is used; needs folds, default 5).</summary>
    public IReadOnlyList<double>? SweepC { get; init; }
    /// <summary>Seed of the split and the folds.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Threads (0 = all cores); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Grid, σ and cutoff of the features (r̄). Defaults as <see cref="SfRecipe"/>.</summary>
    public double GridMin { get; init; } = 0.60;
    /// <summary>Last grid point (r̄).</summary>
    public double GridMax { get; init; } = 3.00;
    /// <summary>Grid spacing (r̄).</summary>
    public double GridStep { get; init; } = 0.05;
    /// <summary>σ (r̄).</summary>
    public double Sigma { get; init; } = 0.05;
    /// <summary>Reduced cutoff r̄_c.</summary>
    public double Cutoff { get; init; } = 3.0;

    internal void Validate()
    {
        if (!(RpPercent > 0 && RpPercent <= 100)) throw new ArgumentException("--rp lowflex:q needs 0 < q ≤ 100 (%)");
        if (RpMinAtoms < 1) throw new ArgumentException("the minimum atom count for r_p must be ≥ 1");
        if (RpMode == SfRpMode.Explicit && ExplicitRp is null) throw new ArgumentException("--rp: explicit mode needs pair values");
        if (!(C > 0) || !double.IsFinite(C)) throw new ArgumentException("--c must be a positive number");
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon)) throw new ArgumentException("--epsilon must be ≥ 0");
        if (!(Tolerance > 0)) throw new ArgumentException("--tolerance must be > 0");
        if (!(TestFraction >= 0 && TestFraction < 1)) throw new ArgumentException("--test must be in [0, 1)");
        if (Folds == 1 || Folds < 0) throw new ArgumentException("--folds must be 0 (none) or ≥ 2");
        if (SweepC is not null)
        {
            if (SweepC.Count == 0) throw new ArgumentException("--sweep: no C values");
            foreach (var c in SweepC) if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"--sweep: C = {c} is not positive");
        }
        if (Threads < 0) throw new ArgumentException("--threads must be ≥ 0");
    }
}
