using GlassML.Numerics;
using System.Globalization;
using System.Numerics.Tensors;
using GlassML.Descriptors;
using GlassML.Learning;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>
/// Hyperparameters of the per-type bond GPR: θ (Å) of the squared exponential in bond length, the power ζ, the noise
/// fraction γ (noise γ·σ² with σ² the label variance of the training bonds), whether labels are centred and scaled
/// before the fit (scikit-learn normalize_y) and whether the SOAP factor is used (soap=0 sets it to 1: a
/// distance-only GPR, the baseline of the acceptance test).
/// </summary>
/// <param name="Theta">θ (Å), &gt; 0.</param>
/// <param name="Zeta">ζ, &gt; 0.</param>
/// <param name="Gamma">γ ≥ 0.</param>
/// <param name="NormalizeY">Centre and scale the labels (default true).</param>
/// <param name="UseSoap">Use the SOAP factor (default true).</param>
public sealed record BondGprParameters(double Theta = 0.5, double Zeta = 1, double Gamma = 0.01, bool NormalizeY = true, bool UseSoap = true)
{
    /// <summary>Parses <c>theta=0.5,zeta=1,gamma=0.01,normalize=1,soap=1</c> (missing keys keep the defaults).</summary>
    /// <exception cref="ArgumentException">Unknown key or bad value.</exception>
    public static BondGprParameters Parse(string? text)
    {
        var p = DescriptorParameters.Split(text);
        var r = new BondGprParameters();
        foreach (var (k, v) in p)
        {
            double Num() => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
                ? x : throw new ArgumentException($"--params: {k} must be a number (got '{v}')");
            bool Flag() => v.ToLowerInvariant() switch
            {
                "1" or "true" or "yes" or "on" => true,
                "0" or "false" or "no" or "off" => false,
                _ => throw new ArgumentException($"--params: {k} must be 0 or 1 (got '{v}')"),
            };
            r = k.ToLowerInvariant() switch
            {
                "theta" => r with { Theta = Num() },
                "zeta" => r with { Zeta = Num() },
                "gamma" => r with { Gamma = Num() },
                "normalize" => r with { NormalizeY = Flag() },
                "soap" => r with { UseSoap = Flag() },
                _ => throw new ArgumentException($"--params: unknown key '{k}' (known: theta, zeta, gamma, normalize, soap)"),
            };
        }
        r.Check();
        return r;
    }

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentException">θ or ζ not positive, γ negative.</exception>
    public void Check()
    {
        if (!(Theta > 0) || !double.IsFinite(Theta)) throw new ArgumentException($"--params: theta must be > 0 (got {Theta})");
        if (!(Zeta > 0) || !double.IsFinite(Zeta)) throw new ArgumentException($"--params: zeta must be > 0 (got {Zeta})");
        if (!(Gamma >= 0) || !double.IsFinite(Gamma)) throw new ArgumentException($"--params: gamma must be ≥ 0 (got {Gamma})");
    }

    /// <summary>The text form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"theta={Theta:R},zeta={Zeta:R},gamma={Gamma:R},normalize={(NormalizeY ? 1 : 0)},soap={(UseSoap ? 1 : 0)}");
}

/// <summary>Unit SOAP vectors of every atom of a frame in one row-major array (shared by all bonds, never copied per bond).</summary>
public sealed class UnitSoap
{
    /// <summary>Wraps row-major values (rows × <paramref name="dim"/>), taken not copied.</summary>
    public UnitSoap(double[] values, int dim)
    {
        if (dim < 1 || values.Length % dim != 0) throw new ArgumentException("values must hold whole rows of dim values");
        Values = values; Dim = dim;
    }

    /// <summary>Row-major values.</summary>
    public double[] Values { get; }
    /// <summary>Length of a vector.</summary>
    public int Dim { get; }
    /// <summary>Number of atoms.</summary>
    public int Count => Values.Length / Dim;
    /// <summary>The vector of atom i.</summary>
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Dim, Dim);
    /// <summary>A copy of the vector of atom i.</summary>
    public double[] RowCopy(int i) => Values.AsSpan(i * Dim, Dim).ToArray();

    /// <summary>From separate rows (copied).</summary>
    public static UnitSoap FromRows(IReadOnlyList<double[]> rows)
    {
        int dim = rows[0].Length;
        var v = new double[rows.Count * dim];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dim) throw new ArgumentException("rows differ in length");
            rows[i].CopyTo(v, i * dim);
        }
        return new UnitSoap(v, dim);
    }
}

