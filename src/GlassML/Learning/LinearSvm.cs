using GlassML.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GlassML.Learning;

/// <summary>
/// Options of <see cref="LinearSvr"/> and <see cref="LinearSvc"/> (LIBLINEAR 2.3 semantics).
/// </summary>
/// <param name="C">Cost C &gt; 0 of the summed squared losses (LIBLINEAR -c).</param>
/// <param name="Epsilon">SVR insensitivity p ≥ 0 (LIBLINEAR -p; ignored by the classifier).</param>
/// <param name="Bias">LIBLINEAR -B: when ≥ 0 every sample gets an extra feature of this value whose weight is
/// regularised like the others; when &lt; 0 there is no bias term.</param>
/// <param name="Tolerance">Stopping tolerance ε (LIBLINEAR -e); null = LIBLINEAR's default (1e-4 for SVR, 0.01 for SVC).
/// SVR stops when ‖∇f(w)‖ ≤ ε‖∇f(0)‖, SVC when ‖∇f(w)‖ ≤ ε·max(min(#pos,#neg),1)/l·‖∇f(0)‖.</param>
/// <param name="MaxIterations">Maximum trust-region Newton iterations (LIBLINEAR: 1000).</param>
/// <param name="Threads">Maximum degree of parallelism over rows (0 = all cores); results do not depend on it.</param>
public sealed record LinearSvmOptions(double C = 1.0, double Epsilon = 0.1, double Bias = 1.0, double? Tolerance = null,
    int MaxIterations = 1000, int Threads = 0)
{
    internal void Validate()
    {
        if (!(C > 0) || !double.IsFinite(C)) throw new ArgumentOutOfRangeException(nameof(C), "C must be a positive finite number");
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon)) throw new ArgumentOutOfRangeException(nameof(Epsilon), "Epsilon must be ≥ 0");
        if (!double.IsFinite(Bias)) throw new ArgumentOutOfRangeException(nameof(Bias), "Bias must be finite (negative = no bias)");
        if (Tolerance is { } t && !(t > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), "Tolerance must be > 0");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), "MaxIterations must be ≥ 1");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), "Threads must be ≥ 0");
    }
}

/// <summary>
/// L2-regularised L2-loss support vector regression in the primal, min_w ½wᵀw + C Σ_i max(0, |wᵀx_i − y_i| − p)²,
/// solved by trust-region Newton (TRON; Lin, Weng &amp; Keerthi, JMLR 9 (2008) 627, doi:10.1145/1390681.1390703):
/// the same problem as LIBLINEAR 2.3 <c>-s 11</c>, so the weights equal LIBLINEAR's at convergence.
/// </summary>
public sealed class LinearSvr
{
    private LinearSvr(LinearSvmOptions o, double[] w, double biasWeight, int iterations, int features)
    { Options = o; Weights = w; BiasWeight = biasWeight; Iterations = iterations; Features = features; }

    /// <summary>Options used.</summary>
    public LinearSvmOptions Options { get; }
    /// <summary>Feature weights (length = features).</summary>
    public double[] Weights { get; }
    /// <summary>Weight of the bias feature (0 when Bias &lt; 0); the intercept is BiasWeight·Bias.</summary>
    public double BiasWeight { get; }
    /// <summary>Number of features.</summary>
    public int Features { get; }
    /// <summary>Newton iterations used.</summary>
    public int Iterations { get; }

    /// <summary>Trains on a row-major rows × cols matrix and targets y.</summary>
    public static LinearSvr Fit(LinearSvmOptions options, ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> y)
        => Fit(options, x, rows, cols, y, null);

