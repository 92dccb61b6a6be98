using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

public sealed partial class Steinhardt
{
    /// <summary>
    /// A producer of the rows of <see cref="ComputeInto"/>, bit for bit, in blocks of <paramref name="blockRows"/> atoms taken
    /// along <paramref name="order"/> (a writer's row order), without a side table of every atom: each atom's q_lm is computed once,
    /// in the first block whose rows need it (its own, or a neighbour's, for q̄), and kept until the last such block is done, so
    /// that only the atoms "live" across the current block are held (<see cref="RowStream.MaxLive"/>).
    /// </summary>
    /// With <paramref name="distances"/>, each atom's distance statistics (<see cref="DistanceStatistics"/>, the same values) are
    /// taken from the pair distances read for its q_lm, for <see cref="RowStream.DistanceRows"/> (no second pass over the pairs).
    internal RowStream StreamRows(Frame frame, NeighborList neighbors, int[] order, int blockRows, DistanceStatistics? distances = null)
    {
        int n = DescriptorArguments.Check(frame, neighbors);
        if (Options.Weighted && neighbors.Weight is null) throw new ArgumentException("Weighted Steinhardt needs a neighbour list with weights (e.g. Voronoi face areas)");
        if (order.Length != n) throw new ArgumentException($"the atom order has {order.Length} entries, the frame {n} atoms", nameof(order));
        if (blockRows < 1) throw new ArgumentOutOfRangeException(nameof(blockRows), "a block holds at least one row");
        return new RowStream(this, frame, neighbors, order, blockRows, distances);
    }

    /// <summary>
    /// The rows of <see cref="ComputeInto"/> block by block (<see cref="StreamRows"/>). <see cref="Rows"/> with the next block of
    /// the order (or the first again) computes the q_lm first needed there and frees those needed last in it; any other set of rows
    /// is computed on its own (its atoms' and their neighbours' q_lm, then dropped). One call at a time.
    /// </summary>
    internal sealed class RowStream
    {
        private readonly Steinhardt _s;
        private readonly NeighborList _nb;
        private readonly int[] _order;
        private readonly int _blockRows, _blocks;
        private readonly Lock _gate = new();
        // atoms whose q_lm is first needed by block b: _firstAtoms[_firstStart[b] .. _firstStart[b + 1]), index order; likewise last
        private readonly int[] _firstStart, _firstAtoms, _lastStart, _lastAtoms;
        // atom → its slot in _q (−1: not held); the free slots in a ring, taken in the order they were freed (slots then follow the
        // order of the atoms, so that neighbours' q_lm lie near each other in memory as the atoms do)
        private readonly int[] _slot, _free;
        private int _freeHead, _freeCount, _next;
        private double[]? _q;
        // distance statistics (when asked for): per slot, and per row of the last rows written (atoms _lastRows[.. _lastCount])
        private readonly Frame _frame;
        private readonly DistanceStatistics? _distances;
        private readonly int _distWidth;
        private double[] _dist = [], _rowDist = [];
        private int[] _lastRows = [];
        private int _lastCount = -1;
        private int[] _visit = [], _keys = [];
        private bool[]? _ok;

        internal RowStream(Steinhardt s, Frame frame, NeighborList neighbors, int[] order, int blockRows, DistanceStatistics? distances)
        {
            _s = s; _frame = frame; _nb = neighbors; _order = order; _blockRows = blockRows;
            _distances = distances; _distWidth = distances?.FeatureCount ?? 0;
            int n = order.Length;
            _blocks = (n + blockRows - 1) / blockRows;
            var first = new int[n];
            for (int t = 0; t < n; t++)
            {
                int i = order[t];
                if ((uint)i >= (uint)n) throw new ArgumentException("the atom order lists an atom out of range", nameof(order));
                first[i] = t / blockRows + 1;   // 0 = not seen yet
            }
            if (Array.IndexOf(first, 0) >= 0) throw new ArgumentException("the atom order repeats an atom", nameof(order));
            for (int i = 0; i < n; i++) first[i]--;
            var last = (int[])first.Clone();
            if (s.Options.Average)
            {
                // q̄ of atom i reads the q_lm of i and of its neighbours: each neighbour is needed from the first to the last block
                // of the atoms that list it (a pass over the pairs in index order; lists need not be symmetric)
                SpreadToNeighbors(neighbors, first, last, s.Options.Threads);
            }
            (_firstStart, _firstAtoms) = Buckets(first, _blocks);
            (_lastStart, _lastAtoms) = Buckets(last, _blocks);
            // the most atoms held at once: those first needed by block b or before and last needed by b or after
            int live = 0, max = 0;
            for (int b = 0; b < _blocks; b++)
            {
                live += _firstStart[b + 1] - _firstStart[b];
                max = Math.Max(max, live);
                live -= _lastStart[b + 1] - _lastStart[b];
            }
            MaxLive = max;
            _slot = new int[n];
            _free = new int[max];
            Reset();
        }