/// <summary>Per-atom unit SOAP vectors as the bond model uses them.</summary>
public static class BondSoap
{
    /// <summary>
    /// Unit-length SOAP vectors of every atom (rows in frame order), with the SOAP species fixed to
    /// <paramref name="species"/>; with <paramref name="options"/> null every row is the 1-vector [1] (SOAP factor 1).
    /// Each row is divided by its Euclidean norm in place.
    /// </summary>
    /// <exception cref="ArgumentException">An atom's SOAP vector is zero.</exception>
    public static UnitSoap Unit(Frame frame, SoapOptions? options, IReadOnlyList<string> species, int threads)
    {
        if (options is null)
        {
            var ones = new double[frame.Count];
            Array.Fill(ones, 1.0);
            return new UnitSoap(ones, 1);
        }
        var soap = new Soap(options with { Species = species.ToArray(), Normalize = false, Threads = threads, Average = SoapAverage.Off });
        var nl = new NeighborSearch(threads).Ball(frame, soap.RequiredCutoff);
        var f = soap.Compute(frame, nl);
        int dim = f.FeatureCount;
        var v = f.Values;
        for (int i = 0; i < frame.Count; i++)
        {
            var row = v.AsSpan(i * dim, dim);
            double n = Math.Sqrt(FixedOrder.Dot(row, row));
            if (!(n > 0)) throw new ArgumentException($"atom id {frame.Ids[i]} has a zero SOAP vector (no neighbours within r_cut?)");
            for (int k = 0; k < dim; k++) row[k] /= n;
        }
        return new UnitSoap(v, dim);
    }
}

/// <summary>
/// One Gaussian process of one pair type with the bond kernel k(m, n) = [exp(−(d_m − d_n)²/2θ²) · ¼(q_i^m + q_j^m)·(q_i^n + q_j^n)]^ζ
/// on unit SOAP vectors q. Fitted through <see cref="GaussianProcessRegression{T}"/> with <see cref="BondKernel"/>
/// (equal to scikit-learn); predictions use the stored training bonds and dual coefficients. For ζ = 1 only the
/// sums Q_m = q_i^m + q_j^m are kept and a prediction is Σ_m α_m e^{−(d_m−d_n)²/2θ²} ¼ Q_m·Q_n, evaluated in blocks of
/// bonds whose Q_n are built from the shared per-atom arrays; for other ζ the four cross products are evaluated in
/// blocks. Each prediction sums over m in training order, so results do not depend on blocking or threads.
/// </summary>
public sealed class BondTypeGpr
{
    /// <summary>Bonds per prediction block.</summary>
    public const int Block = 32;

    internal BondTypeGpr(string pair, BondGprParameters p, int dim, double[] distance, double[]? q, double[]? qi, double[]? qj,
        double[] alpha, double yMean, double yStd, double noise)
    {
        Pair = pair; Parameters = p; Dim = dim; Distance = distance; Q = q; Qi = qi; Qj = qj; Alpha = alpha;
        TargetMean = yMean; TargetStd = yStd; Noise = noise;
    }

    /// <summary>Pair type, e.g. Cu-Zr.</summary>
    public string Pair { get; }
    /// <summary>Hyperparameters.</summary>
    public BondGprParameters Parameters { get; }
    /// <summary>Length of a SOAP vector (1 without the SOAP factor).</summary>
    public int Dim { get; }
    /// <summary>Training bond lengths (Å).</summary>
    public double[] Distance { get; }
    /// <summary>ζ = 1: Q_m = q_i + q_j of each training bond, row-major n × Dim; else null.</summary>
    public double[]? Q { get; }
    /// <summary>ζ ≠ 1: q_i of each training bond (n × Dim); else null.</summary>
    public double[]? Qi { get; }
    /// <summary>ζ ≠ 1: q_j of each training bond (n × Dim); else null.</summary>
    public double[]? Qj { get; }
    /// <summary>Dual coefficients α.</summary>
    public double[] Alpha { get; }
    /// <summary>Label mean removed before the fit.</summary>
    public double TargetMean { get; }
    /// <summary>Label scale divided out before the fit.</summary>
    public double TargetStd { get; }
    /// <summary>Noise added to the Gram diagonal.</summary>
    public double Noise { get; }
    /// <summary>Training bonds.</summary>
    public int Count => Distance.Length;

