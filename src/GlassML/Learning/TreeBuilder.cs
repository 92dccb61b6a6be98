using System.Runtime.Intrinsics;

namespace GlassML.Learning;

/// <summary>
/// Grows one regression tree on binned data from gradient pairs (g, h), following XGBoost's hist updater:
/// gain of a split = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (G replaced by the soft-threshold T_α(G) when α &gt; 0;
/// a side with H &lt; min_child_weight contributes 0 and makes the candidate invalid), leaf weight −T_α(G)/(H+λ).
/// Candidates are enumerated per feature over bin boundaries, forward (missing right) and, when the node has
/// missing values for that feature, backward (missing left); ties keep the lower feature index / earlier candidate.
/// A node is split when its best gain &gt; 1e-6, ≥ γ and both children have H &gt; 0, within max_depth / max_leaves.
/// Histograms are built in parallel over features (each feature's bins written by one thread in row order), and the
/// larger child's histogram is parent − smaller child: the result does not depend on the thread count.
/// Sparse mode (squared error only, for tables whose columns mostly hold one value, e.g. ULE fractions that are mostly 0):
/// per feature the most frequent bin is the "default" bin; a node's histogram adds each of its rows' gradient pairs to
/// the row's non-default bins only (a row-wise sparse list), and the default bin is the node's (G, H) minus the other
/// bins of the feature. H is a count of rows (h = 1), so it stays exact and empty bins stay exactly 0; G differs from the
/// dense sum by rounding only. Still independent of the thread count (one node's histogram is summed by one worker).
/// </summary>
internal sealed unsafe class TreeBuilder
{
    private const double RtEps = 1e-6;
    private readonly HistogramBinning bins;
    private readonly GradientBoostedTreesParameters p;
    private readonly WorkerTeam team;
    // two buffers of row indices and of their gradient pairs: a node's rows sit in buffer Node.Buf at [Begin, Begin + Count),
    // with ghBuf[b][2i], ghBuf[b][2i + 1] the gradient pair of rowBuf[b][i]; a split moves them to the other buffer
    private readonly int[][] rowBuf;
    private readonly double[][] ghBuf;
    private readonly Stack<double[]> pool = new();
    // sparse mode: per row r the histogram slots of its non-default bins, slots[rowStart[r] .. rowStart[r+1]) (feature order)
    private readonly int[]? rowStart, slots, defaultBin;

    private sealed class Node
    {
        public int Id, Depth, Begin, Count, Buf;
        public double G, H;
        public double[]? Hist;
        public int SplitFeature = -1, SplitBin;
        public bool SplitDefaultLeft;
        public double SplitGain, GL, HL, GR, HR;
    }

    public TreeBuilder(HistogramBinning bins, GradientBoostedTreesParameters p, WorkerTeam team, bool sparse = false)
    {
        this.bins = bins; this.p = p; this.team = team;
        rowBuf = [new int[bins.Rows], new int[bins.Rows]];
        ghBuf = [new double[2 * (long)bins.Rows], new double[2 * (long)bins.Rows]];
        if (sparse)
        {
            if (p.Objective != GbdtObjective.SquaredError) throw new ArgumentException("sparse histograms need the squared-error objective (h = 1)");
            (rowStart, slots, defaultBin) = SparseRows(bins);
        }
    }