        /// <summary>Minimum number of pairs per thread for which <see cref="SpreadToNeighbors"/> splits its pass.</summary>
        private const long SpreadPairsPerThread = 1 << 18;

        /// <summary>
        /// For every pair (i, j) of the list: first[j] = min(first[j], b_i) and last[j] = max(last[j], b_i), with b_i the block of
        /// atom i (first[i] = last[i] on entry). With several threads the atoms are split into ranges, each range spreading into
        /// its own copies of the two arrays, which are then merged element by element: minima and maxima do not depend on the
        /// order they are taken in, so the result is the serial pass's. A range per <paramref name="pairsPerThread"/> pairs at most.
        /// </summary>
        internal static void SpreadToNeighbors(NeighborList neighbors, int[] first, int[] last, int threads, long pairsPerThread = SpreadPairsPerThread)
        {
            int n = first.Length;
            var off = neighbors.Offsets; var idx = neighbors.Index;
            long pairs = off[n];
            int parts = (int)Math.Clamp(pairs / Math.Max(1, pairsPerThread), 1, threads <= 0 ? Environment.ProcessorCount : threads);
            var blockOf = (int[])first.Clone();
            if (parts == 1) { Spread(0, n, first, last); return; }
            var firsts = new int[parts][]; var lasts = new int[parts][];
            var po = new ParallelOptions { MaxDegreeOfParallelism = parts };
            Parallel.For(0, parts, po, r =>
            {
                // range 0 spreads into the arrays themselves, the others into copies of the entry values
                int[] f = r == 0 ? first : (int[])blockOf.Clone(), l = r == 0 ? last : (int[])blockOf.Clone();
                firsts[r] = f; lasts[r] = l;
                Spread((int)((long)n * r / parts), (int)((long)n * (r + 1) / parts), f, l);
            });
            ParallelChunks.Run(n, parts, (lo, hi) =>
            {
                for (int r = 1; r < parts; r++)
                {
                    int[] f = firsts[r], l = lasts[r];
                    for (int j = lo; j < hi; j++)
                    {
                        if (f[j] < first[j]) first[j] = f[j];
                        if (l[j] > last[j]) last[j] = l[j];
                    }
                }
            });

            void Spread(int lo, int hi, int[] f, int[] l)
            {
                for (int i = lo; i < hi; i++)
                {
                    int b = blockOf[i];
                    for (int p = off[i], p1 = off[i + 1]; p < p1; p++)
                    {
                        int j = idx[p];
                        if (b < f[j]) f[j] = b;
                        if (b > l[j]) l[j] = b;
                    }
                }
            }
        }

        /// <summary>The most atoms whose q_lm are held at once when the blocks are taken in order (each <see cref="ScratchWidth"/> doubles).</summary>
        internal int MaxLive { get; }

        // the atoms of each block value b (0 .. blocks−1) in index order: atoms[start[b] .. start[b + 1])
        private static (int[] Start, int[] Atoms) Buckets(int[] blockOf, int blocks)
        {
            var start = new int[blocks + 1];
            foreach (int b in blockOf) start[b + 1]++;
            for (int b = 0; b < blocks; b++) start[b + 1] += start[b];
            var fill = start[..^1];
            var atoms = new int[blockOf.Length];
            for (int i = 0; i < blockOf.Length; i++) atoms[fill[blockOf[i]]++] = i;
            return (start, atoms);
        }

        private void Reset()
        {
            Array.Fill(_slot, -1);
            for (int k = 0; k < _free.Length; k++) _free[k] = k;
            _freeHead = 0;
            _freeCount = _free.Length;
            _next = 0;
        }

