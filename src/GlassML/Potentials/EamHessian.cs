namespace GlassML.Potentials;

/// <summary>
/// The analytic EAM Hessian. With ψ_ij(r) = φ_ij(r) + F′_i ρ_{j→i}(r) + F′_j ρ_{i→j}(r) (the pair function whose
/// derivative gives LAMMPS's force), every pair within the cutoff contributes the pair block
/// K = ψ″ ûûᵀ + (ψ′/r)(I − ûûᵀ) (+K to (i,i) and (j,j), −K to (i,j) and (j,i)), and every atom k adds the embedding
/// cross term F″_k g_k g_kᵀ, g_k = ∂ρ_k/∂r (non-zero on k and its neighbours, so second neighbours couple).
/// Derivatives are those of LAMMPS's spline pieces. Rows are built by the atom that owns them, so the result is
/// identical for any thread count. Periodic images (also of the atom itself) are summed.
/// </summary>
public static class EamHessian
{
    /// <summary>The Hessian at the configuration of <paramref name="state"/> (eV/Å²).</summary>
    public static BlockHessian Compute(EamResult state, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        var nl = state.Neighbors;
        int n = nl.AtomCount;
        var fpp = state.EmbeddingSecondDerivative;
        var off = nl.Offsets; var idx = nl.Index; var dx = nl.Dx; var dy = nl.Dy; var dz = nl.Dz;
        double cutsq = state.Potential.Cutoff * state.Potential.Cutoff;
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };

        var (gAtom, gVec) = Gradients(state, po);

        var rowCols = new int[n][]; var rowBlocks = new double[n][];
        Parallel.For(0, n, po, () => new RowScratch(n), (a, loop, s) =>
        {
            s.Begin();
            AddPairBlocks(state, a, s);
            // embedding cross terms of the centres k ∈ {a} ∪ N(a)
            AddEmbedding(a, a, gAtom, gVec, fpp, s);
            for (int p = off[a]; p < off[a + 1]; p++)
            {
                int k = idx[p];
                double rsq = dx[p] * dx[p] + dy[p] * dy[p] + dz[p] * dz[p];
                if (k == a || rsq >= cutsq || !s.FirstVisit(k)) continue;
                AddEmbedding(a, k, gAtom, gVec, fpp, s);
            }
            (rowCols[a], rowBlocks[a]) = s.SortedRow();
            s.End();
            return s;
        }, _ => { });

