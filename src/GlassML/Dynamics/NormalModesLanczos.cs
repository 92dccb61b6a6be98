using GlassML.Numerics;
using System.Numerics.Tensors;
using GlassML.Potentials;

namespace GlassML.Dynamics;

/// <summary>
/// The lowest normal modes of large structures without a dense matrix: block Lanczos iteration (block size
/// <see cref="NormalModesOptions.LanczosBlock"/>) with full re-orthogonalisation on the projected dynamical matrix
/// D′ = P M^{-1/2} H M^{-1/2} P applied through the block-sparse Hessian or the factored EAM operator (memory ∝
/// N·neighbours plus one 3N vector per Krylov vector). When the wanted ⌈f·(3N−3)⌉ modes are a small part of the
/// spectrum (≤ 5 %), Lanczos runs on a Chebyshev polynomial of D′ (<see cref="NormalModesOptions.ChebyshevDegree"/>:
/// the band above the wanted modes is damped into [−1, 1], the wanted modes amplified), so the Krylov space needs only
/// a little more than the wanted count of vectors instead of a large fraction of 3N (500 atoms, 1 %: 56 vectors instead
/// of 648); each Ritz vector is then checked on D′ itself. Stopped when the lowest modes have residuals ‖D′x − λx‖
/// below <see cref="Tolerance"/> times the spectrum's upper bound. A block of b vectors resolves eigenvalues of
/// multiplicity up to b (replicated cells: a mode at wave vector q and its partner at −q are degenerate, multiplicity
/// 2; single-vector Lanczos, b = 1, finds one vector per distinct eigenvalue). Start vectors are fixed (seeded), every
/// dot product runs in a fixed order: identical for any thread count.
/// </summary>
public static class NormalModesLanczos
{
    /// <summary>Relative residual at which a Ritz pair counts as converged.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>
    /// The three translations and the lowest ⌈f·(3N−3)⌉ vibrational modes (same conventions as
    /// <see cref="NormalModes.Dense"/>; the result holds only these 3 + k modes).
    /// </summary>
    /// <param name="hessian">Hessian (eV/Å²).</param>
    /// <param name="masses">Per-atom masses (amu).</param>
    /// <param name="options">Fraction, block size and threads (<see cref="NormalModesOptions.AllEigenvectors"/> is not supported).</param>
    /// <param name="maxSteps">Largest Krylov dimension (default min(3N − 3, 20·k + 500)); not converging by then throws.</param>
    public static NormalModesResult Compute(BlockHessian hessian, IReadOnlyList<double> masses, NormalModesOptions? options = null, int maxSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        return Compute(hessian.AtomCount, (x, y, po) => hessian.Multiply(x, y, po), masses, options, maxSteps);
    }

    /// <summary>
    /// The same from the factored EAM Hessian operator (<see cref="EamHessianOperator"/>): several times less memory and
    /// time per product than the assembled Hessian for large structures; eigenpairs equal up to rounding.
    /// </summary>
    /// <param name="hessian">Hessian operator (eV/Å²).</param>
    /// <param name="masses">Per-atom masses (amu).</param>
    /// <param name="options">Fraction, block size and threads.</param>
    /// <param name="maxSteps">Largest Krylov dimension (as for the assembled Hessian).</param>
    public static NormalModesResult Compute(EamHessianOperator hessian, IReadOnlyList<double> masses, NormalModesOptions? options = null, int maxSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        var scratch = new double[hessian.AtomCount];
        return Compute(hessian.AtomCount, (x, y, po) => hessian.Multiply(x, y, scratch, po), masses, options, maxSteps);
    }

