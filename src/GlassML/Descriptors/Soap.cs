using GlassML.Numerics;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>What one SOAP output column holds: species pair (Z1 ≤ Z2 in DScribe order), degree l, radial indices n, n'.</summary>
/// <param name="Column">Column index (feature <c>soap_{Column}</c>).</param>
/// <param name="Species1">Name of the first species.</param>
/// <param name="Species2">Name of the second species.</param>
/// <param name="Z1">Atomic number of the first species (0 when the name is not an element).</param>
/// <param name="Z2">Atomic number of the second species.</param>
/// <param name="L">Angular degree l.</param>
/// <param name="N">Radial index n of the first species' coefficient.</param>
/// <param name="NPrime">Radial index n' of the second species' coefficient.</param>
public readonly record struct SoapFeature(int Column, string Species1, string Species2, int Z1, int Z2, int L, int N, int NPrime);

/// <summary>
/// Smooth Overlap of Atomic Positions power spectrum, numerically equal to DScribe 2.1 (Himanen et al.,
/// Comput. Phys. Commun. 247, 106949 (2020), doi:10.1016/j.cpc.2019.106949; Bartók, Kondor, Csányi,
/// PRB 87, 184115 (2013)).
/// <para>
/// Density of species Z around centre i: ρ^Z(r) = Σ_{j∈Z} w_j exp(−|r − R_ij|²/2σ²) (amplitude 1, the centre atom
/// itself included at R = 0), over every periodic image with |R_ij| ≤ <see cref="RequiredCutoff"/> =
/// r_cut + σ√(2 ln 1000) (a hard cut: the gto basis is not truncated at r_cut). Coefficients
/// c^Z_nlm = ∫ g_nl(r) Y_lm(r̂) ρ^Z(r) d³r with real orthonormal Y_lm. For the gto basis the integral is closed:
/// c_nlm = π^{3/2} Σ_j w_j R_j^l Y_lm(R̂_j) Σ_k β_lnk η^{−3/2} (1 + α_lk/η)^{−(l+3/2)} exp(−α_lk R_j²/(1 + α_lk/η)),
/// η = 1/2σ². Power spectrum p^{ZZ'}_{nn'l} = π √(8/(2l+1)) Σ_m c^Z_nlm c^{Z'}_{n'lm}.
/// </para>
/// <para>
/// Ordering (DScribe): species by ascending atomic number; blocks (Z1, Z2) with Z1 ≤ Z2 (only Z1 = Z2 when
/// <see cref="SoapOptions.Crossover"/> is false); within a block l, then n, then n' — n' ≥ n in same-species
/// blocks, all n' otherwise. Length (S·n_max)(S·n_max+1)/2·(l_max+1) with crossover, S·n_max(n_max+1)/2·(l_max+1)
/// without. Feature names <c>soap_0</c> … ; <see cref="LayoutFor"/> tells what each column is.
/// </para>
/// <para>
/// Polynomial basis: the radial integral 4π ∫_0^{r_cut} r² g_n(r) e^{−η(r² + R²)} i_l(2ηrR) dr uses DScribe's
/// 100-point Gauss–Legendre grid but exact, stably evaluated i_l (power series / Miller recurrence), whereas DScribe 2.1
/// builds i_l by an upward recurrence clamped at zero and drops terms when r ± R &gt; 5 Å; the two agree where that
/// recurrence is accurate (low l, not too small 2ηrR). No DScribe reference vectors exist for this basis here; it is
/// checked against a direct 3-D quadrature of the definition.
/// </para>
/// Work is parallel over atoms with per-thread buffers; results are bit-identical for any thread count.
/// </summary>
public sealed class Soap
{
    private const int ChunkSize = 16;
    private readonly SoapHarmonics _harm;
    private readonly double[]? _negAPad;  // gto: −α/(1+α/η), [l*_nPad + k], zero padding for k ≥ n_max and up to a multiple of 8
    private readonly double[]? _bT;       // gto: π^{3/2} β_lnk η^{−3/2}(1+α_lk/η)^{−(l+3/2)}, stored [(l*nmax + k)*_nPad + n], zero for n ≥ n_max
    private readonly int _nPad;           // n_max rounded up to a multiple of 4
    private readonly double[]? _polyR;    // polynomial: quadrature nodes r_q (Å)
    private readonly double[]? _polyP;    // polynomial: 4π w_q r_q² g_n(r_q), [n*Q + q]
    private readonly double _eta;
    private readonly string[]? _species;

