using GlassML.Numerics;
using System.Numerics.Tensors;

namespace GlassML.Learning;

/// <summary>Options of <see cref="GaussianProcessRegression{T}"/>.</summary>
/// <param name="Alpha">Noise variance α added to the Gram diagonal (scikit-learn's alpha; target units²,
/// in normalised units when <paramref name="NormalizeY"/>).</param>
/// <param name="NoiseFraction">When set, γ: the noise is σ²γ with σ² the population variance of the training
/// targets (seed method 1), replacing <paramref name="Alpha"/>.</param>
/// <param name="NormalizeY">Centre the targets and divide by their population std before fitting (scikit-learn
/// normalize_y=True); predictions are transformed back.</param>
/// <param name="Threads">Maximum degree of parallelism (0 = all cores); results do not depend on it.</param>
public sealed record GaussianProcessOptions(double Alpha = 1e-10, double? NoiseFraction = null, bool NormalizeY = false, int Threads = 0);

/// <summary>Predictive mean and standard deviation per query sample (target units).</summary>
/// <param name="Mean">Posterior mean.</param>
/// <param name="Std">Posterior standard deviation of the latent function (noise-free, as scikit-learn), or null when not requested.</param>
public sealed record GaussianProcessPrediction(double[] Mean, double[]? Std);

/// <summary>
/// Gaussian-process regression with a fixed kernel (Rasmussen &amp; Williams, Algorithm 2.1): K + αI = LLᵀ,
/// α⃗ = L⁻ᵀL⁻¹y, mean k*ᵀα⃗, variance k(x*,x*) − ‖L⁻¹k*‖², log marginal likelihood
/// −½yᵀα⃗ − Σ log L_ii − n/2 log 2π (of the normalised targets when NormalizeY). Equal to scikit-learn 1.2
/// GaussianProcessRegressor(kernel, alpha, optimizer=None, normalize_y).
/// </summary>
public sealed class GaussianProcessRegression<T>
{
    private readonly IReadOnlyList<T> _x;
    private readonly double[] _l;     // row-major lower Cholesky factor n × n
    private readonly double[] _alpha; // (K + αI)⁻¹ y_normalised
    private readonly int _n;

    private GaussianProcessRegression(IKernel<T> kernel, GaussianProcessOptions o, IReadOnlyList<T> x, double[] l, double[] alpha,
        double yMean, double yStd, double noise, double lml)
    {
        Kernel = kernel; Options = o; _x = x; _l = l; _alpha = alpha; _n = x.Count;
        TargetMean = yMean; TargetStd = yStd; Noise = noise; LogMarginalLikelihood = lml;
    }

    /// <summary>The kernel.</summary>
    public IKernel<T> Kernel { get; }
    /// <summary>Options used.</summary>
    public GaussianProcessOptions Options { get; }
    /// <summary>Target mean removed before fitting (0 without NormalizeY).</summary>
    public double TargetMean { get; }
    /// <summary>Target scale divided out before fitting (1 without NormalizeY).</summary>
    public double TargetStd { get; }
    /// <summary>Noise variance added to the diagonal (α, or σ²γ).</summary>
    public double Noise { get; }
    /// <summary>Log marginal likelihood of the (normalised) training targets.</summary>
    public double LogMarginalLikelihood { get; }
    /// <summary>Number of training samples.</summary>
    public int TrainingCount => _n;
    /// <summary>The dual coefficients α⃗ = (K + noise·I)⁻¹ y (of the normalised targets when NormalizeY), a copy: the mean
    /// prediction is TargetStd · Σ_m α_m k(x, x_m) + TargetMean.</summary>
    public double[] DualCoefficients => (double[])_alpha.Clone();