    /// <summary>Fits the GP to training bonds given by their lengths and the per-atom unit SOAP arrays of both atoms.</summary>
    public static BondTypeGpr Fit(string pair, BondGprParameters p, IReadOnlyList<double> distance, IReadOnlyList<double[]> qi, IReadOnlyList<double[]> qj,
        ReadOnlySpan<double> y, int threads)
    {
        int n = distance.Count;
        if (n == 0) throw new ArgumentException($"pair {pair}: no training bonds");
        var records = new BondRecord[n];
        for (int m = 0; m < n; m++) records[m] = new BondRecord(distance[m], qi[m], qj[m], normalize: false);
        var gp = GaussianProcessRegression<BondRecord>.Fit(new BondKernel(p.Theta, p.Zeta), records, y,
            new GaussianProcessOptions(NoiseFraction: p.Gamma, NormalizeY: p.NormalizeY, Threads: threads));
        int dim = qi[0].Length;
        double[]? q = null, a = null, b = null;
        if (p.Zeta == 1)
        {
            q = new double[n * dim];
            for (int m = 0; m < n; m++) TensorPrimitives.Add<double>(qi[m], qj[m], q.AsSpan(m * dim, dim));
        }
        else
        {
            a = new double[n * dim]; b = new double[n * dim];
            for (int m = 0; m < n; m++) { qi[m].CopyTo(a, m * dim); qj[m].CopyTo(b, m * dim); }
        }
        return new BondTypeGpr(pair, p, dim, distance.ToArray(), q, a, b, gp.DualCoefficients, gp.TargetMean, gp.TargetStd, gp.Noise);
    }