    /// <summary>Creates the compute object; parameters are validated here.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it and the legal set).</exception>
    public Soap(SoapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Sigma > 0) || double.IsInfinity(options.Sigma)) throw new ArgumentOutOfRangeException(nameof(options), "Sigma must be a positive width (Å)");
        if (options.NMax < 1) throw new ArgumentOutOfRangeException(nameof(options), "NMax must be at least 1");
        if (options.LMax < 0 || options.LMax > 20) throw new ArgumentOutOfRangeException(nameof(options), "LMax must be in 0..20");
        if (options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        // explicit cases, not Enum.IsDefined<T> (a generic the ReadyToRun image lacks: jitted in every one-shot run)
        if (options.Rbf is not (SoapRadialBasis.Gto or SoapRadialBasis.Polynomial)) throw new ArgumentOutOfRangeException(nameof(options), "Rbf must be one of: Gto, Polynomial");
        if (options.Average is not (SoapAverage.Off or SoapAverage.Inner or SoapAverage.Outer)) throw new ArgumentOutOfRangeException(nameof(options), "Average must be one of: Off, Inner, Outer");
        if (options.W0 is double w0 && !(w0 >= 0)) throw new ArgumentOutOfRangeException(nameof(options), "W0 must be ≥ 0");
        options.Weighting?.Validate();
        double rcut;
        if (options.RCut is double rc) rcut = rc;
        else if (options.Weighting is not null) rcut = options.Weighting.InferredCutoff;
        else throw new ArgumentException("either RCut or a Weighting function must be given", nameof(options));
        if (!(rcut > 0) || double.IsInfinity(rcut)) throw new ArgumentOutOfRangeException(nameof(options), $"RCut must be a positive finite distance (got {rcut})");
        if (options.Rbf == SoapRadialBasis.Gto && !(rcut > 1)) throw new ArgumentOutOfRangeException(nameof(options), "the gto basis needs RCut > 1 Å");
        Options = options;
        RCut = rcut;
        CutoffPadding = options.Sigma * Math.Sqrt(-2 * Math.Log(1e-3));
        RequiredCutoff = rcut + CutoffPadding;
        _eta = 1.0 / (2 * options.Sigma * options.Sigma);
        _harm = new SoapHarmonics(options.LMax);
        int nmax = options.NMax, L = options.LMax;
        _nPad = (nmax + 3) / 4 * 4;

        if (options.Species is not null)
        {
            if (options.Species.Count == 0) throw new ArgumentException("Species must not be empty", nameof(options));
            if (options.Species.Distinct(StringComparer.Ordinal).Count() != options.Species.Count) throw new ArgumentException("Species contains duplicates", nameof(options));
            _species = OrderSpecies(options.Species);
        }

        if (options.Rbf == SoapRadialBasis.Gto)
        {
            var basis = options.Basis ?? SoapGtoBasis.Create(rcut, nmax, L);
            if (basis.NMax != nmax || basis.LMax < L)
                throw new ArgumentException($"the given basis has n_max {basis.NMax}, l_max {basis.LMax}; the options need n_max {nmax}, l_max ≥ {L}", nameof(options));
            if (!double.IsNaN(basis.RCut) && Math.Abs(basis.RCut - rcut) > 1e-9 * rcut)
                throw new ArgumentException($"the given basis was built for r_cut {basis.RCut}, the options say {rcut}", nameof(options));
            Basis = basis;
            _negAPad = new double[((L + 1) * _nPad + 7) / 8 * 8];   // (whole Vector512s: GtoSpecies takes every l at once)
            _bT = new double[(L + 1) * nmax * _nPad];
            double pi32 = Math.Pow(Math.PI, 1.5), etam32 = Math.Pow(_eta, -1.5);
            for (int l = 0; l <= L; l++)
            for (int k = 0; k < nmax; k++)
            {
                double a = basis.Alpha(l, k), q = 1 + a / _eta;
                _negAPad[l * _nPad + k] = -a / q;
                double f = pi32 * etam32 * Math.Pow(q, -(l + 1.5));
                for (int n = 0; n < nmax; n++) _bT[(l * nmax + k) * _nPad + n] = f * basis.Beta(l, n, k);
            }
        }
        else
        {
            if (options.Basis is not null) throw new ArgumentException("Basis applies to the gto radial basis only", nameof(options));
            (_polyR, _polyP) = PolynomialQuadrature(rcut, nmax);
        }
        int s = _species?.Length ?? 0;
        FeatureCount = _species is null ? -1 : CountFeatures(s);
    }

    /// <summary>The options given.</summary>
    public SoapOptions Options { get; }
    /// <summary>Radial cutoff r_cut in use (Å), given or inferred from the weighting.</summary>
    public double RCut { get; }
    /// <summary>σ√(2 ln 1000) (Å): how far beyond r_cut atoms still count (their Gaussian is 10⁻³ there).</summary>
    public double CutoffPadding { get; }
    /// <summary>r_cut + σ√(2 ln 1000) (Å): the neighbour list passed to <see cref="Compute(Frame, NeighborList)"/> must have at least this cutoff.</summary>
    public double RequiredCutoff { get; }
    /// <summary>The gto basis in use (null for the polynomial basis).</summary>
    public SoapGtoBasis? Basis { get; }
    /// <summary>Number of features when <see cref="SoapOptions.Species"/> was given, else −1 (depends on the frame).</summary>
    public int FeatureCount { get; }

    /// <summary>Species of the expansion in output order (null when taken from each frame).</summary>
    public IReadOnlyList<string>? Species => _species;

    private int CountFeatures(int s)
    {
        int n = Options.NMax, l1 = Options.LMax + 1;
        return Options.Crossover ? (s * n) * (s * n + 1) / 2 * l1 : s * (n * (n + 1) / 2) * l1;
    }

    /// <summary>Species names ordered by ascending atomic number (stable; given order kept if any is not an element).</summary>
    private static string[] OrderSpecies(IEnumerable<string> names)
    {
        // a stable insertion sort on the atomic number (no LINQ ordering: this runs in every one-shot featurize)
        var list = new List<string>(names);
        var z = new int[list.Count];
        for (int k = 0; k < z.Length; k++)
        {
            if (!Elements.TryGet(list[k], out z[k], out _) || z[k] == 0) return list.ToArray();
        }
        var res = list.ToArray();
        for (int k = 1; k < res.Length; k++)
        {
            string name = res[k]; int zk = z[k], q = k - 1;
            for (; q >= 0 && z[q] > zk; q--) { res[q + 1] = res[q]; z[q + 1] = z[q]; }
            res[q + 1] = name; z[q + 1] = zk;
        }
        return res;
    }

    private string[] SpeciesFor(Frame frame) => _species ?? OrderSpecies(frame.Species.All.Select(s => s.Name));

    /// <summary>Number of features for a frame (the frame only matters when <see cref="SoapOptions.Species"/> is null).</summary>
    internal int FeatureCountFor(Frame frame) => CountFeatures(SpeciesFor(frame).Length);

    /// <summary>The column layout for a frame (the frame only matters when <see cref="SoapOptions.Species"/> is null).</summary>
    public IReadOnlyList<SoapFeature> LayoutFor(Frame frame) => BuildLayout(SpeciesFor(frame));

    /// <summary>The column layout; needs <see cref="SoapOptions.Species"/>.</summary>
    public IReadOnlyList<SoapFeature> Layout => _species is null
        ? throw new InvalidOperationException("the layout depends on the frame when Species is not given: use LayoutFor(frame)")
        : BuildLayout(_species);

    private List<SoapFeature> BuildLayout(string[] species)
    {
        var res = new List<SoapFeature>();
        int nmax = Options.NMax, L = Options.LMax, s = species.Length;
        var z = species.Select(n => Elements.TryGet(n, out int zz, out _) ? zz : 0).ToArray();
        for (int a = 0; a < s; a++)
        for (int b = a; b < (Options.Crossover ? s : a + 1); b++)
        for (int l = 0; l <= L; l++)
        for (int n = 0; n < nmax; n++)
        for (int np = a == b ? n : 0; np < nmax; np++)
            res.Add(new SoapFeature(res.Count, species[a], species[b], z[a], z[b], l, n, np));
        return res;
    }

    /// <summary>
    /// Computes the power spectrum of every atom (rows in frame order), or one averaged row when
    /// <see cref="SoapOptions.Average"/> is Inner or Outer. Columns <c>soap_0</c> … in DScribe order.
    /// </summary>
    /// <param name="frame">The configuration.</param>
    /// <param name="neighbors">A cutoff neighbour list of this frame with cutoff ≥ <see cref="RequiredCutoff"/> (every periodic image).</param>
    /// <exception cref="ArgumentException">The list is too short-ranged or belongs to another frame, or an atom's species is not in <see cref="SoapOptions.Species"/>.</exception>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors) => Build(frame, ListPairs(frame, neighbors), 0);

    /// <summary>
    /// The table of <see cref="Compute(Frame, NeighborList)"/> with <see cref="NeighborSearch.Ball"/>'s list at
    /// <see cref="RequiredCutoff"/>, bit for bit, without building that list: each atom's neighbours are found when its row is
    /// computed (the search's cell-grid query, on the thread that computes the row), so no memory per pair is used.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is refused by the neighbour search (as by <see cref="NeighborSearch.Ball"/>), or an atom's species is not in <see cref="SoapOptions.Species"/>.</exception>
    public PerAtomFeatures Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Build(frame, new Pairs(null, new BallQuery(frame, RequiredCutoff, Options.Threads)), 0);
    }

    /// <summary>
    /// The table of <see cref="Compute(Frame, NeighborList)"/>, bit for bit, produced <paramref name="blockRows"/> rows at a time as a writer reads
    /// the rows in id order (<see cref="PerAtomFeatures.Row"/>; reused block buffers instead of the N × F table). With
    /// averaging the one row is computed at once.
    /// </summary>
    internal PerAtomFeatures ComputeStreamed(Frame frame, NeighborList neighbors, int blockRows) => Build(frame, ListPairs(frame, neighbors), Math.Max(1, blockRows));

    /// <summary>The streamed table of <see cref="ComputeStreamed(Frame, NeighborList, int)"/> with each atom's neighbours found as in <see cref="Compute(Frame)"/> (no list).</summary>
    internal PerAtomFeatures ComputeStreamed(Frame frame, int blockRows)
    {
        ArgumentNullException.ThrowIfNull(frame);
        // with several threads the rows' order is made beside the cell grid
        var order = PerAtomFeatures.PipelineFor(Options.Threads) ? Task.Run(() => Io.WriterSupport.SharedOrderById(frame)) : null;
        return Build(frame, new Pairs(null, new BallQuery(frame, RequiredCutoff, Options.Threads)), Math.Max(1, blockRows), order);
    }

    /// <summary>
    /// Computes one row of a made-up four-atom frame (neighbours found as by <see cref="Compute(Frame)"/>) and drops it: the
    /// kernels' vector code, which the ReadyToRun image does not hold, is compiled now — a one-shot run with several threads
    /// does it while it reads its input, instead of on the row threads at their first block.
    /// </summary>
    internal void Warm()
    {
        var species = _species ?? ["A", "B"];
        double a = 2 * RequiredCutoff;
        var frame = new Frame(new Box(Vec3.Zero, new Vec3(a, 0, 0), new Vec3(0, a, 0), new Vec3(0, 0, a)), new SpeciesTable(species),
            [1, 2, 3, 4], [0, species.Length - 1, 0, species.Length - 1], [1, 2.5, 1.3, 3.1], [1, 1.2, 2.9, 2.2], [1, 1.1, 1.4, 3.3]);
        var map = new int[species.Length];
        for (int t = 0; t < map.Length; t++) map[t] = t;
        var w = new Worker(this, species.Length, 16);
        w.Coefficients(frame, new Pairs(null, new BallQuery(frame, RequiredCutoff, 1)), map, 0);
        PowerSpectrum(w.C, species.Length, w.Row, w.Gram);
        if (Options.Normalize) NormalizeRow(w.Row);
    }

    /// <summary>Where a centre's neighbours come from: a cutoff list, or the cell grid queried per atom.</summary>
    private sealed record Pairs(NeighborList? List, BallQuery? Query)
    {
        /// <summary>A worker's starting capacity of neighbours per centre.</summary>
        public int PerAtom(int n) => List is { } nl ? nl.PairCount / Math.Max(1, n) : (int)Math.Min(4096, Query!.ExpectedPerAtom * 1.15);
    }

    private Pairs ListPairs(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException($"the neighbour list has {neighbors.AtomCount} atoms, the frame {frame.Count}");
        if (!(neighbors.Cutoff >= RequiredCutoff - 1e-12))
            throw new ArgumentException($"SOAP needs a cutoff neighbour list with cutoff ≥ r_cut + σ√(2 ln 1000) = {RequiredCutoff:G6} Å (got {neighbors.Cutoff:G6})");
        return new Pairs(neighbors, null);
    }

    private PerAtomFeatures Build(Frame frame, Pairs neighbors, int streamBlockRows, Task<int[]>? streamOrder = null)
    {
        var species = SpeciesFor(frame);
        int ns = species.Length;
        var map = new int[frame.Species.Count];
        for (int t = 0; t < map.Length; t++) map[t] = Array.IndexOf(species, frame.Species[t].Name);
        var counts = frame.SpeciesCounts();
        for (int t = 0; t < map.Length; t++)
            if (map[t] < 0 && counts[t] > 0)
                throw new ArgumentException($"atoms of species '{frame.Species[t].Name}' are present but the SOAP species are [{string.Join(", ", species)}]");

        int n = frame.Count, F = CountFeatures(ns);
        var names = new string[F];
        for (int f = 0; f < F; f++) names[f] = "soap_" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var average = Options.Average;
        int cap = WorkerCapacity(neighbors, n);
        if (average == SoapAverage.Off)
        {
            var pool = new ConcurrentBag<Worker>();
            if (streamBlockRows > 0)
            {
                // with several threads, blocks are computed in the background, each on one thread (no hand-off within a block),
                // while the writer takes the rows of the one before: twice as many under way as threads, so that the threads
                // go on while the writer waits for the disk (measured at 32,768 atoms × 3,289 columns, 2 threads: 0.95–0.96 s
                // instead of 0.98–1.03); their buffers hold at most StreamedBlockBytes in all (smaller blocks with many threads);
                // the whole table (Values) is computed on every thread
                int ahead = PerAtomFeatures.PipelineFor(Options.Threads) ? 2 * (Options.Threads == 0 ? Environment.ProcessorCount : Options.Threads) : 0;
                int blockRows = ahead == 0 ? streamBlockRows
                    : (int)Math.Clamp(StreamedBlockBytes / ((long)F * sizeof(double) * (ahead + 1)), Math.Min(16, streamBlockRows), streamBlockRows);
                return new PerAtomFeatures(names, n, (rows, dest) => FillRows(frame, neighbors, map, ns, rows, dest, pool, cap, oneThread: ahead > 0 && rows.Count <= blockRows),
                    streamOrder?.GetAwaiter().GetResult() ?? Io.WriterSupport.SharedOrderById(frame), blockRows, aheadBlocks: ahead);
            }
            var table = new double[(long)n * F];
            FillRows(frame, neighbors, map, ns, AtomRows.All(n), table, pool, cap, oneThread: false);
            return new PerAtomFeatures(names, n, table);
        }

        int nc = ns * _nPad * _harm.Count;
        int chunks = (n + ChunkSize - 1) / ChunkSize;
        var chunkSums = new double[chunks][];
        RethrowInner(() => Parallel.For(0, chunks, Parallelism, () => new Worker(this, ns, cap), (c, _, w) =>
        {
            int start = c * ChunkSize, end = Math.Min(n, start + ChunkSize);
            var acc = new double[average == SoapAverage.Inner ? nc : F];
            for (int i = start; i < end; i++)
            {
                w.Coefficients(frame, neighbors, map, i);
                if (average == SoapAverage.Inner) { TensorPrimitives.Add(acc, w.C.AsSpan(0, nc), acc); continue; }
                var row = w.Row.AsSpan(0, F);
                PowerSpectrum(w.C, ns, row, w.Gram);
                TensorPrimitives.Add(acc, row, acc);
            }
            chunkSums[c] = acc;
            return w;
        }, _ => { }));

        var total = new double[average == SoapAverage.Inner ? nc : F];
        for (int c = 0; c < chunks; c++) TensorPrimitives.Add(total, chunkSums[c], total);
        if (n > 0) TensorPrimitives.Multiply(total, 1.0 / n, total);
        double[] values = total;
        if (average == SoapAverage.Inner)
        {
            values = new double[F];
            PowerSpectrum(total, ns, values, new double[ns * _nPad * ns * _nPad]);
        }
        if (Options.Normalize) NormalizeRow(values);
        return new PerAtomFeatures(names, 1, values);
    }

    /// <summary>Largest memory (bytes) of the block buffers of a streamed table computed on several threads.</summary>
    private const long StreamedBlockBytes = 64L << 20;

    private ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };

    private static int WorkerCapacity(Pairs neighbors, int n) => Math.Max(16, neighbors.PerAtom(n) + 8);

    // runs a parallel loop; an error of its body is thrown as itself (the first one), not as an AggregateException
    private static void RethrowInner(Action loop)
    {
        try { loop(); }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private static void NormalizeRow(Span<double> row)
    {
        double norm = FixedOrder.Norm(row);
        if (norm > 0) TensorPrimitives.Multiply(row, 1.0 / norm, row);
    }

    /// <summary>
    /// The power spectra of the atoms of <paramref name="rows"/>: row k of <paramref name="dest"/> ← atom rows.Atom(k), on this
    /// thread (<paramref name="oneThread"/> or one thread allowed) or in parallel over chunks of rows; the workers (per-thread
    /// scratch) are taken from <paramref name="pool"/> and put back, so that blocks after the first allocate none.
    /// </summary>
    private void FillRows(Frame frame, Pairs neighbors, int[] map, int ns, AtomRows rows, double[] dest, ConcurrentBag<Worker> pool, int cap, bool oneThread)
    {
        int F = CountFeatures(ns), m = rows.Count;
        Worker Rent() => pool.TryTake(out var w) ? w : new Worker(this, ns, cap);
        void Span(Worker w, int start, int end)
        {
            for (int k = start; k < end; k++)
            {
                w.Coefficients(frame, neighbors, map, rows.Atom(k));
                var row = dest.AsSpan((int)((long)k * F), F);
                PowerSpectrum(w.C, ns, row, w.Gram);
                if (Options.Normalize) NormalizeRow(row);
            }
        }
        if (oneThread || Options.Threads == 1)
        {
            var w = Rent();
            Span(w, 0, m);
            pool.Add(w);
            return;
        }
        int chunks = (m + ChunkSize - 1) / ChunkSize;
        RethrowInner(() => Parallel.For(0, chunks, Parallelism, Rent, (c, _, w) =>
        {
            Span(w, c * ChunkSize, Math.Min(m, (c + 1) * ChunkSize));
            return w;
        }, pool.Add));
    }

    private static int Pad4(int n) => (n + 3) / 4 * 4;

    /// <summary>
    /// p[l, n, n'] = π√(8/(2l+1)) Σ_m c[Z1, n, lm] c[Z2, n', lm] in DScribe order, from coefficients laid out
    /// ct[lm·SNP + s·NP + n] (NP = n_max rounded up to 4, SNP = S·NP, padding zero). <paramref name="gram"/> holds SNP².
    /// Per l the Gram matrix C_lᵀC_l is formed in blocks of four rows, from the row's own block of four columns on
    /// (n' ≥ n within a species; the species after it only with crossover).
    /// </summary>
    private unsafe void PowerSpectrum(ReadOnlySpan<double> ct, int ns, Span<double> row, Span<double> gram)
    {
        int nmax = Options.NMax, L = Options.LMax, NP = _nPad, SNP = ns * NP;
        int same = nmax * (nmax + 1) / 2, cross = nmax * nmax;
        if (gram.Length < SNP * SNP || ct.Length < (L + 1) * (L + 1) * SNP) throw new ArgumentException("buffer too short");
        fixed (double* c0 = ct, g = gram)
        {
            for (int l = 0; l <= L; l++)
            {
                double pref = Math.PI * Math.Sqrt(8.0 / (2 * l + 1));
                double* cl = c0 + l * l * SNP;
                for (int a0 = 0; a0 < SNP; a0 += 4)
                {
                    int end = Options.Crossover ? SNP : (a0 / NP + 1) * NP;
                    SmallGemm.Rows4(cl + a0, 1, SNP, cl + a0, SNP, g + a0 * SNP + a0, SNP, end - a0, 2 * l + 1);
                }
                int p = 0;
                for (int a = 0; a < ns; a++)
                for (int b = a; b < (Options.Crossover ? ns : a + 1); b++)
                {
                    int per = a == b ? same : cross;
                    int q = p + l * per;
                    for (int n = 0; n < nmax; n++)
                    {
                        int np0 = a == b ? n : 0, len = nmax - np0;
                        ScaleCopy(pref, g + (a * NP + n) * SNP + b * NP + np0, row.Slice(q, len));
                        q += len;
                    }
                    p += per * (L + 1);
                }
            }
        }
    }

    /// <summary>dst[i] = a·src[i] (Vector256 body, scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScaleCopy(double a, double* src, Span<double> dst)
    {
        int n = dst.Length, i = 0;
        fixed (double* d = dst)
        {
            var va = Vector256.Create(a);
            for (; i + 4 <= n; i += 4) (va * Vector256.Load(src + i)).Store(d + i);
            for (; i < n; i++) d[i] = a * src[i];
        }
    }

    /// <summary>Per-thread scratch and the coefficient kernel.</summary>
    private sealed unsafe class Worker
    {
        private readonly Soap _o;
        private readonly int _ns, _snp, _np;
        /// <summary>Coefficients c[lm·SNP + s·NP + n] ((l_max+1)² + 3 rows: the last row block of four may overrun).</summary>
        public readonly double[] C;
        public readonly double[] Row;
        public readonly double[] Gram;
        private readonly double[][] _x, _y, _z, _w;
        private readonly int[] _count;
        private double[] _e = [], _ylm = [];
        private readonly double[] _t, _work;
        private readonly double[] _bess;
        private double[] _ux = [], _uy = [], _uz = [], _ur = [];
        private BallQuery.Buffer? _query;

        public Worker(Soap o, int ns, int cap)
        {
            _o = o; _ns = ns;
            int K = o._harm.Count;
            _np = o._nPad;
            _snp = ns * _np;
            C = new double[(K + 3) * _snp];
            Row = new double[o.CountFeatures(ns)];
            Gram = new double[_snp * _snp];
            _x = new double[ns][]; _y = new double[ns][]; _z = new double[ns][]; _w = new double[ns][];
            for (int s = 0; s < ns; s++) Alloc(s, Pad4(cap));
            _count = new int[ns];
            _t = new double[(K + 3) * _np];
            _work = new double[o._harm.WorkSize];
            _bess = new double[o.Options.LMax + 2];
        }

        private void Alloc(int s, int cap)
        {
            Array.Resize(ref _x[s], cap); Array.Resize(ref _y[s], cap); Array.Resize(ref _z[s], cap); Array.Resize(ref _w[s], cap);
        }

        private void Add(int s, double x, double y, double z, double w)
        {
            int c = _count[s];
            if (c + 4 > _x[s].Length) Alloc(s, 2 * _x[s].Length + 4);
            _x[s][c] = x; _y[s][c] = y; _z[s][c] = z; _w[s][c] = w;
            _count[s] = c + 1;
        }

        private double Weight(double r)
        {
            var o = _o.Options;
            if (r == 0 && o.W0 is double w0) return w0;
            return o.Weighting?.Weight(r) ?? 1.0;
        }

        /// <summary>Fills <see cref="C"/> with the coefficients of centre i.</summary>
        public void Coefficients(Frame frame, Pairs pairs, int[] map, int i)
        {
            var o = _o.Options;
            Array.Clear(_count);
            double rext = _o.RequiredCutoff;
            var sp = frame.SpeciesIndex;
            Add(map[sp[i]], 0, 0, 0, Weight(0));
            double xi = frame.X[i], yi = frame.Y[i], zi = frame.Z[i];
            ReadOnlySpan<int> index;
            ReadOnlySpan<double> dxs, dys, dzs, ds;
            if (pairs.Query is { } q) q.Neighbors(i, _query ??= new BallQuery.Buffer(), out index, out dxs, out dys, out dzs, out ds);
            else
            {
                var nl = pairs.List!;
                int p0 = nl.Offsets[i], c = nl.Offsets[i + 1] - p0;
                index = nl.Index.AsSpan(p0, c); dxs = nl.Dx.AsSpan(p0, c); dys = nl.Dy.AsSpan(p0, c); dzs = nl.Dz.AsSpan(p0, c); ds = nl.Distance.AsSpan(p0, c);
            }
            for (int p = 0; p < index.Length; p++)
            {
                double d = ds[p];
                if (d > rext) continue;
                int j = index[p];
                double dx = dxs[p], dy = dys[p], dz = dzs[p];
                if (!o.Periodic)
                {
                    double ex = dx - (frame.X[j] - xi), ey = dy - (frame.Y[j] - yi), ez = dz - (frame.Z[j] - zi);
                    if (Math.Abs(ex) + Math.Abs(ey) + Math.Abs(ez) > 1e-6 * (1 + d)) continue;
                }
                Add(map[sp[j]], dx, dy, dz, Weight(d));
            }
            int rows = _o._harm.Count;
            for (int s = 0; s < _ns; s++)
            {
                if (_count[s] == 0)
                {
                    for (int lm = 0; lm < rows; lm++) Array.Clear(C, lm * _snp + s * _np, _np);
                    continue;
                }
                if (_o._negAPad is not null) GtoSpecies(s);
                else
                {
                    for (int lm = 0; lm < rows; lm++) Array.Clear(C, lm * _snp + s * _np, _np);
                    PolySpecies(s);
                }
            }
        }

        /// <summary>
        /// Gto coefficients of species s: Y[lm][j] = w_j R_j^l Y_lm(R̂_j) (four neighbours per vector), then
        /// E[j][l·NP + k] = exp(−α'_lk R_j²) for every l at once (a row of (l_max + 1)·NP exponentials per neighbour, eight per
        /// Vector512 where accelerated), and per l T_l = Y_l·E_l and c_l = T_l·B_lᵀ — small matrix products over the neighbours
        /// (<see cref="SmallGemm"/>; E_l is the column block l of E). Neighbours are padded to a multiple of four with weight zero.
        /// </summary>
        private void GtoSpecies(int s)
        {
            int nb = _count[s], nbp = Pad4(nb), nmax = _o.Options.NMax, L = _o.Options.LMax, K = _o._harm.Count, NP = _np;
            int LP = _o._negAPad!.Length;
            var x = _x[s]; var y = _y[s]; var z = _z[s]; var w = _w[s];
            for (int j = nb; j < nbp; j++) { x[j] = 0; y[j] = 0; z[j] = 0; w[j] = 0; }
            if (_ylm.Length < (K + 3) * nbp) _ylm = new double[(K + 3) * Math.Max(nbp, 2 * _ylm.Length / (K + 3))];
            if (_e.Length < nbp * LP) _e = new double[Math.Max(nbp * LP, 2 * _e.Length)];
            fixed (double* px = x, py = y, pz = z, pw = w, ylm = _ylm, e = _e, t = _t, c = C, negA = _o._negAPad!, bt = _o._bT!)
            {
                for (int j = 0; j < nbp; j += 4)
                    _o._harm.SolidLanes(Vector256.Load(px + j), Vector256.Load(py + j), Vector256.Load(pz + j), Vector256.Load(pw + j), ylm + j, nbp);
                bool wide = SmallGemm.VectorBits >= 512 && Vector512.IsHardwareAccelerated;
                for (int j = 0; j < nbp; j++)
                {
                    double r2 = px[j] * px[j] + py[j] * py[j] + pz[j] * pz[j];
                    double* ej = e + j * LP;
                    if (wide)
                    {
                        var v2 = Vector512.Create(r2);
                        for (int v = 0; v < LP; v += 8) VectorMath.ExpNonPositive(Vector512.Load(negA + v) * v2).Store(ej + v);
                    }
                    else
                    {
                        var v2 = Vector256.Create(r2);
                        for (int v = 0; v < LP; v += 4) VectorMath.ExpNonPositive(Vector256.Load(negA + v) * v2).Store(ej + v);
                    }
                }
                for (int l = 0; l <= L; l++)
                    SmallGemm.Rows(ylm + l * l * nbp, nbp, 1, e + l * NP, LP, t + l * l * NP, NP, 2 * l + 1, NP, nbp);
                for (int l = 0; l <= L; l++)
                    SmallGemm.Rows(t + l * l * NP, NP, 1, bt + l * nmax * NP, NP, c + l * l * _snp + s * NP, _snp, 2 * l + 1, NP, nmax);
            }
        }

        private void PolySpecies(int s)
        {
            int nb = _count[s], nmax = _o.Options.NMax, L = _o.Options.LMax, K = _o._harm.Count;
            var rq = _o._polyR!; var P = _o._polyP!; int Q = rq.Length;
            double eta = _o._eta;
            if (_ux.Length < nb) { _ux = new double[2 * nb]; _uy = new double[2 * nb]; _uz = new double[2 * nb]; _ur = new double[2 * nb]; }
            if (_ylm.Length < K * nb) _ylm = new double[2 * K * nb];
            if (_e.Length < (L + 1) * nmax * nb) _e = new double[2 * (L + 1) * nmax * nb];
            var x = _x[s]; var y = _y[s]; var z = _z[s]; var w = _w[s];
            // unit vectors (the centre, R = 0, only has l = 0 and any direction will do)
            for (int j = 0; j < nb; j++)
            {
                double r = Math.Sqrt(x[j] * x[j] + y[j] * y[j] + z[j] * z[j]);
                if (r > 0) { _ux[j] = x[j] / r; _uy[j] = y[j] / r; _uz[j] = z[j] / r; } else { _ux[j] = 0; _uy[j] = 0; _uz[j] = 1; }
                _ur[j] = r;
            }
            _o._harm.Solid(_ux, _uy, _uz, nb, _ylm, nb, _work);
            // E[(l*nmax + n)*nb + j] = w_j Σ_q P[n,q] exp(−η(r_q − R)²) e^{−x} i_l(x), x = 2η r_q R
            Array.Clear(_e, 0, (L + 1) * nmax * nb);
            for (int j = 0; j < nb; j++)
            {
                double R = _ur[j];
                for (int q = 0; q < Q; q++)
                {
                    double dr = rq[q] - R;
                    double g = Math.Exp(-eta * dr * dr);
                    if (g < 1e-300) continue;
                    SoapBessel.ScaledModifiedSphericalBessel(L, 2 * eta * rq[q] * R, _bess);
                    for (int l = 0; l <= L; l++)
                    {
                        double h = w[j] * g * _bess[l];
                        if (h == 0) continue;
                        for (int n = 0; n < nmax; n++) _e[(l * nmax + n) * nb + j] += P[n * Q + q] * h;
                    }
                }
            }
            for (int l = 0; l <= L; l++)
            for (int n = 0; n < nmax; n++)
            {
                var e = _e.AsSpan((l * nmax + n) * nb, nb);
                for (int lm = l * l; lm < (l + 1) * (l + 1); lm++)
                    C[lm * _snp + s * _np + n] += FixedOrder.Dot(e, _ylm.AsSpan(lm * nb, nb));
            }
        }
    }

    /// <summary>
    /// Quadrature for the polynomial basis: 100-point Gauss–Legendre nodes on [0, r_cut] (as DScribe) and
    /// P[n, q] = 4π w_q r_q² g_n(r_q), g_n = Σ_k β_nk (r_cut − r)^{k+2}, β = S^{−1/2},
    /// S_ij = 2 r_cut^{7+i+j} / ((5+i+j)(6+i+j)(7+i+j)), i, j = 1..n_max.
    /// </summary>
    private static (double[] r, double[] p) PolynomialQuadrature(double rcut, int nmax)
    {
        const int Q = 100;
        var (xg, wg) = SoapBessel.GaussLegendre(Q);
        var s = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(nmax, nmax);
        for (int i = 1; i <= nmax; i++)
        for (int j = 1; j <= nmax; j++)
            s[i - 1, j - 1] = 2 * Math.Pow(rcut, 7 + i + j) / ((5.0 + i + j) * (6.0 + i + j) * (7.0 + i + j));
        var evd = s.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var dm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(nmax, nmax);
        for (int i = 0; i < nmax; i++)
        {
            double lam = evd.EigenValues[i].Real;
            if (!(lam > 0)) throw new ArgumentException("the polynomial overlap matrix is not positive definite: lower n_max");
            dm[i, i] = 1 / Math.Sqrt(lam);
        }
        var beta = evd.EigenVectors * dm * evd.EigenVectors.Transpose();
        var r = new double[Q]; var p = new double[nmax * Q];
        for (int q = 0; q < Q; q++)
        {
            r[q] = rcut * 0.5 * (xg[q] + 1);
            double wq = rcut * 0.5 * wg[q];
            for (int n = 0; n < nmax; n++)
            {
                double g = 0;
                for (int k = 1; k <= nmax; k++) g += beta[n, k - 1] * Math.Pow(rcut - r[q], k + 2);
                p[n * Q + q] = 4 * Math.PI * wq * r[q] * r[q] * g;
            }
        }
        return (r, p);
    }
}
