using GlassML.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace GlassML.Learning;

/// <summary>
/// The kernel family of the table GPR: k(x, y) = c·B(x, y) with base kernel B = rbf exp(−‖x−y‖²/2ℓ²) | dot σ₀² + x·y |
/// poly (σ₀² + x·y)^d, plus white noise w on the training diagonal (scikit-learn
/// <c>ConstantKernel(c) * RBF(ℓ) + WhiteKernel(w)</c>, or DotProduct(σ₀) [** d]), or the bond kernel of seed method 1
/// on bond rows (<see cref="BondRowKernel"/>: θ = Scale, ζ = Degree; its hyper-parameters are not fitted).
/// </summary>
/// <param name="Kernel">"rbf", "dot", "poly" or "bond".</param>
/// <param name="Constant">Amplitude c &gt; 0.</param>
/// <param name="Scale">ℓ (rbf), σ₀ (dot, poly) or θ (bond); &gt; 0 (σ₀ ≥ 0 when fixed).</param>
/// <param name="NoiseLevel">White-noise variance w ≥ 0 (in normalised target units with normalize_y); 0 = none (then not fitted).</param>
/// <param name="Degree">Power d of the poly kernel or ζ of the bond kernel (fixed).</param>
public sealed record GprKernelSpec(string Kernel, double Constant = 1.0, double Scale = 1.0, double NoiseLevel = 0.0, double Degree = 2.0)
{
    /// <summary>The covariance c·B (the white noise is added to the diagonal as noise, not part of this kernel).</summary>
    /// <exception cref="ArgumentException">Unknown kernel or a value out of range.</exception>
    public IKernel<double[]> Build()
    {
        IKernel<double[]> b = Kernel switch
        {
            "rbf" => new RbfKernel(Scale),
            "dot" => new DotProductKernel(Scale),
            "poly" => Kernels.Power(new DotProductKernel(Scale), Degree),
            "bond" => new BondRowKernel(Scale, Degree),
            _ => throw new ArgumentException($"gpr kernel: '{Kernel}' is not rbf, dot, poly or bond"),
        };
        if (!(Constant > 0) || !double.IsFinite(Constant)) throw new ArgumentException("gpr constant must be > 0");
        if (!(NoiseLevel >= 0) || !double.IsFinite(NoiseLevel)) throw new ArgumentException("gpr noise_level must be ≥ 0");
        return Constant == 1.0 ? b : Kernels.Product(new ConstantKernel<double[]>(Constant), b);
    }
}

/// <summary>Options of <see cref="GaussianProcessOptimizer.Optimize"/>.</summary>
/// <param name="Alpha">Fixed jitter added to the diagonal besides the white noise (scikit-learn alpha).</param>
/// <param name="NormalizeY">Fit on targets centred and scaled by their population std (scikit-learn normalize_y).</param>
/// <param name="LowerBound">Lower bound of every fitted hyper-parameter (scikit-learn default 1e-5).</param>
/// <param name="UpperBound">Upper bound (scikit-learn default 1e5).</param>
/// <param name="Restarts">Extra optimiser runs from starting points drawn log-uniformly within the bounds (scikit-learn n_restarts_optimizer).</param>
/// <param name="Seed">Seed of the restart points.</param>
/// <param name="Threads">Threads (0 = all cores); results do not depend on it.</param>
public sealed record GprOptimizerOptions(double Alpha = 1e-10, bool NormalizeY = true, double LowerBound = 1e-5, double UpperBound = 1e5,
    int Restarts = 1, ulong Seed = 0, int Threads = 0);

/// <summary>Fitted kernel hyper-parameters and their log marginal likelihood.</summary>
/// <param name="Kernel">The hyper-parameters at the maximum found.</param>
/// <param name="LogMarginalLikelihood">log p(y | X, θ) there (of the normalised targets with NormalizeY).</param>
/// <param name="Evaluations">Likelihood evaluations over all runs.</param>
public sealed record GprFitResult(GprKernelSpec Kernel, double LogMarginalLikelihood, int Evaluations);

