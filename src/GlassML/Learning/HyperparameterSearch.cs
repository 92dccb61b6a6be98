namespace GlassML.Learning;

/// <summary>A box of hyper-parameters.</summary>
/// <param name="Lower">Lower bound per parameter.</param>
/// <param name="Upper">Upper bound per parameter (&gt; lower).</param>
/// <param name="LogScale">Per parameter: search uniformly in log(value) (bounds must be &gt; 0); null = all linear.</param>
public sealed record SearchSpace(double[] Lower, double[] Upper, bool[]? LogScale = null)
{
    /// <summary>Number of parameters.</summary>
    public int Dimension => Lower.Length;

    internal void Validate()
    {
        if (Lower.Length == 0 || Lower.Length != Upper.Length) throw new ArgumentException("bounds must be non-empty and of equal length");
        if (LogScale is not null && LogScale.Length != Lower.Length) throw new ArgumentException("LogScale length must equal the number of parameters");
        for (int i = 0; i < Lower.Length; i++)
        {
            if (!(Upper[i] > Lower[i]) || !double.IsFinite(Lower[i]) || !double.IsFinite(Upper[i])) throw new ArgumentException($"parameter {i}: need finite lower < upper");
            if (IsLog(i) && !(Lower[i] > 0)) throw new ArgumentException($"parameter {i}: log scale needs positive bounds");
        }
    }

    private bool IsLog(int i) => LogScale is not null && LogScale[i];

    /// <summary>Maps a point of the unit cube to parameter values.</summary>
    public double[] FromUnit(ReadOnlySpan<double> u)
    {
        var p = new double[Dimension];
        for (int i = 0; i < p.Length; i++)
            p[i] = IsLog(i) ? Math.Exp(Math.Log(Lower[i]) + u[i] * (Math.Log(Upper[i]) - Math.Log(Lower[i])))
                            : Lower[i] + u[i] * (Upper[i] - Lower[i]);
        return p;
    }
}

/// <summary>Options of <see cref="HyperparameterSearch.Bayesian"/>.</summary>
/// <param name="Evaluations">Total objective evaluations (≥ InitialPoints).</param>
/// <param name="InitialPoints">Uniformly random evaluations before the surrogate is used.</param>
/// <param name="Seed">Random seed (the search is deterministic given the seed and a deterministic objective).</param>
/// <param name="Candidates">Random candidates (plus as many local perturbations of the best points) on which the
/// expected improvement is maximised per step.</param>
/// <param name="Xi">Exploration margin ξ of the expected improvement (normalised score units).</param>
/// <param name="Threads">Maximum degree of parallelism of the surrogate (0 = all cores).</param>
public sealed record BayesianSearchOptions(int Evaluations = 30, int InitialPoints = 5, int Seed = 0, int Candidates = 2000,
    double Xi = 0.01, int Threads = 0);

/// <summary>One evaluated parameter vector.</summary>
/// <param name="Parameters">Parameter values.</param>
/// <param name="Score">Objective value (higher is better, e.g. mean k-fold CV score).</param>
public sealed record SearchTrial(double[] Parameters, double Score);

/// <summary>All trials in evaluation order and the best one.</summary>
/// <param name="Trials">Trials in evaluation order.</param>
/// <param name="Best">The trial of highest score (first on ties).</param>
public sealed record SearchResult(IReadOnlyList<SearchTrial> Trials, SearchTrial Best);

