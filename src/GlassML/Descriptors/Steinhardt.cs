using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Parameters of <see cref="Steinhardt"/> (immutable; validated by the Steinhardt constructor).</summary>
public sealed record SteinhardtOptions
{
    /// <summary>Degrees l (each 0..20, distinct). Default 4, 6, 8, 10.</summary>
    public IReadOnlyList<int> L { get; init; } = [4, 6, 8, 10];
    /// <summary>Also compute the third-order invariants w_l. Default true.</summary>
    public bool Wl { get; init; } = true;
    /// <summary>
    /// Report ŵ_l = w_l / (Σ_m |q_lm|²)^{3/2} (columns <c>w{l}_SRC</c>, default true); when false the raw
    /// w_l are reported as <c>w{l}raw_SRC</c>.
    /// </summary>
    public bool WlNormalize { get; init; } = true;
    /// <summary>Also compute the Lechner–Dellago coarse-grained q̄_l (and w̄_l when <see cref="Wl"/>). Default true.</summary>
    public bool Average { get; init; } = true;
    /// <summary>
    /// Weight each bond by the neighbour list's <see cref="NeighborList.Weight"/> (Voronoi face area):
    /// q'_lm(i) = Σ_j A_ij Y_lm(r̂_ij) / Σ_j A_ij (Mickel et al. 2013). Column names get the infix <c>_wt</c>.
    /// Default false.
    /// </summary>
    public bool Weighted { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Steinhardt bond-orientational order parameters per atom (Steinhardt, Nelson &amp; Ronchetti,
/// Phys. Rev. B 28, 784 (1983), doi:10.1103/PhysRevB.28.784), with the neighbours of any
/// <see cref="NeighborList"/>:
/// q_lm(i) = (1/N_i) Σ_j Y_lm(r̂_ij); q_l = sqrt(4π/(2l+1) Σ_m |q_lm|²);
/// w_l = Σ_{m1+m2+m3=0} (l l l; m1 m2 m3) q_lm1 q_lm2 q_lm3; ŵ_l = w_l / (Σ_m |q_lm|²)^{3/2};
/// coarse-grained (Lechner &amp; Dellago, J. Chem. Phys. 129, 114707 (2008), doi:10.1063/1.2977970)
/// q̄_lm(i) = (1/(N_i+1)) Σ_{k ∈ {i} ∪ N(i)} q_lm(k) and q̄_l, ŵ̄_l from q̄_lm as above.
/// Equal to LAMMPS <c>compute orientorder/atom ... nnn NULL cutoff R wl yes wl/hat yes</c> for a cutoff list.
/// Atoms without neighbours get NaN in every column. Column names (docs/names.md) end in the list's
/// <see cref="NeighborList.Source"/>: <c>q4_cut … q10_cut, w4_cut … w10_cut, qbar4_cut …, wbar4_cut …</c>.
/// Y_lm by <see cref="SphericalHarmonics"/>; 3j symbols by <see cref="Wigner3j"/>, tabulated per l.
/// Results are bit-identical for any thread count (atoms are independent).
/// </summary>
public sealed partial class Steinhardt
{
    private readonly int[] _l;
    private readonly int _lMax;
    private readonly int[] _offset;     // start of degree index d in a packed m ≥ 0 block
    private readonly int _packed;       // Σ (l+1)
    private readonly Triple[][] _triples;
    private readonly SphericalHarmonics _ylm;
    private readonly int[] _accU, _accOut, _accM;   // accumulation plan: u index, packed output index, m
    private readonly int[] _outOfU;                  // packed output index of u index Index(l, m), or −1 when l is not computed

    /// <summary>Creates the compute; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public Steinhardt(SteinhardtOptions? options = null)
    {
        Options = options ?? new SteinhardtOptions();
        var ls = Options.L ?? throw new ArgumentException("L must not be null", nameof(options));
        if (ls.Count == 0) throw new ArgumentException("L must list at least one degree", nameof(options));
        // loops rather than LINQ over ints (generic code over a value type is jitted at run time, a one-thread cost of every call)
        _l = new int[ls.Count];
        for (int d = 0; d < _l.Length; d++)
        {
            int l = _l[d] = ls[d];
            if (l < 0 || l > 20) throw new ArgumentOutOfRangeException(nameof(options), "each degree l must be in 0..20");
            for (int e = 0; e < d; e++) if (_l[e] == l) throw new ArgumentException("degrees in L must be distinct", nameof(options));
            _lMax = Math.Max(_lMax, l);
        }
        if (Options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        _offset = new int[_l.Length + 1];
        for (int d = 0; d < _l.Length; d++) _offset[d + 1] = _offset[d] + _l[d] + 1;
        _packed = _offset[^1];
        _ylm = new SphericalHarmonics(_lMax);
        var au = new List<int>(); var ao = new List<int>(); var am = new List<int>();
        for (int d = 0; d < _l.Length; d++)
            for (int m = 0; m <= _l[d]; m++) { au.Add(SphericalHarmonics.Index(_l[d], m)); ao.Add(_offset[d] + m); am.Add(m); }
        _accU = au.ToArray(); _accOut = ao.ToArray(); _accM = am.ToArray();
        _outOfU = new int[SphericalHarmonics.Count(_lMax)];
        for (int u = 0; u < _outOfU.Length; u++) _outOfU[u] = -1;
        for (int t = 0; t < _accU.Length; t++) _outOfU[_accU[t]] = _accOut[t];
        _triples = new Triple[_l.Length][];
        for (int d = 0; d < _l.Length; d++) _triples[d] = BuildTriples(_l[d]);
    }

    /// <summary>The options in force.</summary>
    public SteinhardtOptions Options { get; }

    /// <summary>Use the four-lane bond loop (default when Vector256 is hardware accelerated); tests switch it off.</summary>
    internal bool Vectorized { get; init; } = VectorAccelerated;

    // (a static field: read in the constructor, the hardware query would keep the constructor from being precompiled)
    private static readonly bool VectorAccelerated = Vector256.IsHardwareAccelerated;

    /// <summary>Column names for a neighbour source suffix (e.g. "cut", "voro"), in output order.</summary>
    public IReadOnlyList<string> FeatureNames(string source)
    {
        string wt = Options.Weighted ? "_wt" : "";
        string wname = Options.WlNormalize ? "w{0}" : "w{0}raw";
        string wbname = Options.WlNormalize ? "wbar{0}" : "wbar{0}raw";
        var names = new List<string>();
        foreach (int l in _l) names.Add(string.Create(CultureInfo.InvariantCulture, $"q{l}{wt}_{source}"));
        if (Options.Wl) foreach (int l in _l) names.Add(string.Format(CultureInfo.InvariantCulture, wname, l) + $"{wt}_{source}");
        if (Options.Average)
        {
            foreach (int l in _l) names.Add(string.Create(CultureInfo.InvariantCulture, $"qbar{l}{wt}_{source}"));
            if (Options.Wl) foreach (int l in _l) names.Add(string.Format(CultureInfo.InvariantCulture, wbname, l) + $"{wt}_{source}");
        }
        return names;
    }

    /// <summary>
    /// Computes the order parameters of every atom of <paramref name="frame"/> from
    /// <paramref name="neighbors"/> (r̂_ij from the pair displacement vectors). Returns N × F values in the
    /// order of <see cref="FeatureNames"/>(neighbors.Source).
    /// </summary>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        if (Options.Weighted && neighbors.Weight is null) throw new ArgumentException("Weighted Steinhardt needs a neighbour list with weights (e.g. Voronoi face areas)");
        var names = FeatureNames(neighbors.Source);
        var values = Numerics.HugePages.NewDoubles(checked(n * names.Count));
        ComputeInto(frame, neighbors, values, names.Count, 0);
        return new PerAtomFeatures(names, n, values);
    }

    /// <summary>Number of columns (that of <see cref="FeatureNames"/>, whatever the source).</summary>
    internal int FeatureCount => _l.Length * (Options.Wl ? 2 : 1) * (Options.Average ? 2 : 1);

    /// <summary>Values per atom of the q_lm scratch that <see cref="ComputeInto"/> needs (0 without coarse-graining).</summary>
    internal int ScratchWidth => Options.Average ? 2 * _packed : 0;

    /// <summary>
    /// Writes the columns of atom i to dest[i·stride + offset .. + <see cref="FeatureCount"/>) for every atom (values of
    /// <see cref="Compute"/>). <paramref name="qlm"/>: optional caller-owned scratch, <see cref="ScratchWidth"/> values of atom i
    /// at qlm[i·qlmStride + qlmOffset ..] (contents irrelevant; overwritten), so that several calls can share one buffer, or use
    /// columns of dest that are written later (not overlapping this block's); null = allocate.
    /// </summary>
    internal void ComputeInto(Frame frame, NeighborList neighbors, double[] dest, int stride, int offset, double[]? qlm = null, int qlmStride = 0, int qlmOffset = 0)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        if (Options.Weighted && neighbors.Weight is null) throw new ArgumentException("Weighted Steinhardt needs a neighbour list with weights (e.g. Voronoi face areas)");
        int f = FeatureCount, nl = _l.Length;
        RowLayout.Check(dest, n, stride, offset, f);
        var values = dest;
        bool avg = Options.Average;
        // Per-atom q_lm (m ≥ 0, packed; per atom the real parts then the imaginary parts, 2·Σ(l+1) values) kept only when
        // coarse-graining needs them; every entry is written before it is read.
        int p2 = 2 * _packed;
        if (avg)
        {
            if (qlm is null) { qlm = Numerics.HugePages.NewDoubles(checked(n * p2)); qlmStride = p2; qlmOffset = 0; }
            RowLayout.Check(qlm, n, qlmStride, qlmOffset, p2);
            if (ReferenceEquals(qlm, dest) && (qlmStride != stride || (qlmOffset < offset + f && offset < qlmOffset + p2)))
                throw new ArgumentException("the q_lm scratch overlaps the output columns");
        }
        FirstPass(neighbors, AtomRows.All(n), n, values, stride, offset, qlm, qlmStride, qlmOffset);
        if (avg) SecondPass(neighbors, AtomRows.All(n), null, values, stride, offset, qlm!, qlmStride, qlmOffset);
    }

    /// <summary>Atoms per block of <see cref="ComputeBlocked"/> (tests set a small one).</summary>
    internal int BlockAtoms { get; init; } = 262144;

    /// <summary>
    /// The values of <see cref="ComputeInto"/>, bit for bit, without every atom's q_lm kept: the atoms are taken in blocks of
    /// <see cref="BlockAtoms"/> along <paramref name="order"/> (a spatial order, e.g. the neighbour grid's bins, so that a block's
    /// neighbours are mostly inside it); per block the q_lm of its atoms and of their neighbours outside it (the halo, recomputed
    /// in every block that needs them — the same operations, so the same values) are held, (block + halo) × <see cref="ScratchWidth"/>
    /// values instead of N × <see cref="ScratchWidth"/>.
    /// </summary>
    internal void ComputeBlocked(Frame frame, NeighborList neighbors, int[] order, double[] dest, int stride, int offset)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        if (!Options.Average || n <= BlockAtoms) { ComputeInto(frame, neighbors, dest, stride, offset); return; }
        if (Options.Weighted && neighbors.Weight is null) throw new ArgumentException("Weighted Steinhardt needs a neighbour list with weights (e.g. Voronoi face areas)");
        if (order.Length != n) throw new ArgumentException($"the atom order has {order.Length} entries, the frame {n} atoms", nameof(order));
        RowLayout.Check(dest, n, stride, offset, FeatureCount);
        int p2 = 2 * _packed;
        var slot = new int[n];          // atom → its slot in the block's q_lm (−1: not held)
        Array.Fill(slot, -1);
        var held = new int[Math.Min(n, 2 * BlockAtoms)];
        double[] q = [];
        var off = neighbors.Offsets; var idx = neighbors.Index;
        for (int t0 = 0; t0 < n; t0 += BlockAtoms)
        {
            // the block's atoms, then its halo, each in index order (monotone reads of the pair arrays and writes of the rows)
            int count = Math.Min(BlockAtoms, n - t0), m = count;
            order.AsSpan(t0, count).CopyTo(held);
            Array.Sort(held, 0, count);
            for (int k = 0; k < count; k++) { if (slot[held[k]] >= 0) throw new ArgumentException("the atom order repeats an atom", nameof(order)); slot[held[k]] = k; }
            for (int k = 0; k < count; k++)
                for (int p = off[held[k]], p1 = off[held[k] + 1]; p < p1; p++)
                {
                    int j = idx[p];
                    if (slot[j] >= 0) continue;
                    if (m == held.Length) Array.Resize(ref held, Math.Min(n, 2 * m));
                    slot[j] = m; held[m++] = j;
                }
            Array.Sort(held, count, m - count);
            for (int k = count; k < m; k++) slot[held[k]] = k;
            if (q.Length < (long)m * p2) q = Numerics.HugePages.NewDoubles(checked(Math.Max(m, held.Length) * p2));
            var block = new AtomRows(held, m);
            FirstPass(neighbors, block, count, dest, stride, offset, q, p2, 0);
            SecondPass(neighbors, new AtomRows(held, count), slot, dest, stride, offset, q, p2, 0);
            for (int k = 0; k < m; k++) slot[held[k]] = -1;
        }
    }

    /// <summary>
    /// q_lm of atoms.Atom(k) for every k into q[k·qStride + qOffset ..] (when coarse-graining), and for the first
    /// <paramref name="rows"/> of them q_l and w_l (ŵ_l) into their rows of dest (atoms without neighbours: NaN up to q̄).
    /// </summary>
    private void FirstPass(NeighborList neighbors, AtomRows atoms, int rows, double[] dest, int stride, int offset, double[]? q, int qStride, int qOffset)
    {
        int f = FeatureCount, nl = _l.Length;
        bool avg = Options.Average;
        int wCol = Options.Wl ? nl : -1, qbarCol = Options.Wl ? 2 * nl : nl, nanTo = avg ? qbarCol : f;
        bool lanes = Vectorized;   // invariants of four atoms at a time, one per Vector256 lane (the same operations per lane)
        RunChunks(atoms.Count, () => new Scratch(_lMax, _packed, _l.Length), (lo, hi, s) =>
        {
            for (int k = lo; k < hi; k++)
            {
                int i = atoms.Atom(k);
                bool ok = Accumulate(neighbors, i, s);
                if (avg)
                {
                    var qk = q.AsSpan(RowLayout.Start(k, qStride, qOffset), 2 * _packed);
                    s.Re.AsSpan(0, _packed).CopyTo(qk);
                    s.Im.AsSpan(0, _packed).CopyTo(qk[_packed..]);
                }
                if (k >= rows) continue;
                int start = RowLayout.Start(i, stride, offset);
                if (lanes)
                {
                    Stage(s, start, ok, s.Re, s.Im);
                    if (s.GCount == 4) Flush(s, dest, f, 0, wCol, 0, nanTo);
                    continue;
                }
                var row = dest.AsSpan(start, f);
                if (!ok) { row[..nanTo].Fill(double.NaN); continue; }
                Invariants(s.Re, s.Im, row, 0, wCol, s);
            }
            if (s.GCount > 0) Flush(s, dest, f, 0, wCol, 0, nanTo);
        });
    }

    /// <summary>
    /// q̄_l and w̄_l (ŵ̄_l) of atoms.Atom(k) into their rows of dest, from the q_lm of atom j at q[slot(j)·qStride + qOffset ..],
    /// slot(j) = <paramref name="slot"/>[j] (null: j itself).
    /// </summary>
    private void SecondPass(NeighborList neighbors, AtomRows atoms, int[]? slot, double[] dest, int stride, int offset, double[] q, int qStride, int qOffset)
    {
        int f = FeatureCount, nl = _l.Length, p2 = 2 * _packed;
        int qbarCol = Options.Wl ? 2 * nl : nl, wbarCol = Options.Wl ? qbarCol + nl : -1;
        bool lanes = Vectorized;
        var off = neighbors.Offsets; var idx = neighbors.Index;
        RunChunks(atoms.Count, () => new Scratch(_lMax, _packed, _l.Length), (lo, hi, s) =>
        {
            for (int k = lo; k < hi; k++)
            {
                int i = atoms.Atom(k);
                int start = RowLayout.Start(i, stride, offset);
                var row = dest.AsSpan(start, f);
                int p0 = off[i], p1 = off[i + 1];
                if (p1 == p0) { row[qbarCol..].Fill(double.NaN); continue; }
                // element-wise sums in neighbour order, then one scaling: the same operations per entry as a scalar loop
                var acc = s.Acc.AsSpan(0, p2);
                SumRows(q, RowLayout.Start(slot is null ? i : slot[i], qStride, qOffset), idx.AsSpan(p0, p1 - p0), slot, qStride, qOffset, acc);
                TensorPrimitives.Multiply(acc, 1.0 / (p1 - p0 + 1), acc);
                if (lanes)
                {
                    Stage(s, start, true, acc[.._packed], acc[_packed..]);
                    if (s.GCount == 4) Flush(s, dest, f, qbarCol, wbarCol, qbarCol, f);
                    continue;
                }
                Invariants(acc[.._packed], acc[_packed..], row, qbarCol, wbarCol, s);
            }
            if (s.GCount > 0) Flush(s, dest, f, qbarCol, wbarCol, qbarCol, f);
        });
    }

    // acc ← q[first ..] + Σ_j q[row of j ..] (p2 = acc.Length entries; neighbours in list order, each entry summed in that
    // order: the element-wise sums of a scalar loop, bit for bit)
    private static unsafe void SumRows(double[] q, int first, ReadOnlySpan<int> js, int[]? slot, int qStride, int qOffset, Span<double> acc)
    {
        int p2 = acc.Length;
        q.AsSpan(first, p2).CopyTo(acc);
        if (js.Length == 0) return;
        int vec = p2 & ~3;
        // every row start is checked against the array before its entries are read
        fixed (double* qb = q, a = acc)
        {
            for (int t = 0; t < js.Length; t++)
            {
                int row = RowLayout.Start(slot is null ? js[t] : slot[js[t]], qStride, qOffset);
                if ((uint)row > (uint)(q.Length - p2)) throw new IndexOutOfRangeException();
                double* src = qb + row;
                int e = 0;
                for (; e < vec; e += 4) Vector256.Store(Vector256.Load(a + e) + Vector256.Load(src + e), a + e);
                for (; e < p2; e++) a[e] += src[e];
            }
        }
    }

    /// <summary>
    /// The per-atom averages q_lm(i) for 0 ≤ m ≤ l, packed per atom degree by degree
    /// (for degree index d: entries offset(d) .. offset(d)+l_d), as (real, imaginary) arrays of N × Σ(l+1).
    /// Atoms without neighbours get zeros. Negative m follow from q_l,−m = (−1)^m conj(q_lm).
    /// </summary>
    public (double[] Re, double[] Im) ComputeQlm(Frame frame, NeighborList neighbors)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        if (Options.Weighted && neighbors.Weight is null) throw new ArgumentException("Weighted Steinhardt needs a neighbour list with weights");
        var qre = new double[(long)n * _packed]; var qim = new double[(long)n * _packed];
        RunChunks(n, () => new Scratch(_lMax, _packed), (lo, hi, s) =>
        {
            for (int i = lo; i < hi; i++)
            {
                Accumulate(neighbors, i, s);
                s.Re.AsSpan(0, _packed).CopyTo(qre.AsSpan((int)((long)i * _packed), _packed));
                s.Im.AsSpan(0, _packed).CopyTo(qim.AsSpan((int)((long)i * _packed), _packed));
            }
        });
        return (qre, qim);
    }

