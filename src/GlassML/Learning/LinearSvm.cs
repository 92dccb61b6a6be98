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
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var data = TronData.Create(x, rows, cols, options.Bias);
        if (y.Length != rows) throw new ArgumentException("targets length must equal rows");
        var prob = new L2LossProblem(data, y.ToArray(), options.C, options.Epsilon, regression: true, options.Threads);
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

/// <summary>A twice-differentiable (generalised Hessian) objective for <see cref="Tron"/>.</summary>
internal interface ITronProblem
{
    int Dim { get; }
    double Function(double[] w);           // also caches what Gradient / HessianVector need at w
    void Gradient(double[] w, double[] g);
    void HessianVector(double[] s, double[] hs);
}

/// <summary>½wᵀw + C Σ ℓ_i with the squared hinge (SVC) or squared ε-insensitive (SVR) loss.</summary>
internal sealed class L2LossProblem : ITronProblem
{
    private const int Chunk = 2048;
    private readonly TronData _d; private readonly double[] _y; private readonly double _c, _p; private readonly bool _reg;
    private readonly double[] _z, _coef; private readonly bool[] _active; private readonly ParallelOptions _po;
    private readonly int _chunks;

    public L2LossProblem(TronData d, double[] y, double c, double p, bool regression, int threads)
    {
        _d = d; _y = y; _c = c; _p = p; _reg = regression;
        _z = new double[d.Rows]; _coef = new double[d.Rows]; _active = new bool[d.Rows];
        _po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        _chunks = (d.Rows + Chunk - 1) / Chunk;
    }

    public int Dim => _d.Dim;

    public double Function(double[] w)
    {
        int dim = _d.Dim; var X = _d.X;
        var part = new double[_chunks];
        Parallel.For(0, _chunks, _po, ch =>
        {
            double s = 0; int end = Math.Min(_d.Rows, (ch + 1) * Chunk);
            for (int i = ch * Chunk; i < end; i++)
            {
                var xi = X.AsSpan(i * dim, dim);
                double z = 0; for (int c = 0; c < dim; c++) z += w[c] * xi[c];
                _z[i] = z;
                double t;
                if (_reg)
                {
                    double r = z - _y[i];
                    t = r > _p ? r - _p : (r < -_p ? r + _p : 0);
                    _coef[i] = t; _active[i] = t != 0;
                }
                else
                {
                    double m = 1 - _y[i] * z;
                    t = m > 0 ? m : 0;
                    _coef[i] = m > 0 ? z - _y[i] : 0; _active[i] = m > 0;
                }
                s += t * t;
            }
            part[ch] = s;
        });
        double loss = 0; foreach (double v in part) loss += v;
        double reg = 0; for (int c = 0; c < dim; c++) reg += w[c] * w[c];
        return 0.5 * reg + _c * loss;
    }

    // g = w + 2C Σ coef_i x_i  (coef from the last Function call)
    public void Gradient(double[] w, double[] g)
    {
        XtV(_coef, g, null);
        for (int c = 0; c < g.Length; c++) g[c] = w[c] + 2 * _c * g[c];
    }

    // Hs = s + 2C X_Iᵀ(X_I s), I = rows with non-zero loss
    public void HessianVector(double[] s, double[] hs)
    {
        int dim = _d.Dim; var X = _d.X;
        var xs = new double[_d.Rows];
        Parallel.For(0, _chunks, _po, ch =>
        {
            int end = Math.Min(_d.Rows, (ch + 1) * Chunk);
            for (int i = ch * Chunk; i < end; i++)
            {
                if (!_active[i]) { xs[i] = 0; continue; }
                var xi = X.AsSpan(i * dim, dim);
                double z = 0; for (int c = 0; c < dim; c++) z += s[c] * xi[c];
                xs[i] = z;
            }
        });
        XtV(xs, hs, _active);
        for (int c = 0; c < dim; c++) hs[c] = s[c] + 2 * _c * hs[c];
    }

    // o = Xᵀ v over rows (optionally only active ones), reduced per chunk and then in chunk order.
    private void XtV(double[] v, double[] o, bool[]? active)
    {
        int dim = _d.Dim; var X = _d.X;
        var part = new double[(long)_chunks * dim];
        Parallel.For(0, _chunks, _po, ch =>
        {
            var acc = part.AsSpan(ch * dim, dim);
            int end = Math.Min(_d.Rows, (ch + 1) * Chunk);
            for (int i = ch * Chunk; i < end; i++)
            {
                double vi = v[i];
                if (vi == 0 || (active is not null && !active[i])) continue;
                var xi = X.AsSpan(i * dim, dim);
                for (int c = 0; c < dim; c++) acc[c] += vi * xi[c];
            }
        });
        Array.Clear(o);
        for (int ch = 0; ch < _chunks; ch++)
            for (int c = 0; c < dim; c++) o[c] += part[ch * dim + c];
    }
}