    /// <summary><see cref="Fit(LinearSvmOptions, ReadOnlySpan{double}, int, int, ReadOnlySpan{double})"/> with the
    /// Hessian mode forced (null = by dimension; tests compare the two).</summary>
    internal static LinearSvr Fit(LinearSvmOptions options, ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> y, bool? explicitHessian)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var data = TronData.Create(x, rows, cols, options.Bias);
        if (y.Length != rows) throw new ArgumentException("targets length must equal rows");
        var prob = new L2LossProblem(data, y.ToArray(), options.C, options.Epsilon, regression: true, options.Threads, explicitHessian);
        var w = new double[data.Dim];
        int it = Tron.Minimize(prob, w, options.Tolerance ?? 1e-4, options.MaxIterations);
        return new LinearSvr(options, w[..cols], options.Bias >= 0 ? w[cols] : 0.0, it, cols);
    }

    /// <summary>Trains on a table's features and labels.</summary>
    public static LinearSvr Fit(LinearSvmOptions options, FeatureTable table)
    {
        if (table.Labels is null) throw new ArgumentException("the table has no labels");
        return Fit(options, table.Values, table.Rows, table.ColumnCount, table.Labels);
    }

    /// <summary>Predictions wᵀx (+ BiasWeight·Bias) of row-major rows × Features values.</summary>
    public double[] Predict(ReadOnlySpan<double> x) => LinearSvc.Decision(x, Features, Weights, Options.Bias >= 0 ? BiasWeight * Options.Bias : 0);

    /// <summary>A model from stored weights (model files).</summary>
    internal static LinearSvr FromWeights(LinearSvmOptions options, double[] weights, double biasWeight) =>
        new(options, weights, biasWeight, 0, weights.Length);
}

/// <summary>
/// L2-regularised L2-loss support vector classification in the primal, min_w ½wᵀw + C Σ_i max(0, 1 − y_i wᵀx_i)²,
/// by trust-region Newton (LIBLINEAR 2.3 <c>-s 2</c>). Two classes: one weight vector whose positive class is the
/// larger label; more classes: one-vs-rest, one vector per class in ascending label order, prediction = argmax.
/// </summary>
public sealed class LinearSvc
{
    private LinearSvc(LinearSvmOptions o, double[] classes, double[][] w, double[] b, int features)
    { Options = o; Classes = classes; Weights = w; BiasWeights = b; Features = features; }

    /// <summary>Options used.</summary>
    public LinearSvmOptions Options { get; }
    /// <summary>Distinct labels, ascending.</summary>
    public double[] Classes { get; }
    /// <summary>Weight vectors: one (positive class = Classes[1]) for two classes, else one per class.</summary>
    public double[][] Weights { get; }
    /// <summary>Bias-feature weight per weight vector (0 when Bias &lt; 0).</summary>
    public double[] BiasWeights { get; }
    /// <summary>Number of features.</summary>
    public int Features { get; }

    /// <summary>Trains on a row-major rows × cols matrix and class labels (at least two distinct values).</summary>
    public static LinearSvc Fit(LinearSvmOptions options, ReadOnlySpan<double> x, int rows, int cols, ReadOnlySpan<double> labels)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (labels.Length != rows) throw new ArgumentException("labels length must equal rows");
        var classes = labels.ToArray(); Array.Sort(classes);
        classes = classes.Distinct().ToArray();
        if (classes.Length < 2) throw new ArgumentException("need at least two classes");
        var data = TronData.Create(x, rows, cols, options.Bias);
        int nv = classes.Length == 2 ? 1 : classes.Length;
        var ws = new double[nv][]; var bs = new double[nv];
        for (int v = 0; v < nv; v++)
        {
            double pos = classes.Length == 2 ? classes[1] : classes[v];
            var y = new double[rows]; int np = 0;
            for (int i = 0; i < rows; i++) { y[i] = labels[i] == pos ? 1 : -1; if (y[i] > 0) np++; }
            double tol = (options.Tolerance ?? 0.01) * Math.Max(Math.Min(np, rows - np), 1) / rows;
            var prob = new L2LossProblem(data, y, options.C, 0, regression: false, options.Threads);
            var w = new double[data.Dim];
            Tron.Minimize(prob, w, tol, options.MaxIterations);
            ws[v] = w[..cols]; bs[v] = options.Bias >= 0 ? w[cols] : 0.0;
        }
        return new LinearSvc(options, classes, ws, bs, cols);
    }

    /// <summary>Trains on a table's features and labels.</summary>
    public static LinearSvc Fit(LinearSvmOptions options, FeatureTable table)
    {
        if (table.Labels is null) throw new ArgumentException("the table has no labels");
        return Fit(options, table.Values, table.Rows, table.ColumnCount, table.Labels);
    }

    /// <summary>A model from stored weights (model files).</summary>
    internal static LinearSvc FromWeights(LinearSvmOptions options, double[] classes, double[][] weights, double[] biasWeights) =>
        new(options, classes, weights, biasWeights, weights[0].Length);

    /// <summary>Decision values wᵀx + b of weight vector <paramref name="vector"/> for row-major rows × Features values.</summary>
    public double[] DecisionFunction(ReadOnlySpan<double> x, int vector = 0)
        => Decision(x, Features, Weights[vector], Options.Bias >= 0 ? BiasWeights[vector] * Options.Bias : 0);

    /// <summary>Predicted labels.</summary>
    public double[] Predict(ReadOnlySpan<double> x)
    {
        int rows = x.Length / Features;
        var o = new double[rows];
        if (Weights.Length == 1)
        {
            var d = DecisionFunction(x);
            for (int r = 0; r < rows; r++) o[r] = d[r] > 0 ? Classes[1] : Classes[0];
            return o;
        }
        var best = new double[rows]; Array.Fill(best, double.NegativeInfinity);
        for (int v = 0; v < Weights.Length; v++)
        {
            var d = DecisionFunction(x, v);
            for (int r = 0; r < rows; r++) if (d[r] > best[r]) { best[r] = d[r]; o[r] = Classes[v]; }
        }
        return o;
    }

    internal static double[] Decision(ReadOnlySpan<double> x, int cols, double[] w, double b)
    {
        if (x.Length % cols != 0) throw new ArgumentException($"values length is not a multiple of {cols}");
        int rows = x.Length / cols;
        var o = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = b;
            var xr = x.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) s += w[c] * xr[c];
            o[r] = s;
        }
        return o;
    }
}

