using GlassML.Potentials;

namespace GlassML.Dynamics;

/// <summary>Options of <see cref="NormalModes"/>.</summary>
public sealed record NormalModesOptions
{
    /// <summary>
    /// Fraction f of the vibrational modes (3N − 3 after the translations are removed) over which the per-atom
    /// participation is summed: the lowest ⌈f·(3N−3)⌉ modes (at least one). Default 0.01.
    /// </summary>
    public double Fraction { get; init; } = 0.01;

    /// <summary>
    /// Compute every eigenvector (also of the translations), so that <see cref="NormalModesResult.ParticipationAllModes"/>
    /// and every participation ratio are available; default false (only the selected modes' vectors).
    /// </summary>
    public bool AllEigenvectors { get; init; }

    /// <summary>Keep the computed eigenvectors in the result (3N × 3N doubles, NaN rows for modes not computed). Default false.</summary>
    public bool KeepEigenvectors { get; init; }

    /// <summary>Maximum degree of parallelism (0 = all cores); results are identical for any value.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Block size b of <see cref="NormalModesLanczos"/>: eigenvalues of multiplicity up to b are all resolved (replicated
    /// cells give pairs). Default 4; 1 is single-vector Lanczos.
    /// </summary>
    public int LanczosBlock { get; init; } = 4;

    /// <summary>
    /// Degree d of the Chebyshev filter of <see cref="NormalModesLanczos"/> (odd; an even value is raised by one):
    /// 0 = chosen from a short probe of the spectrum (the usual choice; plain Lanczos when the wanted modes are more than
    /// 5 % of the spectrum), 1 = no filter (plain block Lanczos on the dynamical matrix).
    /// </summary>
    public int ChebyshevDegree { get; init; }
}

/// <summary>
/// Harmonic normal modes from a Hessian: the mass-weighted dynamical matrix D = M^{-1/2} H M^{-1/2} (eV/(Å²·amu)),
/// projected onto the complement of the three rigid translations, D′ = P D P with P = I − Σ_α t_α t_αᵀ,
/// t_α(i, β) = δ_αβ √(m_i / Σm), then diagonalised densely (Householder tridiagonalisation, bisection for every
/// eigenvalue, inverse iteration for the eigenvectors needed; practical up to a few thousand atoms). The translations
/// are reported as three zero modes and marked, not dropped.
/// <para>Frequency ν = sign(λ)·√|λ| / 2π in THz (λ an eigenvalue of D′; a negative λ, an unstable direction, gets a
/// negative frequency). Per-atom participation over a set S of modes: p_i = Σ_{k∈S} Σ_α e_{k,iα}² with e_k the
/// unit eigenvectors of D′; summed over all 3N modes p_i = 3 for every atom. Per-mode participation ratio
/// PR_k = (Σ_i e_{k,i}²)² / (N Σ_i e_{k,i}⁴), e_{k,i}² = Σ_α e_{k,iα}².</para>
/// </summary>
public static class NormalModes
{
    /// <summary>THz per √(eV/(Å²·amu)) / 2π: √(1.602176634e-19 J / (1e-20 m² · 1.66053906660e-27 kg)) / (2π · 1e12).</summary>
    public static readonly double ThzPerSqrtEigenvalue = Math.Sqrt(1.602176634e-19 / (1e-20 * 1.66053906660e-27)) / (2 * Math.PI * 1e12);