/// <summary>
/// Type-II maximum likelihood for <see cref="GprKernelSpec"/>: maximises the log marginal likelihood
/// log p(y|X,θ) = −½yᵀK⁻¹y − ½log|K| − n/2 log 2π over θ = log(c, ℓ or σ₀, w) within bounds, with its analytic gradient
/// ∂/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ) (Rasmussen &amp; Williams 2006, eq. 5.9), by bounded BFGS (MathNet BfgsB, like
/// scikit-learn's L-BFGS-B) from the given start and from seeded restarts (at most <see cref="MaxEvaluationsPerRun"/>
/// evaluations each); the best point seen wins. This is what
/// scikit-learn's GaussianProcessRegressor does by default with a kernel whose hyper-parameters are not fixed.
/// Deterministic for any thread count.
/// </summary>
public static class GaussianProcessOptimizer
{
    /// <summary>Log marginal likelihood and (optionally) its gradient with respect to log c, log ℓ|σ₀ and log w.</summary>
    /// <exception cref="ArgumentException">Shapes differ or the kernel is invalid.</exception>
    public static double LogMarginalLikelihood(GprKernelSpec spec, IReadOnlyList<double[]> x, ReadOnlySpan<double> y, double alpha = 1e-10,
        bool normalizeY = true, double[]? gradient = null, int threads = 0)
    {
        var ws = new Workspace(spec, x, y, alpha, normalizeY, threads);
        return ws.Evaluate(spec.Constant, spec.Scale, spec.NoiseLevel, gradient);
    }

    /// <summary>Maximises the log marginal likelihood from <paramref name="start"/> (and restarts).</summary>
    /// <exception cref="ArgumentException">Shapes differ, bounds are invalid, or no start gives a positive-definite kernel matrix.</exception>
    public static GprFitResult Optimize(GprKernelSpec start, IReadOnlyList<double[]> x, ReadOnlySpan<double> y, GprOptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var o = options ?? new GprOptimizerOptions();
        if (!(o.LowerBound > 0) || !(o.UpperBound > o.LowerBound) || !double.IsFinite(o.UpperBound))
            throw new ArgumentException("gpr bounds must satisfy 0 < LO < HI < ∞");
        if (o.Restarts < 0) throw new ArgumentException("gpr restarts must be ≥ 0");
        start.Build(); // validates
        if (start.Kernel == "bond") throw new ArgumentException("gpr kernel=bond: its hyper-parameters are not fitted; give optimizer=none");
        var ws = new Workspace(start, x, y, o.Alpha, o.NormalizeY, o.Threads);
        bool fitNoise = start.NoiseLevel > 0;
        int dim = fitNoise ? 3 : 2;
        double lo = Math.Log(o.LowerBound), hi = Math.Log(o.UpperBound);
        var lower = Vector<double>.Build.Dense(dim, lo);
        var upper = Vector<double>.Build.Dense(dim, hi);
        double bestF = double.PositiveInfinity; double[]? bestTheta = null; int evals = 0, runEvals = 0;
        var grad = new double[3];

        (double, Vector<double>) F(Vector<double> t)
        {
            evals++;
            if (++runEvals > MaxEvaluationsPerRun) throw new EvaluationLimit();
            double c = Math.Exp(t[0]), s = Math.Exp(t[1]), w = fitNoise ? Math.Exp(t[2]) : 0;
            double lml = ws.Evaluate(c, s, w, grad);
            var g = Vector<double>.Build.Dense(dim);
            if (!double.IsFinite(lml)) return (1e300, g);
            for (int j = 0; j < dim; j++) g[j] = -grad[j];
            if (-lml < bestF) { bestF = -lml; bestTheta = t.ToArray(); }
            return (-lml, g);
        }

        var starts = new List<double[]>();
        double Clamp(double v) => Math.Clamp(Math.Log(v), lo, hi);
        starts.Add(fitNoise ? [Clamp(start.Constant), Clamp(start.Scale), Clamp(start.NoiseLevel)] : [Clamp(start.Constant), Clamp(start.Scale)]);
        var rng = new SplitMix64(o.Seed);
        for (int r = 0; r < o.Restarts; r++)
        {
            var t = new double[dim];
            for (int j = 0; j < dim; j++) t[j] = lo + (hi - lo) * rng.NextDouble();
            starts.Add(t);
        }
        foreach (var s0 in starts)
        {
            runEvals = 0;
            var minimizer = new BfgsBMinimizer(1e-5, 1e-8, 1e-9, 500);
            try { minimizer.FindMinimum(ObjectiveFunction.Gradient(F), lower, upper, Vector<double>.Build.DenseOfArray(s0)); }
            catch (Exception e) when (e is OptimizationException or ArgumentException or InvalidOperationException or EvaluationLimit)
            {
                // a failed line search or an iteration limit: the best point seen so far still counts
            }
        }
        if (bestTheta is null) throw new ArgumentException("gpr: the kernel matrix is not positive definite at any starting point; increase alpha or noise_level");
        var best = start with
        {
            Constant = Math.Exp(bestTheta[0]), Scale = Math.Exp(bestTheta[1]), NoiseLevel = fitNoise ? Math.Exp(bestTheta[2]) : 0,
        };
        return new GprFitResult(best, -bestF, evals);
    }