/// <summary>Design matrix with the optional bias column appended (row-major rows × Dim).</summary>
internal sealed class TronData
{
    public required double[] X; public required int Rows; public required int Dim;

    public static TronData Create(ReadOnlySpan<double> x, int rows, int cols, double bias)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException("need at least one row and one column");
        if (x.Length != (long)rows * cols) throw new ArgumentException($"expected {rows} × {cols} values, got {x.Length}");
        foreach (double v in x) if (!double.IsFinite(v)) throw new ArgumentException("features contain NaN or infinity");
        int dim = cols + (bias >= 0 ? 1 : 0);
        var X = new double[(long)rows * dim];
        for (int r = 0; r < rows; r++)
        {
            x.Slice(r * cols, cols).CopyTo(X.AsSpan(r * dim, cols));
            if (bias >= 0) X[r * dim + cols] = bias;
        }
        return new TronData { X = X, Rows = rows, Dim = dim };
    }
}

/// <summary>A twice-differentiable (generalised Hessian) objective for <see cref="Tron"/> (LIBLINEAR's <c>function</c>).</summary>
internal interface ITronProblem
{
    int Dim { get; }
    /// <summary>f(w); remembers Xw for the next <see cref="Gradient"/>.</summary>
    double Function(double[] w);
    /// <summary>∇f(w) at the w of the last <see cref="Function"/> call; also fixes the active set used by
    /// <see cref="HessianVector"/> and <see cref="DiagPreconditioner"/> (as LIBLINEAR's <c>grad</c>).</summary>
    void Gradient(double[] w, double[] g);
    /// <summary>Generalised Hessian times s at the w of the last <see cref="Gradient"/> call.</summary>
    void HessianVector(double[] s, double[] hs);
    /// <summary>Diagonal of the generalised Hessian at the w of the last <see cref="Gradient"/> call.</summary>
    void DiagPreconditioner(double[] m);
}

/// <summary>
/// ½wᵀw + C Σ ℓ_i with the squared hinge (SVC) or squared ε-insensitive (SVR) loss, over a dense row-major matrix.
/// Rows are processed in fixed blocks, in parallel; every sum over rows is a sum of per-block partial sums added in
/// block order, so results do not depend on the thread count. Gradient, Hessian and preconditioner use the active rows
/// only (non-zero loss). With few columns (<see cref="ExplicitHessianMaxDim"/>) the generalised Hessian
/// I + 2C X_IᵀX_I is formed once per Newton iteration (a blocked, vectorised Gram matrix of the active rows), so a
/// conjugate-gradient step costs dim² flops instead of a pass over the data; otherwise each Hessian-vector product
/// is one fused pass x_iᵀs, x_i·(x_iᵀs) over the active rows. Nothing is allocated per conjugate-gradient step.
/// </summary>
internal sealed class L2LossProblem : ITronProblem
{
    /// <summary>Rows per block of the row passes.</summary>
    internal const int Block = 1024;
    /// <summary>Row blocks per partial Gram matrix.</summary>
    internal const int GramBlocks = 16;
    /// <summary>Largest dimension (features + bias) for which the Hessian is formed explicitly.</summary>
    internal const int ExplicitHessianMaxDim = 256;