    /// <summary>Normal modes of the Hessian <paramref name="hessian"/> (eV/Å²) with per-atom masses (amu).</summary>
    public static NormalModesResult Dense(BlockHessian hessian, IReadOnlyList<double> masses, NormalModesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(masses);
        options ??= new NormalModesOptions();
        int n = hessian.AtomCount, n3 = 3 * n;
        if (masses.Count != n) throw new ArgumentException($"{masses.Count} masses for {n} atoms");
        if (n < 2) throw new ArgumentException("normal modes need at least two atoms");
        if (!(options.Fraction > 0 && options.Fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(options), "Fraction must be in (0, 1]");
        var isq = InverseSqrtMasses(masses, out double mtot);

        // D (symmetrised), row-major = column-major
        var d = hessian.ToDense();
        for (int r = 0; r < n3; r++)
            for (int c = r; c < n3; c++)
            {
                double v = 0.5 * (d[(long)r * n3 + c] + d[(long)c * n3 + r]) * isq[r / 3] * isq[c / 3];
                d[(long)r * n3 + c] = v; d[(long)c * n3 + r] = v;
            }
        // translations t_α and the projection D′ = D − W Tᵀ − T Wᵀ + T (TᵀW) Tᵀ, W = D T
        var t = new double[3][];
        for (int a = 0; a < 3; a++)
        {
            t[a] = new double[n3];
            for (int i = 0; i < n; i++) t[a][3 * i + a] = Math.Sqrt(masses[i] / mtot);
        }
        var w = new double[3][];
        for (int a = 0; a < 3; a++)
        {
            w[a] = new double[n3];
            for (int r = 0; r < n3; r++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += d[(long)r * n3 + 3 * i + a] * t[a][3 * i + a];
                w[a][r] = s;
            }
        }
        var g = new double[3, 3];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) { double s = 0; for (int r = 0; r < n3; r++) s += t[a][r] * w[b][r]; g[a, b] = s; }
        for (int r = 0; r < n3; r++)
            for (int c = 0; c < n3; c++)
            {
                double v = 0;
                for (int a = 0; a < 3; a++)
                {
                    v -= w[a][r] * t[a][c] + t[a][r] * w[a][c];
                    for (int b = 0; b < 3; b++) v += t[a][r] * g[a, b] * t[b][c];
                }
                d[(long)r * n3 + c] += v;
            }

        // the translations are moved to the top of the spectrum (+σ t tᵀ, σ above every other eigenvalue), so the lowest
        // eigenpairs are the vibrational ones; they are reported first, with eigenvalue 0
        double gersh = 0;
        for (int r = 0; r < n3; r++)
        {
            double s = 0;
            for (int c = 0; c < n3; c++) s += Math.Abs(d[(long)r * n3 + c]);
            gersh = Math.Max(gersh, s);
        }
        double sigma = 2 * gersh + 1;
        for (int a = 0; a < 3; a++)
            for (int i = 0; i < n; i++)
            {
                double ti = t[a][3 * i + a];
                for (int j = 0; j < n; j++) d[(long)(3 * i + a) * n3 + 3 * j + a] += sigma * ti * t[a][3 * j + a];
            }
        int nVib = n3 - 3;
        int nSel = Math.Max(1, (int)Math.Ceiling(options.Fraction * nVib - 1e-9));
        int nVec = options.AllEigenvectors ? n3 : nSel;
        var (lam, vecs) = SymmetricEigensolver.Solve(d, n3, nVec, options.Threads);
        d = null!;

        // mode order: 3 translations, then the vibrational modes ascending
        var values = new double[n3]; var freq = new double[n3]; var pr = new double[n3];
        var isTrans = new bool[n3];
        for (int k = 0; k < 3; k++) { isTrans[k] = true; values[k] = 0; freq[k] = 0; pr[k] = double.NaN; }
        for (int k = 0; k < nVib; k++)
        {
            values[3 + k] = lam[k];
            freq[3 + k] = Math.Sign(lam[k]) * Math.Sqrt(Math.Abs(lam[k])) * ThzPerSqrtEigenvalue;
            pr[3 + k] = double.NaN;
        }
        // eigenvector of mode index kk (null when not computed)
        int VecRow(int kk) => kk < 3 ? (options.AllEigenvectors ? nVib + kk : -1) : (kk - 3 < nVec ? kk - 3 : -1);
        double[]? keep = options.KeepEigenvectors ? new double[(long)n3 * n3] : null;
        if (keep is not null) Array.Fill(keep, double.NaN);
        var part = new double[n];
        var partAll = options.AllEigenvectors ? new double[n] : null;
        var selected = Enumerable.Range(3, nSel).ToArray();
        var sel = new HashSet<int>(selected);
        for (int kk = 0; kk < n3; kk++)
        {
            int row = VecRow(kk);
            if (row < 0) continue;
            var col = vecs.AsSpan(checked((int)((long)row * n3)), n3);
            double s2 = 0, s4 = 0;
            for (int i = 0; i < n; i++)
            {
                double q = col[3 * i] * col[3 * i] + col[3 * i + 1] * col[3 * i + 1] + col[3 * i + 2] * col[3 * i + 2];
                s2 += q; s4 += q * q;
                if (sel.Contains(kk)) part[i] += q;
                if (partAll is not null) partAll[i] += q;
            }
            if (kk >= 3) pr[kk] = s2 * s2 / (n * s4);
            if (keep is not null) col.CopyTo(keep.AsSpan(checked((int)((long)kk * n3)), n3));
        }
        return new NormalModesResult(values, freq, isTrans, pr, selected, part, partAll, keep);
    }

