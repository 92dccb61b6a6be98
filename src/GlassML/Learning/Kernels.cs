namespace GlassML.Learning;

/// <summary>
/// A positive semi-definite kernel k(a, b) over samples of type <typeparamref name="T"/>
/// (feature vectors <c>double[]</c>, bond records, row indices of a precomputed Gram matrix, …).
/// Implementations must be pure and thread-safe (Gram matrices are filled in parallel).
/// </summary>
public interface IKernel<in T>
{
    /// <summary>k(a, b).</summary>
    double Evaluate(T a, T b);

    /// <summary>k(a, a) (prior variance at a).</summary>
    double Diagonal(T a) => Evaluate(a, a);
}

/// <summary>Kernel building blocks and Gram matrices.</summary>
public static class Kernels
{
    /// <summary>Sum k₁ + k₂.</summary>
    public static IKernel<T> Sum<T>(IKernel<T> a, IKernel<T> b) => new SumKernel<T>(a, b);
    /// <summary>Product k₁·k₂.</summary>
    public static IKernel<T> Product<T>(IKernel<T> a, IKernel<T> b) => new ProductKernel<T>(a, b);
    /// <summary>Power k^ζ (scikit-learn's Exponentiation; the ζ of SOAP-type kernels).</summary>
    public static IKernel<T> Power<T>(IKernel<T> k, double zeta) => new PowerKernel<T>(k, zeta);
    /// <summary>Constant c · k (scikit-learn's ConstantKernel(c) * k).</summary>
    public static IKernel<T> Scaled<T>(double c, IKernel<T> k) => new ProductKernel<T>(new ConstantKernel<T>(c), k);

    /// <summary>
    /// Gram matrix K[i, j] = k(a_i, b_j), row-major |a| × |b|, filled in parallel over rows
    /// (each entry written once, so the result does not depend on the thread count).
    /// </summary>
    public static double[] Gram<T>(IKernel<T> kernel, IReadOnlyList<T> a, IReadOnlyList<T> b, int threads = 0)
    {
        int na = a.Count, nb = b.Count;
        var k = new double[(long)na * nb];
        bool symmetric = ReferenceEquals(a, b);
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, na, po, i =>
        {
            var ai = a[i];
            for (int j = symmetric ? i : 0; j < nb; j++) k[(long)i * nb + j] = kernel.Evaluate(ai, b[j]);
        });
        if (symmetric)
            for (int i = 0; i < na; i++)
                for (int j = 0; j < i; j++) k[(long)i * nb + j] = k[(long)j * nb + i];
        return k;
    }

    /// <summary>Splits a row-major rows × cols matrix (e.g. <see cref="FeatureTable.Values"/>) into row vectors, the samples of vector kernels.</summary>
    public static double[][] SplitRows(ReadOnlySpan<double> values, int cols)
    {
        if (cols < 1 || values.Length % cols != 0) throw new ArgumentException($"values length is not a multiple of {cols}");
        var o = new double[values.Length / cols][];
        for (int r = 0; r < o.Length; r++) o[r] = values.Slice(r * cols, cols).ToArray();
        return o;
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vector lengths differ ({a.Length} vs {b.Length})");
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}

/// <summary>Squared-exponential kernel k(x, y) = exp(−‖x − y‖² / 2ℓ²) (scikit-learn RBF, isotropic).</summary>
public sealed class RbfKernel : IKernel<double[]>
{
    /// <summary>Creates the kernel.</summary>
    /// <param name="lengthScale">ℓ &gt; 0 (feature units).</param>
    public RbfKernel(double lengthScale)
    {
        if (!(lengthScale > 0) || !double.IsFinite(lengthScale)) throw new ArgumentOutOfRangeException(nameof(lengthScale), "length scale must be > 0");
        LengthScale = lengthScale;
    }
    /// <summary>ℓ.</summary>
    public double LengthScale { get; }
    /// <inheritdoc/>
    public double Evaluate(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vector lengths differ");
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double t = (a[i] - b[i]) / LengthScale; s += t * t; }
        return Math.Exp(-0.5 * s);
    }
    /// <inheritdoc/>
    public double Diagonal(double[] a) => 1.0;
}