    /// <summary>Likelihood evaluations allowed per optimiser run (a start far out in the bounds must not take minutes).</summary>
    public const int MaxEvaluationsPerRun = 150;

    private sealed class EvaluationLimit : Exception;

    /// <summary>Pairwise base quantities computed once (squared distances or dot products) and the n × n buffers.</summary>
    private sealed class Workspace
    {
        private readonly string _kernel; private readonly double _degree, _alpha; private readonly int _n, _threads;
        private readonly double[] _pair; // rbf: ‖xi − xj‖²; dot/poly: xi·xj
        private readonly double[] _y, _k, _b, _db, _inv;

        public Workspace(GprKernelSpec spec, IReadOnlyList<double[]> x, ReadOnlySpan<double> y, double alpha, bool normalizeY, int threads)
        {
            ArgumentNullException.ThrowIfNull(x);
            int n = x.Count;
            if (n < 1 || y.Length != n) throw new ArgumentException("need at least one sample and one target per sample");
            if (!(alpha >= 0)) throw new ArgumentException("gpr alpha must be ≥ 0");
            _kernel = spec.Kernel; _degree = spec.Degree; _alpha = alpha; _n = n; _threads = threads;
            _pair = new double[(long)n * n];
            bool rbf = _kernel == "rbf";
            var po = Po(threads);
            Parallel.For(0, n, po, i =>
            {
                var xi = x[i];
                for (int j = 0; j <= i; j++)
                {
                    var xj = x[j];
                    if (xj.Length != xi.Length) throw new ArgumentException("vector lengths differ");
                    double s = 0;
                    if (rbf) for (int t = 0; t < xi.Length; t++) { double d = xi[t] - xj[t]; s += d * d; }
                    else for (int t = 0; t < xi.Length; t++) s += xi[t] * xj[t];
                    _pair[(long)i * n + j] = s; _pair[(long)j * n + i] = s;
                }
            });
            double mean = 0; foreach (double v in y) mean += v; mean /= n;
            double var = 0; foreach (double v in y) var += (v - mean) * (v - mean); var /= n;
            double m = 0, sd = 1;
            if (normalizeY) { m = mean; sd = Math.Sqrt(var); if (sd < 10 * 2.220446049250313e-16) sd = 1; }
            _y = new double[n];
            for (int i = 0; i < n; i++) _y[i] = (y[i] - m) / sd;
            _k = new double[(long)n * n]; _b = new double[(long)n * n]; _db = new double[(long)n * n]; _inv = new double[(long)n * n];
        }

