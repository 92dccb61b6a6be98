namespace GlassML.Potentials;

/// <summary>
/// The EAM Hessian of <see cref="EamHessian"/> as an operator y = H x, kept in factored form: the pair blocks (one per
/// neighbour within the cutoff) and the embedding terms Σ_k F″_k g_k (g_kᵀ x) applied as two sparse passes over the
/// density gradients g_k = ∂ρ_k/∂r. The assembled Hessian couples every atom to all atoms within 2 r_c (≈ 760 blocks
/// per row for Cu–Zr); this form stores ≈ 90 blocks and ≈ 2 × 90 gradient vectors per atom, so a product costs several
/// times less memory traffic (the iterative mode solver's inner loop). Equal to <see cref="BlockHessian.Multiply(ReadOnlySpan{double}, Span{double})"/> of
/// <see cref="EamHessian.Compute"/> up to rounding (another summation order). Every output row is summed by one thread
/// in a fixed order: identical for any thread count.
/// </summary>
public sealed class EamHessianOperator
{
    private readonly BlockHessian _pair;
    private readonly double[] _fpp;
    // centre k: atoms b (gAt) and g_k(b) (gVec, 3 per entry), rows gOff[k] .. gOff[k+1]
    private readonly int[] _gOff, _gAt;
    private readonly double[] _gVec;
    // atom a: centres k with a among their atoms, and g_k(a), rows tOff[a] .. tOff[a+1]
    private readonly int[] _tOff, _tCentre;
    private readonly double[] _tVec;

    private EamHessianOperator(BlockHessian pair, double[] fpp, int[] gOff, int[] gAt, double[] gVec, int[] tOff, int[] tCentre, double[] tVec)
    {
        _pair = pair; _fpp = fpp; _gOff = gOff; _gAt = gAt; _gVec = gVec; _tOff = tOff; _tCentre = tCentre; _tVec = tVec;
    }

    /// <summary>Number of atoms N (the operator acts on 3N vectors).</summary>
    public int AtomCount => _pair.AtomCount;

    /// <summary>Stored 3×3 pair blocks plus 3-vectors of the embedding terms (each counted once), a size measure.</summary>
    public long StoredEntries => 9L * _pair.Columns.Length + 3L * (_gAt.Length + _tCentre.Length);

    /// <summary>The operator at the configuration of <paramref name="state"/> (eV/Å²).</summary>
    public static EamHessianOperator Create(EamResult state, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        var pair = EamHessian.PairPart(state, po);
        var (gAtom, gVector) = EamHessian.Gradients(state, po);
        int n = gAtom.Length;
        var gOff = new int[n + 1];
        for (int k = 0; k < n; k++) gOff[k + 1] = checked(gOff[k] + gAtom[k].Length);
        var gAt = new int[gOff[n]]; var gVec = new double[3L * gOff[n]];
        var count = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            gAtom[k].CopyTo(gAt, gOff[k]);
            gVector[k].CopyTo(gVec, 3L * gOff[k]);
            foreach (int b in gAtom[k]) count[b + 1]++;
        }
        // transpose, centres in ascending order within each atom's row
        var tOff = new int[n + 1];
        for (int a = 0; a < n; a++) tOff[a + 1] = tOff[a] + count[a + 1];
        var fill = tOff[..n];
        var tCentre = new int[gAt.Length]; var tVec = new double[gVec.Length];
        for (int k = 0; k < n; k++)
            for (int q = gOff[k]; q < gOff[k + 1]; q++)
            {
                int b = gAt[q], t = fill[b]++;
                tCentre[t] = k;
                tVec[3 * t] = gVec[3 * q]; tVec[3 * t + 1] = gVec[3 * q + 1]; tVec[3 * t + 2] = gVec[3 * q + 2];
            }
        return new EamHessianOperator(pair, (double[])state.EmbeddingSecondDerivative.Clone(), gOff, gAt, gVec, tOff, tCentre, tVec);
    }

    /// <summary>y = H x (length 3N each).</summary>
    public void Multiply(double[] x, double[] y, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        int n = AtomCount;
        if (x.Length != 3 * n || y.Length != 3 * n) throw new ArgumentException("vectors must have 3N entries");
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        Multiply(x, y, new double[n], new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads });
    }

    /// <summary>y = H x with a caller's scratch of N doubles.</summary>
    internal void Multiply(double[] x, double[] y, double[] scratch, ParallelOptions po)
    {
        int n = AtomCount;
        _pair.Multiply(x, y, po);
        // s_k = F″_k g_kᵀ x
        Parallel.For(0, (n + Chunk - 1) / Chunk, po, c =>
        {
            int k1 = Math.Min(n, (c + 1) * Chunk);
            for (int k = c * Chunk; k < k1; k++)
            {
                double s = 0;
                for (int q = _gOff[k]; q < _gOff[k + 1]; q++)
                {
                    int b = 3 * _gAt[q];
                    s += _gVec[3 * q] * x[b] + _gVec[3 * q + 1] * x[b + 1] + _gVec[3 * q + 2] * x[b + 2];
                }
                scratch[k] = _fpp[k] * s;
            }
        });
        // y_a += Σ_k s_k g_k(a)
        Parallel.For(0, (n + Chunk - 1) / Chunk, po, c =>
        {
            int a1 = Math.Min(n, (c + 1) * Chunk);
            for (int a = c * Chunk; a < a1; a++)
            {
                double s0 = 0, s1 = 0, s2 = 0;
                for (int t = _tOff[a]; t < _tOff[a + 1]; t++)
                {
                    double sk = scratch[_tCentre[t]];
                    s0 += sk * _tVec[3 * t]; s1 += sk * _tVec[3 * t + 1]; s2 += sk * _tVec[3 * t + 2];
                }
                y[3 * a] += s0; y[3 * a + 1] += s1; y[3 * a + 2] += s2;
            }
        });
    }

    private const int Chunk = 256;
}