    // q_lm(i) of atom i into s.Re/s.Im (packed, m ≥ 0). False when i has no neighbours (or zero total weight).
    private bool Accumulate(NeighborList nb, int i, Scratch s) => Accumulate(nb, i, s, out _);

    // the same, and the pair distances it read (list order; empty without neighbours; valid until the scratch is used again)
    private bool Accumulate(NeighborList nb, int i, Scratch s, out ReadOnlySpan<double> distances)
    {
        if (Vectorized) return AccumulateVector(nb, i, s, out distances);
        distances = default;
        var re = s.Re; var im = s.Im;
        Array.Clear(re, 0, _packed); Array.Clear(im, 0, _packed);
        int p0 = nb.Offsets[i], p1 = nb.Offsets[i + 1];
        if (p1 == p0) return false;
        // pair k of atom i (pair p0 + k of the list)
        nb.Geometry(i, s.Pairs, out var dx, out var dy, out var dz, out var dist);
        distances = dist;
        var wgt = Options.Weighted ? nb.Weight.AsSpan(p0, p1 - p0) : default;
        bool weighted = Options.Weighted;
        double wsum = 0;
        var u = s.U; var pwr = s.Pr; var pwi = s.Pi;
        var accU = _accU; var accOut = _accOut; var accM = _accM;
        int lMax = _lMax;
        for (int p = 0; p < p1 - p0; p++)
        {
            double inv = 1.0 / dist[p];
            double x = dx[p] * inv, y = dy[p] * inv, z = dz[p] * inv;
            _ylm.Legendre(z, u);
            double w = weighted ? wgt[p] : 1.0;
            wsum += w;
            // w · (x + iy)^m
            double cr = w, ci = 0;
            for (int m = 0; m <= lMax; m++)
            {
                pwr[m] = cr; pwi[m] = ci;
                double nr = cr * x - ci * y; ci = cr * y + ci * x; cr = nr;
            }
            for (int t = 0; t < accU.Length; t++)
            {
                double v = u[accU[t]];
                int o = accOut[t], m = accM[t];
                re[o] += v * pwr[m]; im[o] += v * pwi[m];
            }
        }
        if (!(wsum > 0)) return false;
        double scale = 1.0 / wsum;
        for (int k = 0; k < _packed; k++) { re[k] *= scale; im[k] *= scale; }
        return true;
    }