        private static ParallelOptions Po(int threads) => new() { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };

        /// <summary>LML at (c, s, w); gradient (length ≥ 3) w.r.t. log c, log s, log w when given. −∞ when K is not positive definite.</summary>
        public double Evaluate(double c, double s, double w, double[]? gradient)
        {
            int n = _n;
            long nn = (long)n * n;
            for (long i = 0; i < nn; i++)
            {
                double p = _pair[i], b, db;
                switch (_kernel)
                {
                    case "rbf": b = Math.Exp(-0.5 * p / (s * s)); db = b * p / (s * s); break;
                    case "dot": b = s * s + p; db = 2 * s * s; break;
                    default:
                        double u = s * s + p;
                        b = PowerKernel<double[]>.Pow(u, _degree); db = _degree * Math.Pow(u, _degree - 1) * 2 * s * s; break;
                }
                _b[i] = b; _db[i] = db; _k[i] = c * b;
            }
            for (int i = 0; i < n; i++) _k[(long)i * n + i] += w + _alpha;
            try { GaussianProcessRegression<double[]>.Cholesky(_k, n, _threads); }
            catch (InvalidOperationException) { return double.NegativeInfinity; }
            var a = (double[])_y.Clone();
            GaussianProcessRegression<double[]>.ForwardSolve(_k, n, a);
            GaussianProcessRegression<double[]>.BackSolve(_k, n, a);
            double quad = 0; for (int i = 0; i < n; i++) quad += _y[i] * a[i];
            double logDet = 0; for (int i = 0; i < n; i++) logDet += Math.Log(_k[(long)i * n + i]);
            double lml = -0.5 * quad - logDet - 0.5 * n * Math.Log(2 * Math.PI);
            if (gradient is null) return lml;
            // tr((ααᵀ − K⁻¹) ∂K) with K⁻¹ = L⁻ᵀL⁻¹: row j of _inv holds column j of L⁻¹ (entries j..n−1), so
            // (K⁻¹)_ij = Σ_{k ≥ max(i,j)} (L⁻¹)_ki (L⁻¹)_kj is a contiguous dot product. Each row's partial sums are written by
            // one iteration and added in row order: the same bits for any thread count.
            var l = _k; var m = _inv;
            var po = Po(_threads);
            Parallel.For(0, n, po, j =>
            {
                var row = m.AsSpan(j * n, n);
                row[j] = 1 / l[(long)j * n + j];
                for (int i = j + 1; i < n; i++)
                    row[i] = -FixedOrder.Dot(l.AsSpan(i * n + j, i - j), row[j..i]) / l[(long)i * n + i];
            });
            var part = new double[3 * n];
            Parallel.For(0, n, po, i =>
            {
                var ri = m.AsSpan(i * n + i, n - i);
                double sc = 0, ss = 0, sw = 0;
                for (int j = 0; j <= i; j++)
                {
                    double kinv = FixedOrder.Dot(ri, m.AsSpan(j * n + i, n - i));
                    double wij = a[i] * a[j] - kinv;
                    double f = j == i ? 1 : 2; // symmetric: the (j, i) entry counts too
                    long ij = (long)i * n + j;
                    sc += f * wij * _b[ij];
                    ss += f * wij * _db[ij];
                    if (j == i) sw = wij;
                }
                part[3 * i] = sc; part[3 * i + 1] = ss; part[3 * i + 2] = sw;
            });
            double gc = 0, gs = 0, gw = 0;
            for (int i = 0; i < n; i++) { gc += part[3 * i]; gs += part[3 * i + 1]; gw += part[3 * i + 2]; }
            gradient[0] = 0.5 * c * gc;
            gradient[1] = 0.5 * c * gs;
            gradient[2] = 0.5 * w * gw;
            return lml;
        }
    }
}
