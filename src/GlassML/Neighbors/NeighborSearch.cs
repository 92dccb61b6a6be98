using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GlassML.Numerics;
using GlassML.Structure;

namespace GlassML.Neighbors;

/// <summary>How a neighbour query selects neighbours.</summary>
public enum QueryMode
{
    /// <summary>Every periodic image closer than a cutoff.</summary>
    Ball,
    /// <summary>The k nearest periodic images.</summary>
    Nearest,
}

/// <summary>
/// Periodic cell-list neighbour search for orthogonal and triclinic cells. Atoms are binned in fractional
/// coordinates; a query of radius r visits the bins within ceil(r / bin thickness) along each axis, so cells
/// thinner than the cutoff (several images of the same atom, including the centre's own images) are handled.
/// Work is parallel over atoms; the result is identical for any thread count.
/// </summary>
public sealed class NeighborSearch
{
    /// <summary>Creates a search with the given degree of parallelism (0 = all cores).</summary>
    public NeighborSearch(int threads = 0)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be ≥ 0 (0 = all cores)");
        Threads = threads;
    }

    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; }

    /// <summary>All neighbours closer than <paramref name="cutoff"/> (strictly), every periodic image.</summary>
    public NeighborList Ball(Frame frame, double cutoff)
    {
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "cutoff must be a positive finite distance");
        SearchBudget.CheckBall(frame, cutoff, Threads);
        var grid = new CellGrid(frame, cutoff, Threads);
        double expected = 4.0 / 3.0 * Math.PI * cutoff * cutoff * cutoff * frame.Count / frame.Box.Volume;
        var list = Run(frame, grid, (int i, ref Scratch s) => grid.Query(i, cutoff, ref s), "cut", cutoff, (int)Math.Min(4096, expected * 1.15 + 4));
        SearchBudget.CheckSeparation(frame, list);
        return list;
    }

    /// <summary>Receives one atom's neighbours from <see cref="ForEachBall"/>.</summary>
    /// <param name="atom">The centre atom's index.</param>
    /// <param name="neighbors">Neighbour atom indices (one entry per periodic image), in <see cref="Ball"/>'s order.</param>
    /// <param name="distances">Their distances, bit for bit those of <see cref="Ball"/>.</param>
    public delegate void BallVisitor(int atom, ReadOnlySpan<int> neighbors, ReadOnlySpan<double> distances);

    /// <summary>
    /// Visits the neighbours closer than <paramref name="cutoff"/> of every atom without storing the list (memory of
    /// one atom's neighbours per thread instead of ~36 bytes per pair): the same neighbours, order and distances as
    /// <see cref="Ball"/>. Atoms are visited in parallel chunks (bin order); <paramref name="visit"/> must only write
    /// per-atom results.
    /// </summary>
    public void ForEachBall(Frame frame, double cutoff, BallVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(visit);
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "cutoff must be a positive finite distance");
        var grid = new CellGrid(frame, cutoff, Threads);
        int n = frame.Count;
        const int chunk = 2048;
        int nChunks = (n + chunk - 1) / chunk;
        var order = grid.SortedAtoms;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        Parallel.For(0, nChunks, po, () => new ScratchBox(), (c, _, box) =>
        {
            ref var scratch = ref box.S;
            int start = c * chunk, end = Math.Min(n, start + chunk);
            for (int t = start; t < end; t++)
            {
                int i = order[t];
                scratch.Count = 0;
                grid.Query(i, cutoff, ref scratch);
                scratch.SortByDistance();
                visit(i, scratch.Index.AsSpan(0, scratch.Count), scratch.D.AsSpan(0, scratch.Count));
            }
            return box;
        }, _ => { });
    }

    /// <summary>
    /// The <paramref name="k"/> nearest neighbours (periodic images count separately); ties at the k-th
    /// distance are broken by neighbour index, then displacement.
    /// </summary>
    public NeighborList Nearest(Frame frame, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        bool anyPeriodic = frame.Box.Periodic[0] || frame.Box.Periodic[1] || frame.Box.Periodic[2];
        if (!anyPeriodic && k > frame.Count - 1)
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} but a non-periodic frame has only {frame.Count - 1} other atoms");
        double density = Math.Max(frame.Count, 1) / frame.Box.Volume;
        double r0 = Math.Cbrt(3.0 * (k + 1) / (4 * Math.PI * density)) * 1.2;
        SearchBudget.CheckBall(frame, r0, Threads);
        var grid = new CellGrid(frame, r0, Threads);
        var list = Run(frame, grid, (int i, ref Scratch s) =>
        {
            double r = r0;
            while (true)
            {
                s.Count = 0;
                grid.Query(i, r, ref s);
                if (s.Count >= k) break;
                r *= 1.5;
            }
            s.SortByDistance();
            s.Count = k;
        }, "nearest", double.NaN, k);
        SearchBudget.CheckSeparation(frame, list);
        return list;
    }

    private delegate void AtomQuery(int i, ref Scratch s);

    private NeighborList Run(Frame frame, CellGrid grid, AtomQuery query, string source, double cutoff, int expectedPerAtom)
    {
        int n = frame.Count;
        const int chunk = 2048;
        int nChunks = (n + chunk - 1) / chunk;
        var chunkResults = new ChunkResult[nChunks];
        var counts = new int[n];
        var order = grid.SortedAtoms; // process atoms in bin order for locality
        var po = new ParallelOptions { MaxDegreeOfParallelism = Threads == 0 ? -1 : Threads };
        // per chunk only (neighbour, image) pairs are kept; the displacements are recomputed bit for bit when the final
        // arrays are written (8 instead of 36 bytes per pair of intermediate memory)
        Parallel.For(0, nChunks, po, () => new ScratchBox(), (c, _, box) =>
        {
            ref var scratch = ref box.S;
            int start = c * chunk, end = Math.Min(n, start + chunk);
            var res = new ChunkResult(end - start, expectedPerAtom);
            for (int t = start; t < end; t++)
            {
                int i = order[t];
                scratch.Count = 0;
                query(i, ref scratch);
                scratch.SortByDistance();
                counts[i] = scratch.Count;
                res.Append(ref scratch);
            }
            chunkResults[c] = res;
            return box;
        }, _ => { });

        var runs = new PairRun[nChunks];
        for (int c = 0; c < nChunks; c++) { runs[c] = new PairRun(chunkResults[c].Index, chunkResults[c].Image, 0); chunkResults[c] = null!; }
        return Assemble(grid, order, chunk, counts, runs, source, cutoff, po);
    }

    /// <summary>
    /// The final CSR list from per-chunk (neighbour, periodic image) pairs: run c holds, in processing order, the pairs of the
    /// atoms order[c·chunk ..] (counts[i] pairs for atom i, already in list order). Displacements and distances are recomputed
    /// by <see cref="CellGrid.Displacements"/>, bit for bit as the grid's queries gave them. The runs are released as they are
    /// copied. <paramref name="compact"/>: keep (neighbour, image) pairs and recompute the displacements when read
    /// (<see cref="PairImages"/>) instead of storing them.
    /// </summary>
    internal static NeighborList Assemble(CellGrid grid, int[] order, int chunk, int[] counts, PairRun[] runs,
        string source, double cutoff, ParallelOptions po, bool compact = false)
    {
        int n = counts.Length, nChunks = runs.Length;
        var offsets = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) { total += counts[i]; if (total > int.MaxValue) throw new ArgumentException("more than 2^31 neighbour pairs: use a smaller cutoff or split the frame"); offsets[i + 1] = (int)total; }
        int m = (int)total;
        // fresh arrays written once below: filled a huge page at a time (Numerics.HugePages)
        var idx = HugePages.Advise(new int[m]);
        var img = compact ? HugePages.Advise(new int[m]) : null;
        double[] dx = compact ? [] : HugePages.Advise(new double[m]), dy = compact ? [] : HugePages.Advise(new double[m]),
            dz = compact ? [] : HugePages.Advise(new double[m]), dd = compact ? [] : HugePages.Advise(new double[m]);
        Parallel.For(0, nChunks, po, c =>
        {
            var (cIdx, cImg, src) = runs[c];
            int start = c * chunk, end = Math.Min(n, start + chunk);
            for (int t = start; t < end; t++)
            {
                int i = order[t], cnt = counts[i], dst = offsets[i];
                Array.Copy(cIdx, src, idx, dst, cnt);
                if (img is not null) Array.Copy(cImg, src, img, dst, cnt);
                else
                    grid.Displacements(i, cIdx.AsSpan(src, cnt), cImg.AsSpan(src, cnt),
                        dx.AsSpan(dst, cnt), dy.AsSpan(dst, cnt), dz.AsSpan(dst, cnt), dd.AsSpan(dst, cnt));
                src += cnt;
            }
            runs[c] = default;
        });
        if (img is not null) return new NeighborList(offsets, idx, new PairImages(grid, offsets, idx, img, Math.Max(0, po.MaxDegreeOfParallelism)), null, source, cutoff);
        return new NeighborList(offsets, idx, dx, dy, dz, dd, null, source, cutoff);
    }

    private sealed class ChunkResult
    {
        public int[] Index, Image; public int Len;
        public ChunkResult(int atoms, int perAtom)
        {
            int cap = Math.Max(16, atoms * Math.Max(1, perAtom));
            Index = new int[cap]; Image = new int[cap];
        }
        public void Append(ref Scratch s)
        {
            int need = Len + s.Count;
            if (need > Index.Length)
            {
                int cap = Math.Max(need, Index.Length + Index.Length / 4);
                Array.Resize(ref Index, cap); Array.Resize(ref Image, cap);
            }
            Array.Copy(s.Index, 0, Index, Len, s.Count);
            Array.Copy(s.Image, 0, Image, Len, s.Count);
            Len += s.Count;
        }
    }

    /// <summary>Per-thread candidate buffer.</summary>
    /// <summary>
    /// A thread's <see cref="Scratch"/> as Parallel.For's thread-local state: a class, so the loop runs the framework's
    /// shared (reference-type) instantiation, jitted once per process, instead of one of its own for the struct.
    /// </summary>
    private sealed class ScratchBox
    {
        public Scratch S = new(64);
    }

    internal struct Scratch
    {
        /// <summary>Candidates: atom, periodic image (<see cref="CellGrid.PackImage"/>), displacement r_j − r_i and its length.</summary>
        public int[] Index, Image; public double[] Dx, Dy, Dz, D; public int Count;
        public int StencilBin, StencilCount; public double StencilRadius;
        /// <summary>
        /// Axes (bit a) along which the stencil reaches no box edge. For a bin that along every axis either equals the
        /// stencil's bin or is interior like it, the stencil is the same entries (same shifts) with every cell moved by the bin difference.
        /// </summary>
        public int StencilInteriorAxes;
        /// <summary>
        /// Stencil entries: bins StencilCell[e] ≤ b &lt; StencilEnd[e] (consecutive bins of one periodic image, e.g. a row of bins
        /// along the third axis, whose atoms are consecutive slots) with their image, shift vector and whether the image is the box itself.
        /// </summary>
        public int[] StencilCell, StencilEnd, StencilImage; public double[] StencilSx, StencilSy, StencilSz; public bool[] StencilZero;
        public Scratch(int cap)
        {
            StencilBin = -1; StencilCount = 0; StencilRadius = 0;
            StencilCell = new int[27]; StencilEnd = new int[27]; StencilImage = new int[27]; StencilSx = new double[27]; StencilSy = new double[27]; StencilSz = new double[27]; StencilZero = new bool[27];
            Index = new int[cap]; Image = new int[cap]; Dx = new double[cap]; Dy = new double[cap]; Dz = new double[cap]; D = new double[cap]; Count = 0;
        }
        public void AddStencil(int cell, int image, double sx, double sy, double sz, bool zero)
        {
            // the next bin of the same image: the same entry, one bin longer (its slots follow the entry's)
            if (StencilCount > 0 && StencilEnd[StencilCount - 1] == cell && StencilImage[StencilCount - 1] == image) { StencilEnd[StencilCount - 1] = cell + 1; return; }
            if (StencilCount == StencilCell.Length)
            {
                int cap = StencilCount * 2;
                Array.Resize(ref StencilCell, cap); Array.Resize(ref StencilEnd, cap); Array.Resize(ref StencilImage, cap);
                Array.Resize(ref StencilSx, cap); Array.Resize(ref StencilSy, cap); Array.Resize(ref StencilSz, cap); Array.Resize(ref StencilZero, cap);
            }
            StencilCell[StencilCount] = cell; StencilEnd[StencilCount] = cell + 1; StencilImage[StencilCount] = image;
            StencilSx[StencilCount] = sx; StencilSy[StencilCount] = sy; StencilSz[StencilCount] = sz; StencilZero[StencilCount] = zero;
            StencilCount++;
        }
        /// <summary>Makes room for at least <paramref name="need"/> entries (at least doubling), keeping the first <see cref="Count"/>.</summary>
        public void Grow(int need)
        {
            int cap = Math.Max(need, 2 * Index.Length);
            Array.Resize(ref Index, cap); Array.Resize(ref Image, cap); Array.Resize(ref Dx, cap); Array.Resize(ref Dy, cap); Array.Resize(ref Dz, cap); Array.Resize(ref D, cap);
        }
        public void Add(int j, int image, double dx, double dy, double dz, double d)
        {
            if (Count == Index.Length)
            {
                int cap = Count * 2;
                Array.Resize(ref Index, cap); Array.Resize(ref Image, cap); Array.Resize(ref Dx, cap); Array.Resize(ref Dy, cap); Array.Resize(ref Dz, cap); Array.Resize(ref D, cap);
            }
            Index[Count] = j; Image[Count] = image; Dx[Count] = dx; Dy[Count] = dy; Dz[Count] = dz; D[Count] = d; Count++;
        }
        /// <summary>Sorts the entries in place by (distance, index, dx, dy, dz): insertion sort, lists are short.</summary>
        public void SortByDistance()
        {
            if (Count > 64) { SortLong(); return; }
            InsertionSort(0, Count);
        }

        // many neighbours (a large cutoff): O(n log n) — the entries sorted by the bits of their distance (non-negative
        // doubles order as their bit patterns) with the positions as items, then runs of equal distance put in the full
        // (distance, index, dx, dy, dz) order by insertion sort. That key is a total order, so the result is the same as the
        // insertion sort's whatever order the unstable key sort leaves ties in. No allocation after a thread's first long list.
        private ulong[]? _keys, _keys2; private int[]? _perm, _perm2; private Entry[]? _entries;
        private void SortLong()
        {
            int n = Count;
            if (_keys is null || _keys.Length < n)
            {
                int cap = Math.Max(n, 2 * (_keys?.Length ?? 0));
                _keys = new ulong[cap]; _perm = new int[cap]; _entries = new Entry[cap]; _keys2 = new ulong[cap]; _perm2 = new int[cap];
            }
            var keys = new Span<ulong>(_keys, 0, n); var perm = new Span<int>(_perm, 0, n); var e = _entries!;
            for (int a = 0; a < n; a++) { keys[a] = BitConverter.DoubleToUInt64Bits(D[a]); perm[a] = a; e[a] = new Entry(D[a], Index[a], Dx[a], Dy[a], Dz[a], Image[a]); }
            RadixSort.Sort(keys, perm, _keys2, _perm2!);   // a stable key sort (non-generic: nothing to jit on the first call)
            for (int a = 0; a < n; a++)
            {
                ref readonly var t = ref e[perm[a]];
                D[a] = t.D; Index[a] = t.J; Dx[a] = t.X; Dy[a] = t.Y; Dz[a] = t.Z; Image[a] = t.Image;
            }
            for (int lo = 0; lo < n;)
            {
                int hi = lo + 1;
                while (hi < n && D[hi] == D[lo]) hi++;
                if (hi - lo > 1) InsertionSort(lo, hi);
                lo = hi;
            }
        }

        private void InsertionSort(int lo, int hi)
        {
            var idx = Index; var img = Image; var dxa = Dx; var dya = Dy; var dza = Dz; var da = D;
            for (int a = lo + 1; a < hi; a++)
            {
                int j = idx[a], im = img[a]; double x = dxa[a], y = dya[a], z = dza[a], d = da[a];
                int b = a - 1;
                while (b >= lo && Less(d, j, x, y, z, da[b], idx[b], dxa[b], dya[b], dza[b]))
                {
                    idx[b + 1] = idx[b]; img[b + 1] = img[b]; dxa[b + 1] = dxa[b]; dya[b + 1] = dya[b]; dza[b + 1] = dza[b]; da[b + 1] = da[b];
                    b--;
                }
                idx[b + 1] = j; img[b + 1] = im; dxa[b + 1] = x; dya[b + 1] = y; dza[b + 1] = z; da[b + 1] = d;
            }
        }

        private readonly record struct Entry(double D, int J, double X, double Y, double Z, int Image);

        private static bool Less(double d, int j, double x, double y, double z, double d2, int j2, double x2, double y2, double z2)
        {
            if (d != d2) return d < d2;
            if (j != j2) return j < j2;
            if (x != x2) return x < x2;
            if (y != y2) return y < y2;
            return z < z2;
        }
    }

    /// <summary>Atoms binned in fractional coordinates (counting sort), with wrapped Cartesian positions in bin order.</summary>
    internal sealed class CellGrid
    {
        private readonly Box _box;
        private readonly int[] _n = new int[3];
        private readonly double[] _binWidth = new double[3]; // fractional width of a bin
        private readonly double[] _sMin = new double[3];
        private readonly bool[] _periodic = new bool[3];
        private readonly int[] _cellStart;
        private readonly int[] _atomBin;
        private readonly double[] _px, _py, _pz; // wrapped positions, by sorted slot
        private readonly int[] _slotAtom;         // atom index of sorted slot
        private readonly int[] _atomSlot;

        public int[] SortedAtoms => _slotAtom;

        /// <summary>Fewest atoms per thread for which the grid is built on several threads.</summary>
        private const int ParallelAtomsPerThread = 16384;

        /// <summary>
        /// Bins the atoms of <paramref name="f"/> (bins of at least <paramref name="binSize"/>), on up to <paramref name="threads"/>
        /// threads (0 = all cores): the atoms are split into ranges that wrap and bin their atoms; each bin's slots then hold its
        /// atoms in index order, as one thread fills them, and a bad position is reported for the first such atom in index
        /// order, so the grid and any error do not depend on the thread count.
        /// </summary>
        public CellGrid(Frame f, double binSize, int threads = 1)
        {
            _box = f.Box;
            int n = f.Count;
            int parts = Math.Clamp(n / ParallelAtomsPerThread, 1, threads <= 0 ? Environment.ProcessorCount : threads);
            // Three passes over the atoms: wrap (check each position; its fractional coordinates kept only when an axis is not periodic,
            // whose bins span the atoms' range; in a periodic box each atom's bin is found at once), count the atoms per bin, fill the
            // slots. The wrapped positions are computed again by the fill (the same arithmetic, the same bits) instead of kept in
            // atom order for it: no n-sized temporaries in a periodic box (6 × 8 bytes per atom of fresh memory, ≈ 10 µs per 4 KiB
            // page in this project's VM; docs/benchmarks.md round 10). Every n-sized array here is written once, in full
            // (Numerics.HugePages: a huge page at a time).
            bool allPeriodic = _box.Periodic[0] && _box.Periodic[1] && _box.Periodic[2];
            double[][]? s = null;
            if (!allPeriodic)
            {
                s = new double[3][];
                for (int a = 0; a < 3; a++) s[a] = HugePages.Advise(new double[n]);
            }
            _atomBin = HugePages.Advise(new int[n]);
            if (allPeriodic) SetBins(null, n, binSize);
            // wraps atoms lo..hi−1 into the box; at a bad position: throws (report) or returns false
            bool Wrap(int lo, int hi, bool report)
            {
                for (int i = lo; i < hi; i++)
                {
                    double x = f.X[i], y = f.Y[i], z = f.Z[i];
                    if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
                        return report ? throw new ArgumentException($"atom {f.Ids[i]} has a non-finite position") : false;
                    var u = _box.ToFractional(new Vec3(x, y, z));
                    if (Math.Abs(u.X - 0.5) > SearchBudget.MaxBoxLengthsOutside || Math.Abs(u.Y - 0.5) > SearchBudget.MaxBoxLengthsOutside || Math.Abs(u.Z - 0.5) > SearchBudget.MaxBoxLengthsOutside)
                        return report ? throw new ArgumentException($"atom {f.Ids[i]} at ({x:G6}, {y:G6}, {z:G6}) is more than {SearchBudget.MaxBoxLengthsOutside} box lengths outside the box (corrupt coordinate or box?)") : false;
                    var (sa, sb, sc, _, _, _) = WrapFractional(u);
                    if (s is null) _atomBin[i] = (BinIndex(0, sa) * _n[1] + BinIndex(1, sb)) * _n[2] + BinIndex(2, sc);
                    else { s[0][i] = sa; s[1][i] = sb; s[2][i] = sc; }
                }
                return true;
            }
            int Lo(int r) => (int)((long)n * r / parts);
            var po = new ParallelOptions { MaxDegreeOfParallelism = parts };
            if (parts == 1) Wrap(0, n, report: true);
            else
            {
                int bad = 0;
                Parallel.For(0, parts, po, r => { if (!Wrap(Lo(r), Lo(r + 1), report: false)) Volatile.Write(ref bad, 1); });
                if (bad != 0) Wrap(0, n, report: true);   // throws for the first bad atom
            }
            if (!allPeriodic) SetBins(s, n, binSize);
            int nbins = _n[0] * _n[1] * _n[2];
            _cellStart = new int[nbins + 1];
            _slotAtom = HugePages.Advise(new int[n]); _atomSlot = HugePages.Advise(new int[n]);
            _px = HugePages.Advise(new double[n]); _py = HugePages.Advise(new double[n]); _pz = HugePages.Advise(new double[n]);
            // a range's count (then next free slot) per bin: ranges only while those counts stay small beside the atoms
            if (nbins > 4L * n) parts = 1;
            var next = new int[parts][];
            void Count(int r)
            {
                var c = next[r] = new int[nbins];
                for (int i = Lo(r), hi = Lo(r + 1); i < hi; i++)
                {
                    // (in a periodic box the wrap found the bin already)
                    if (s is not null) _atomBin[i] = (BinIndex(0, s[0][i]) * _n[1] + BinIndex(1, s[1][i])) * _n[2] + BinIndex(2, s[2][i]);
                    c[_atomBin[i]]++;
                }
            }
            void Fill(int r)
            {
                var c = next[r];
                for (int i = Lo(r), hi = Lo(r + 1); i < hi; i++)
                {
                    int b = _atomBin[i], slot = _cellStart[b] + c[b]++;
                    _slotAtom[slot] = i; _atomSlot[i] = slot;
                    double x = f.X[i], y = f.Y[i], z = f.Z[i];
                    var (_, _, _, fa, fb, fc) = WrapFractional(_box.ToFractional(new Vec3(x, y, z)));
                    var sh = _box.ShiftVector(fa, fb, fc);
                    _px[slot] = x - sh.X; _py[slot] = y - sh.Y; _pz[slot] = z - sh.Z;
                }
            }
            if (parts == 1) Count(0); else Parallel.For(0, parts, po, Count);
            // bin b's atoms of range r take the slots after those of the ranges before it (atom index order within a bin)
            for (int b = 0; b < nbins; b++)
            {
                int run = 0;
                for (int r = 0; r < parts; r++) { int c = next[r][b]; next[r][b] = run; run += c; }
                _cellStart[b + 1] = _cellStart[b] + run;
            }
            if (parts == 1) Fill(0); else Parallel.For(0, parts, po, Fill);
        }

        // the fractional position u with each periodic coordinate wrapped into [0, 1), and the whole box lengths taken off it
        private (double Sa, double Sb, double Sc, double Fa, double Fb, double Fc) WrapFractional(Vec3 u)
        {
            double sa = u.X, sb = u.Y, sc = u.Z, fa = 0, fb = 0, fc = 0;
            if (_box.Periodic[0]) { fa = Math.Floor(sa); sa -= fa; if (sa >= 1) { sa -= 1; fa += 1; } }
            if (_box.Periodic[1]) { fb = Math.Floor(sb); sb -= fb; if (sb >= 1) { sb -= 1; fb += 1; } }
            if (_box.Periodic[2]) { fc = Math.Floor(sc); sc -= fc; if (sc >= 1) { sc -= 1; fc += 1; } }
            return (sa, sb, sc, fa, fb, fc);
        }

        // bins of at least binSize along each axis, over [0, 1) of a periodic axis or the atoms' fractional range s[a] of another
        private void SetBins(double[][]? s, int n, double binSize)
        {
            var d = _box.PlaneDistances;
            for (int a = 0; a < 3; a++)
            {
                _periodic[a] = _box.Periodic[a];
                double lo = 0, hi = 1;
                if (!_periodic[a])
                {
                    lo = double.PositiveInfinity; hi = double.NegativeInfinity;
                    for (int i = 0; i < n; i++) { lo = Math.Min(lo, s![a][i]); hi = Math.Max(hi, s[a][i]); }
                    if (n == 0) { lo = 0; hi = 1; }
                    if (hi <= lo) hi = lo + 1e-9;
                }
                double width = (hi - lo) * d[a];
                int nb = (int)Math.Max(1, Math.Min(Math.Floor(width / binSize), 1024));
                _n[a] = nb; _sMin[a] = lo; _binWidth[a] = (hi - lo) / nb;
            }
        }

        private int BinIndex(int a, double s)
        {
            int b = (int)Math.Floor((s - _sMin[a]) / _binWidth[a]);
            return Math.Clamp(b, 0, _n[a] - 1);
        }

        /// <summary>Adds every image j ≠ (i, no shift) with |r_j − r_i| &lt; r to the scratch.</summary>
        // hot: jitted fully optimised at first call rather than the ReadyToRun code, ≈ 12 % slower here (docs/benchmarks.md, round 8)
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Query(int i, double r, ref Scratch sc)
        {
            int slotI = _atomSlot[i];
            double xi = _px[slotI], yi = _py[slotI], zi = _pz[slotI];
            int bin = _atomBin[i];
            if (sc.StencilBin != bin || sc.StencilRadius != r) BuildStencil(bin, r, ref sc);
            double r2 = r * r;
            if (VectorQuery && Avx2.IsSupported) { QueryVector(slotI, xi, yi, zi, r2, ref sc); return; }
            for (int e = 0; e < sc.StencilCount; e++)
            {
                var (start, end, self, image, ox, oy, oz) = Entry(ref sc, e, slotI, xi, yi, zi, extra: 0);
                sc.Count = ScalarRun(start, end, self, image, ox, oy, oz, r2, ref sc, sc.Count, sqrt: true);
            }
        }

        // stencil entry e for the atom in slot slotI at (xi, yi, zi): its slots start..end−1, the slot to skip (the atom itself
        // in its own image, else −1), its image and shift minus the atom's position; the scratch is given room for the entry's
        // slots and `extra` more entries
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private (int Start, int End, int Self, int Image, double Ox, double Oy, double Oz) Entry(ref Scratch sc, int e, int slotI, double xi, double yi, double zi, int extra)
        {
            int start = _cellStart[sc.StencilCell[e]], end = _cellStart[sc.StencilEnd[e]];
            if (sc.Count + (end - start) + extra > sc.Index.Length) sc.Grow(sc.Count + (end - start) + extra);
            return (start, end, sc.StencilZero[e] ? slotI : -1, sc.StencilImage[e], sc.StencilSx[e] - xi, sc.StencilSy[e] - yi, sc.StencilSz[e] - zi);
        }

        /// <summary>
        /// Whether <see cref="Query"/> tests four slots at a time where the hardware has 256-bit vectors (AVX2): the same
        /// sums, comparisons and square roots per slot as the scalar loop, the same entries in the same order (the same bits);
        /// only the speed differs. Tests turn it off to compare the two.
        /// </summary>
        internal static bool VectorQuery = true;

        // the scalar loop over slots start..end−1 of one stencil entry: appends from cnt on (room made by the caller), returns the
        // new count; without sqrt the squared distances are stored in D (the vector query takes their roots at the end)
        private int ScalarRun(int start, int end, int self, int image, double ox, double oy, double oz, double r2, ref Scratch sc, int cnt, bool sqrt)
        {
            var px = _px; var py = _py; var pz = _pz; var slotAtom = _slotAtom;
            var index = sc.Index; var images = sc.Image; var dxa = sc.Dx; var dya = sc.Dy; var dza = sc.Dz; var da = sc.D;
            for (int slot = start; slot < end; slot++)
            {
                double ddx = px[slot] + ox, ddy = py[slot] + oy, ddz = pz[slot] + oz;
                double dd = ddx * ddx + ddy * ddy + ddz * ddz;
                if (dd >= r2 || slot == self) continue;
                index[cnt] = slotAtom[slot]; images[cnt] = image; dxa[cnt] = ddx; dya[cnt] = ddy; dza[cnt] = ddz; da[cnt] = sqrt ? Math.Sqrt(dd) : dd;
                cnt++;
            }
            return cnt;
        }

        // Query's loop four slots at a time: each slot's displacement and squared distance as the scalar loop computes them
        // (the same operations per lane), the slots kept (closer than r, not the atom itself, inside the entry) packed to the
        // front of each vector by a permutation from a table (no branch per slot: whether a slot is kept is unpredictable)
        // and stored at the count, which then moves on by their number; the lanes stored past it are overwritten next (the
        // scratch has room for four more). The distances are the square roots of the kept squared distances, taken at the end
        // four at a time (the same correctly rounded root as Math.Sqrt). The last slots of the grid, where four would reach
        // past its arrays, take the scalar loop.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void QueryVector(int slotI, double xi, double yi, double zi, double r2, ref Scratch sc)
        {
            int n = _px.Length, first = sc.Count;
            var vr2 = Vector256.Create(r2);
            ref int pack8 = ref MemoryMarshal.GetArrayDataReference(Pack8);
            ref int pack4 = ref MemoryMarshal.GetArrayDataReference(Pack4);
            ref double px = ref MemoryMarshal.GetArrayDataReference(_px);
            ref double py = ref MemoryMarshal.GetArrayDataReference(_py);
            ref double pz = ref MemoryMarshal.GetArrayDataReference(_pz);
            ref int slotAtom = ref MemoryMarshal.GetArrayDataReference(_slotAtom);
            for (int e = 0; e < sc.StencilCount; e++)
            {
                var (start, end, self, image, ox, oy, oz) = Entry(ref sc, e, slotI, xi, yi, zi, extra: 4);
                int cnt = sc.Count;
                int vend = Math.Min(end, n - 3);   // slots from which four can be read
                var vox = Vector256.Create(ox); var voy = Vector256.Create(oy); var voz = Vector256.Create(oz);
                var vimage = Vector128.Create(image);
                ref int index = ref MemoryMarshal.GetArrayDataReference(sc.Index);
                ref int images = ref MemoryMarshal.GetArrayDataReference(sc.Image);
                ref double dxa = ref MemoryMarshal.GetArrayDataReference(sc.Dx);
                ref double dya = ref MemoryMarshal.GetArrayDataReference(sc.Dy);
                ref double dza = ref MemoryMarshal.GetArrayDataReference(sc.Dz);
                ref double da = ref MemoryMarshal.GetArrayDataReference(sc.D);
                int slot = start;
                for (; slot < vend; slot += 4)
                {
                    var x = Vector256.LoadUnsafe(ref px, (nuint)slot) + vox;
                    var y = Vector256.LoadUnsafe(ref py, (nuint)slot) + voy;
                    var z = Vector256.LoadUnsafe(ref pz, (nuint)slot) + voz;
                    var dd = x * x + y * y + z * z;
                    uint keep = Avx.CompareLessThan(dd, vr2).ExtractMostSignificantBits();
                    int rest = end - slot;
                    if (rest < 4) keep &= (1u << rest) - 1;
                    uint selfAt = (uint)(self - slot);
                    if (selfAt < 4) keep &= ~(1u << (int)selfAt);
                    var ctl = Vector256.LoadUnsafe(ref pack8, keep * 8);
                    Avx2.PermuteVar8x32(x.AsSingle(), ctl).AsDouble().StoreUnsafe(ref dxa, (nuint)cnt);
                    Avx2.PermuteVar8x32(y.AsSingle(), ctl).AsDouble().StoreUnsafe(ref dya, (nuint)cnt);
                    Avx2.PermuteVar8x32(z.AsSingle(), ctl).AsDouble().StoreUnsafe(ref dza, (nuint)cnt);
                    Avx2.PermuteVar8x32(dd.AsSingle(), ctl).AsDouble().StoreUnsafe(ref da, (nuint)cnt);
                    var atoms = Vector128.LoadUnsafe(ref slotAtom, (nuint)slot);
                    Avx.PermuteVar(atoms.AsSingle(), Vector128.LoadUnsafe(ref pack4, keep * 4)).AsInt32().StoreUnsafe(ref index, (nuint)cnt);
                    vimage.StoreUnsafe(ref images, (nuint)cnt);
                    cnt += System.Numerics.BitOperations.PopCount(keep);
                }
                if (slot < end) cnt = ScalarRun(slot, end, self, image, ox, oy, oz, r2, ref sc, cnt, sqrt: false);
                sc.Count = cnt;
            }
            // the distances: roots of the squared ones stored above
            var d = sc.D;
            int k = first, total = sc.Count;
            ref double dr = ref MemoryMarshal.GetArrayDataReference(d);
            for (; k + 4 <= total; k += 4) Avx.Sqrt(Vector256.LoadUnsafe(ref dr, (nuint)k)).StoreUnsafe(ref dr, (nuint)k);
            for (; k < total; k++) d[k] = Math.Sqrt(d[k]);
        }

        // for each 4-bit mask of kept lanes: the permutation (of eight 32-bit halves) that moves the kept doubles to the front, in
        // order, and (Pack4) the one of four 32-bit lanes that does the same to ints
        private static readonly int[] Pack8 = MakePack(8);
        private static readonly int[] Pack4 = MakePack(4);

        private static int[] MakePack(int width)
        {
            var t = new int[16 * width];
            for (int m = 0; m < 16; m++)
            {
                int k = 0;
                for (int s = 0; s < 4; s++)
                {
                    if ((m & (1 << s)) == 0) continue;
                    if (width == 8) { t[m * 8 + 2 * k] = 2 * s; t[m * 8 + 2 * k + 1] = 2 * s + 1; }
                    else t[m * 4 + k] = s;
                    k++;
                }
            }
            return t;
        }

        /// <summary>Image shifts (each in −511..511) packed into one int, 10 bits per axis.</summary>
        public static int PackImage(int s0, int s1, int s2)
        {
            if (Math.Abs(s0) > 511 || Math.Abs(s1) > 511 || Math.Abs(s2) > 511)
                throw new ArgumentOutOfRangeException(nameof(s0), "a neighbour query reaches more than 511 periodic images along an axis: the cutoff is far larger than the box");
            return ((s0 + 512) << 20) | ((s1 + 512) << 10) | (s2 + 512);
        }

        /// <summary>
        /// r_j − r_i and |r_j − r_i| of atom i's neighbours <paramref name="js"/> (atoms) in the periodic images
        /// <paramref name="images"/> (<see cref="PackImage"/>), computed with the same operations as <see cref="Query"/>, so the
        /// values are bit for bit those a query returned.
        /// </summary>
        public void Displacements(int i, ReadOnlySpan<int> js, ReadOnlySpan<int> images, Span<double> dx, Span<double> dy, Span<double> dz, Span<double> d)
        {
            int si = _atomSlot[i];
            double xi = _px[si], yi = _py[si], zi = _pz[si];
            int last = int.MinValue;
            double ox = 0, oy = 0, oz = 0;
            for (int k = 0; k < js.Length; k++)
            {
                int image = images[k];
                if (image != last)
                {
                    var sh = _box.ShiftVector((image >> 20) - 512, ((image >> 10) & 1023) - 512, (image & 1023) - 512);
                    ox = sh.X - xi; oy = sh.Y - yi; oz = sh.Z - zi;
                    last = image;
                }
                int sj = _atomSlot[js[k]];
                double ex = _px[sj] + ox, ey = _py[sj] + oy, ez = _pz[sj] + oz;
                dx[k] = ex; dy[k] = ey; dz[k] = ez;
                d[k] = Math.Sqrt(ex * ex + ey * ey + ez * ez);
            }
        }

        /// <summary>The bins (with their periodic shift vectors) that a query of radius r from bin <paramref name="bin"/> visits.</summary>
        private void BuildStencil(int bin, double r, ref Scratch sc)
        {
            int b2 = bin % _n[2], b1 = bin / _n[2] % _n[1], b0 = bin / (_n[1] * _n[2]);
            var d = _box.PlaneDistances;
            int m0 = Reach(0, r, d.X), m1 = Reach(1, r, d.Y), m2 = Reach(2, r, d.Z);
            int interior = (b0 - m0 >= 0 && b0 + m0 < _n[0] ? 1 : 0) | (b1 - m1 >= 0 && b1 + m1 < _n[1] ? 2 : 0) | (b2 - m2 >= 0 && b2 + m2 < _n[2] ? 4 : 0);
            if (sc.StencilBin >= 0 && sc.StencilRadius == r)
            {
                int ob = sc.StencilBin, both = interior & sc.StencilInteriorAxes;
                if ((ob / (_n[1] * _n[2]) == b0 || (both & 1) != 0) && (ob / _n[2] % _n[1] == b1 || (both & 2) != 0) && (ob % _n[2] == b2 || (both & 4) != 0))
                {
                    // same entries in the same order and with the same shifts (along each axis the same bin, or no wrap in
                    // either), every cell index moved by the bin difference
                    int delta = bin - ob;
                    var cells = sc.StencilCell; var ends = sc.StencilEnd;
                    for (int e = 0; e < sc.StencilCount; e++) { cells[e] += delta; ends[e] += delta; }
                    sc.StencilBin = bin; sc.StencilInteriorAxes = interior;
                    return;
                }
            }
            // the cells and image shifts along each axis once, then their combinations (the shift vector is computed once per
            // distinct image; it is a pure function of the image, so the values do not change)
            Span<int> cell2 = stackalloc int[2 * m2 + 1], shift2 = stackalloc int[2 * m2 + 1];
            int k2 = 0;
            for (int o2 = -m2; o2 <= m2; o2++)
                if (Resolve(2, b2 + o2, out int c2, out int s2)) { cell2[k2] = c2; shift2[k2] = s2; k2++; }
            sc.StencilCount = 0;
            int l0 = int.MinValue, l1 = 0, l2 = 0;
            Vec3 sh = default;
            for (int o0 = -m0; o0 <= m0; o0++)
            {
                if (!Resolve(0, b0 + o0, out int c0, out int s0)) continue;
                for (int o1 = -m1; o1 <= m1; o1++)
                {
                    if (!Resolve(1, b1 + o1, out int c1, out int s1)) continue;
                    int row = (c0 * _n[1] + c1) * _n[2];
                    for (int k = 0; k < k2; k++)
                    {
                        int s2 = shift2[k];
                        if (s0 != l0 || s1 != l1 || s2 != l2) { sh = _box.ShiftVector(s0, s1, s2); l0 = s0; l1 = s1; l2 = s2; }
                        sc.AddStencil(row + cell2[k], PackImage(s0, s1, s2), sh.X, sh.Y, sh.Z, (s0 | s1 | s2) == 0);
                    }
                }
            }
            sc.StencilBin = bin; sc.StencilRadius = r; sc.StencilInteriorAxes = interior;
        }

        /// <summary>Bins to visit on each side along axis a for radius r; along a non-periodic axis never more than the bins that exist.</summary>
        private int Reach(int a, double r, double planeDistance)
        {
            double m = Math.Ceiling(r / (planeDistance * _binWidth[a]));
            double cap = _periodic[a] ? int.MaxValue / 4 : _n[a];
            return (int)Math.Min(m, cap);
        }

        private bool Resolve(int a, int b, out int cell, out int shift)
        {
            int n = _n[a];
            if (!_periodic[a])
            {
                shift = 0; cell = b;
                return b >= 0 && b < n;
            }
            shift = b >= 0 ? b / n : -((-b + n - 1) / n);
            cell = b - shift * n;
            return true;
        }
    }
}