    private readonly double[] _x; private readonly int _rows, _dim, _blocks;
    private readonly double[] _y; private readonly double _c, _p; private readonly bool _reg, _explicit;
    private readonly double[] _z;             // Xw per row (last Function call)
    private readonly double[] _coef;          // loss derivative of the active rows, at their _act positions
    private readonly int[] _act, _actCount;   // active rows of block b: _act[b·Block .. b·Block + _actCount[b])
    private readonly double[] _part, _part2, _loss;
    private readonly double[]? _gram, _gramPart; // explicit mode: X_IᵀX_I (full, symmetric) and per-group partials
    private readonly ParallelOptions _po;

    public L2LossProblem(TronData d, double[] y, double c, double p, bool regression, int threads, bool? explicitHessian = null)
    {
        _x = d.X; _rows = d.Rows; _dim = d.Dim; _y = y; _c = c; _p = p; _reg = regression;
        _explicit = explicitHessian ?? _dim <= ExplicitHessianMaxDim;
        _blocks = (_rows + Block - 1) / Block;
        _z = new double[_rows]; _coef = new double[_rows]; _act = new int[_rows]; _actCount = new int[_blocks];
        _part = new double[(long)_blocks * _dim]; _loss = new double[_blocks];
        _po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        if (_explicit)
        {
            _part2 = [];
            _gram = new double[_dim * _dim];
            _gramPart = new double[(long)GroupCount * _dim * _dim];
        }
        else _part2 = new double[(long)_blocks * _dim];
    }

    public int Dim => _dim;

    private int GroupCount => (_blocks + GramBlocks - 1) / GramBlocks;

    private ReadOnlySpan<double> Row(int i) => _x.AsSpan(i * _dim, _dim);

    public double Function(double[] w)
    {
        Parallel.For(0, _blocks, _po, b =>
        {
            double s = 0; int end = Math.Min(_rows, (b + 1) * Block);
            for (int i = b * Block; i < end; i++)
            {
                double z = FixedOrder.Dot(Row(i), w);
                _z[i] = z;
                double t;
                if (_reg) { double r = z - _y[i]; t = r > _p ? r - _p : (r < -_p ? r + _p : 0); }
                else { double m = 1 - _y[i] * z; t = m > 0 ? m : 0; }
                s += t * t;
            }
            _loss[b] = s;
        });
        double loss = 0; for (int b = 0; b < _blocks; b++) loss += _loss[b];
        return 0.5 * FixedOrder.Dot(w, w) + _c * loss;
    }

    // g = w + 2C Σ_I coef_i x_i; fixes the active set I; then X_IᵀX_I (explicit mode) or Σ_I x_ij² (row mode).
    public void Gradient(double[] w, double[] g)
    {
        int dim = _dim;
        Parallel.For(0, _blocks, _po, b =>
        {
            var acc = _part.AsSpan(b * dim, dim);
            var sq = _explicit ? default : _part2.AsSpan(b * dim, dim);
            acc.Clear(); sq.Clear();
            int n = 0, start = b * Block, end = Math.Min(_rows, start + Block);
            for (int i = start; i < end; i++)
            {
                double z = _z[i], coef;
                if (_reg) { double r = z - _y[i]; coef = r > _p ? r - _p : (r < -_p ? r + _p : 0); }
                else coef = 1 - _y[i] * z > 0 ? z - _y[i] : 0;
                if (coef == 0) continue;
                _act[start + n] = i; _coef[start + n] = coef; n++;
                var xi = Row(i);
                TensorPrimitives.MultiplyAdd(xi, coef, acc, acc);
                if (!_explicit) TensorPrimitives.MultiplyAdd(xi, xi, sq, sq);
            }
            _actCount[b] = n;
        });
        Reduce(_part, _blocks, g);
        for (int c = 0; c < dim; c++) g[c] = w[c] + 2 * _c * g[c];
        if (_explicit) BuildGram();
    }

    public void DiagPreconditioner(double[] m)
    {
        if (_explicit) for (int c = 0; c < _dim; c++) m[c] = _gram![c * _dim + c];
        else Reduce(_part2, _blocks, m);
        for (int c = 0; c < _dim; c++) m[c] = 1 + 2 * _c * m[c];
    }