    private static NormalModesResult Compute(int n, Action<double[], double[], ParallelOptions> multiply, IReadOnlyList<double> masses, NormalModesOptions? options, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(masses);
        options ??= new NormalModesOptions();
        if (options.AllEigenvectors) throw new ArgumentException("the Lanczos solver computes the lowest modes only; use NormalModes.Dense for every eigenvector");
        int n3 = 3 * n;
        if (masses.Count != n) throw new ArgumentException($"{masses.Count} masses for {n} atoms");
        if (n < 2) throw new ArgumentException("normal modes need at least two atoms");
        if (!(options.Fraction > 0 && options.Fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(options), "Fraction must be in (0, 1]");
        if (options.LanczosBlock < 1) throw new ArgumentOutOfRangeException(nameof(options), "LanczosBlock must be ≥ 1");
        if (options.ChebyshevDegree < 0) throw new ArgumentOutOfRangeException(nameof(options), "ChebyshevDegree must be ≥ 0 (0 = automatic, 1 = no filter)");
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? -1 : options.Threads };
        int nVib = n3 - 3;
        int nSel = Math.Max(1, (int)Math.Ceiling(options.Fraction * nVib - 1e-9));
        int cap = maxSteps > 0 ? Math.Min(maxSteps, nVib) : Math.Min(nVib, 20 * nSel + 500);
        if (cap < nSel) throw new ArgumentException("maxSteps is smaller than the number of modes wanted");
        int p = Math.Min(options.LanczosBlock, cap);
        // when the Krylov space may grow to the whole space, whole blocks must fill it exactly
        if (cap == nVib) while (nVib % p != 0) p--;

        var isq = NormalModes.InverseSqrtMasses(masses, out double mtot);
        var t = new double[3][];
        for (int a = 0; a < 3; a++)
        {
            t[a] = new double[n3];
            for (int i = 0; i < n; i++) t[a][3 * i + a] = Math.Sqrt(masses[i] / mtot);
        }
        void Project(double[] v)
        {
            for (int a = 0; a < 3; a++) TensorPrimitives.MultiplyAdd(t[a], -FixedOrder.Dot(t[a], v), v, v);
        }
        var tmp = new double[n3];
        void Apply(double[] x, double[] y) // y = D′ x (x already projected)
        {
            for (int r = 0; r < n3; r++) tmp[r] = x[r] * isq[r / 3];
            multiply(tmp, y, po);
            for (int r = 0; r < n3; r++) y[r] *= isq[r / 3];
            Project(y);
        }
        ulong seed = 0x2545F4914F6CDD1DUL;
        double[] RandomVector()
        {
            var v = new double[n3];
            for (int r = 0; r < n3; r++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; v[r] = (seed >> 11) * (1.0 / (1UL << 53)) - 0.5; }
            Project(v);
            return v;
        }

        // the filter: plain (degree 1, S = D′) unless the wanted modes are a small part of the spectrum
        var filter = ChebyshevFilter.Choose(options.ChebyshevDegree, nSel, nVib, n3, Apply, RandomVector);
        (double[] Values, double[][] Vectors, int Steps)? found = null;
        while (found is null)
        {
            found = Iterate(filter, Apply, RandomVector, Project, n3, nSel, cap, p, po, options.Threads);
            if (found is null) filter = filter.Widened(nSel); // fewer than nSel modes below the filter's edge
        }
        var (ritz, xs, mm) = found.Value;

        var values = new double[3 + nSel]; var freq = new double[3 + nSel]; var pr = new double[3 + nSel]; var isTrans = new bool[3 + nSel];
        for (int a = 0; a < 3; a++) { isTrans[a] = true; pr[a] = double.NaN; }
        var part = new double[n];
        double[]? keep = options.KeepEigenvectors ? new double[(long)(3 + nSel) * n3] : null;
        if (keep is not null) Array.Fill(keep, double.NaN);
        for (int s = 0; s < nSel; s++)
        {
            var x = xs[s];
            double lam = ritz[s];
            values[3 + s] = lam;
            freq[3 + s] = Math.Sign(lam) * Math.Sqrt(Math.Abs(lam)) * NormalModes.ThzPerSqrtEigenvalue;
            double s2 = 0, s4 = 0;
            for (int i = 0; i < n; i++)
            {
                double qq = x[3 * i] * x[3 * i] + x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2];
                s2 += qq; s4 += qq * qq; part[i] += qq;
            }
            pr[3 + s] = s2 * s2 / (n * s4);
            if (keep is not null) x.CopyTo(keep, (long)(3 + s) * n3);
        }
        return new NormalModesResult(values, freq, isTrans, pr, Enumerable.Range(3, nSel).ToArray(), part, null, keep) { LanczosSteps = mm };
    }

    /// <summary>
    /// Block Lanczos on S = T_d((D′ − c)/e) (or on D′ itself for degree 1): the lowest nSel Ritz pairs of S, turned into
    /// eigenpairs of D′ (Rayleigh quotients, residuals ‖D′x − λx‖ checked against <see cref="Tolerance"/>). Null when
    /// the filtered spectrum shows fewer than nSel modes below the filter's edge (the caller widens it).
    /// </summary>
    private static (double[] Values, double[][] Vectors, int Steps)? Iterate(ChebyshevFilter filter, Action<double[], double[]> applyD, Func<double[]> random,
        Action<double[]> project, int n3, int nSel, int cap, int p, ParallelOptions po, int threads)
    {
        bool plain = filter.Degree == 1;
        var work = plain ? [] : new[] { new double[n3], new double[n3], new double[n3] };
        void ApplyS(double[] x, double[] y)
        {
            if (plain) applyD(x, y);
            else { filter.Apply(applyD, x, y, work); project(y); }
        }
        var q = new List<double[]>();          // Krylov basis; block j = q[j·p .. j·p + p)
        var aBlocks = new List<double[]>();    // A_j = Q_jᵀ S Q_j (p × p, row-major)
        var bBlocks = new List<double[]>();    // B_{j+1}: S Q_j = Q_{j−1}B_jᵀ + Q_jA_j + Q_{j+1}B_{j+1}
        double tnorm = 0;
        var start = new double[p][];
        for (int c = 0; c < p; c++) start[c] = random();
        OrthonormalizeBlock(q, start, new double[p * p], 0, random, project, po);
        q.AddRange(start);
        int check = plain ? Math.Max(nSel + 20, 50) : nSel + 2 * p;
        while (true)
        {
            int j0 = q.Count - p;
            var w = new double[p][];
            for (int c = 0; c < p; c++) { w[c] = new double[n3]; ApplyS(q[j0 + c], w[c]); }
            var aj = new double[p * p];
            for (int r = 0; r < p; r++)
                for (int c = 0; c < p; c++) aj[r * p + c] = FixedOrder.Dot(q[j0 + r], w[c]);
            for (int r = 0; r < p; r++)
                for (int c = 0; c < r; c++) { double v = 0.5 * (aj[r * p + c] + aj[c * p + r]); aj[r * p + c] = v; aj[c * p + r] = v; }
            aBlocks.Add(aj);
            int m = q.Count;
            bool last = m + p > cap;
            var bj = new double[p * p];
            OrthonormalizeBlock(q, w, bj, tnorm, last ? null : random, project, po);
            double bPrev = bBlocks.Count > 0 ? MaxColumnSum(bBlocks[^1], p) : 0;
            tnorm = Math.Max(tnorm, MaxColumnSum(aj, p) + MaxColumnSum(bj, p) + bPrev);
            if (m >= check || last)
            {
                int k = Math.Min(nSel, m);
                var tm = new double[(long)m * m];
                int nb = aBlocks.Count;
                for (int b = 0; b < nb; b++)
                    for (int r = 0; r < p; r++)
                        for (int c = 0; c < p; c++)
                        {
                            tm[(long)(b * p + r) * m + b * p + c] = aBlocks[b][r * p + c];
                            if (b + 1 < nb)
                            {
                                double v = bBlocks[b][r * p + c]; // row r of B_{b+1} → block row b + 1
                                tm[(long)((b + 1) * p + r) * m + b * p + c] = v;
                                tm[(long)(b * p + c) * m + (b + 1) * p + r] = v;
                            }
                        }
                var (vals, vecs) = SymmetricEigensolver.Solve(tm, m, k, threads);
                bool ok = k == nSel;
                for (int s = 0; s < k; s++)
                {
                    // residual ‖B_{J+1} y_s(last block)‖
                    double rr = 0;
                    for (int r = 0; r < p; r++)
                    {
                        double v = 0;
                        for (int c = 0; c < p; c++) v += bj[r * p + c] * vecs[(long)s * m + m - p + c];
                        rr += v * v;
                    }
                    bool conv = Math.Sqrt(rr) <= Tolerance * (plain ? tnorm : Math.Max(Math.Abs(vals[s]) - 1, 1));
                    if (!conv) ok = false;
                }
                // filtered: the nSel-th Ritz value stays inside the damped band [−1, 1] although the space is large
                if (!plain && k == nSel && m >= 2 * nSel + 40 && vals[k - 1] > -1 - 1e-3) return null;
                if (ok || last)
                {
                    if (!ok) throw new InvalidOperationException($"Lanczos: the lowest {nSel} modes did not converge within {m} steps (raise maxSteps or use the dense solver)");
                    var xs = RitzVectors(q, vecs, m, k, po);
                    if (plain) return (vals[..k], xs, m);
                    // eigenpairs of D′: Rayleigh quotients and true residuals
                    var lam = new double[k];
                    var dx = new double[n3];
                    bool good = true;
                    for (int s = 0; s < k && good; s++)
                    {
                        applyD(xs[s], dx);
                        lam[s] = FixedOrder.Dot(xs[s], dx);
                        TensorPrimitives.MultiplyAdd(xs[s], -lam[s], dx, dx);
                        good = Math.Sqrt(FixedOrder.Dot(dx, dx)) <= Tolerance * filter.Upper;
                    }
                    if (good)
                    {
                        var order = Enumerable.Range(0, k).OrderBy(s => lam[s]).ThenBy(s => s).ToArray();
                        if (lam[order[^1]] >= filter.Edge) return null;
                        return (order.Select(s => lam[s]).ToArray(), order.Select(s => xs[s]).ToArray(), m);
                    }
                    if (last) throw new InvalidOperationException($"Lanczos: the lowest {nSel} modes did not converge within {m} steps (raise maxSteps or use the dense solver)");
                }
                check = plain ? m + Math.Max(50, m / 4) : m + Math.Max(4 * p, m / 10);
            }
            bBlocks.Add(bj);
            q.AddRange(w);
        }
    }

    /// <summary>x_s = Σ_j q_j Y[s, j] for s &lt; k, unit length; rows in parallel chunks, each entry summed in j order.</summary>
    private static double[][] RitzVectors(List<double[]> q, double[] vecs, int m, int k, ParallelOptions po)
    {
        int n3 = q[0].Length;
        var xs = new double[k][];
        for (int s = 0; s < k; s++) xs[s] = new double[n3];
        const int chunk = 512;
        Parallel.For(0, (n3 + chunk - 1) / chunk, po, c =>
        {
            int r0 = c * chunk, r1 = Math.Min(n3, r0 + chunk);
            for (int s = 0; s < k; s++)
            {
                var x = xs[s];
                long o = (long)s * m;
                for (int j = 0; j < m; j++)
                {
                    double y = vecs[o + j];
                    var qj = q[j];
                    for (int r = r0; r < r1; r++) x[r] += y * qj[r];
                }
            }
        });
        foreach (var x in xs) Scale(x, 1.0 / Math.Sqrt(FixedOrder.Dot(x, x)));
        return xs;
    }

    /// <summary>
    /// The polynomial spectral filter S = T_d(y), y = (2λ − (E + U)) / (U − E): the band [E, U] (edge E above the wanted
    /// modes, U an upper bound of the spectrum) is mapped into [−1, 1], every eigenvalue below E to T_d(y) &lt; −1, growing
    /// fast as λ falls (d odd, so eigenvalues above an underestimated U go to +∞, never among the wanted). Lanczos on S
    /// then needs few more vectors than there are modes below E. E and the degree come from a short Lanczos probe of
    /// D′ (Gauss quadrature of its spectral density: ≈ 1.5 × the wanted count below E; the wanted modes amplified ≥ 400×).
    /// Degree 1 means no filter (plain Lanczos on D′), used when the wanted modes are a large part of the spectrum.
    /// </summary>
    private sealed class ChebyshevFilter
    {
        public int Degree { get; private init; } = 1;
        public double Edge { get; private init; }
        public double Upper { get; private init; }
        private double[] _nodes = [], _count = [];
        private int _widened;

        private static readonly ChebyshevFilter Plain = new();

        public static ChebyshevFilter Choose(int degree, int nSel, int nVib, int n3, Action<double[], double[]> applyD, Func<double[]> random)
        {
            if (degree == 1 || (degree == 0 && nSel * 20 > nVib)) return Plain;
            int steps = Math.Min(120, nVib / 4);
            if (steps < 20) return Plain;
            var (t1, w1, b1) = Probe(applyD, random, steps);
            var (t2, w2, b2) = Probe(applyD, random, steps);
            double upper = 1.02 * Math.Max(b1, b2);
            var nodes = t1.Concat(t2).ToArray();
            var weights = w1.Concat(w2).Select(v => 0.5 * v * n3).ToArray();
            Array.Sort(nodes, weights);
            var count = new double[nodes.Length];
            double acc = 0;
            for (int i = 0; i < nodes.Length; i++) { acc += weights[i]; count[i] = acc; }
            var f = new ChebyshevFilter { _nodes = nodes, _count = count, Upper = upper };
            return f.WithEdge(degree, nSel, 1.5 * nSel + 10);
        }

        private ChebyshevFilter WithEdge(int degree, int nSel, double target)
        {
            int ie = Array.FindIndex(_count, c => c >= target);
            int ik = Array.FindIndex(_count, c => c >= nSel);
            if (ie < 1 || ik < 0) return Plain;
            double edge = _nodes[ie], lamK = Math.Min(_nodes[ik], 0.8 * edge);
            if (edge > 0.3 * Upper || edge <= 0) return Plain;
            int d = degree;
            if (d == 0)
            {
                double theta = Acosh(1 + 2 * (edge - lamK) / (Upper - edge));
                d = (int)Math.Min(401, Math.Max(3, Math.Ceiling(Math.Log(400) / theta)));
            }
            if (d % 2 == 0) d++;
            return new ChebyshevFilter { _nodes = _nodes, _count = _count, Upper = Upper, Edge = edge, Degree = d, _widened = _widened };
        }

        /// <summary>A filter with its edge above about 1.6 times as many modes (plain Lanczos after three tries).</summary>
        public ChebyshevFilter Widened(int nSel)
        {
            if (Degree == 1 || _widened >= 3) return Plain;
            int ie = Array.FindIndex(_nodes, v => v >= Edge);
            double target = 1.6 * Math.Max(ie >= 0 ? _count[ie] : nSel, nSel);
            var f = new ChebyshevFilter { _nodes = _nodes, _count = _count, Upper = Upper, _widened = _widened + 1 };
            return f.WithEdge(0, nSel, target);
        }

        /// <summary>y = T_d((2D′ − (E + U)) / (U − E)) x by the three-term recurrence (x is not changed).</summary>
        public void Apply(Action<double[], double[]> applyD, double[] x, double[] y, double[][] work)
        {
            int n3 = x.Length;
            double c = 0.5 * (Edge + Upper), e = 0.5 * (Upper - Edge);
            var dv = work[2];
            double[] prev = x, cur = work[0];
            applyD(x, dv);
            for (int r = 0; r < n3; r++) cur[r] = (dv[r] - c * x[r]) / e;
            for (int j = 2; j <= Degree; j++)
            {
                applyD(cur, dv);
                var next = ReferenceEquals(prev, x) ? work[1] : prev;
                for (int r = 0; r < n3; r++) next[r] = 2 * (dv[r] - c * cur[r]) / e - prev[r];
                prev = cur; cur = next;
            }
            cur.CopyTo(y, 0);
        }

        private static double Acosh(double v) => Math.Log(v + Math.Sqrt(v * v - 1));

        /// <summary>
        /// Single-vector Lanczos (full re-orthogonalisation) from a random start: Ritz values θ_i, Gauss weights
        /// (first components squared: the start vector's spectral measure) and an upper bound of the spectrum
        /// (largest θ_i + its residual).
        /// </summary>
        private static (double[] Theta, double[] Weight, double Upper) Probe(Action<double[], double[]> applyD, Func<double[]> random, int steps)
        {
            var v = random();
            Scale(v, 1.0 / Math.Sqrt(FixedOrder.Dot(v, v)));
            var basis = new List<double[]> { v };
            var alpha = new List<double>(); var beta = new List<double>();
            for (int j = 0; j < steps; j++)
            {
                var w = new double[v.Length];
                applyD(basis[j], w);
                alpha.Add(FixedOrder.Dot(basis[j], w));
                for (int pass = 0; pass < 2; pass++)
                    foreach (var b in basis) TensorPrimitives.MultiplyAdd(b, -FixedOrder.Dot(b, w), w, w);
                double nb = Math.Sqrt(FixedOrder.Dot(w, w));
                beta.Add(nb);
                if (nb <= 1e-12 * Math.Abs(alpha[0]) || j == steps - 1) break;
                Scale(w, 1.0 / nb);
                basis.Add(w);
            }
            int s = alpha.Count;
            var tm = new double[s * s];
            for (int i = 0; i < s; i++)
            {
                tm[i * s + i] = alpha[i];
                if (i + 1 < s) { tm[i * s + i + 1] = beta[i]; tm[(i + 1) * s + i] = beta[i]; }
            }
            var (theta, y) = SymmetricEigensolver.Solve(tm, s, s, 1);
            var weight = new double[s];
            double upper = double.NegativeInfinity;
            for (int i = 0; i < s; i++)
            {
                weight[i] = y[i * s] * y[i * s];
                upper = Math.Max(upper, theta[i] + Math.Abs(beta[s - 1] * y[i * s + s - 1]));
            }
            return (theta, weight, upper);
        }
    }

    /// <summary>
    /// Makes the block w orthonormal, orthogonal to every vector of q and free of translations (two passes of classical
    /// Gram–Schmidt against q and modified Gram–Schmidt within the block, each followed by the projection): w_in = Q·(…) + w_out·B with B upper triangular
    /// (row-major p × p). A column left with norm ≤ 1e-12·<paramref name="scale"/> (an invariant subspace) gets B = 0 on
    /// its diagonal and is replaced by a fresh random vector, orthogonalised the same way (without <paramref name="random"/>,
    /// the last block, it is left as it is).
    /// </summary>
    private static void OrthonormalizeBlock(List<double[]> q, double[][] w, double[] b, double scale, Func<double[]>? random, Action<double[]> project, ParallelOptions po)
    {
        int p = w.Length;
        for (int c = 0; c < p; c++)
        {
            for (int attempt = 0; ; attempt++)
            {
                for (int pass = 0; pass < 2; pass++)
                {
                    AgainstBasis(q, w[c], po);
                    for (int c2 = 0; c2 < c; c2++)
                    {
                        double r = FixedOrder.Dot(w[c2], w[c]);
                        TensorPrimitives.MultiplyAdd(w[c2], -r, w[c], w[c]);
                        if (attempt == 0) b[c2 * p + c] += r;
                    }
                    project(w[c]); // rounding must not let the translations (eigenvalue 0, the lowest) grow back in
                }
                double norm = Math.Sqrt(FixedOrder.Dot(w[c], w[c]));
                if (attempt == 0) b[c * p + c] = norm;
                if (norm > 1e-12 * scale && norm > 0)
                {
                    Scale(w[c], 1.0 / norm);
                    break;
                }
                if (random is null) break; // the last block: only B is needed (the residuals), the vectors are not kept
                if (attempt == 0) b[c * p + c] = 0;
                if (attempt > 3) throw new InvalidOperationException("Lanczos: could not extend the Krylov basis");
                w[c] = random();
            }
        }
    }

    /// <summary>v −= Σ_i (q_iᵀv) q_i: coefficients in parallel, the subtraction in index order for every element.</summary>
    private static void AgainstBasis(List<double[]> q, double[] v, ParallelOptions po)
    {
        int m = q.Count, n = v.Length;
        if (m == 0) return;
        var coef = new double[m];
        Parallel.For(0, m, po, i => coef[i] = FixedOrder.Dot(q[i], v));
        const int chunk = 4096;
        Parallel.For(0, (n + chunk - 1) / chunk, po, c =>
        {
            int r0 = c * chunk, len = Math.Min(n, r0 + chunk) - r0;
            var seg = v.AsSpan(r0, len);
            for (int i = 0; i < m; i++) TensorPrimitives.MultiplyAdd(q[i].AsSpan(r0, len), -coef[i], seg, seg);
        });
    }

    private static double MaxColumnSum(double[] a, int p)
    {
        double best = 0;
        for (int c = 0; c < p; c++) { double s = 0; for (int r = 0; r < p; r++) s += Math.Abs(a[r * p + c]); best = Math.Max(best, s); }
        return best;
    }

    private static void Scale(double[] v, double c) { for (int i = 0; i < v.Length; i++) v[i] *= c; }
}