    /// <summary>The most frequent bin of every feature (ties: the lowest) and each row's other bins as histogram slots.</summary>
    private static (int[] RowStart, int[] Slots, int[] Default) SparseRows(HistogramBinning bins)
    {
        int n = bins.Rows, nf = bins.Features;
        var def = new int[nf];
        var perRow = new int[n + 1];
        var count = new int[257];
        var codes = bins.Codes;
        for (int f = 0; f < nf; f++)
        {
            Array.Clear(count);
            var col = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref codes[(long)f * n], n);
            foreach (byte c in col) count[c]++;
            int best = 0;
            for (int c = 1; c <= bins.BinCount[f]; c++) if (count[c] > count[best]) best = c;
            def[f] = best;
            for (int r = 0; r < n; r++) if (col[r] != best) perRow[r + 1]++;
        }
        for (int r = 0; r < n; r++) perRow[r + 1] += perRow[r];
        var slots = new int[perRow[n]];
        var fill = perRow[..n];
        for (int f = 0; f < nf; f++)
        {
            var col = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref codes[(long)f * n], n);
            int d = def[f], off = bins.Offset[f];
            for (int r = 0; r < n; r++) if (col[r] != d) slots[fill[r]++] = off + col[r];
        }
        return (perRow, slots, def);
    }

    private double[] Rent()
    {
        if (pool.Count > 0) return pool.Pop(); // no clearing: BuildFeaturePair overwrites the active features' slots
        return new double[2 * bins.TotalSlots];
    }

    private void Return(Node n) { if (n.Hist is not null) { pool.Push(n.Hist); n.Hist = null; } }

    private double Threshold(double g) => g > p.Alpha ? g - p.Alpha : g < -p.Alpha ? g + p.Alpha : 0.0;

    private double CalcGain(double g, double h)
    {
        if (h < p.MinChildWeight || h <= 0) return 0.0;
        double t = p.Alpha == 0 ? g : Threshold(g);
        return t * t / (h + p.Lambda);
    }

    private double CalcWeight(double g, double h)
    {
        if (h < p.MinChildWeight || h <= 0) return 0.0;
        return -Threshold(g) / (h + p.Lambda);
    }

    /// <summary>
    /// Builds a tree from the rows listed (ascending) in <paramref name="rows"/> with gradient pairs gh[2r], gh[2r+1].
    /// <paramref name="leafOfRow"/>[r] receives the leaf node reached by each listed row.
    /// </summary>
    public DecisionTree Build(double[] gh, ReadOnlySpan<int> rows, bool[] featureMask, int[] leafOfRow)
    {
        int n = rows.Length;
        var rowIdx = rowBuf[0];
        rows.CopyTo(rowIdx);
        var L = new List<int>(); var R = new List<int>(); var F = new List<int>(); var T = new List<double>();
        var D = new List<bool>(); var V = new List<double>(); var C = new List<double>(); var GN = new List<double>();
        var all = new List<Node>();
        Node NewNode(int depth, int begin, int count, double g, double h)
        {
            var nd = new Node { Id = L.Count, Depth = depth, Begin = begin, Count = count, G = g, H = h };
            L.Add(-1); R.Add(-1); F.Add(-1); T.Add(0); D.Add(false);
            V.Add(p.LearningRate * CalcWeight(g, h)); C.Add(h); GN.Add(0);
            all.Add(nd);
            return nd;
        }

        double G0 = 0, H0 = 0;
        for (int i = 0; i < n; i++) { int r = rowIdx[i]; G0 += gh[2 * r]; H0 += gh[2 * r + 1]; }
        var root = NewNode(0, 0, n, G0, H0);
        int[] activeFeatures = Enumerable.Range(0, bins.Features).Where(f => featureMask[f]).ToArray();

        var queue = new List<Node>();
        if (CanGrow(root))
        {
            root.Hist = Rent();
            GatherRoot(gh, n);
            BuildHistograms([root], activeFeatures);
            Evaluate([root], activeFeatures);
            queue.Add(root);
        }
        int leaves = 1;
        while (queue.Count > 0)
        {
            List<Node> batch;
            if (p.GrowPolicy == GbdtGrowPolicy.LossGuide)
            {
                int best = 0;
                for (int i = 1; i < queue.Count; i++)
                    if (queue[i].SplitGain > queue[best].SplitGain || (queue[i].SplitGain == queue[best].SplitGain && queue[i].Id < queue[best].Id)) best = i;
                batch = [queue[best]];
                queue.RemoveAt(best);
            }
            else { batch = queue; queue = []; }

            var toBuild = new List<Node>();
            var derived = new List<(Node parent, Node built, Node other)>();
            var newNodes = new List<Node>();
            var splitting = new List<Node>();
            foreach (var nd in batch)
            {
                if (!IsValid(nd, leaves)) { Return(nd); continue; }
                splitting.Add(nd);
                leaves++;
            }
            var nLeft = PartitionAll(splitting);
            for (int k = 0; k < splitting.Count; k++)
            {
                var nd = splitting[k];
                int nl = nLeft[k];
                var l = NewNode(nd.Depth + 1, nd.Begin, nl, nd.GL, nd.HL);
                var r = NewNode(nd.Depth + 1, nd.Begin + nl, nd.Count - nl, nd.GR, nd.HR);
                l.Buf = r.Buf = 1 - nd.Buf;
                L[nd.Id] = l.Id; R[nd.Id] = r.Id; F[nd.Id] = nd.SplitFeature; D[nd.Id] = nd.SplitDefaultLeft;
                T[nd.Id] = bins.Bounds[nd.SplitFeature][nd.SplitBin]; GN[nd.Id] = nd.SplitGain;
                bool growL = CanGrow(l), growR = CanGrow(r);
                if (growL || growR)
                {
                    var (small, large) = l.Count <= r.Count ? (l, r) : (r, l);
                    small.Hist = Rent();
                    toBuild.Add(small);
                    derived.Add((nd, small, large));
                    if (CanGrow(small)) newNodes.Add(small);
                    if (CanGrow(large)) newNodes.Add(large);
                }
                else Return(nd);
            }
            if (toBuild.Count > 0)
            {
                BuildHistograms(toBuild, activeFeatures);
                // the larger children: parent − smaller child, element by element (in parallel over the nodes)
                var subtract = derived.Where(d => CanGrow(d.other)).ToArray();
                if (subtract.Length > 1 && team.Threads > 1)
                    team.For(subtract.Length, k => Subtract(subtract[k].parent.Hist!, subtract[k].built.Hist!));
                else
                    foreach (var d in subtract) Subtract(d.parent.Hist!, d.built.Hist!);
                foreach (var (parent, built, other) in derived)
                {
                    if (CanGrow(other))
                    {
                        other.Hist = parent.Hist; // reuse the parent's buffer
                        parent.Hist = null;
                    }
                    else Return(parent);
                    if (!CanGrow(built)) Return(built);
                }
                // evaluate in node-id order (deterministic)
                newNodes.Sort((a, b) => a.Id.CompareTo(b.Id));
                Evaluate(newNodes, activeFeatures);
                queue.AddRange(newNodes);
                queue.Sort((a, b) => a.Id.CompareTo(b.Id));
            }
        }
        foreach (var nd in all) Return(nd);

        // leaves of rows
        var leafNodes = all.Where(nd => L[nd.Id] < 0).ToArray();
        void MarkRows(int k)
        {
            var nd = leafNodes[k];
            var ri = rowBuf[nd.Buf];
            for (int i = nd.Begin; i < nd.Begin + nd.Count; i++) leafOfRow[ri[i]] = nd.Id;
        }
        if (n >= 65_536 && team.Threads > 1) team.For(leafNodes.Length, MarkRows);
        else for (int k = 0; k < leafNodes.Length; k++) MarkRows(k);
        return new DecisionTree([.. L], [.. R], [.. F], [.. T], [.. D], [.. V], [.. C], [.. GN]);
    }

    /// <summary>a[i] −= b[i] for all i (lane-wise, the same IEEE subtractions).</summary>
    private static void Subtract(double[] a, double[] b)
    {
        int i = 0, n = a.Length;
        fixed (double* pa = a)
        fixed (double* pb = b)
        {
            for (; i + 4 <= n; i += 4) Vector256.Store(Vector256.Load(pa + i) - Vector256.Load(pb + i), pa + i);
            for (; i < n; i++) pa[i] -= pb[i];
        }
    }

    private bool CanGrow(Node nd) => (p.MaxDepth <= 0 || nd.Depth < p.MaxDepth) && nd.Count > 1;

    private bool IsValid(Node nd, int leaves)
    {
        if (nd.SplitFeature < 0) return false;
        if (nd.SplitGain <= RtEps) return false;
        if (nd.HL == 0 || nd.HR == 0) return false;
        if (nd.SplitGain < p.Gamma) return false;
        if (p.MaxDepth > 0 && nd.Depth >= p.MaxDepth) return false;
        if (p.MaxLeaves > 0 && leaves >= p.MaxLeaves) return false;
        return true;
    }

    /// <summary>Gathers the gradient pairs of all n rows (the root's segment), in parallel blocks when there are many.</summary>
    private void GatherRoot(double[] gh, int n)
    {
        if (n < 65_536 || team.Threads == 1) { Gather(gh, 0, n); return; }
        int blocks = Math.Min(64, (n + 16_383) / 16_384);
        team.For(blocks, b =>
        {
            int a = (int)((long)n * b / blocks), z = (int)((long)n * (b + 1) / blocks);
            Gather(gh, a, z - a);
        });
    }

    private void Gather(double[] gh, int begin, int count)
    {
        for (int i = begin; i < begin + count; i++)
        {
            int r = rowBuf[0][i];
            ghBuf[0][2 * i] = gh[2 * r];
            ghBuf[0][2 * i + 1] = gh[2 * r + 1];
        }
    }

    private void BuildHistograms(List<Node> nodes, int[] features)
    {
        if (slots is not null)
        {
            if (nodes.Count > 1 && team.Threads > 1) team.For(nodes.Count, k => BuildSparse(nodes[k], features));
            else foreach (var nd in nodes) BuildSparse(nd, features);
            return;
        }
        long work = 0;
        foreach (var nd in nodes) work += nd.Count;
        work *= features.Length;
        // features in pairs: one pass over a node's row indices and gradient pairs fills two features' histograms, each with
        // exactly the summation order of a single-feature pass (bit-identical to it)
        int pairs = (features.Length + 3) / 4;
        void Pair(int k)
        {
            int m = features.Length - 1;
            // a short last group repeats its last feature: the repeats write the same values to its slots
            BuildFeatureQuad(nodes, features[Math.Min(4 * k, m)], features[Math.Min(4 * k + 1, m)], features[Math.Min(4 * k + 2, m)], features[Math.Min(4 * k + 3, m)]);
        }
        if (work < 200_000 || team.Threads == 1)
        {
            for (int k = 0; k < pairs; k++) Pair(k);
            return;
        }
        team.For(pairs, Pair);
    }

    /// <summary>Slots per feature in <see cref="BuildFeatureQuad"/>'s partial histograms: at most 256 bins and "missing".</summary>
    private const int S = 257;

    /// <summary>
    /// Histograms of features fa, fb, fc, fd for each node in one pass over the node's rows. Per feature, two interleaved
    /// partial histograms (even/odd positions) on the stack break the read-modify-write chain on repeated bins; their sum
    /// is written (not added) to the node histogram, so node buffers need no clearing. The summation order per feature is
    /// fixed, independent of threads and of which features it is grouped with (repeats are allowed). The eight partial
    /// histograms sit at fixed strides of <see cref="S"/> slots from one base and the four code columns are reached from
    /// one row pointer plus constant column distances, so the loop keeps its pointers in registers.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private void BuildFeatureQuad(List<Node> nodes, int fa, int fb, int fc, int fd)
    {
        int nRows = bins.Rows;
        int sa = bins.BinCount[fa] + 1, sb = bins.BinCount[fb] + 1, sc = bins.BinCount[fc] + 1, sd = bins.BinCount[fd] + 1;
        Vector128<double>* h = stackalloc Vector128<double>[8 * S];
        fixed (byte* codesAll = bins.Codes)
        fixed (int* idx0 = rowBuf[0])
        fixed (int* idx1 = rowBuf[1])
        fixed (double* ghd0 = ghBuf[0])
        fixed (double* ghd1 = ghBuf[1])
        {
            byte* ca = codesAll + (long)fa * nRows;
            nint db = (nint)((long)(fb - fa) * nRows), dc = (nint)((long)(fc - fa) * nRows), dd = (nint)((long)(fd - fa) * nRows);
            foreach (var nd in nodes)
            {
                new Span<Vector128<double>>(h, sa).Clear(); new Span<Vector128<double>>(h + S, sa).Clear();
                new Span<Vector128<double>>(h + 2 * S, sb).Clear(); new Span<Vector128<double>>(h + 3 * S, sb).Clear();
                new Span<Vector128<double>>(h + 4 * S, sc).Clear(); new Span<Vector128<double>>(h + 5 * S, sc).Clear();
                new Span<Vector128<double>>(h + 6 * S, sd).Clear(); new Span<Vector128<double>>(h + 7 * S, sd).Clear();
                int* idx = nd.Buf == 0 ? idx0 : idx1;
                var ghs = (Vector128<double>*)(nd.Buf == 0 ? ghd0 : ghd1);
                if (nd.Count == nRows) QuadContiguous((byte*)h, ca + nd.Begin, db, dc, dd, ghs + nd.Begin, nd.Count);
                else QuadIndexed((byte*)h, ca, db, dc, dd, idx + nd.Begin, ghs + nd.Begin, nd.Count);
                fixed (double* histAll = nd.Hist!)
                {
                    var hist = (Vector128<double>*)histAll;
                    Vector128<double>* ha = hist + bins.Offset[fa], hb = hist + bins.Offset[fb], hc = hist + bins.Offset[fc], hd = hist + bins.Offset[fd];
                    for (int k = 0; k < sa; k++) Vector128.Store(h[k] + h[S + k], (double*)(ha + k));
                    for (int k = 0; k < sb; k++) Vector128.Store(h[2 * S + k] + h[3 * S + k], (double*)(hb + k));
                    for (int k = 0; k < sc; k++) Vector128.Store(h[4 * S + k] + h[5 * S + k], (double*)(hc + k));
                    for (int k = 0; k < sd; k++) Vector128.Store(h[6 * S + k] + h[7 * S + k], (double*)(hd + k));
                }
            }
        }
    }

    /// <summary>Byte distance between two of <see cref="BuildFeatureQuad"/>'s partial histograms.</summary>
    private const int PartBytes = S * 16;

    /// <summary>hist[code] += x for the partial histogram at byte offset <paramref name="part"/> from <paramref name="h"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Add(byte* h, nuint code, nuint part, Vector128<double> x)
    {
        var q = (Vector128<double>*)(h + (code << 4) + part);
        *q += x;
    }

    /// <summary>
    /// The four features' partial histograms of <paramref name="count"/> consecutive rows (codes at c, c + db, c + dc, c + dd;
    /// gradient pairs at g): positions 0, 2, 4, … into the even partial histograms, 1, 3, 5, … into the odd ones, in order.
    /// </summary>
    private static void QuadContiguous(byte* h, byte* c, nint db, nint dc, nint dd, Vector128<double>* g, int count)
    {
        byte* cEnd = c + (count & ~1);
        for (; c < cEnd; c += 2, g += 2)
        {
            Vector128<double> x = g[0], y = g[1];
            Add(h, c[0], 0 * PartBytes, x); Add(h, c[1], 1 * PartBytes, y);
            Add(h, c[db], 2 * PartBytes, x); Add(h, c[db + 1], 3 * PartBytes, y);
            Add(h, c[dc], 4 * PartBytes, x); Add(h, c[dc + 1], 5 * PartBytes, y);
            Add(h, c[dd], 6 * PartBytes, x); Add(h, c[dd + 1], 7 * PartBytes, y);
        }
        if ((count & 1) != 0)
        {
            Vector128<double> x = g[0];
            Add(h, c[0], 0, x); Add(h, c[db], 2 * PartBytes, x); Add(h, c[dc], 4 * PartBytes, x); Add(h, c[dd], 6 * PartBytes, x);
        }
    }

    /// <summary>As <see cref="QuadContiguous"/> for the rows idx[0 .. count) of the code columns starting at ca.</summary>
    private static void QuadIndexed(byte* h, byte* ca, nint db, nint dc, nint dd, int* idx, Vector128<double>* g, int count)
    {
        int* idxEnd = idx + (count & ~1);
        for (; idx < idxEnd; idx += 2, g += 2)
        {
            byte* p0 = ca + idx[0], p1 = ca + idx[1];
            Vector128<double> x = g[0], y = g[1];
            Add(h, p0[0], 0 * PartBytes, x); Add(h, p1[0], 1 * PartBytes, y);
            Add(h, p0[db], 2 * PartBytes, x); Add(h, p1[db], 3 * PartBytes, y);
            Add(h, p0[dc], 4 * PartBytes, x); Add(h, p1[dc], 5 * PartBytes, y);
            Add(h, p0[dd], 6 * PartBytes, x); Add(h, p1[dd], 7 * PartBytes, y);
        }
        if ((count & 1) != 0)
        {
            byte* p0 = ca + idx[0];
            Vector128<double> x = g[0];
            Add(h, p0[0], 0, x); Add(h, p0[db], 2 * PartBytes, x); Add(h, p0[dc], 4 * PartBytes, x); Add(h, p0[dd], 6 * PartBytes, x);
        }
    }

    /// <summary>Sparse-mode histogram of one node (see the class summary): non-default bins from the rows' lists, then the default bins.</summary>
    private void BuildSparse(Node nd, int[] features)
    {
        var histArr = nd.Hist!;
        Array.Clear(histArr);
        fixed (double* histAll = histArr)
        fixed (int* idx = rowBuf[nd.Buf])
        fixed (int* rs = rowStart)
        fixed (int* sl = slots)
        fixed (double* ghd = ghBuf[nd.Buf])
        {
            var hist = (Vector128<double>*)histAll;
            var ghs = (Vector128<double>*)ghd;
            int end = nd.Begin + nd.Count;
            for (int i = nd.Begin; i < end; i++)
            {
                int r = idx[i];
                var x = Vector128.Load((double*)(ghs + i));
                for (int k = rs[r], e = rs[r + 1]; k < e; k++) hist[sl[k]] += x;
            }
            var total = Vector128.Create(nd.G, nd.H);
            foreach (int f in features)
            {
                Vector128<double>* hf = hist + bins.Offset[f];
                int d = defaultBin![f], last = bins.BinCount[f];
                var sum = Vector128<double>.Zero;
                for (int b = 0; b <= last; b++) if (b != d) sum += hf[b];
                hf[d] = total - sum;
            }
        }
    }

    private struct Candidate
    {
        public double Gain, GL, HL, GR, HR;
        public int Bin;
        public bool DefaultLeft;
    }

    /// <summary>
    /// Best split of every node: candidates per (node, feature) in parallel, then per node the first feature (in
    /// column order) with the strictly largest gain, which is what a sequential scan with "replace if greater" gives.
    /// </summary>
    private void Evaluate(List<Node> nodes, int[] features)
    {
        int nfa = features.Length;
        var cand = new Candidate[nodes.Count * nfa];
        if (nodes.Count * nfa >= 64 && team.Threads > 1)
            team.For(cand.Length, k => cand[k] = EvaluateFeature(nodes[k / nfa], features[k % nfa]));
        else
            for (int k = 0; k < cand.Length; k++) cand[k] = EvaluateFeature(nodes[k / nfa], features[k % nfa]);
        for (int a = 0; a < nodes.Count; a++)
        {
            double best = 0;
            for (int j = 0; j < nfa; j++)
            {
                ref var c = ref cand[a * nfa + j];
                if (c.Gain > best) { best = c.Gain; Set(nodes[a], features[j], c.Bin, c.DefaultLeft, c.Gain, c.GL, c.HL, c.GR, c.HR); }
            }
        }
    }

    /// <summary>
    /// Best split of one feature in three passes: the prefix sums over the bins collect the valid candidates (forward,
    /// missing right; then, when the node has missing values, backward, missing left; empty bins skipped; stop when the
    /// other side's hessian falls below min_child_weight); their gains are computed, without L1 (α = 0) four at a time:
    /// gl²/(hl+λ) + gr²/(hr+λ) − parent with the same IEEE operations lane-wise (no fused multiply-add), so the same bits
    /// as one at a time; a scan keeps the first strictly largest (ties never replace).
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private Candidate EvaluateFeature(Node nd, int f)
    {
        double parentGain = CalcGain(nd.G, nd.H);
        double mcw = p.MinChildWeight, lambda = p.Lambda;
        double G = nd.G, H = nd.H;
        var hist = nd.Hist!;
        int nb = bins.BinCount[f];
        int off = 2 * bins.Offset[f];
        bool missing = bins.HasMissing[f] && hist[off + 2 * nb + 1] > 0;
        // the candidates: forward ones (left sums), then backward ones (right sums); binOf = the first bin on the right
        int cap = 2 * nb + 8;
        double* gLs = stackalloc double[cap], hLs = stackalloc double[cap], gains = stackalloc double[cap];
        int* binOf = stackalloc int[cap];
        int m = 0;
        double gl = 0, hl = 0;
        int lastForward = missing ? nb : nb - 1;
        for (int b = 0; b < lastForward; b++)
        {
            double hb = hist[off + 2 * b + 1];
            if (hb == 0) continue; // empty bin: same candidate as the previous one (ties never replace)
            gl += hist[off + 2 * b]; hl += hb;
            double hr = H - hl;
            if (hr < mcw || hr <= 0) break;   // hr only decreases
            if (hl < mcw) continue;
            gLs[m] = gl; hLs[m] = hl; binOf[m] = b + 1; m++;
        }
        int mForward = m;
        if (missing)
        {
            double gR = 0, hR = 0;
            for (int b = nb - 1; b >= 0; b--)
            {
                double hb = hist[off + 2 * b + 1];
                if (hb == 0) continue;
                gR += hist[off + 2 * b]; hR += hb;
                double hL = H - hR;
                if (hL < mcw || hL <= 0) break;
                if (hR < mcw) continue;
                // stored as the right sums; the left ones are G − gR, H − hR (computed below as in the one-pass loop)
                gLs[m] = gR; hLs[m] = hR; binOf[m] = b; m++;
            }
        }
        // forward: left = stored, right = (G, H) − stored; backward: right = stored, left = (G, H) − stored
        int k = 0;
        if (p.Alpha != 0)
        {
            for (; k < mForward; k++) gains[k] = CalcGain(gLs[k], hLs[k]) + CalcGain(G - gLs[k], H - hLs[k]) - parentGain;
            for (; k < m; k++) gains[k] = CalcGain(G - gLs[k], H - hLs[k]) + CalcGain(gLs[k], hLs[k]) - parentGain;
        }
        var vG = Vector256.Create(G); var vH = Vector256.Create(H); var vl = Vector256.Create(lambda); var vp = Vector256.Create(parentGain);
        for (; k + 4 <= mForward; k += 4)
        {
            var a = Vector256.Load(gLs + k); var c = Vector256.Load(hLs + k);
            var ar = vG - a; var cr = vH - c;
            Vector256.Store(a * a / (c + vl) + ar * ar / (cr + vl) - vp, gains + k);
        }
        for (; k < mForward; k++)
        {
            double a = gLs[k], c = hLs[k], ar = G - a, cr = H - c;
            gains[k] = a * a / (c + lambda) + ar * ar / (cr + lambda) - parentGain;
        }
        for (; k + 4 <= m; k += 4)
        {
            var a = Vector256.Load(gLs + k); var c = Vector256.Load(hLs + k);
            var al = vG - a; var cl = vH - c;
            Vector256.Store(al * al / (cl + vl) + a * a / (c + vl) - vp, gains + k);
        }
        for (; k < m; k++)
        {
            double a = gLs[k], c = hLs[k], al = G - a, cl = H - c;
            gains[k] = al * al / (cl + lambda) + a * a / (c + lambda) - parentGain;
        }
        int best = -1;
        double bestGain = 0;
        for (k = 0; k < m; k++) if (gains[k] > bestGain) { bestGain = gains[k]; best = k; }
        if (best < 0) return new Candidate();
        double s = gLs[best], t = hLs[best];
        return best < mForward
            ? new Candidate { Gain = bestGain, Bin = binOf[best], DefaultLeft = false, GL = s, HL = t, GR = G - s, HR = H - t }
            : new Candidate { Gain = bestGain, Bin = binOf[best], DefaultLeft = true, GL = G - s, HL = H - t, GR = s, HR = t };
    }

    private static void Set(Node nd, int f, int s, bool defLeft, double gain, double gl, double hl, double gr, double hr)
    {
        nd.SplitFeature = f; nd.SplitBin = s; nd.SplitDefaultLeft = defLeft; nd.SplitGain = gain;
        nd.GL = gl; nd.HL = hl; nd.GR = gr; nd.HR = hr;
    }

    /// <summary>Rows per work item of <see cref="PartitionAll"/>.</summary>
    private const int PartChunk = 8192;

    /// <summary>
    /// Stable partition of the rows of every splitting node, with their gradient pairs (so the children's gradient pairs stay
    /// aligned with their rows and need no gather), from the node's buffer into the other one: left (bin &lt; s, or missing
    /// with default left) first. Work items are chunks of at most <see cref="PartChunk"/> rows of one node: the lefts of each
    /// chunk are counted, then every chunk writes its rows at their final places (a chunk's lefts after the lefts of the
    /// node's earlier chunks, its rights after all lefts and the rights of the earlier chunks). Returns the left counts.
    /// </summary>
    private int[] PartitionAll(List<Node> nodes)
    {
        var items = new List<(int Node, int Begin, int End)>();
        for (int k = 0; k < nodes.Count; k++)
        {
            int b = nodes[k].Begin, e = b + nodes[k].Count;
            for (int c = b; c < e; c += PartChunk) items.Add((k, c, Math.Min(e, c + PartChunk)));
        }
        var left = new int[items.Count];
        if (items.Count > 1 && team.Threads > 1)
        {
            team.For(items.Count, c => left[c] = CountLeft(nodes[items[c].Node], items[c].Begin, items[c].End));
        }
        else
            for (int c = 0; c < items.Count; c++) left[c] = CountLeft(nodes[items[c].Node], items[c].Begin, items[c].End);
        var nLeft = new int[nodes.Count];
        for (int c = 0; c < items.Count; c++) nLeft[items[c].Node] += left[c];
        // destinations: lefts from Begin, rights from Begin + nLeft, each node's chunks in order
        var dl = new int[items.Count];
        var dr = new int[items.Count];
        var fillL = new int[nodes.Count];
        var fillR = new int[nodes.Count];
        for (int k = 0; k < nodes.Count; k++) { fillL[k] = nodes[k].Begin; fillR[k] = nodes[k].Begin + nLeft[k]; }
        for (int c = 0; c < items.Count; c++)
        {
            int k = items[c].Node;
            dl[c] = fillL[k]; dr[c] = fillR[k];
            fillL[k] += left[c]; fillR[k] += items[c].End - items[c].Begin - left[c];
        }
        if (items.Count > 1 && team.Threads > 1)
            team.For(items.Count, c => Scatter(nodes[items[c].Node], items[c].Begin, items[c].End, dl[c], dr[c]));
        else
            for (int c = 0; c < items.Count; c++) Scatter(nodes[items[c].Node], items[c].Begin, items[c].End, dl[c], dr[c]);
        return nLeft;
    }

    /// <summary>Goes left: 1 when the code is below the split bin, or is the missing code and missing goes left.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Left(int c, int s, int missBin, int def)
    {
        int lt = c < s ? 1 : 0;
        int miss = c == missBin ? 1 : 0;
        return lt ^ (miss & (lt ^ def));
    }

    /// <summary>Lefts among the node's rows at positions [begin, end).</summary>
    private int CountLeft(Node nd, int begin, int end)
    {
        int f = nd.SplitFeature, s = nd.SplitBin;
        int def = nd.SplitDefaultLeft ? 1 : 0;
        int missBin = bins.HasMissing[f] ? bins.BinCount[f] : -1;
        int nl = 0;
        fixed (byte* cp = bins.Codes)
        fixed (int* ri = rowBuf[nd.Buf])
        {
            byte* col = cp + (long)f * bins.Rows;
            for (int i = begin; i < end; i++) nl += Left(col[ri[i]], s, missBin, def);
        }
        return nl;
    }

    /// <summary>Moves the node's rows at [begin, end) and their gradient pairs to the other buffer: lefts from dl, rights from dr, in order.</summary>
    private void Scatter(Node nd, int begin, int end, int dl, int dr)
    {
        int f = nd.SplitFeature, s = nd.SplitBin;
        int def = nd.SplitDefaultLeft ? 1 : 0;
        int missBin = bins.HasMissing[f] ? bins.BinCount[f] : -1;
        fixed (byte* cp = bins.Codes)
        fixed (int* ri = rowBuf[nd.Buf])
        fixed (int* ro = rowBuf[1 - nd.Buf])
        fixed (double* gi = ghBuf[nd.Buf])
        fixed (double* go = ghBuf[1 - nd.Buf])
        {
            byte* col = cp + (long)f * bins.Rows;
            var gv = (Vector128<double>*)gi;
            var gw = (Vector128<double>*)go;
            for (int i = begin; i < end; i++)
            {
                int r = ri[i];
                int left = Left(col[r], s, missBin, def);
                int pos = dr ^ ((dl ^ dr) & -left); // left ? dl : dr
                ro[pos] = r;
                gw[pos] = gv[i];
                dl += left;
                dr += 1 - left;
            }
        }
    }
}