/// <summary>
/// Hyper-parameter search over a box, maximising a score callback (typically a k-fold cross-validated score of a
/// learner trained with the given parameters). Random search, and Bayesian optimisation with a Gaussian-process
/// surrogate (<see cref="GaussianProcessRegression{T}"/>, kernel c·RBF(ℓ) on the unit cube, normalised scores,
/// ℓ chosen by log marginal likelihood on a grid) and the expected-improvement acquisition
/// (Jones, Schonlau &amp; Welch, J. Global Optim. 13 (1998) 455).
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>Uniform random search (log-uniform for log-scale parameters).</summary>
    public static SearchResult Random(SearchSpace space, Func<double[], double> objective, int evaluations, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space); ArgumentNullException.ThrowIfNull(objective);
        space.Validate();
        if (evaluations < 1) throw new ArgumentOutOfRangeException(nameof(evaluations), "evaluations must be ≥ 1");
        var rng = new Random(seed);
        var trials = new List<SearchTrial>();
        for (int e = 0; e < evaluations; e++)
        {
            var p = space.FromUnit(RandomUnit(rng, space.Dimension));
            trials.Add(new SearchTrial(p, objective(p)));
        }
        return Result(trials);
    }

    /// <summary>Bayesian optimisation with a GP surrogate and expected improvement.</summary>
    public static SearchResult Bayesian(SearchSpace space, Func<double[], double> objective, BayesianSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space); ArgumentNullException.ThrowIfNull(objective);
        space.Validate();
        var o = options ?? new BayesianSearchOptions();
        if (o.InitialPoints < 1 || o.Evaluations < o.InitialPoints) throw new ArgumentOutOfRangeException(nameof(options), "need 1 ≤ InitialPoints ≤ Evaluations");
        if (o.Candidates < 1) throw new ArgumentOutOfRangeException(nameof(options), "Candidates must be ≥ 1");
        int d = space.Dimension;
        var rng = new Random(o.Seed);
        var units = new List<double[]>(); var scores = new List<double>(); var trials = new List<SearchTrial>();
        void Eval(double[] u)
        {
            var p = space.FromUnit(u);
            double s = objective(p);
            if (!double.IsFinite(s)) throw new InvalidOperationException($"objective returned {s} for parameters [{string.Join(", ", p)}]");
            units.Add(u); scores.Add(s); trials.Add(new SearchTrial(p, s));
        }
        for (int e = 0; e < o.InitialPoints; e++) Eval(RandomUnit(rng, d));
        double[] lengths = [0.05, 0.1, 0.2, 0.35, 0.6, 1.0];
        var gpo = new GaussianProcessOptions(Alpha: 1e-6, NormalizeY: true, Threads: o.Threads);
        while (units.Count < o.Evaluations)
        {
            GaussianProcessRegression<double[]>? gp = null;
            foreach (double l in lengths)
            {
                GaussianProcessRegression<double[]> g;
                try { g = GaussianProcessRegression<double[]>.Fit(new RbfKernel(l), units, scores.ToArray(), gpo); }
                catch (InvalidOperationException) { continue; } // not positive definite at this ℓ
                if (gp is null || g.LogMarginalLikelihood > gp.LogMarginalLikelihood) gp = g;
            }
            double best = scores.Max();
            var cand = new List<double[]>(2 * o.Candidates);
            for (int c = 0; c < o.Candidates; c++) cand.Add(RandomUnit(rng, d));
            // local perturbations around the best five points
            var top = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(5).ToArray();
            for (int c = 0; c < o.Candidates; c++)
            {
                var b = units[top[c % top.Length]];
                double scale = c % 3 == 0 ? 0.02 : c % 3 == 1 ? 0.07 : 0.2;
                var u = new double[d];
                for (int i = 0; i < d; i++) u[i] = Math.Clamp(b[i] + scale * Gaussian(rng), 0, 1);
                cand.Add(u);
            }
            double[] next;
            if (gp is null) next = cand[0];
            else
            {
                var pred = gp.Predict(cand);
                double bestN = (best - gp.TargetMean) / gp.TargetStd;
                int arg = 0; double top1 = double.NegativeInfinity;
                for (int c = 0; c < cand.Count; c++)
                {
                    double mu = (pred.Mean[c] - gp.TargetMean) / gp.TargetStd, sd = pred.Std![c] / gp.TargetStd;
                    double ei = ExpectedImprovement(mu, sd, bestN, o.Xi);
                    if (ei > top1) { top1 = ei; arg = c; }
                }
                next = cand[arg];
            }
            Eval(next);
        }
        return Result(trials);
    }

    /// <summary>EI(μ, σ) = (μ − f* − ξ)Φ(z) + σφ(z), z = (μ − f* − ξ)/σ (maximisation); 0 when σ = 0 and μ ≤ f* + ξ.</summary>
    public static double ExpectedImprovement(double mean, double std, double best, double xi)
    {
        double imp = mean - best - xi;
        if (!(std > 0)) return Math.Max(imp, 0);
        double z = imp / std;
        double cdf = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
        double pdf = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
        return imp * cdf + std * pdf;
    }

    private static SearchResult Result(List<SearchTrial> trials)
    {
        var best = trials[0];
        foreach (var t in trials) if (t.Score > best.Score) best = t;
        return new SearchResult(trials, best);
    }

    private static double[] RandomUnit(Random rng, int d)
    {
        var u = new double[d];
        for (int i = 0; i < d; i++) u[i] = rng.NextDouble();
        return u;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