        return Assemble(rowCols, rowBlocks);
    }

    private static BlockHessian Assemble(int[][] rowCols, double[][] rowBlocks)
    {
        int n = rowCols.Length;
        var rowOff = new int[n + 1];
        for (int a = 0; a < n; a++) rowOff[a + 1] = checked(rowOff[a] + rowCols[a].Length);
        var colsAll = new int[rowOff[n]]; var blkAll = new double[9L * rowOff[n]];
        for (int a = 0; a < n; a++)
        {
            rowCols[a].CopyTo(colsAll, rowOff[a]);
            rowBlocks[a].CopyTo(blkAll, 9L * rowOff[a]);
        }
        return new BlockHessian(rowOff, colsAll, blkAll);
    }

    /// <summary>
    /// g_k = ∂ρ_k/∂r_b for b in {k} ∪ N(k), periodic images merged: per centre k, its atoms (k first, then the
    /// neighbours in order of first appearance) and their 3-vectors.
    /// </summary>
    internal static (int[][] Atoms, double[][] Vectors) Gradients(EamResult state, ParallelOptions po)
    {
        var pot = state.Potential;
        var nl = state.Neighbors;
        int n = nl.AtomCount;
        var el = state.Element;
        var off = nl.Offsets; var idx = nl.Index; var dx = nl.Dx; var dy = nl.Dy; var dz = nl.Dz;
        double cutsq = pot.Cutoff * pot.Cutoff;
        var gAtom = new int[n][]; var gVec = new double[n][];
        Parallel.For(0, n, po, () => new RowScratch(n), (k, loop, s) =>
        {
            s.Begin();
            s.Slot(k);
            int ek = el[k];
            for (int p = off[k]; p < off[k + 1]; p++)
            {
                double rsq = dx[p] * dx[p] + dy[p] * dy[p] + dz[p] * dz[p];
                if (rsq >= cutsq) continue;
                int j = idx[p];
                double r = Math.Sqrt(rsq);
                pot.Density(el[j], ek).Value(r, out double d1);
                double c = d1 / r;
                int sj = s.Slot(j), sk = s.Slot(k);
                s.Vec[3 * sj] += c * dx[p]; s.Vec[3 * sj + 1] += c * dy[p]; s.Vec[3 * sj + 2] += c * dz[p];
                s.Vec[3 * sk] -= c * dx[p]; s.Vec[3 * sk + 1] -= c * dy[p]; s.Vec[3 * sk + 2] -= c * dz[p];
            }
            gAtom[k] = s.Atoms.AsSpan(0, s.Count).ToArray();
            gVec[k] = s.Vec.AsSpan(0, 3 * s.Count).ToArray();
            s.End();
            return s;
        }, _ => { });

        return (gAtom, gVec);
    }

    /// <summary>Row a += the pair blocks of every pair (a, j) within the cutoff: +K on (a, a), −K on (a, j).</summary>
    private static void AddPairBlocks(EamResult state, int a, RowScratch s)
    {
        var pot = state.Potential;
        var nl = state.Neighbors;
        var el = state.Element; var fp = state.EmbeddingDerivative;
        var off = nl.Offsets; var idx = nl.Index; var dx = nl.Dx; var dy = nl.Dy; var dz = nl.Dz;
        double cutsq = pot.Cutoff * pot.Cutoff;
        int ea = el[a];
        Span<double> kb = stackalloc double[9];
        for (int p = off[a]; p < off[a + 1]; p++)
        {
            double rsq = dx[p] * dx[p] + dy[p] * dy[p] + dz[p] * dz[p];
            if (rsq >= cutsq) continue;
            int j = idx[p], ej = el[j];
            double r = Math.Sqrt(rsq);
            pot.Pair(ea, ej, r, out _, out double dphi, out double d2phi);
            pot.Density(ej, ea).Value(r, out double rja1, out double rja2); // density at a due to j
            pot.Density(ea, ej).Value(r, out double raj1, out double raj2); // density at j due to a
            double psi1 = dphi + fp[a] * rja1 + fp[j] * raj1;
            double psi2 = d2phi + fp[a] * rja2 + fp[j] * raj2;
            double inv = 1.0 / r;
            double ux = dx[p] * inv, uy = dy[p] * inv, uz = dz[p] * inv;
            double t = psi1 * inv, c = psi2 - t;
            kb[0] = c * ux * ux + t; kb[1] = c * ux * uy; kb[2] = c * ux * uz;
            kb[3] = c * uy * ux; kb[4] = c * uy * uy + t; kb[5] = c * uy * uz;
            kb[6] = c * uz * ux; kb[7] = c * uz * uy; kb[8] = c * uz * uz + t;
            s.AddBlock(a, kb, 1.0);
            s.AddBlock(j, kb, -1.0);
        }
    }

    /// <summary>
    /// The pair part of the Hessian alone (every pair within the cutoff; no embedding cross terms): about as many
    /// blocks per row as neighbours, against about (2 r_c / r_c)³ times as many for the whole Hessian.
    /// </summary>
    internal static BlockHessian PairPart(EamResult state, ParallelOptions po)
    {
        int n = state.Neighbors.AtomCount;
        var rowCols = new int[n][]; var rowBlocks = new double[n][];
        Parallel.For(0, n, po, () => new RowScratch(n), (a, loop, s) =>
        {
            s.Begin();
            AddPairBlocks(state, a, s);
            (rowCols[a], rowBlocks[a]) = s.SortedRow();
            s.End();
            return s;
        }, _ => { });
        return Assemble(rowCols, rowBlocks);
    }

    /// <summary>Row a += F″_k g_k(a) g_k(b)ᵀ for every b of centre k.</summary>
    private static void AddEmbedding(int a, int k, int[][] gAtom, double[][] gVec, double[] fpp, RowScratch s)
    {
        double f2 = fpp[k];
        if (f2 == 0.0) return;
        var atoms = gAtom[k]; var vec = gVec[k];
        int qa = Array.IndexOf(atoms, a);
        if (qa < 0) return;
        double ax = f2 * vec[3 * qa], ay = f2 * vec[3 * qa + 1], az = f2 * vec[3 * qa + 2];
        Span<double> blk = stackalloc double[9];
        for (int q = 0; q < atoms.Length; q++)
        {
            double bx = vec[3 * q], by = vec[3 * q + 1], bz = vec[3 * q + 2];
            blk[0] = ax * bx; blk[1] = ax * by; blk[2] = ax * bz;
            blk[3] = ay * bx; blk[4] = ay * by; blk[5] = ay * bz;
            blk[6] = az * bx; blk[7] = az * by; blk[8] = az * bz;
            s.AddBlock(atoms[q], blk, 1.0);
        }
    }

    /// <summary>Per-thread accumulator of one row (or one gradient list): atom → slot map, atoms in slot order, 3- or 9-vectors.</summary>
    private sealed class RowScratch(int n)
    {
        private readonly int[] _slot = CreateSlots(n);
        private readonly int[] _visit = new int[n];
        private int _stamp;
        public int[] Atoms = new int[64];
        public double[] Vec = new double[3 * 64];
        public double[] Blk = new double[9 * 64];
        public int Count;

        private static int[] CreateSlots(int n) { var s = new int[n]; Array.Fill(s, -1); return s; }

        public void Begin() { Count = 0; _stamp++; if (_stamp == int.MaxValue) { Array.Clear(_visit); _stamp = 1; } }

        /// <summary>True the first time atom k is seen since <see cref="Begin"/>.</summary>
        public bool FirstVisit(int k)
        {
            if (_visit[k] == _stamp) return false;
            _visit[k] = _stamp;
            return true;
        }

        public int Slot(int atom)
        {
            int s = _slot[atom];
            if (s >= 0) return s;
            if (Count == Atoms.Length)
            {
                Array.Resize(ref Atoms, 2 * Count); Array.Resize(ref Vec, 6 * Count); Array.Resize(ref Blk, 18 * Count);
            }
            s = Count++;
            _slot[atom] = s; Atoms[s] = atom;
            Array.Clear(Vec, 3 * s, 3); Array.Clear(Blk, 9 * s, 9);
            return s;
        }

        public void AddBlock(int atom, ReadOnlySpan<double> b, double sign)
        {
            int s = Slot(atom);
            var d = Blk.AsSpan(9 * s, 9);
            for (int q = 0; q < 9; q++) d[q] += sign * b[q];
        }

        /// <summary>The accumulated row sorted by column: columns and their 9-entry blocks.</summary>
        public (int[] Columns, double[] Blocks) SortedRow()
        {
            var cols = Atoms.AsSpan(0, Count).ToArray();
            var order = new int[cols.Length];
            for (int q = 0; q < order.Length; q++) order[q] = q;
            Array.Sort(cols, order);
            var blocks = new double[9 * cols.Length];
            for (int q = 0; q < order.Length; q++) Blk.AsSpan(9 * order[q], 9).CopyTo(blocks.AsSpan(9 * q, 9));
            return (cols, blocks);
        }

        public void End() { for (int q = 0; q < Count; q++) _slot[Atoms[q]] = -1; }
    }
}