/// <summary>Dot-product kernel k(x, y) = σ₀² + x·y (scikit-learn DotProduct).</summary>
public sealed class DotProductKernel : IKernel<double[]>
{
    /// <summary>Creates the kernel with inhomogeneity σ₀ ≥ 0.</summary>
    public DotProductKernel(double sigma0)
    {
        if (!(sigma0 >= 0) || !double.IsFinite(sigma0)) throw new ArgumentOutOfRangeException(nameof(sigma0), "sigma0 must be ≥ 0");
        Sigma0 = sigma0;
    }
    /// <summary>σ₀.</summary>
    public double Sigma0 { get; }
    /// <inheritdoc/>
    public double Evaluate(double[] a, double[] b) => Sigma0 * Sigma0 + Kernels.Dot(a, b);
}

/// <summary>Constant kernel k = c (c ≥ 0).</summary>
public sealed class ConstantKernel<T> : IKernel<T>
{
    /// <summary>Creates the kernel.</summary>
    public ConstantKernel(double value)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "constant must be ≥ 0");
        Value = value;
    }
    /// <summary>c.</summary>
    public double Value { get; }
    /// <inheritdoc/>
    public double Evaluate(T a, T b) => Value;
}

/// <summary>k₁ + k₂.</summary>
public sealed class SumKernel<T>(IKernel<T> first, IKernel<T> second) : IKernel<T>
{
    /// <summary>k₁.</summary>
    public IKernel<T> First { get; } = first ?? throw new ArgumentNullException(nameof(first));
    /// <summary>k₂.</summary>
    public IKernel<T> Second { get; } = second ?? throw new ArgumentNullException(nameof(second));
    /// <inheritdoc/>
    public double Evaluate(T a, T b) => First.Evaluate(a, b) + Second.Evaluate(a, b);
    /// <inheritdoc/>
    public double Diagonal(T a) => First.Diagonal(a) + Second.Diagonal(a);
}

/// <summary>k₁ · k₂.</summary>
public sealed class ProductKernel<T>(IKernel<T> first, IKernel<T> second) : IKernel<T>
{
    /// <summary>k₁.</summary>
    public IKernel<T> First { get; } = first ?? throw new ArgumentNullException(nameof(first));
    /// <summary>k₂.</summary>
    public IKernel<T> Second { get; } = second ?? throw new ArgumentNullException(nameof(second));
    /// <inheritdoc/>
    public double Evaluate(T a, T b) => First.Evaluate(a, b) * Second.Evaluate(a, b);
    /// <inheritdoc/>
    public double Diagonal(T a) => First.Diagonal(a) * Second.Diagonal(a);
}

/// <summary>k^ζ (element-wise power of a kernel; scikit-learn Exponentiation).</summary>
public sealed class PowerKernel<T> : IKernel<T>
{
    /// <summary>Creates k^ζ.</summary>
    public PowerKernel(IKernel<T> inner, double zeta)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (!(zeta > 0) || !double.IsFinite(zeta)) throw new ArgumentOutOfRangeException(nameof(zeta), "power must be > 0");
        Zeta = zeta;
    }
    /// <summary>The base kernel.</summary>
    public IKernel<T> Inner { get; }
    /// <summary>ζ.</summary>
    public double Zeta { get; }
    /// <inheritdoc/>
    public double Evaluate(T a, T b) => Pow(Inner.Evaluate(a, b), Zeta);
    /// <inheritdoc/>
    public double Diagonal(T a) => Pow(Inner.Diagonal(a), Zeta);
    internal static double Pow(double x, double z) => z == 1 ? x : z == 2 ? x * x : Math.Pow(x, z);
}

/// <summary>
/// A precomputed Gram matrix: samples are row indices; k(i, j) = G[i, j] of a row-major n × n matrix
/// (for predictions, build one matrix over training and test samples and pass their indices).
/// </summary>
public sealed class PrecomputedKernel : IKernel<int>
{
    private readonly double[] _g;
    /// <summary>Wraps a row-major n × n matrix (not copied).</summary>
    public PrecomputedKernel(double[] gram, int n)
    {
        if (gram.LongLength != (long)n * n) throw new ArgumentException($"expected {n} × {n} values, got {gram.Length}");
        _g = gram; Size = n;
    }
    /// <summary>n.</summary>
    public int Size { get; }
    /// <inheritdoc/>
    public double Evaluate(int a, int b) => _g[(long)a * Size + b];
}