        /// <summary>
        /// Writes the columns of atom rows.Atom(k) to dest[k·stride + offset .. + <see cref="FeatureCount"/>) for every k (values of
        /// <see cref="ComputeInto"/>).
        /// </summary>
        internal void Rows(AtomRows rows, double[] dest, int stride, int offset)
        {
            RowLayout.Check(dest, rows.Count, stride, offset, _s.FeatureCount);
            lock (_gate)
            {
                int b = IsBlock(rows, _next) ? _next : IsBlock(rows, 0) ? 0 : -1;
                if (b < 0) { Alone(rows, dest, stride, offset); return; }
                if (b == 0 && _next != 0) Reset();
                _next = -1;   // until this block is done: after a failure the stream restarts at the first block (or computes rows alone)
                int p2 = 2 * _s._packed;
                _q ??= Numerics.HugePages.NewDoubles(checked(MaxLive * p2));
                _ok ??= new bool[MaxLive];
                if (_distWidth > 0 && _dist.Length == 0) _dist = new double[MaxLive * _distWidth];
                int from = _firstStart[b], count = _firstStart[b + 1] - from;
                foreach (int j in _firstAtoms.AsSpan(from, count))
                {
                    _slot[j] = _free[_freeHead];
                    _freeHead = _freeHead + 1 == _free.Length ? 0 : _freeHead + 1;
                    _freeCount--;
                }
                _s.QlmPass(_nb, _firstAtoms, from, count, _slot, _q, _ok, _dist, _distWidth, _distances?.Options.IncludeSum ?? false);
                // the rows visited in atom index order (the held q_lm follow it: neighbours' rows lie near each other in memory)
                if (_visit.Length < rows.Count) { _visit = new int[rows.Count]; _keys = new int[rows.Count]; }
                for (int k = 0; k < rows.Count; k++) { _visit[k] = k; _keys[k] = rows.Atom(k); }
                Array.Sort(_keys, _visit, 0, rows.Count);
                _s.RowPass(_nb, rows, _visit, _slot, _q, _ok, dest, stride, offset);
                KeepDistances(rows, _slot, _dist);
                for (int t = _lastStart[b]; t < _lastStart[b + 1]; t++)
                {
                    int j = _lastAtoms[t];
                    int tail = _freeHead + _freeCount;
                    _free[tail >= _free.Length ? tail - _free.Length : tail] = _slot[j];
                    _freeCount++;
                    _slot[j] = -1;
                }
                _next = b + 1;
            }
        }

        // rows are block b of the order
        private bool IsBlock(AtomRows rows, int b)
        {
            if (b < 0 || b >= _blocks) return false;
            int start = b * _blockRows, count = Math.Min(_blockRows, _order.Length - start);
            if (rows.Count != count) return false;
            if (rows.Atoms is not null) return rows.Atoms.AsSpan(0, count).SequenceEqual(_order.AsSpan(start, count));
            for (int k = 0; k < count; k++) if (_order[start + k] != k) return false;
            return true;
        }

        // any rows: the q_lm of their atoms and of their neighbours, computed for this call only
        private void Alone(AtomRows rows, double[] dest, int stride, int offset)
        {
            int n = _order.Length, m = 0;
            var slot = new int[n];
            Array.Fill(slot, -1);
            var held = new List<int>();
            void Hold(int j) { if (slot[j] < 0) { slot[j] = m++; held.Add(j); } }
            var off = _nb.Offsets; var idx = _nb.Index;
            for (int k = 0; k < rows.Count; k++)
            {
                int i = rows.Atom(k);
                Hold(i);
                if (_s.Options.Average) for (int p = off[i]; p < off[i + 1]; p++) Hold(idx[p]);
            }
            var q = Numerics.HugePages.NewDoubles(checked(m * 2 * _s._packed));
            var ok = new bool[m];
            var dist = new double[m * _distWidth];
            _s.QlmPass(_nb, held.ToArray(), 0, m, slot, q, ok, dist, _distWidth, _distances?.Options.IncludeSum ?? false);
            _s.RowPass(_nb, rows, null, slot, q, ok, dest, stride, offset);
            KeepDistances(rows, slot, dist);
        }

        // the distance statistics of the rows just written, row by row, for DistanceRows
        private void KeepDistances(AtomRows rows, int[] slot, double[] dist)
        {
            int w = _distWidth;
            if (w == 0) return;
            if (_lastRows.Length < rows.Count) { _lastRows = new int[rows.Count]; _rowDist = new double[rows.Count * w]; }
            for (int k = 0; k < rows.Count; k++)
            {
                int i = rows.Atom(k);
                _lastRows[k] = i;
                dist.AsSpan(slot[i] * w, w).CopyTo(_rowDist.AsSpan(k * w, w));
            }
            _lastCount = rows.Count;
        }

        /// <summary>
        /// Writes the distance statistics of atom rows.Atom(k) (the values of <see cref="DistanceStatistics.ComputeRows"/>) to
        /// dest[k·stride + offset ..] for every k: copied when these are the rows of the last <see cref="Rows"/> call, else computed.
        /// </summary>
        internal void DistanceRows(AtomRows rows, double[] dest, int stride, int offset)
        {
            var ds = _distances ?? throw new InvalidOperationException("the row stream was made without distance statistics");
            int w = _distWidth;
            RowLayout.Check(dest, rows.Count, stride, offset, w);
            lock (_gate)
            {
                bool same = rows.Count == _lastCount;
                for (int k = 0; k < rows.Count && same; k++) same = _lastRows[k] == rows.Atom(k);
                if (!same) { ds.ComputeRows(_frame, _nb, rows, dest, stride, offset); return; }
                for (int k = 0; k < rows.Count; k++) _rowDist.AsSpan(k * w, w).CopyTo(dest.AsSpan(RowLayout.Start(k, stride, offset), w));
            }
        }
    }

