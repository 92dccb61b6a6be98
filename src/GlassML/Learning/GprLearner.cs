using System.Globalization;
using System.Text.Json;

namespace GlassML.Learning;

/// <summary>
/// Registry adapter of <see cref="GaussianProcessRegression{T}"/> on feature rows ("gpr"): kernel c·B + white noise
/// (<see cref="GprKernelSpec"/>, B = rbf | dot | poly | bond). kernel=bond takes rows [distance, SOAP of atom i, SOAP of
/// atom j] (<see cref="BondRowKernel"/>, parameters theta and zeta, fixed: optimizer defaults to none there; noise_fraction γ
/// gives the noise γ·var(y) of seed method 1). By default (optimizer=lbfgs) the hyper-parameters c, ℓ|σ₀ and w are
/// fitted by maximising the log marginal likelihood (<see cref="GaussianProcessOptimizer"/>, starting from constant,
/// length_scale|sigma0, noise_level; bounds, restarts, seed) on normalised targets; optimizer=none keeps them fixed
/// (then constant defaults to 1 and noise_level to 0: the fixed kernel of earlier versions). The fitted values are recorded
/// in the model's parameters as fitted_constant, fitted_length_scale|fitted_sigma0, fitted_noise_level and
/// log_marginal_likelihood. State = the parameters and the training rows; the model is refitted with the fitted
/// hyper-parameters (no optimisation, deterministic) on read.
/// </summary>
internal sealed class GprLearner : ILearner
{
    public string Name => "gpr";
    public string Description => "Gaussian-process regression (kernel rbf, dot or poly; hyper-parameters by marginal likelihood unless optimizer=none)";
    public IReadOnlyList<string> ParameterNames { get; } =
        ["kernel", "length_scale", "sigma0", "degree", "theta", "zeta", "constant", "noise_level", "noise_fraction", "alpha", "normalize_y",
         "optimizer", "restarts", "seed", "bounds"];

    public ITrainedModel Fit(FeatureTable train, IReadOnlyDictionary<string, string> parameters, int threads = 0)
    {
        LearnerState.Labelled(train, Name);
        LearnerState.Check(parameters, Name, ParameterNames);
        var p = new Dictionary<string, string>(parameters.ToDictionary(), StringComparer.OrdinalIgnoreCase);
        bool bond = LearnerState.Str(p, "kernel", "rbf") == "bond";
        string optimizer = LearnerState.Str(p, "optimizer", bond ? "none" : "lbfgs");
        if (optimizer is not ("lbfgs" or "none")) throw new ArgumentException($"gpr optimizer: '{optimizer}' is not lbfgs or none");
        bool fit = optimizer == "lbfgs";
        if (fit && p.ContainsKey("noise_fraction")) throw new ArgumentException("gpr noise_fraction fixes the noise: give optimizer=none (the optimiser fits noise_level)");
        // resolved defaults are recorded, so a model file does not depend on future defaults
        p["normalize_y"] = LearnerState.Bool(p, "normalize_y", true) ? "true" : "false";
        p["optimizer"] = optimizer;
        var spec = Spec(p, defaultNoise: fit ? 1.0 : 0.0);
        var x = Rows(train, spec);
        if (fit)
        {
            var bounds = DescriptorBounds(p);
            int seed = LearnerState.Int(p, "seed", 0);
            if (seed < 0) throw new ArgumentException("gpr seed must be ≥ 0");
            var r = GaussianProcessOptimizer.Optimize(spec, x, train.Labels, new GprOptimizerOptions(
                Alpha: LearnerState.Num(p, "alpha", 1e-10), NormalizeY: p["normalize_y"] == "true", LowerBound: bounds.Lo, UpperBound: bounds.Hi,
                Restarts: LearnerState.Int(p, "restarts", 1), Seed: (ulong)seed, Threads: threads));
            spec = r.Kernel;
            p["fitted_constant"] = R(spec.Constant);
            p[spec.Kernel == "rbf" ? "fitted_length_scale" : "fitted_sigma0"] = R(spec.Scale);
            p["fitted_noise_level"] = R(spec.NoiseLevel);
            p["log_marginal_likelihood"] = R(r.LogMarginalLikelihood);
        }
        return Build(train, x, p, spec, threads);
    }