    // Same as the scalar path, four bonds per step in Vector256 lanes (padding lanes carry weight 0); the lanes
    // are summed once per atom. Deterministic per atom, hence identical for any thread count.
    private unsafe bool AccumulateVector(NeighborList nb, int i, Scratch s, out ReadOnlySpan<double> distances)
    {
        var re = s.Re; var im = s.Im;
        int p0 = nb.Offsets[i], p1 = nb.Offsets[i + 1];
        distances = default;
        if (p1 == p0) { Array.Clear(re, 0, _packed); Array.Clear(im, 0, _packed); return false; }
        // pair k of atom i (pair p0 + k of the list)
        nb.Geometry(i, s.Pairs, out var dx, out var dy, out var dz, out var dist);
        distances = dist;
        var wgt = Options.Weighted ? nb.Weight.AsSpan(p0, p1 - p0) : default;
        bool weighted = Options.Weighted;
        int np = p1 - p0;
        var vre = s.VRe; var vim = s.VIm;
        Array.Clear(vre); Array.Clear(vim);
        var wsum = Vector256<double>.Zero;
        int groups = (np + 3) >> 2;
        fixed (Vector256<double>* pre = vre, pim = vim)
        {
            // groups of four bonds (the last padded with weight-0 lanes), two groups per call while two remain
            for (int g = 0; g < groups; g += 2)
            {
                Lanes(dx, dy, dz, dist, wgt, weighted, 4 * g, np, out var x1, out var y1, out var z1, out var w1);
                wsum += w1;
                if (g + 1 < groups)
                {
                    Lanes(dx, dy, dz, dist, wgt, weighted, 4 * g + 4, np, out var x2, out var y2, out var z2, out var w2);
                    wsum += w2;
                    _ylm.AccumulateLanes2(x1, y1, z1, w1, x2, y2, z2, w2, _outOfU, pre, pim);
                }
                else _ylm.AccumulateLanes(x1, y1, z1, w1, _outOfU, pre, pim);
            }
        }
        double ws = Vector256.Sum(wsum);
        if (!(ws > 0)) { Array.Clear(re, 0, _packed); Array.Clear(im, 0, _packed); return false; }
        double scale = 1.0 / ws;
        for (int k = 0; k < _packed; k++) { re[k] = Vector256.Sum(vre[k]) * scale; im[k] = Vector256.Sum(vim[k]) * scale; }
        return true;
    }