    // Hs = s + 2C X_Iᵀ(X_I s)
    public void HessianVector(double[] s, double[] hs)
    {
        int dim = _dim;
        if (_explicit)
        {
            for (int j = 0; j < dim; j++) hs[j] = s[j] + 2 * _c * FixedOrder.Dot(_gram.AsSpan(j * dim, dim), s);
            return;
        }
        Parallel.For(0, _blocks, _po, b =>
        {
            var acc = _part.AsSpan(b * dim, dim);
            acc.Clear();
            int start = b * Block, n = _actCount[b];
            for (int k = start; k < start + n; k++)
            {
                var xi = Row(_act[k]);
                TensorPrimitives.MultiplyAdd(xi, FixedOrder.Dot(xi, s), acc, acc);
            }
        });
        Reduce(_part, _blocks, hs);
        for (int c = 0; c < dim; c++) hs[c] = s[c] + 2 * _c * hs[c];
    }

    // o = Σ_b part[b] in block order.
    private void Reduce(double[] part, int count, double[] o)
    {
        int len = o.Length;
        Array.Clear(o);
        for (int b = 0; b < count; b++) TensorPrimitives.Add(o, part.AsSpan(b * len, len), o);
    }

    // X_IᵀX_I: upper triangle per group of GramBlocks row blocks (rows in order), groups added in order, then mirrored.
    private void BuildGram()
    {
        int dim = _dim, dd = dim * dim;
        Parallel.For(0, GroupCount, _po, grp =>
        {
            var g = _gramPart.AsSpan(grp * dd, dd);
            g.Clear();
            Span<int> rows = stackalloc int[8];
            int n = 0;
            int bEnd = Math.Min(_blocks, (grp + 1) * GramBlocks);
            for (int b = grp * GramBlocks; b < bEnd; b++)
                for (int k = b * Block, end = b * Block + _actCount[b]; k < end; k++)
                {
                    rows[n++] = _act[k];
                    if (n == 8) { GramUpdate8(g, rows); n = 0; }
                }
            for (int r = 0; r < n; r++) GramUpdate1(g, rows[r]);
        });
        Reduce(_gramPart!, GroupCount, _gram!);
        for (int j = 0; j < dim; j++)
            for (int k = 0; k < j; k++) _gram![j * dim + k] = _gram[k * dim + j];
    }

    // G[j,k] += x_r[j]·x_r[k] for the 8 rows in order, k ≥ j (a few k < j too, ignored); the same per-element order
    // (rows one after another, multiply then add) in the vector body and the scalar tail.
    private void GramUpdate8(Span<double> g, ReadOnlySpan<int> rows)
    {
        int dim = _dim;
        ref double x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref double gr = ref MemoryMarshal.GetReference(g);
        nuint o0 = (nuint)(rows[0] * dim), o1 = (nuint)(rows[1] * dim), o2 = (nuint)(rows[2] * dim), o3 = (nuint)(rows[3] * dim);
        nuint o4 = (nuint)(rows[4] * dim), o5 = (nuint)(rows[5] * dim), o6 = (nuint)(rows[6] * dim), o7 = (nuint)(rows[7] * dim);
        bool vec = Vector256.IsHardwareAccelerated;
        for (int j = 0; j < dim; j++)
        {
            double a0 = Unsafe.Add(ref x, o0 + (nuint)j), a1 = Unsafe.Add(ref x, o1 + (nuint)j), a2 = Unsafe.Add(ref x, o2 + (nuint)j), a3 = Unsafe.Add(ref x, o3 + (nuint)j);
            double a4 = Unsafe.Add(ref x, o4 + (nuint)j), a5 = Unsafe.Add(ref x, o5 + (nuint)j), a6 = Unsafe.Add(ref x, o6 + (nuint)j), a7 = Unsafe.Add(ref x, o7 + (nuint)j);
            nuint gj = (nuint)(j * dim);
            int k = j & ~3;
            if (vec)
            {
                var b0 = Vector256.Create(a0); var b1 = Vector256.Create(a1); var b2 = Vector256.Create(a2); var b3 = Vector256.Create(a3);
                var b4 = Vector256.Create(a4); var b5 = Vector256.Create(a5); var b6 = Vector256.Create(a6); var b7 = Vector256.Create(a7);
                for (; k + 4 <= dim; k += 4)
                {
                    nuint kk = (nuint)k;
                    var acc = Vector256.LoadUnsafe(ref gr, gj + kk);
                    acc += b0 * Vector256.LoadUnsafe(ref x, o0 + kk);
                    acc += b1 * Vector256.LoadUnsafe(ref x, o1 + kk);
                    acc += b2 * Vector256.LoadUnsafe(ref x, o2 + kk);
                    acc += b3 * Vector256.LoadUnsafe(ref x, o3 + kk);
                    acc += b4 * Vector256.LoadUnsafe(ref x, o4 + kk);
                    acc += b5 * Vector256.LoadUnsafe(ref x, o5 + kk);
                    acc += b6 * Vector256.LoadUnsafe(ref x, o6 + kk);
                    acc += b7 * Vector256.LoadUnsafe(ref x, o7 + kk);
                    acc.StoreUnsafe(ref gr, gj + kk);
                }
            }
            for (; k < dim; k++)
            {
                nuint kk = (nuint)k;
                double acc = Unsafe.Add(ref gr, gj + kk);
                acc += a0 * Unsafe.Add(ref x, o0 + kk);
                acc += a1 * Unsafe.Add(ref x, o1 + kk);
                acc += a2 * Unsafe.Add(ref x, o2 + kk);
                acc += a3 * Unsafe.Add(ref x, o3 + kk);
                acc += a4 * Unsafe.Add(ref x, o4 + kk);
                acc += a5 * Unsafe.Add(ref x, o5 + kk);
                acc += a6 * Unsafe.Add(ref x, o6 + kk);
                acc += a7 * Unsafe.Add(ref x, o7 + kk);
                Unsafe.Add(ref gr, gj + kk) = acc;
            }
        }
    }

