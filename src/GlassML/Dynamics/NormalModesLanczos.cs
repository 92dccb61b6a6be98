using GlassML.Potentials;

namespace GlassML.Dynamics;

/// <summary>
/// The lowest normal modes of large structures without a dense matrix: Lanczos iteration with full
/// re-orthogonalisation on the projected dynamical matrix D′ = P M^{-1/2} H M^{-1/2} P applied through the block-sparse
/// Hessian (memory ∝ N·neighbours plus one 3N vector per step), Ritz pairs from the Lanczos tridiagonal matrix, stopped
/// when the lowest ⌈f·(3N−3)⌉ Ritz pairs have residuals ‖D′x − λx‖ below <see cref="Tolerance"/>·‖T‖.
/// The start vector is fixed (seeded), every dot product runs in a fixed order: identical for any thread count.
/// Single-vector Lanczos resolves one vector per distinct eigenvalue: exactly degenerate modes (replicated cells,
/// crystals) need the dense solver.
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
    /// <param name="options">Fraction and threads (<see cref="NormalModesOptions.AllEigenvectors"/> is not supported).</param>
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
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? -1 : options.Threads };
        int nVib = n3 - 3;
        int nSel = Math.Max(1, (int)Math.Ceiling(options.Fraction * nVib - 1e-9));
        int cap = maxSteps > 0 ? Math.Min(maxSteps, nVib) : Math.Min(nVib, 20 * nSel + 500);
        if (cap < nSel) throw new ArgumentException("maxSteps is smaller than the number of modes wanted");

        var isq = NormalModes.InverseSqrtMasses(masses, out double mtot);
        var t = new double[3][];
        for (int a = 0; a < 3; a++)
        {
            t[a] = new double[n3];
            for (int i = 0; i < n; i++) t[a][3 * i + a] = Math.Sqrt(masses[i] / mtot);
        }
        var tmp = new double[n3];
        void Project(double[] v)
        {
            for (int a = 0; a < 3; a++)
            {
                double s = Dot(t[a], v);
                var ta = t[a];
                for (int r = 0; r < n3; r++) v[r] -= s * ta[r];
            }
        }
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

        var q = new List<double[]>();
        var alpha = new List<double>(); var beta = new List<double>();
        var v0 = new double[n3];
        ulong seed = 0x2545F4914F6CDD1DUL;
        for (int r = 0; r < n3; r++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; v0[r] = (seed >> 11) * (1.0 / (1UL << 53)) - 0.5; }
        Project(v0);
        Scale(v0, 1.0 / Math.Sqrt(Dot(v0, v0)));
        q.Add(v0);
        double[]? ritz = null, ritzVec = null;
        int check = Math.Max(nSel + 20, 50);
        bool converged = false;
        double tnorm = 0;
        while (true)
        {
            int j = q.Count - 1;
            var w = new double[n3];
            Apply(q[j], w);
            double aj = Dot(q[j], w);
            alpha.Add(aj);
            // full re-orthogonalisation (twice), coefficients in parallel, subtraction in index order
            var coef = new double[q.Count];
            for (int pass = 0; pass < 2; pass++)
            {
                Parallel.For(0, q.Count, po, i => coef[i] = Dot(q[i], w));
                for (int i = 0; i < q.Count; i++)
                {
                    double c = coef[i]; var qi = q[i];
                    for (int r = 0; r < n3; r++) w[r] -= c * qi[r];
                }
                Project(w);
            }
            double bj = Math.Sqrt(Dot(w, w));
            tnorm = Math.Max(tnorm, Math.Abs(aj) + bj + (beta.Count > 0 ? beta[^1] : 0));
            int m = alpha.Count;
            bool last = m >= cap || bj <= 1e-14 * tnorm;
            if (m >= check || last)
            {
                var d = alpha.ToArray(); var e = beta.ToArray();
                var vals = SymmetricEigensolver.Eigenvalues(d, e, po);
                int k = Math.Min(nSel, m);
                var y = SymmetricEigensolver.InverseIteration(d, e, vals, k, po);
                bool ok = k == nSel;
                for (int s = 0; s < k && ok; s++) ok = Math.Abs(bj * y[(long)s * m + m - 1]) <= Tolerance * tnorm;
                if (ok || last)
                {
                    ritz = vals[..k]; ritzVec = y; converged = ok;
                    break;
                }
                check = m + Math.Max(50, m / 4);
            }
            beta.Add(bj);
            Scale(w, 1.0 / bj);
            q.Add(w);
        }
        if (!converged)
            throw new InvalidOperationException($"Lanczos: the lowest {nSel} modes did not converge within {alpha.Count} steps (raise maxSteps or use the dense solver)");

        int mm = alpha.Count;
        var values = new double[3 + nSel]; var freq = new double[3 + nSel]; var pr = new double[3 + nSel]; var isTrans = new bool[3 + nSel];
        for (int a = 0; a < 3; a++) { isTrans[a] = true; pr[a] = double.NaN; }
        var part = new double[n];
        double[]? keep = options.KeepEigenvectors ? new double[(long)(3 + nSel) * n3] : null;
        if (keep is not null) Array.Fill(keep, double.NaN);
        for (int s = 0; s < nSel; s++)
        {
            var x = new double[n3];
            for (int jj = 0; jj < mm; jj++)
            {
                double c = ritzVec![(long)s * mm + jj]; var qj = q[jj];
                for (int r = 0; r < n3; r++) x[r] += c * qj[r];
            }
            Scale(x, 1.0 / Math.Sqrt(Dot(x, x)));
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

    private static double Dot(double[] a, double[] b)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0, n = a.Length;
        for (; i + 3 < n; i += 4) { s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]; }
        for (; i < n; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static void Scale(double[] v, double c) { for (int i = 0; i < v.Length; i++) v[i] *= c; }
}