    /// <summary>
    /// q_lm of atoms[from + k] for k &lt; count into q[slot(atom)·2Σ(l+1) ..], and whether it has neighbours (weight) into
    /// ok[slot(atom)].
    /// </summary>
    /// With <paramref name="distWidth"/> &gt; 0, also the atom's distance statistics (<see cref="DistanceStatistics.Row"/>) into
    /// dist[slot(atom)·distWidth ..].
    private void QlmPass(NeighborList neighbors, int[] atoms, int from, int count, int[] slot, double[] q, bool[] ok, double[] dist, int distWidth, bool distSum)
    {
        int p2 = 2 * _packed;
        RunChunks(count, () => new Scratch(_lMax, _packed), (lo, hi, s) =>
        {
            for (int k = from + lo; k < from + hi; k++)
            {
                int j = atoms[k], at = slot[j];
                ok[at] = Accumulate(neighbors, j, s, out var d);
                if (distWidth > 0) DistanceStatistics.Row(d, dist.AsSpan(at * distWidth, distWidth), distSum);
                var qk = q.AsSpan(at * p2, p2);
                s.Re.AsSpan(0, _packed).CopyTo(qk);
                s.Im.AsSpan(0, _packed).CopyTo(qk[_packed..]);
            }
        });
    }

    /// <summary>
    /// Row k of dest (at k·stride + offset) ← the columns of atom rows.Atom(k) (rows taken in the order k = visit[0], visit[1], …
    /// when given), from the q_lm of every atom involved at
    /// q[slot(atom)·2Σ(l+1) ..] (<see cref="QlmPass"/>): q_l and w_l (ŵ_l) as <see cref="FirstPass"/>, q̄_l and w̄_l as
    /// <see cref="SecondPass"/> — the same operations on the same values.
    /// </summary>
    private void RowPass(NeighborList neighbors, AtomRows rows, int[]? visit, int[] slot, double[] q, bool[] ok, double[] dest, int stride, int offset)
    {
        int f = FeatureCount, nl = _l.Length, p2 = 2 * _packed;
        bool avg = Options.Average;
        int wCol = Options.Wl ? nl : -1, qbarCol = Options.Wl ? 2 * nl : nl, nanTo = avg ? qbarCol : f;
        int wbarCol = Options.Wl ? qbarCol + nl : -1;
        bool lanes = Vectorized;
        var off = neighbors.Offsets; var idx = neighbors.Index;
        RunChunks(rows.Count, () => new Scratch(_lMax, _packed, _l.Length), (lo, hi, s) =>
        {
            for (int v = lo; v < hi; v++)
            {
                int k = visit is null ? v : visit[v];
                int at = slot[rows.Atom(k)];
                int start = RowLayout.Start(k, stride, offset);
                var re = q.AsSpan(at * p2, _packed); var im = q.AsSpan(at * p2 + _packed, _packed);
                if (lanes)
                {
                    Stage(s, start, ok[at], re, im);
                    if (s.GCount == 4) Flush(s, dest, f, 0, wCol, 0, nanTo);
                    continue;
                }
                var row = dest.AsSpan(start, f);
                if (!ok[at]) { row[..nanTo].Fill(double.NaN); continue; }
                Invariants(re, im, row, 0, wCol, s);
            }
            if (s.GCount > 0) Flush(s, dest, f, 0, wCol, 0, nanTo);
            if (!avg) return;
            for (int v = lo; v < hi; v++)
            {
                int k = visit is null ? v : visit[v];
                int i = rows.Atom(k);
                int start = RowLayout.Start(k, stride, offset);
                int p0 = off[i], p1 = off[i + 1];
                if (p1 == p0) { dest.AsSpan(start + qbarCol, f - qbarCol).Fill(double.NaN); continue; }
                var acc = s.Acc.AsSpan(0, p2);
                SumRows(q, slot[i] * p2, idx.AsSpan(p0, p1 - p0), slot, p2, 0, acc);
                System.Numerics.Tensors.TensorPrimitives.Multiply(acc, 1.0 / (p1 - p0 + 1), acc);
                if (lanes)
                {
                    Stage(s, start, true, acc[.._packed], acc[_packed..]);
                    if (s.GCount == 4) Flush(s, dest, f, qbarCol, wbarCol, qbarCol, f);
                    continue;
                }
                Invariants(acc[.._packed], acc[_packed..], dest.AsSpan(start, f), qbarCol, wbarCol, s);
            }
            if (s.GCount > 0) Flush(s, dest, f, qbarCol, wbarCol, qbarCol, f);
        });
    }
}