    private void GramUpdate1(Span<double> g, int row)
    {
        int dim = _dim;
        var xr = Row(row);
        for (int j = 0; j < dim; j++)
        {
            double a = xr[j];
            var gj = g.Slice(j * dim, dim);
            for (int k = j & ~3; k < dim; k++) gj[k] += a * xr[k];
        }
    }
}

/// <summary>
/// Trust-region Newton minimiser with diagonally preconditioned conjugate gradients, as LIBLINEAR 2.3's
/// <c>TRON::tron</c> / <c>trpcg</c> (Lin, Weng &amp; Keerthi 2008; Hsia, Chiang &amp; Lin, ACML 2018): the
/// preconditioner M = (1 − α) + α·diag(H) with α = 0.01, the trust region measured in the M-norm, CG stopped when
/// ‖r‖_{M⁻¹} ≤ 0.1·‖g‖_{M⁻¹}, a step accepted when the actual reduction exceeds η0 of the predicted one.
/// </summary>
internal static class Tron
{
    private const double Eta0 = 1e-4, Eta1 = 0.25, Eta2 = 0.75, Sigma1 = 0.25, Sigma2 = 0.5, Sigma3 = 4.0;
    private const double AlphaPcg = 0.01, EpsCg = 0.1;

    private static double Dot(double[] a, double[] b) => FixedOrder.Dot(a, b);
    private static double MDot(double[] u, double[] m, double[] v) { double s = 0; for (int i = 0; i < u.Length; i++) s += u[i] * m[i] * v[i]; return s; }