    // Unit vectors and weights of bonds p .. p+3 in four lanes (dx/dist etc., as the scalar path); lanes past np: (0, 0, 1), weight 0.
    private static void Lanes(ReadOnlySpan<double> dx, ReadOnlySpan<double> dy, ReadOnlySpan<double> dz, ReadOnlySpan<double> dist,
        ReadOnlySpan<double> wgt, bool weighted, int p, int np,
        out Vector256<double> x, out Vector256<double> y, out Vector256<double> z, out Vector256<double> w)
    {
        if (p + 4 <= np)
        {
            var inv = Vector256<double>.One / Vector256.Create(dist.Slice(p, 4));
            x = Vector256.Create(dx.Slice(p, 4)) * inv; y = Vector256.Create(dy.Slice(p, 4)) * inv; z = Vector256.Create(dz.Slice(p, 4)) * inv;
            w = weighted ? Vector256.Create(wgt.Slice(p, 4)) : Vector256<double>.One;
            return;
        }
        Span<double> bx = stackalloc double[4], by = stackalloc double[4], bz = stackalloc double[4], bw = stackalloc double[4];
        for (int k = 0; k < 4; k++)
        {
            if (p + k < np)
            {
                double inv = 1.0 / dist[p + k];
                bx[k] = dx[p + k] * inv; by[k] = dy[p + k] * inv; bz[k] = dz[p + k] * inv;
                bw[k] = weighted ? wgt[p + k] : 1.0;
            }
            else { bx[k] = 0; by[k] = 0; bz[k] = 1; bw[k] = 0; }
        }
        x = Vector256.Create<double>(bx); y = Vector256.Create<double>(by); z = Vector256.Create<double>(bz); w = Vector256.Create<double>(bw);
    }