    public ITrainedModel Read(JsonElement s)
    {
        var (names, pars) = LearnerState.ReadCommon(s);
        var train = LearnerState.ReadRows(s, names);
        try
        {
            var spec = Spec(pars, defaultNoise: 0.0);
            // fitted hyper-parameters, when recorded, replace the starting values
            if (pars.ContainsKey("fitted_constant"))
                spec = spec with
                {
                    Constant = LearnerState.Num(pars, "fitted_constant", 1),
                    Scale = LearnerState.Num(pars, spec.Kernel == "rbf" ? "fitted_length_scale" : "fitted_sigma0", 1),
                    NoiseLevel = LearnerState.Num(pars, "fitted_noise_level", 0),
                };
            return LearnerState.ReadMetrics(Build(train, Rows(train, spec), pars, spec, 0), s);
        }
        catch (ArgumentException e) { throw new FormatException(e.Message); }
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static (double Lo, double Hi) DescriptorBounds(IReadOnlyDictionary<string, string> p)
    {
        var b = Descriptors.DescriptorParameters.Doubles(p, "bounds") ?? [1e-5, 1e5];
        if (b.Length != 2 || !(b[0] > 0) || !(b[1] > b[0])) throw new ArgumentException("gpr bounds: give LO:HI with 0 < LO < HI");
        return (b[0], b[1]);
    }

    /// <summary>The sample vectors of a table (bond rows with unit SOAP halves).</summary>
    private static double[][] Rows(FeatureTable t, GprKernelSpec spec)
    {
        var x = Kernels.SplitRows(t.Values, t.ColumnCount);
        if (spec.Kernel == "bond") for (int r = 0; r < x.Length; r++) x[r] = BondRowKernel.Prepare(x[r]);
        return x;
    }

    private static GprKernelSpec Spec(IReadOnlyDictionary<string, string> p, double defaultNoise)
    {
        string kernel = LearnerState.Str(p, "kernel", "rbf");
        var spec = new GprKernelSpec(kernel,
            Constant: LearnerState.Num(p, "constant", 1.0),
            Scale: LearnerState.Num(p, kernel switch { "rbf" => "length_scale", "bond" => "theta", _ => "sigma0" }, 1.0),
            NoiseLevel: LearnerState.Num(p, "noise_level", defaultNoise),
            Degree: LearnerState.Num(p, kernel == "bond" ? "zeta" : "degree", 2.0));
        spec.Build(); // validates names and ranges
        return spec;
    }

    private static Model Build(FeatureTable train, double[][] x, IReadOnlyDictionary<string, string> p, GprKernelSpec spec, int threads)
    {
        // white noise enters as extra diagonal noise: the same K as c·B + w·δ, and the posterior mean of scikit-learn's
        // kernel + WhiteKernel; the std is that of the latent function (without w)
        double? fraction = p.ContainsKey("noise_fraction") ? LearnerState.Num(p, "noise_fraction", 0) : null;
        var options = new GaussianProcessOptions(Alpha: LearnerState.Num(p, "alpha", 1e-10) + spec.NoiseLevel, NoiseFraction: fraction,
            NormalizeY: LearnerState.Bool(p, "normalize_y", false), Threads: threads);
        try { return new Model(train, p, GaussianProcessRegression<double[]>.Fit(spec.Build(), x, train.Labels, options), spec.Kernel == "bond"); }
        catch (InvalidOperationException e)
        {
            // a kernel matrix that is not positive definite is a parameter choice, not a program error
            throw new ArgumentException($"gpr: {e.Message}", e);
        }
    }

    private sealed class Model(FeatureTable train, IReadOnlyDictionary<string, string> p, GaussianProcessRegression<double[]> gp, bool bondRows)
        : TrainedModelBase("gpr", train.Columns.ToArray(), p)
    {
        public override bool IsClassifier => false;
        protected override TabularPrediction PredictAligned(FeatureTable t, int threads)
        {
            var x = Kernels.SplitRows(t.Values, t.ColumnCount);
            if (bondRows) for (int r = 0; r < x.Length; r++) x[r] = BondRowKernel.Prepare(x[r]);
            var g = gp.Predict(x, withStd: true);
            return new(g.Mean, null, g.Std);
        }
        protected override void WriteFields(Utf8JsonWriter w) => LearnerState.WriteRows(w, train);
    }
}