    /// <summary>
    /// Predicts the bonds <paramref name="rows"/> of a table (their lengths <paramref name="distance"/> and atoms
    /// <paramref name="bi"/>, <paramref name="bj"/> indexing <paramref name="soap"/>), writing into <paramref name="output"/> at the same rows.
    /// </summary>
    public void Predict(IReadOnlyList<int> rows, double[] distance, int[] bi, int[] bj, UnitSoap soap, double[] output, int threads)
    {
        CheckDim(soap.Dim);
        if (Q is not null) { PredictPerAtom(rows, distance, bi, bj, soap, output, threads); return; }
        int nb = rows.Count;
        int blocks = (nb + Block - 1) / Block;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, blocks, po, () => new double[Block * Dim], (blk, _, scratch) =>
        {
            int start = blk * Block, len = Math.Min(Block, nb - start);
            PredictBlock(rows, start, len, distance, bi, bj, soap, output, scratch);
            return scratch;
        }, _ => { });
    }

    /// <summary>Atoms per block of the ζ = 1 path.</summary>
    public const int AtomBlock = 32;

    /// <summary>
    /// ζ = 1: ¼ Q_m·Q_n = ¼ (Q_m·q_i + Q_m·q_j), so each atom a's projections P_a,m = Q_m·q_a are computed once (in blocks
    /// of atoms sharing each streamed Q_m) and every bond end adds Σ_m α_m e^{−(d_m−d)²/2θ²} P_a,m; the two ends of a bond
    /// are summed in a fixed order, so the result does not depend on blocks or threads.
    /// </summary>
    private void PredictPerAtom(IReadOnlyList<int> rows, double[] distance, int[] bi, int[] bj, UnitSoap soap, double[] output, int threads)
    {
        int nb = rows.Count, n = Count, dim = Dim, natoms = soap.Count;
        // bond ends per atom (CSR): entry 2k = end i of bond k, 2k + 1 = end j
        var offsets = new int[natoms + 1];
        for (int k = 0; k < nb; k++) { offsets[bi[rows[k]] + 1]++; offsets[bj[rows[k]] + 1]++; }
        for (int a = 0; a < natoms; a++) offsets[a + 1] += offsets[a];
        var fill = (int[])offsets.Clone();
        var ends = new int[2 * nb];
        for (int k = 0; k < nb; k++) { ends[fill[bi[rows[k]]]++] = 2 * k; ends[fill[bj[rows[k]]]++] = 2 * k + 1; }
        var atoms = Enumerable.Range(0, natoms).Where(a => offsets[a + 1] > offsets[a]).ToArray();
        CheckDim(soap.Dim);
        var half = new double[2 * nb];
        double inv2t2 = 1.0 / (2 * Parameters.Theta * Parameters.Theta);
        int blocks = (atoms.Length + AtomBlock - 1) / AtomBlock;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, blocks, po, () => (new double[AtomBlock * n], new double[n]), (blk, _, scratch) =>
        {
            var (proj, w) = scratch;
            int start = blk * AtomBlock, len = Math.Min(AtomBlock, atoms.Length - start);
            for (int m = 0; m < n; m++)
            {
                var qm = Q!.AsSpan(m * dim, dim);
                for (int x = 0; x < len; x++) proj[x * n + m] = FixedOrder.Dot(qm, soap.Row(atoms[start + x]));
            }
            for (int x = 0; x < len; x++)
            {
                int a = atoms[start + x];
                var pa = proj.AsSpan(x * n, n);
                for (int e = offsets[a]; e < offsets[a + 1]; e++)
                {
                    int slot = ends[e];
                    double d = distance[rows[slot >> 1]];
                    // w_m = α_m exp(−(d_m − d)²/2θ²), vectorised; then Σ_m w_m P_a,m
                    TensorPrimitives.Subtract<double>(Distance, d, w);
                    TensorPrimitives.Multiply<double>(w, w, w);
                    TensorPrimitives.Multiply<double>(w, -inv2t2, w);
                    TensorPrimitives.Exp<double>(w, w);
                    TensorPrimitives.Multiply<double>(w, Alpha, w);
                    half[slot] = FixedOrder.Dot(w, pa);
                }
            }
            return scratch;
        }, _ => { });
        for (int k = 0; k < nb; k++) output[rows[k]] = TargetStd * (0.25 * (half[2 * k] + half[2 * k + 1])) + TargetMean;
    }

    private void PredictBlock(IReadOnlyList<int> rows, int start, int len, double[] distance, int[] bi, int[] bj, UnitSoap soap, double[] output, double[] scratch)
    {
        int dim = Dim, n = Count;
        double inv2t2 = 1.0 / (2 * Parameters.Theta * Parameters.Theta);
        Span<double> acc = stackalloc double[Block];
        acc.Clear();
        if (Q is not null)
        {
            for (int b = 0; b < len; b++)
            {
                int r = rows[start + b];
                TensorPrimitives.Add<double>(soap.Row(bi[r]), soap.Row(bj[r]), scratch.AsSpan(b * dim, dim));
            }
            for (int m = 0; m < n; m++)
            {
                var qm = Q.AsSpan(m * dim, dim);
                double dm = Distance[m], am = Alpha[m];
                for (int b = 0; b < len; b++)
                {
                    double dd = dm - distance[rows[start + b]];
                    double radial = Math.Exp(-dd * dd * inv2t2);
                    double k = radial * (0.25 * FixedOrder.Dot(qm, scratch.AsSpan(b * dim, dim)));
                    acc[b] += k * am;
                }
            }
        }
        else
        {
            double zeta = Parameters.Zeta;
            for (int m = 0; m < n; m++)
            {
                var ai = Qi.AsSpan(m * dim, dim); var aj = Qj.AsSpan(m * dim, dim);
                double dm = Distance[m], am = Alpha[m];
                for (int b = 0; b < len; b++)
                {
                    int r = rows[start + b];
                    var si = soap.Row(bi[r]); var sj = soap.Row(bj[r]);
                    double dd = dm - distance[r];
                    double radial = Math.Exp(-dd * dd * inv2t2);
                    double s = FixedOrder.Dot(ai, si) + FixedOrder.Dot(ai, sj) + FixedOrder.Dot(aj, si) + FixedOrder.Dot(aj, sj);
                    double k = PowerKernel<BondRecord>.Pow(radial * 0.25 * s, zeta);
                    acc[b] += k * am;
                }
            }
        }
        for (int b = 0; b < len; b++) output[rows[start + b]] = TargetStd * acc[b] + TargetMean;
    }

    private void CheckDim(int dim)
    {
        if (dim != Dim) throw new ArgumentException($"pair {Pair}: SOAP vectors have {dim} values, the model {Dim}");
    }

    /// <summary>
    /// The direct kernel sum TargetStd · Σ_m α_m k(m, n) + TargetMean with <see cref="BondKernel.Evaluate"/> on the stored
    /// training bonds (a reference for the fast path; slow).
    /// </summary>
    public double PredictDirect(double distance, double[] qi, double[] qj)
    {
        var kernel = new BondKernel(Parameters.Theta, Parameters.Zeta);
        var query = new BondRecord(distance, qi, qj, normalize: false);
        double s = 0;
        for (int m = 0; m < Count; m++)
        {
            BondRecord train;
            if (Q is not null)
            {
                // ¼(a+b)·(c+d) with a = Q_m/2, b = Q_m/2 equals ¼ Q_m·(c+d): the same kernel with unit-free halves
                var half = Q.AsSpan(m * Dim, Dim).ToArray();
                for (int k = 0; k < half.Length; k++) half[k] *= 0.5;
                train = new BondRecord(Distance[m], half, half, normalize: false);
            }
            else train = new BondRecord(Distance[m], Qi!.AsSpan(m * Dim, Dim).ToArray(), Qj!.AsSpan(m * Dim, Dim).ToArray(), normalize: false);
            s += kernel.Evaluate(query, train) * Alpha[m];
        }
        return TargetStd * s + TargetMean;
    }
}