    // From packed q_lm (m ≥ 0): q_l into row[qCol + d], and w_l / ŵ_l into row[wCol + d] when wCol ≥ 0.
    private void Invariants(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> row, int qCol, int wCol, Scratch s)
    {
        for (int d = 0; d < _l.Length; d++)
        {
            int l = _l[d], o = _offset[d];
            double sum = re[o] * re[o] + im[o] * im[o];
            double side = 0;
            for (int m = 1; m <= l; m++) side += re[o + m] * re[o + m] + im[o + m] * im[o + m];
            sum += 2 * side;   // Σ over m = −l..l
            row[qCol + d] = Math.Sqrt(4 * Math.PI / (2 * l + 1) * sum);
            if (wCol < 0) continue;
            // full q_m, m = −l..l, at index m + l
            var fr = s.FullRe; var fi = s.FullIm;
            for (int m = 0; m <= l; m++)
            {
                fr[l + m] = re[o + m]; fi[l + m] = im[o + m];
                if (m > 0)
                {
                    double sg = (m & 1) == 0 ? 1 : -1;
                    fr[l - m] = sg * re[o + m]; fi[l - m] = -sg * im[o + m];
                }
            }
            double w = 0;
            foreach (var t in _triples[d])
            {
                double ar = fr[t.A], ai = fi[t.A], br = fr[t.B], bi = fi[t.B], cr = fr[t.C], ci = fi[t.C];
                double abr = ar * br - ai * bi, abi = ar * bi + ai * br;
                w += t.Coef * (abr * cr - abi * ci);
            }
            if (Options.WlNormalize) w = sum > 0 ? w / (sum * Math.Sqrt(sum)) : double.NaN;
            row[wCol + d] = w;
        }
    }