    /// <summary>Minimises from the given start w (in place); returns the iterations used.</summary>
    public static int Minimize(ITronProblem f, double[] w, double eps, int maxIter)
    {
        int n = f.Dim;
        var g = new double[n]; var s = new double[n]; var r = new double[n]; var wNew = new double[n]; var m = new double[n];
        var cg = new CgBuffers(n);
        double gnorm0;
        {
            var zero = new double[n];
            f.Function(zero);
            f.Gradient(zero, g);
            gnorm0 = Math.Sqrt(Dot(g, g));
        }
        double fw = f.Function(w);
        f.Gradient(w, g);
        double gnorm = Math.Sqrt(Dot(g, g));
        if (gnorm0 == 0 || gnorm <= eps * gnorm0) return 0;
        Precondition(f, m);
        double delta = Math.Sqrt(MDot(g, m, g));
        bool deltaAdjusted = false;
        int iter = 1;
        while (iter <= maxIter)
        {
            bool boundary = TruncatedPcg(f, g, m, delta, s, r, cg);
            for (int i = 0; i < n; i++) wNew[i] = w[i] + s[i];
            double gs = Dot(g, s);
            double prered = -0.5 * (gs - Dot(s, r));
            double fNew = f.Function(wNew);
            double actred = fw - fNew;
            double sMnorm = Math.Sqrt(MDot(s, m, s));
            if (iter == 1 && !deltaAdjusted) { delta = Math.Min(delta, sMnorm); deltaAdjusted = true; }
            double alpha = fNew - fw - gs <= 0 ? Sigma3 : Math.Max(Sigma1, -0.5 * (gs / (fNew - fw - gs)));
            if (actred < Eta0 * prered) delta = Math.Min(alpha * sMnorm, Sigma2 * delta);
            else if (actred < Eta1 * prered) delta = Math.Max(Sigma1 * delta, Math.Min(alpha * sMnorm, Sigma2 * delta));
            else if (actred < Eta2 * prered) delta = Math.Max(Sigma1 * delta, Math.Min(alpha * sMnorm, Sigma3 * delta));
            else delta = boundary ? Sigma3 * delta : Math.Max(delta, Math.Min(alpha * sMnorm, Sigma3 * delta));
            if (actred > Eta0 * prered)
            {
                iter++;
                Array.Copy(wNew, w, n);
                fw = fNew;
                f.Gradient(w, g);
                Precondition(f, m);
                gnorm = Math.Sqrt(Dot(g, g));
                if (gnorm <= eps * gnorm0) break;
            }
            // (a rejected step leaves the active set of w in place: Gradient was not called at wNew)
            if (fw < -1e32) break;
            if (prered <= 0) break;
            if (Math.Abs(actred) <= 1e-12 * Math.Abs(fw) && Math.Abs(prered) <= 1e-12 * Math.Abs(fw)) break;
        }
        return iter;
    }

    private static void Precondition(ITronProblem f, double[] m)
    {
        f.DiagPreconditioner(m);
        for (int i = 0; i < m.Length; i++) m[i] = (1 - AlphaPcg) + AlphaPcg * m[i];
    }

    private sealed class CgBuffers(int n)
    {
        public readonly double[] D = new double[n], Hd = new double[n], Z = new double[n];
    }

    // Steihaug PCG for min gᵀs + ½sᵀHs, ‖s‖_M ≤ Δ; on exit r = −g − Hs. Returns whether the boundary was reached.
    private static bool TruncatedPcg(ITronProblem f, double[] g, double[] m, double delta, double[] s, double[] r, CgBuffers b)
    {
        int n = g.Length;
        var d = b.D; var hd = b.Hd; var z = b.Z;
        for (int i = 0; i < n; i++) { s[i] = 0; r[i] = -g[i]; z[i] = r[i] / m[i]; d[i] = z[i]; }
        double zTr = Dot(z, r);
        double cgtol = EpsCg * Math.Sqrt(zTr);
        int maxCg = Math.Max(n, 5);
        for (int it = 0; it < maxCg; it++)
        {
            if (Math.Sqrt(zTr) <= cgtol) break;
            f.HessianVector(d, hd);
            double alpha = zTr / Dot(d, hd);
            for (int i = 0; i < n; i++) s[i] += alpha * d[i];
            if (Math.Sqrt(MDot(s, m, s)) > delta)
            {
                // back to the previous s, then to the boundary: τ ≥ 0 with ‖s + τd‖_M = Δ
                for (int i = 0; i < n; i++) s[i] -= alpha * d[i];
                double std = MDot(s, m, d), sts = MDot(s, m, s), dtd = MDot(d, m, d), dsq = delta * delta;
                double rad = Math.Sqrt(std * std + dtd * (dsq - sts));
                double tau = std >= 0 ? (dsq - sts) / (std + rad) : (rad - std) / dtd;
                for (int i = 0; i < n; i++) { s[i] += tau * d[i]; r[i] -= tau * hd[i]; }
                return true;
            }
            for (int i = 0; i < n; i++) { r[i] -= alpha * hd[i]; z[i] = r[i] / m[i]; }
            double zNew = Dot(z, r);
            double beta = zNew / zTr;
            for (int i = 0; i < n; i++) d[i] = z[i] + beta * d[i];
            zTr = zNew;
        }
        return false;
    }
}
