using System.Numerics.Tensors;
using GlassML.Potentials;

namespace GlassML.Dynamics;

/// <summary>
/// The lowest normal modes of large structures without a dense matrix: block Lanczos iteration (block size
/// <see cref="NormalModesOptions.LanczosBlock"/>) with full re-orthogonalisation on the projected dynamical matrix
/// D′ = P M^{-1/2} H M^{-1/2} P applied through the block-sparse Hessian (memory ∝ N·neighbours plus one 3N vector per
/// Krylov vector), Ritz pairs from the block-tridiagonal projection, stopped when the lowest ⌈f·(3N−3)⌉ Ritz pairs have
/// residuals ‖D′x − λx‖ below <see cref="Tolerance"/>·‖T‖. A block of b vectors resolves eigenvalues of multiplicity up
/// to b (replicated cells: a mode at wave vector q and its partner at −q are degenerate, multiplicity 2; single-vector
/// Lanczos, b = 1, finds one vector per distinct eigenvalue). Start vectors are fixed (seeded), every dot product runs in
/// a fixed order: identical for any thread count.
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
        ArgumentNullException.ThrowIfNull(masses);
        options ??= new NormalModesOptions();
        if (options.AllEigenvectors) throw new ArgumentException("the Lanczos solver computes the lowest modes only; use NormalModes.Dense for every eigenvector");
        int n = hessian.AtomCount, n3 = 3 * n;
        if (masses.Count != n) throw new ArgumentException($"{masses.Count} masses for {n} atoms");
        if (n < 2) throw new ArgumentException("normal modes need at least two atoms");
        if (!(options.Fraction > 0 && options.Fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(options), "Fraction must be in (0, 1]");
        if (options.LanczosBlock < 1) throw new ArgumentOutOfRangeException(nameof(options), "LanczosBlock must be ≥ 1");
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
            for (int a = 0; a < 3; a++) TensorPrimitives.MultiplyAdd(t[a], -TensorPrimitives.Dot(t[a], v), v, v);
        }
        var tmp = new double[n3];
        void Apply(double[] x, double[] y) // y = D′ x (x already projected)
        {
            for (int r = 0; r < n3; r++) tmp[r] = x[r] * isq[r / 3];
            Parallel.For(0, (n + 255) / 256, po, c =>
            {
                int a0 = c * 256, a1 = Math.Min(n, a0 + 256);
                for (int a = a0; a < a1; a++)
                {
                    double s0 = 0, s1 = 0, s2 = 0;
                    for (int k = hessian.RowOffsets[a]; k < hessian.RowOffsets[a + 1]; k++)
                    {
                        int b = 3 * hessian.Columns[k];
                        int o = 9 * k;
                        var blk = hessian.Blocks;
                        double x0 = tmp[b], x1 = tmp[b + 1], x2 = tmp[b + 2];
                        s0 += blk[o] * x0 + blk[o + 1] * x1 + blk[o + 2] * x2;
                        s1 += blk[o + 3] * x0 + blk[o + 4] * x1 + blk[o + 5] * x2;
                        s2 += blk[o + 6] * x0 + blk[o + 7] * x1 + blk[o + 8] * x2;
                    }
                    double w = isq[a];
                    y[3 * a] = s0 * w; y[3 * a + 1] = s1 * w; y[3 * a + 2] = s2 * w;
                }
            });
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

        var q = new List<double[]>();          // Krylov basis; block j = q[j·p .. j·p + p)
        var aBlocks = new List<double[]>();    // A_j = Q_jᵀ D′ Q_j (p × p, row-major)
        var bBlocks = new List<double[]>();    // B_{j+1}: D′Q_j = Q_{j−1}B_jᵀ + Q_jA_j + Q_{j+1}B_{j+1}
        double tnorm = 0;
        var start = new double[p][];
        for (int c = 0; c < p; c++) start[c] = RandomVector();
        OrthonormalizeBlock(q, start, new double[p * p], 0, RandomVector, Project, po);
        q.AddRange(start);
        double[]? ritz = null, ritzVec = null;
        int check = Math.Max(nSel + 20, 50);
        bool converged = false;
        int mm = 0;
        while (true)
        {
            int j0 = q.Count - p;
            var w = new double[p][];
            for (int c = 0; c < p; c++) { w[c] = new double[n3]; Apply(q[j0 + c], w[c]); }
            var aj = new double[p * p];
            for (int r = 0; r < p; r++)
                for (int c = 0; c < p; c++) aj[r * p + c] = TensorPrimitives.Dot(q[j0 + r], w[c]);
            for (int r = 0; r < p; r++)
                for (int c = 0; c < r; c++) { double s = 0.5 * (aj[r * p + c] + aj[c * p + r]); aj[r * p + c] = s; aj[c * p + r] = s; }
            aBlocks.Add(aj);
            int m = q.Count;
            bool last = m + p > cap;
            var bj = new double[p * p];
            OrthonormalizeBlock(q, w, bj, tnorm, last ? null : RandomVector, Project, po);
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
                var (vals, vecs) = SymmetricEigensolver.Solve(tm, m, k, options.Threads);
                bool ok = k == nSel;
                for (int s = 0; s < k && ok; s++)
                {
                    // residual ‖B_{J+1} y_s(last block)‖
                    double rr = 0;
                    for (int r = 0; r < p; r++)
                    {
                        double v = 0;
                        for (int c = 0; c < p; c++) v += bj[r * p + c] * vecs[(long)s * m + m - p + c];
                        rr += v * v;
                    }
                    ok = Math.Sqrt(rr) <= Tolerance * tnorm;
                }
                if (ok || last)
                {
                    ritz = vals[..k]; ritzVec = vecs; converged = ok; mm = m;
                    break;
                }
                check = m + Math.Max(50, m / 4);
            }
            bBlocks.Add(bj);
            q.AddRange(w);
        }
        if (!converged)
            throw new InvalidOperationException($"Lanczos: the lowest {nSel} modes did not converge within {mm} steps (raise maxSteps or use the dense solver)");

        var values = new double[3 + nSel]; var freq = new double[3 + nSel]; var pr = new double[3 + nSel]; var isTrans = new bool[3 + nSel];
        for (int a = 0; a < 3; a++) { isTrans[a] = true; pr[a] = double.NaN; }
        var part = new double[n];
        double[]? keep = options.KeepEigenvectors ? new double[(long)(3 + nSel) * n3] : null;
        if (keep is not null) Array.Fill(keep, double.NaN);
        for (int s = 0; s < nSel; s++)
        {
            var x = new double[n3];
            for (int jj = 0; jj < mm; jj++) TensorPrimitives.MultiplyAdd(q[jj], ritzVec![(long)s * mm + jj], x, x);
            Scale(x, 1.0 / Math.Sqrt(TensorPrimitives.Dot(x, x)));
            double lam = ritz![s];
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
                        double r = TensorPrimitives.Dot(w[c2], w[c]);
                        TensorPrimitives.MultiplyAdd(w[c2], -r, w[c], w[c]);
                        if (attempt == 0) b[c2 * p + c] += r;
                    }
                    project(w[c]); // rounding must not let the translations (eigenvalue 0, the lowest) grow back in
                }
                double norm = Math.Sqrt(TensorPrimitives.Dot(w[c], w[c]));
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
        Parallel.For(0, m, po, i => coef[i] = TensorPrimitives.Dot(q[i], v));
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