    // Puts one atom's packed q_lm into the next lane of the four-atom group (entry k of lane a at G[4k + a], real then imaginary).
    private void Stage(Scratch s, int rowStart, bool ok, ReadOnlySpan<double> re, ReadOnlySpan<double> im)
    {
        int a = s.GCount++;
        s.GStart[a] = rowStart; s.GOk[a] = ok;
        var g = s.G; int p4 = 4 * _packed;
        for (int k = 0; k < _packed; k++) { g[4 * k + a] = re[k]; g[p4 + 4 * k + a] = im[k]; }
    }

    // The invariants of the staged atoms, lane by lane exactly the operations of Invariants (no fused multiply-add, same order),
    // written to their rows: q into qCol + d, w (ŵ) into wCol + d when wCol ≥ 0; atoms without neighbours get NaN in [nanFrom, nanTo).
    private void Flush(Scratch s, double[] dest, int f, int qCol, int wCol, int nanFrom, int nanTo)
    {
        var g = MemoryMarshal.Cast<double, Vector256<double>>(s.G.AsSpan());
        var re = g[.._packed]; var im = g[_packed..];
        var oq = s.OutQ; var ow = s.OutW; var os = s.OutS;
        var fr = s.FullRe4; var fi = s.FullIm4;
        for (int d = 0; d < _l.Length; d++)
        {
            int l = _l[d], o = _offset[d];
            var sum = re[o] * re[o] + im[o] * im[o];
            var side = Vector256<double>.Zero;
            for (int m = 1; m <= l; m++) side += re[o + m] * re[o + m] + im[o + m] * im[o + m];
            sum += Vector256.Create(2.0) * side;
            os[d] = sum;
            oq[d] = Vector256.Sqrt(Vector256.Create(4 * Math.PI / (2 * l + 1)) * sum);
            if (wCol < 0) continue;
            for (int m = 0; m <= l; m++)
            {
                fr[l + m] = re[o + m]; fi[l + m] = im[o + m];
                if (m > 0)
                {
                    double sg = (m & 1) == 0 ? 1 : -1;
                    fr[l - m] = Vector256.Create(sg) * re[o + m]; fi[l - m] = Vector256.Create(-sg) * im[o + m];
                }
            }
            var w = Vector256<double>.Zero;
            foreach (var t in _triples[d])
            {
                Vector256<double> ar = fr[t.A], ai = fi[t.A], br = fr[t.B], bi = fi[t.B], cr = fr[t.C], ci = fi[t.C];
                var abr = ar * br - ai * bi; var abi = ar * bi + ai * br;
                w += Vector256.Create(t.Coef) * (abr * cr - abi * ci);
            }
            ow[d] = Options.WlNormalize ? w / (sum * Vector256.Sqrt(sum)) : w;
        }
        for (int a = 0; a < s.GCount; a++)
        {
            var row = dest.AsSpan(s.GStart[a], f);
            if (!s.GOk[a]) { row[nanFrom..nanTo].Fill(double.NaN); continue; }
            for (int d = 0; d < _l.Length; d++)
            {
                row[qCol + d] = oq[d].GetElement(a);
                if (wCol >= 0) row[wCol + d] = !Options.WlNormalize || os[d].GetElement(a) > 0 ? ow[d].GetElement(a) : double.NaN;
            }
        }
        s.GCount = 0;
    }