    /// <summary>1/√m of every atom and the total mass; a mass that is not positive and finite is an error.</summary>
    internal static double[] InverseSqrtMasses(IReadOnlyList<double> masses, out double total)
    {
        total = 0;
        var isq = new double[masses.Count];
        for (int i = 0; i < isq.Length; i++)
        {
            double m = masses[i];
            if (!(m > 0) || !double.IsFinite(m)) throw new ArgumentException($"atom {i} has mass {m}; masses must be positive");
            isq[i] = 1.0 / Math.Sqrt(m); total += m;
        }
        return isq;
    }
}

/// <summary>
/// Result of <see cref="NormalModes.Dense"/>. Modes 0–2 are the rigid translations (eigenvalue and frequency 0), then the
/// 3N − 3 vibrational modes by ascending eigenvalue. All eigenvalues are computed; eigenvectors (and so participation
/// ratios, NaN otherwise) for the selected modes, or for all with <see cref="NormalModesOptions.AllEigenvectors"/>.
/// </summary>
public sealed class NormalModesResult
{
    internal NormalModesResult(double[] eigenvalues, double[] freq, bool[] isTranslation, double[] pr, int[] selected, double[] participation, double[]? participationAll, double[]? eigenvectors)
    {
        Eigenvalues = eigenvalues; FrequenciesThz = freq; IsTranslation = isTranslation; ParticipationRatio = pr;
        SelectedModes = selected; Participation = participation; ParticipationAllModes = participationAll; Eigenvectors = eigenvectors;
    }

    /// <summary>Eigenvalues λ of the projected dynamical matrix (eV/(Å²·amu)), ascending.</summary>
    public double[] Eigenvalues { get; }
    /// <summary>Frequencies sign(λ)√|λ|/2π (THz), by mode.</summary>
    public double[] FrequenciesThz { get; }
    /// <summary>True for the three rigid-translation modes.</summary>
    public bool[] IsTranslation { get; }
    /// <summary>Participation ratio of each mode (1 = all atoms move equally, 1/N = one atom); NaN where the vector was not computed.</summary>
    public double[] ParticipationRatio { get; }
    /// <summary>Indices of the lowest ⌈f·(3N−3)⌉ vibrational (non-translational) modes.</summary>
    public int[] SelectedModes { get; }
    /// <summary>Per-atom participation p_i summed over <see cref="SelectedModes"/>.</summary>
    public double[] Participation { get; }
    /// <summary>Per-atom participation summed over all 3N modes (3 for every atom up to round-off; a check), or null
    /// unless <see cref="NormalModesOptions.AllEigenvectors"/>.</summary>
    public double[]? ParticipationAllModes { get; }
    /// <summary>Unit eigenvectors (mode k at [3N·k .. 3N·k + 3N − 1], mass-weighted coordinates) when kept, else null.</summary>
    public double[]? Eigenvectors { get; }
    /// <summary>Krylov dimension used by <see cref="NormalModesLanczos"/> (0 for the dense solver).</summary>
    public int LanczosSteps { get; init; }
    /// <summary>Number of modes below <paramref name="thz"/> in absolute frequency.</summary>
    public int CountBelow(double thz) => FrequenciesThz.Count(f => Math.Abs(f) < thz);
}