/// <summary>
/// Trust-region Newton minimiser (Lin, Weng &amp; Keerthi 2008, Algorithm 2 with the trust-region update of
/// Lin &amp; Moré 1999): truncated conjugate gradient inside the trust region, step accepted when the actual
/// reduction exceeds η0 of the predicted one.
/// </summary>
internal static class Tron
{
    private const double Eta0 = 1e-4, Eta1 = 0.25, Eta2 = 0.75, Sigma1 = 0.25, Sigma2 = 0.5, Sigma3 = 4.0;

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    /// <summary>Minimises from the given start w (in place); returns the iterations used.</summary>
    public static int Minimize(ITronProblem f, double[] w, double eps, int maxIter)
    {
        int n = f.Dim;
        var g = new double[n]; var s = new double[n]; var r = new double[n]; var wNew = new double[n];
        double fw = f.Function(w);
        f.Gradient(w, g);
        double gnorm0 = Norm(g), gnorm = gnorm0;
        double delta = gnorm0;
        if (gnorm0 == 0) return 0;
        int iter = 1;
        while (iter <= maxIter && gnorm > eps * gnorm0)
        {
            TruncatedCg(f, g, delta, s, r);
            for (int i = 0; i < n; i++) wNew[i] = w[i] + s[i];
            double gs = Dot(g, s);
            double prered = -0.5 * (gs - Dot(s, r));
            double fNew = f.Function(wNew);
            double actred = fw - fNew;
            double snorm = Norm(s);
            if (iter == 1) delta = Math.Min(delta, snorm);
            double alpha = fNew - fw - gs <= 0 ? Sigma3 : Math.Max(Sigma1, -0.5 * (gs / (fNew - fw - gs)));
            if (actred < Eta0 * prered) delta = Math.Min(Math.Max(alpha, Sigma1) * snorm, Sigma2 * delta);
            else if (actred < Eta1 * prered) delta = Math.Max(Sigma1 * delta, Math.Min(alpha * snorm, Sigma2 * delta));
            else if (actred < Eta2 * prered) delta = Math.Max(Sigma1 * delta, Math.Min(alpha * snorm, Sigma3 * delta));
            else delta = Math.Max(delta, Math.Min(alpha * snorm, Sigma3 * delta));
            if (actred > Eta0 * prered)
            {
                iter++;
                Array.Copy(wNew, w, n);
                fw = fNew;
                f.Gradient(w, g);
                gnorm = Norm(g);
                if (gnorm <= eps * gnorm0) break;
            }
            else
            {
                f.Function(w); // restore cached state at w
            }
            if (fw < -1e32) break;
            if (Math.Abs(actred) <= 0 && prered <= 0) break;
            if (Math.Abs(actred) <= 1e-12 * Math.Abs(fw) && Math.Abs(prered) <= 1e-12 * Math.Abs(fw)) break;
            if (delta <= 1e-300) break;
        }
        return iter;
    }

    // Steihaug CG for min gᵀs + ½sᵀHs, ‖s‖ ≤ Δ; on exit r = −g − Hs (residual).
    private static void TruncatedCg(ITronProblem f, double[] g, double delta, double[] s, double[] r)
    {
        int n = g.Length;
        var d = new double[n]; var hd = new double[n];
        for (int i = 0; i < n; i++) { s[i] = 0; r[i] = -g[i]; d[i] = r[i]; }
        double cgtol = 0.1 * Norm(g);
        double rTr = Dot(r, r);
        for (int it = 0; it < 10 * n + 100; it++)
        {
            if (Math.Sqrt(rTr) <= cgtol) break;
            f.HessianVector(d, hd);
            double dHd = Dot(d, hd);
            double alpha = rTr / dHd;
            double ss = 0; for (int i = 0; i < n; i++) { double t = s[i] + alpha * d[i]; ss += t * t; }
            if (Math.Sqrt(ss) > delta)
            {
                // move to the boundary: find τ ≥ 0 with ‖s + τd‖ = Δ
                double std = Dot(s, d), sts = Dot(s, s), dtd = Dot(d, d), dsq = delta * delta;
                double rad = Math.Sqrt(Math.Max(0, std * std + dtd * (dsq - sts)));
                double tau = std >= 0 ? (dsq - sts) / (std + rad) : (rad - std) / dtd;
                for (int i = 0; i < n; i++) { s[i] += tau * d[i]; r[i] -= tau * hd[i]; }
                return;
            }
            for (int i = 0; i < n; i++) { s[i] += alpha * d[i]; r[i] -= alpha * hd[i]; }
            double rNew = Dot(r, r);
            double beta = rNew / rTr;
            for (int i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
            rTr = rNew;
        }
    }
}