    // The w_l sum as Σ coef · Re(q_a q_b q_c) over a reduced set of (m1, m2, m3) (indices m + l).
    private static Triple[] BuildTriples(int l)
    {
        // an array and a count rather than a list of the struct (jitted at run time)
        var all = new Triple[(2 * l + 1) * (2 * l + 1)];
        int count = 0;
        if ((l & 1) == 1)
        {
            // odd l: general sum over all ordered triples (it vanishes identically; kept exact in form)
            for (int m1 = -l; m1 <= l; m1++)
                for (int m2 = -l; m2 <= l; m2++)
                {
                    int m3 = -m1 - m2;
                    if (Math.Abs(m3) > l) continue;
                    double c = Wigner3j.Value(l, l, l, m1, m2, m3);
                    if (c != 0) all[count++] = new Triple(m1 + l, m2 + l, m3 + l, c);
                }
            return Trimmed(all, count);
        }
        // even l: the 3j symbol is invariant under permutations and under m → −m, and the term of −m is the
        // complex conjugate of the term of m; sum over sorted triples m1 ≤ m2 ≤ m3 with multiplicity, one of
        // each ± pair with weight 2 (Re taken), self-conjugate triples with weight 1.
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = m1; m2 <= l; m2++)
            {
                int m3 = -m1 - m2;
                if (m3 < m2 || m3 > l) continue;
                // negated sorted triple: (−m3, −m2, −m1); keep the lexicographically larger representative
                int cmp = Compare(m1, m2, m3, -m3, -m2, -m1);
                if (cmp < 0) continue;
                double c = Wigner3j.Value(l, l, l, m1, m2, m3);
                if (c == 0) continue;
                int mult = m1 == m2 && m2 == m3 ? 1 : (m1 == m2 || m2 == m3 ? 3 : 6);
                double weight = cmp == 0 ? 1 : 2;
                all[count++] = new Triple(m1 + l, m2 + l, m3 + l, c * mult * weight);
            }
        return Trimmed(all, count);
    }

    private static Triple[] Trimmed(Triple[] all, int count)
    {
        var t = new Triple[count];
        Array.Copy(all, t, count);
        return t;
    }

    // lexicographic order of (m1, m2, m3): negative, zero or positive
    private static int Compare(int a1, int a2, int a3, int b1, int b2, int b3) =>
        a1 != b1 ? a1.CompareTo(b1) : a2 != b2 ? a2.CompareTo(b2) : a3.CompareTo(b3);

    private void RunChunks(int n, Func<Scratch> init, Action<int, int, Scratch> body) =>
        ParallelChunks.Run(n, Options.Threads, init, body);

    private readonly record struct Triple(int A, int B, int C, double Coef);

    private sealed class Scratch
    {
        public readonly double[] Re, Im, Acc, U, Pr, Pi, FullRe, FullIm;
        public readonly Vector256<double>[] VRe, VIm;
        /// <summary>One atom's pair geometry, recomputed for compact neighbour lists.</summary>
        public readonly PairBuffer Pairs = new();
        // four-atom group of the lane-wise invariants
        public readonly double[] G;
        public readonly int[] GStart = new int[4];
        public readonly bool[] GOk = new bool[4];
        public int GCount;
        public readonly Vector256<double>[] OutQ, OutW, OutS, FullRe4, FullIm4;
        public Scratch(int lMax, int packed, int degrees = 0)
        {
            G = new double[8 * packed];
            OutQ = new Vector256<double>[degrees]; OutW = new Vector256<double>[degrees]; OutS = new Vector256<double>[degrees];
            FullRe4 = new Vector256<double>[2 * lMax + 1]; FullIm4 = new Vector256<double>[2 * lMax + 1];
            Re = new double[packed]; Im = new double[packed]; Acc = new double[2 * packed];
            U = new double[SphericalHarmonics.Count(lMax)];
            Pr = new double[lMax + 1]; Pi = new double[lMax + 1];
            VRe = new Vector256<double>[packed]; VIm = new Vector256<double>[packed];
            FullRe = new double[2 * lMax + 1]; FullIm = new double[2 * lMax + 1];
        }
    }
}