    /// <summary>Fits the GP to samples x (kept by reference) with targets y.</summary>
    public static GaussianProcessRegression<T> Fit(IKernel<T> kernel, IReadOnlyList<T> x, ReadOnlySpan<double> y, GaussianProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel); ArgumentNullException.ThrowIfNull(x);
        var o = options ?? new GaussianProcessOptions();
        if (o.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0");
        if (!(o.Alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(options), "Alpha must be ≥ 0");
        if (o.NoiseFraction is { } nf && !(nf >= 0)) throw new ArgumentOutOfRangeException(nameof(options), "NoiseFraction must be ≥ 0");
        int n = x.Count;
        if (n < 1) throw new ArgumentException("need at least one training sample");
        if (y.Length != n) throw new ArgumentException("targets length must equal the number of samples");
        double mean = 0; foreach (double v in y) mean += v; mean /= n;
        double var = 0; foreach (double v in y) var += (v - mean) * (v - mean); var /= n;
        double yMean = 0, yStd = 1;
        if (o.NormalizeY)
        {
            yMean = mean;
            yStd = Math.Sqrt(var);
            if (yStd < 10 * 2.220446049250313e-16) yStd = 1; // scikit-learn: constant targets keep scale 1
        }
        double noise = o.NoiseFraction is { } g ? g * var : o.Alpha;
        var k = Kernels.Gram(kernel, x, x, o.Threads);
        for (int i = 0; i < n; i++) k[(long)i * n + i] += noise;
        Cholesky(k, n, o.Threads);
        var yn = new double[n];
        for (int i = 0; i < n; i++) yn[i] = (y[i] - yMean) / yStd;
        var alpha = (double[])yn.Clone();
        ForwardSolve(k, n, alpha);
        double quad = 0; // yᵀα = ‖L⁻¹y‖²
        foreach (double v in alpha) quad += v * v;
        BackSolve(k, n, alpha);
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += Math.Log(k[(long)i * n + i]);
        double yAlpha = 0; for (int i = 0; i < n; i++) yAlpha += yn[i] * alpha[i];
        double lml = -0.5 * yAlpha - logDet - 0.5 * n * Math.Log(2 * Math.PI);
        return new GaussianProcessRegression<T>(kernel, o, x, k, alpha, yMean, yStd, noise, lml);
    }

    /// <summary>Posterior mean (and std) at the query samples, parallel over queries.</summary>
    public GaussianProcessPrediction Predict(IReadOnlyList<T> queries, bool withStd = true)
    {
        ArgumentNullException.ThrowIfNull(queries);
        int q = queries.Count, n = _n;
        var mean = new double[q];
        double[]? std = withStd ? new double[q] : null;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };
        Parallel.For(0, q, po, () => new double[n], (r, _, ks) =>
        {
            var t = queries[r];
            for (int i = 0; i < n; i++) ks[i] = Kernel.Evaluate(t, _x[i]);
            double m = 0; for (int i = 0; i < n; i++) m += ks[i] * _alpha[i];
            mean[r] = TargetStd * m + TargetMean;
            if (std is not null)
            {
                ForwardSolve(_l, n, ks);
                double v = Kernel.Diagonal(t);
                for (int i = 0; i < n; i++) v -= ks[i] * ks[i];
                if (v < 0) v = 0;
                std[r] = Math.Sqrt(v * TargetStd * TargetStd);
            }
            return ks;
        }, _ => { });
        return new GaussianProcessPrediction(mean, std);
    }

    /// <summary>In-place lower Cholesky factor of a row-major SPD matrix (upper triangle zeroed).</summary>
    internal static void Cholesky(double[] a, int n, int threads)
    {
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        for (int j = 0; j < n; j++)
        {
            var rj = a.AsSpan(j * n, j);
            double s = a[(long)j * n + j] - FixedOrder.Dot(rj, rj);
            if (!(s > 0))
                throw new InvalidOperationException($"the kernel matrix plus noise is not positive definite (pivot {j} = {s:G4}); increase the noise (alpha)");
            double ljj = Math.Sqrt(s);
            a[(long)j * n + j] = ljj;
            int rows = n - j - 1;
            if (rows > 64 && threads != 1)
            {
                const int chunk = 32;
                Parallel.For(0, (rows + chunk - 1) / chunk, po, c =>
                {
                    int end = Math.Min(n, j + 1 + (c + 1) * chunk);
                    for (int i = j + 1 + c * chunk; i < end; i++) Update(a, n, i, j, ljj);
                });
            }
            else
                for (int i = j + 1; i < n; i++) Update(a, n, i, j, ljj);
        }
        for (int i = 0; i < n; i++) Array.Clear(a, i * n + i + 1, n - i - 1);

        static void Update(double[] a, int n, int i, int j, double ljj)
        {
            double d = FixedOrder.Dot(a.AsSpan(i * n, j), a.AsSpan(j * n, j));
            a[(long)i * n + j] = (a[(long)i * n + j] - d) / ljj;
        }
    }

    /// <summary>Solves L z = b in place.</summary>
    internal static void ForwardSolve(double[] l, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            double s = b[i] - FixedOrder.Dot(l.AsSpan(i * n, i), b[..i]);
            b[i] = s / l[(long)i * n + i];
        }
    }

    /// <summary>Solves Lᵀ z = b in place.</summary>
    internal static void BackSolve(double[] l, int n, Span<double> b)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            b[i] /= l[(long)i * n + i];
            double bi = b[i];
            for (int k = 0; k < i; k++) b[k] -= l[(long)i * n + k] * bi;
        }
    }
}
