using GlassML.Diagnostics;
using GlassML.Neighbors;
using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>Which neighbour shells the shell-based families (steinhardt, csro, distance) use.</summary>
public enum NeighborSource
{
    /// <summary>Voronoi face-sharing neighbours (suffix <c>_voro</c>).</summary>
    Voronoi,
    /// <summary>Every atom within <see cref="FeaturizeOptions.Cutoff"/> (suffix <c>_cut</c>).</summary>
    Cutoff,
    /// <summary>Both sources, as the quench-in-softness feature set uses.</summary>
    Both,
}

/// <summary>What <see cref="Featurizer"/> computes per frame (the options of <c>glassml featurize</c>).</summary>
public sealed record FeaturizeOptions
{
    /// <summary>Families by name: voronoi, motifs, steinhardt, csro, distance, soap, rsf, asf, xtal (bond crystallinity over the cutoff shell), seed (the quench-in-softness catalogue, <see cref="SeedFeatureSets"/>: 123 SRO + 623 MRO columns for a binary alloy, alone), seed-amlearn (the interstice-based 746-column reading, <see cref="AmlearnSeedFeatureSets"/>, alone) (and 'all' = the structural families voronoi, motifs, steinhardt, csro, distance).</summary>
    public IReadOnlyList<string> Families { get; init; } = ["steinhardt", "csro", "distance"];
    /// <summary>Neighbour source of the shell-based families. Default Voronoi.</summary>
    public NeighborSource Neighbors { get; init; } = NeighborSource.Voronoi;
    /// <summary>Cutoff (Å) of the cutoff neighbour shell. Default 3.8 Å (first minimum of Cu–Zr g(r) region).</summary>
    public double Cutoff { get; init; } = 3.8;
    /// <summary>Radii (Å) by species for the radical Voronoi tessellation; null = plain Voronoi.</summary>
    public IReadOnlyDictionary<string, double>? Radii { get; init; }
    /// <summary>
    /// Medium-range (MRO) statistics of every structural column over that column's own neighbour shell (a <c>_voro</c>, voronoi
    /// or motifs column over the Voronoi neighbours, a <c>_cut</c> or xtal column over the cutoff shell, as amlearn's MRO
    /// featurizer does); empty = none.
    /// </summary>
    public IReadOnlyList<MroStat> Mro { get; init; } = [];
    /// <summary>Per-family parameters as key=value (see <see cref="DescriptorParameters"/>), e.g. ["soap"] = { rcut = 5, nmax = 8 }.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parameters { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>
    /// The "seed" and "seed-amlearn" sets' neighbour-shell rule: amlearn's small-face threshold (<see cref="AmlearnNeighbors"/>; faces below this
    /// fraction of the cell's running mean face area leave the shell, cells are not re-cut). Default 0.05, amlearn's default, so the
    /// seed features are the seed authors'; 0 keeps every face. Other families are not affected (their tessellation keeps all faces).
    /// </summary>
    public double SeedSmallFaceThreshold { get; init; } = AmlearnNeighbors.DefaultSmallFaceThreshold;
    /// <summary>
    /// Cutoff (Å) of the "seed" set's cutoff shell (its <c>_cut</c> columns). Default 4.0 Å, amlearn's distance-shell default
    /// (<see cref="AmlearnNeighbors.DefaultDistanceCutoff"/>), as the method's features come from amlearn. Other families use
    /// <see cref="Cutoff"/>.
    /// </summary>
    public double SeedCutoff { get; init; } = AmlearnNeighbors.DefaultDistanceCutoff;
    /// <summary>
    /// Only these columns of the "seed" set, in this order (<see cref="SeedFeatureSets.ComputeColumns"/>: the same values bit for
    /// bit, computing only what they depend on); null = every column. Only with the "seed" family.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Composes the descriptor families for one frame: builds each neighbour source once (one cutoff list at the
/// largest radius any family needs, shorter ones derived from it; one Voronoi tessellation), runs every requested
/// family on it and joins the blocks, then adds the MRO coarse-graining of the structural columns.
/// </summary>
public sealed class Featurizer
{
    /// <summary>Neighbour cutoff (Å) used to locate the first g(r) peaks when r_p is not given.</summary>
    public const double RsfPeakSearchCutoff = 6.0;

    /// <summary>Every family name the featurizer knows.</summary>
    public static readonly IReadOnlyList<string> KnownFamilies = ["voronoi", "motifs", "steinhardt", "csro", "distance", "soap", "rsf", "asf", "xtal", "seed", "seed-amlearn"];

    private static readonly string[] AllStructural = ["voronoi", "motifs", "steinhardt", "csro", "distance"];
    private readonly FeaturizeOptions _o;
    private readonly List<string> _families = new();
    private readonly SoapOptions? _soap;
    private readonly Lazy<Soap>? _soapObject;
    private readonly RadialStructureFunctionOptions? _rsf;
    private readonly AngularStructureFunctionOptions? _asf;

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentException">Unknown family or parameter, or a bad value (message names it).</exception>
    public Featurizer(FeaturizeOptions options)
    {
        _o = options;
        foreach (var f in options.Families)
        {
            var name = f.Trim().ToLowerInvariant();
            if (name == "all") { foreach (var a in AllStructural) if (!_families.Contains(a)) _families.Add(a); continue; }
            if (!KnownFamilies.Contains(name)) throw new ArgumentException($"unknown feature family '{f}' (known: {string.Join(", ", KnownFamilies)}, all)");
            if (!_families.Contains(name)) _families.Add(name);
        }
        if (_families.Count == 0) throw new ArgumentException("no feature family requested");
        foreach (var set in new[] { "seed", "seed-amlearn" })
        {
            if (_families.Contains(set) && _families.Count > 1) throw new ArgumentException($"the '{set}' feature set cannot be combined with other families (it is complete, with its MRO columns)");
            if (_families.Contains(set) && options.Mro.Count > 0) throw new ArgumentException($"the '{set}' feature set already contains its MRO columns; do not give MRO statistics with it");
        }
        if (options.Columns is not null && !(_families.Count == 1 && _families[0] == "seed")) throw new ArgumentException("a column subset can only be computed for the 'seed' feature set");
        if (!(options.Cutoff > 0) || !double.IsFinite(options.Cutoff)) throw new ArgumentException("cutoff must be a positive distance");
        if (!(options.SeedCutoff > 0) || !double.IsFinite(options.SeedCutoff)) throw new ArgumentException("the seed cutoff must be a positive distance");
        if (!(options.SeedSmallFaceThreshold >= 0) || !double.IsFinite(options.SeedSmallFaceThreshold)) throw new ArgumentException("the seed small-face threshold must be a finite fraction ≥ 0");
        foreach (var key in options.Parameters.Keys)
            if (!KnownFamilies.Contains(key.ToLowerInvariant())) throw new ArgumentException($"parameters given for unknown family '{key}'");
        if (_families.Contains("soap"))
        {
            var so = _soap = DescriptorParameters.Soap(Params("soap")) with { Threads = options.Threads };
            // an averaged SOAP is one row for the whole structure; a feature table has one row per atom (refused before any work)
            if (so.Average != SoapAverage.Off)
                throw new ArgumentException($"SOAP average={so.Average.ToString().ToLowerInvariant()} describes the whole structure in one row, but featurize writes one row per atom: leave 'average' off (the default) and average the rows afterwards (e.g. numpy: x.mean(axis=0) for the outer average)");
            // one SOAP object (its basis) for every frame; with more than one thread it is made, and its kernels compiled, in the
            // background from now on, while the caller reads the first frame (an error of the options is thrown by the first
            // Compute, as it was)
            _soapObject = new Lazy<Soap>(() => new Soap(so));
            if (options.Threads != 1 && Environment.ProcessorCount > 1)
                Task.Run(() => { try { _soapObject.Value.Warm(); } catch (ArgumentException) { /* kept by the Lazy for Compute */ } });
        }
        if (_families.Contains("rsf")) _rsf = DescriptorParameters.Rsf(Params("rsf")) with { Threads = options.Threads };
        if (_families.Contains("asf")) _asf = DescriptorParameters.Asf(Params("asf")) with { Threads = options.Threads };
    }

    /// <summary>The families that will be computed, in output order.</summary>
    public IReadOnlyList<string> Families => _families;

    /// <summary>
    /// Miracle's effective atomic radii (Å) for metallic glasses, the radii of the seed authors' featurizers (amlearn's
    /// <c>miracle_radius</c> table; the radii of D. B. Miracle and co-workers' efficient-cluster-packing model, e.g. Miracle,
    /// Sanders &amp; Senkov, Phil. Mag. 83, 2409 (2003); Laws, Miracle &amp; Ferry, Nat. Commun. 6, 8123 (2015)):
    /// Cu 1.26, Zr 1.58, Al 1.41, Ni 1.26, …; every element to which that table gives a value (no H, noble gases or halogens).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> MiracleRadii = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["Li"] = 1.52, ["Be"] = 1.12, ["B"] = 0.88, ["C"] = 0.77, ["N"] = 0.72, ["O"] = 0.64, ["Na"] = 1.80, ["Mg"] = 1.60,
        ["Al"] = 1.41, ["Si"] = 1.10, ["P"] = 1.02, ["S"] = 1.03, ["K"] = 2.30, ["Ca"] = 2.01, ["Sc"] = 1.62, ["Ti"] = 1.42,
        ["V"] = 1.34, ["Cr"] = 1.30, ["Mn"] = 1.32, ["Fe"] = 1.25, ["Co"] = 1.25, ["Ni"] = 1.26, ["Cu"] = 1.26, ["Zn"] = 1.40,
        ["Ga"] = 1.34, ["Ge"] = 1.14, ["As"] = 1.15, ["Se"] = 1.18, ["Rb"] = 2.44, ["Sr"] = 2.12, ["Y"] = 1.79, ["Zr"] = 1.58,
        ["Nb"] = 1.43, ["Mo"] = 1.39, ["Tc"] = 1.36, ["Ru"] = 1.34, ["Rh"] = 1.32, ["Pd"] = 1.42, ["Ag"] = 1.44, ["Cd"] = 1.57,
        ["In"] = 1.55, ["Sn"] = 1.55, ["Sb"] = 1.55, ["Te"] = 1.40, ["Cs"] = 2.64, ["Ba"] = 2.23, ["La"] = 1.87, ["Ce"] = 1.82,
        ["Pr"] = 1.83, ["Nd"] = 1.82, ["Pm"] = 1.85, ["Sm"] = 1.85, ["Eu"] = 1.96, ["Gd"] = 1.76, ["Tb"] = 1.76, ["Dy"] = 1.75,
        ["Ho"] = 1.77, ["Er"] = 1.75, ["Tm"] = 1.75, ["Yb"] = 1.90, ["Lu"] = 1.75, ["Hf"] = 1.58, ["Ta"] = 1.45, ["W"] = 1.35,
        ["Re"] = 1.37, ["Os"] = 1.35, ["Ir"] = 1.36, ["Pt"] = 1.39, ["Au"] = 1.43, ["Hg"] = 1.52, ["Tl"] = 1.72, ["Pb"] = 1.74,
        ["Bi"] = 1.62, ["Po"] = 1.68, ["Th"] = 1.78, ["Pa"] = 1.65, ["U"] = 1.58, ["Np"] = 1.75, ["Pu"] = 1.75,
    };

    /// <summary>
    /// Goldschmidt radii (Å) for coordination 12 (Teatum, Gschneidner &amp; Waber, LA-4003 (1968), as tabulated in the CRC
    /// Handbook), rounded to 0.01 Å (Cu 1.28, Zr 1.60, …); metalloids Si, P, B: Pauling single-bond covalent radii (Si 1.17,
    /// P 1.10, B 0.88), which have no CN-12 metallic value. An alternative to <see cref="MiracleRadii"/> (pass it as
    /// <see cref="FeaturizeOptions.Radii"/>; note that this also makes the tessellation radical).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> GoldschmidtRadii = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["Cu"] = 1.28, ["Zr"] = 1.60, ["Al"] = 1.43, ["Ni"] = 1.25, ["Fe"] = 1.27, ["Co"] = 1.25, ["Pd"] = 1.38,
        ["Mg"] = 1.60, ["Ca"] = 1.97, ["Ti"] = 1.46, ["Nb"] = 1.47, ["Ag"] = 1.44, ["Au"] = 1.44, ["Pt"] = 1.39,
        ["La"] = 1.88, ["Ce"] = 1.82, ["Y"] = 1.80, ["Hf"] = 1.58, ["Be"] = 1.13,
        ["Si"] = 1.17, ["P"] = 1.10, ["B"] = 0.88,
    };

    /// <summary>
    /// Default atomic radii (Å) of the interstice and packing-efficiency columns of the "seed-amlearn" set when
    /// <see cref="FeaturizeOptions.Radii"/> is not given: <see cref="MiracleRadii"/>, as the seed authors' amlearn uses.
    /// </summary>
    public static IReadOnlyDictionary<string, double> DefaultRadii => MiracleRadii;

    /// <summary>Computes every requested family for the frame; columns in family order, then MRO columns.</summary>
    public PerAtomFeatures Compute(Frame frame) => Build(frame, streamed: false);

    private Thread? _warmUp;

    /// <summary>
    /// Compiles the code of the seed set ahead of the first frame: when the families are "seed" alone and more than one thread is
    /// allowed on a machine of more than one core, the set is computed once, on a background thread, for a small built-in frame
    /// (<see cref="WarmUpAtoms"/> atoms of a random two-species gas, plain tessellation, every column) while the caller reads its
    /// input, and goes on, if it has not ended, beside the first <see cref="Compute"/> or <see cref="ComputeStreamed"/> (which does not
    /// wait for it). The just-in-time compilation and type loading of the set's code (methods that cannot be precompiled, a
    /// one-thread cost at the start of each phase otherwise) then overlap the reading. No effect otherwise (one thread keeps to one
    /// core). The values of every call are unchanged: the built-in frame shares nothing with the caller's (the code it runs keeps
    /// no mutable static state), and a failure of this computation is ignored (its result is not used).
    /// </summary>
    public void StartWarmUp()
    {
        if (_warmUp is not null || _families.Count != 1 || _families[0] != "seed" || _o.Threads == 1 || Environment.ProcessorCount < 2) return;
        var options = _o with { Threads = 1, Radii = null, Columns = null };
        _warmUp = new Thread(() =>
        {
            PhaseTimes.QuietOnThisThread = true;
            try
            {
                var box = Box.Cubic(Math.Cbrt(WarmUpAtoms / 0.06));   // a metallic glass's density, ≈ 0.06 atoms per Å³
                _ = new Featurizer(options).Compute(Lattices.RandomGas(box, WarmUpAtoms, 1, speciesCount: 2)).Values;
            }
            catch (Exception)
            {
                // only compiling was the point: the main computation reports its own errors
            }
        }) { IsBackground = true, Name = "glassml warm-up" };
        _warmUp.Start();
    }

    /// <summary>Atoms of the frame of <see cref="StartWarmUp"/>.</summary>
    internal const int WarmUpAtoms = 64;

    /// <summary>
    /// The same table as <see cref="Compute"/>, bit for bit, produced in blocks of rows as a writer reads them in id order
    /// (<see cref="PerAtomFeatures.Row"/>): the row-local columns (voronoi, motifs, csro, distance) are computed for one block of
    /// atoms at a time into one reused buffer, and so are Steinhardt's columns (q̄ and ŵ̄ need the neighbours' q_lm: each atom's
    /// q_lm is computed once, in the first block that needs it, and held until the last one — unless the id order is so scattered
    /// that too many would be held at once, <see cref="StreamedQlmBytes"/>); the other columns that need other atoms' values (xtal,
    /// Steinhardt then) and the soap/rsf/asf blocks are computed for every atom first and copied. With MRO statistics, or for
    /// the seed sets, the whole table is built as by <see cref="Compute"/>. Reading <see cref="PerAtomFeatures.Values"/> (or rows out
    /// of id order) computes the whole table once.
    /// </summary>
    public PerAtomFeatures ComputeStreamed(Frame frame) => Build(frame, streamed: true);

    /// <summary>Side tables of <see cref="ComputeStreamed"/> at least this large are preceded by a memory-returning collection.</summary>
    private const long CollectBeforeBytes = 64L << 20;

    /// <summary>
    /// Largest q_lm store of a Steinhardt block computed with the row blocks of <see cref="ComputeStreamed"/> (the atoms held at
    /// once × <see cref="Steinhardt.ScratchWidth"/> doubles; for a row order without locality, the side table instead).
    /// </summary>
    internal long StreamedQlmBytes { get; init; } = 160L << 20;

    /// <summary>Rows per block of <see cref="ComputeStreamed"/> (tests set a small one).</summary>
    internal int StreamBlockRows { get; init; } = 16384;

    /// <summary>
    /// Rows per block of the streamed table actually used: <see cref="StreamBlockRows"/> when the blocks are computed ahead on
    /// another thread (a large block keeps the two threads apart), at most <see cref="OneThreadBlockRows"/> with one thread, where
    /// the block is computed and written in turn on the same core: a block of 1–2 MB stays in the caches between the two and is
    /// little fresh memory (16,384 rows × 82 columns were 10.7 MB, ≈ 10 µs per fresh 4 KiB page in this project's VM). Measured,
    /// 32,768 atoms, one thread, whole process (docs/benchmarks.md round 10): voronoi peak RSS 53 → 44 MiB, all SRO 0.55 → 0.52 s;
    /// with two threads 1,024-row blocks made all SRO ≈ 10 % slower, so the pipelined table keeps its blocks.
    /// </summary>
    private int BlockRows => PerAtomFeatures.PipelineFor(_o.Threads) ? StreamBlockRows : Math.Min(StreamBlockRows, OneThreadBlockRows);

    private const int OneThreadBlockRows = 2048;

    private PerAtomFeatures Build(Frame frame, bool streamed)
    {
        // the warm-up is not waited for: a method it is compiling when a row thread needs it is waited for by the runtime (each
        // method is compiled once), the rest goes on beside the first phase (seed set 32,768 atoms, 2 threads: 0.59–0.68 →
        // 0.55–0.60 s wall, interleaved)
        PhaseTimes.Mark("start-up+read");
        if (_families.Count == 1 && _families[0] == "seed") return ComputeSeed(frame);
        if (_families.Count == 1 && _families[0] == "seed-amlearn") return ComputeSeedAmlearn(frame);
        bool shellFamilies = _families.Any(f => f is "steinhardt" or "csro" or "distance");
        bool needVoro = _families.Contains("voronoi") || _families.Contains("motifs")
                        || (shellFamilies && _o.Neighbors != NeighborSource.Cutoff);
        bool shellCut = shellFamilies && _o.Neighbors != NeighborSource.Voronoi;
        // soap the only family that needs a cutoff list: it finds each atom's neighbours as it computes the atom's row instead
        // (Soap.Compute(Frame): the same values, without the list's memory and pass over it)
        bool soapQueries = _soap is not null && !shellCut && !_families.Contains("xtal") && _rsf is null && _asf is null;
        bool needCut = shellCut || (_soap is not null && !soapQueries) || _families.Contains("xtal") || _rsf is not null || _asf is not null;
        double maxCut = _o.Cutoff;
        Soap? soap = _soapObject?.Value;
        if (soap is not null && !soapQueries) maxCut = Math.Max(maxCut, soap.RequiredCutoff);
        AngularStructureFunctions? asf = _asf is null ? null : new AngularStructureFunctions(_asf);
        if (asf is not null) maxCut = Math.Max(maxCut, asf.RequiredCutoff);
        RadialStructureFunctions? rsf = _rsf is null ? null : new RadialStructureFunctions(_rsf);
        if (rsf is not null && double.IsNaN(rsf.RequiredCutoff())) maxCut = Math.Max(maxCut, RsfPeakSearchCutoff);

        var search = new NeighborSearch(_o.Threads);
        // when the tessellation is needed anyway and nothing needs a longer cutoff, the cutoff list comes from its candidate
        // queries (the same list, bit for bit, without a second search)
        bool cutFromVoro = needVoro && needCut && maxCut == _o.Cutoff && rsf is null;
        NeighborList? big = needCut && !cutFromVoro ? search.Ball(frame, maxCut) : null;
        PhaseTimes.Mark("neighbour list");
        if (rsf is not null)
        {
            // r_p from the first peaks of the partial g(r) (unless given), then the reach r̄_c·r_p the functions need
            var rp = rsf.ReferenceDistancesFor(frame, big!);
            rsf = new RadialStructureFunctions(_rsf! with { ReferenceDistances = rp });
            double need = rsf.RequiredCutoff();
            if (need > big!.Cutoff) big = search.Ball(frame, need);
        }
        VoronoiResult? voro = needVoro
            ? new VoronoiTessellation(new VoronoiOptions
            {
                Radii = _o.Radii, Threads = _o.Threads, CutoffNeighbors = cutFromVoro ? _o.Cutoff : 0, CompactDisplacements = streamed,
                // the faces stay in the workers' slabs, only what the per-atom statistics read, when only they (voronoi, motifs) read them
                StatisticsOnly = streamed && _o.Mro.Count == 0 && !(shellFamilies && _o.Neighbors != NeighborSource.Cutoff),
            }).Compute(frame)
            : null;
        if (cutFromVoro) big = voro!.CutoffNeighbors;
        if (voro is not null) PhaseTimes.Mark("tessellation");
        // the cutoff shell, for the shell families and xtal only (soap, rsf and asf use the longer list: filtering it for them
        // would be a serial pass over every pair for nothing)
        bool needShell = shellFamilies || _families.Contains("xtal");
        NeighborList? cut = big is null || !needShell ? null : (big.Cutoff == _o.Cutoff ? big : big.WithinCutoff(_o.Cutoff));

        var sources = new List<NeighborList>();
        // (the shell families only: the Voronoi list is made from the atom-ordered face arrays, which the per-atom statistics do not need)
        if (shellFamilies && _o.Neighbors != NeighborSource.Cutoff && voro is not null) sources.Add(voro.Neighbors);
        if (shellFamilies && _o.Neighbors != NeighborSource.Voronoi && cut is not null) sources.Add(cut);

        // The table is written in place: every structural family writes its columns straight into the final N × F matrix
        // (no per-family blocks, no join); soap, rsf, asf and xtal are computed as blocks and copied in. The values are those
        // of each family's public Compute, bit for bit.
        int n = frame.Count;
        var structural = new List<Part>();
        var other = new List<PerAtomFeatures>();
        Steinhardt? steinhardt = null;
        // the Steinhardt q_lm scratch, one for every neighbour source: atom i's values at qlm[i·qlmStride + qlmOffset ..]
        double[]? qlm = null;
        int qlmStride = 0, qlmOffset = 0;
        int[]? writerOrder = null;   // the streamed table's row order (atoms by id)
        var rowStreams = new Dictionary<NeighborList, Steinhardt.RowStream>();   // Steinhardt row streams that keep distance statistics
        foreach (var fam in _families)
        {
            switch (fam)
            {
                case "voronoi":
                {
                    var vs = new VoronoiStatistics(_o.Threads);
                    structural.Add(new Part(vs.FeatureNames, () => voro!.Neighbors, (d, st, o) => vs.ComputeInto(frame, voro!, d, st, o))
                    { Rows = (r, d, st, o) => vs.ComputeRows(frame, voro!, r, d, st, o) });
                    break;
                }
                case "motifs":
                {
                    var mo = new Motifs();
                    structural.Add(new Part(mo.FeatureNames, () => voro!.Neighbors, (d, st, o) => mo.ComputeInto(frame, voro!, d, st, o, _o.Threads))
                    { Rows = (r, d, st, o) => mo.ComputeRows(frame, voro!, r, d, st, o, _o.Threads) });
                    break;
                }
                case "steinhardt":
                {
                    steinhardt = new Steinhardt(new SteinhardtOptions { Threads = _o.Threads });
                    // streamed without MRO: the rows are computed with the row blocks as the writer takes them (each atom's q_lm
                    // once, held from the first to the last block that needs it) when the atoms held at once stay few; the plans
                    // of the lists (serial passes over their pairs) are made side by side, one list per thread
                    var planned = new (Steinhardt.RowStream Stream, DistanceStatistics? Distances)[sources.Count];
                    if (streamed && _o.Mro.Count == 0 && sources.Any(nl => nl.SpatialOrder is not null))
                    {
                        writerOrder ??= Io.WriterSupport.SharedOrderById(frame);
                        var sh = steinhardt;
                        int[] order = writerOrder;
                        var po = new ParallelOptions { MaxDegreeOfParallelism = _o.Threads == 0 ? -1 : _o.Threads };
                        try
                        {
                            Parallel.For(0, sources.Count, po, k =>
                            {
                                if (sources[k].SpatialOrder is null) return;
                                // with the distance family too, its statistics come from the pair distances read for q_lm
                                var ds = _families.Contains("distance") ? new DistanceStatistics(new DistanceStatisticsOptions { Threads = _o.Threads }) : null;
                                planned[k] = (sh.StreamRows(frame, sources[k], order, BlockRows, ds), ds);
                            });
                        }
                        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0)
                        {
                            // report a failure as itself, not wrapped
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
                            throw;
                        }
                    }
                    for (int k = 0; k < sources.Count; k++)
                    {
                        var sh = steinhardt;
                        var nl = sources[k];
                        // a compact list (streamed) knows a spatial order: q̄ block by block, without every atom's q_lm kept
                        if (nl.SpatialOrder is { } spatial)
                        {
                            var part = new Part(sh.FeatureNames(nl.Source), () => nl, (d, st, o) => sh.ComputeBlocked(frame, nl, spatial, d, st, o));
                            if (planned[k].Stream is { } rs)
                            {
                                var ds = planned[k].Distances;
                                if ((long)rs.MaxLive * sh.ScratchWidth * sizeof(double) <= StreamedQlmBytes)
                                {
                                    part = part with { Rows = (r, d, st, o) => rs.Rows(r, d, st, o) };
                                    if (ds is not null) rowStreams[nl] = rs;
                                }
                            }
                            structural.Add(part);
                        }
                        else
                            structural.Add(new Part(sh.FeatureNames(nl.Source), () => nl, (d, st, o) => sh.ComputeInto(frame, nl, d, st, o, qlm, qlmStride, qlmOffset), true));
                    }
                    break;
                }
                case "csro":
                {
                    var co = new ChemicalOrder(new ChemicalOrderOptions { Threads = _o.Threads });
                    foreach (var nl in sources)
                        structural.Add(new Part(co.FeatureNames(frame.Species, nl.Source), () => nl, (d, st, o) => co.ComputeInto(frame, nl, d, st, o))
                        { Rows = (r, d, st, o) => co.ComputeRows(frame, nl, r, d, st, o) });
                    break;
                }
                case "distance":
                {
                    var ds = new DistanceStatistics(new DistanceStatisticsOptions { Threads = _o.Threads });
                    foreach (var nl in sources)
                    {
                        // after a Steinhardt row stream of the same list (the order of 'all'), its rows' statistics are copied
                        Action<AtomRows, double[], int, int> rows = rowStreams.TryGetValue(nl, out var rs)
                            ? rs.DistanceRows
                            : (r, d, st, o) => ds.ComputeRows(frame, nl, r, d, st, o);
                        structural.Add(new Part(ds.FeatureNames(nl.Source), () => nl, (d, st, o) => ds.ComputeInto(frame, nl, d, st, o)) { Rows = rows });
                    }
                    break;
                }
                case "soap":
                    if (streamed && _families.Count == 1 && !PoisonOutput)
                    {
                        // soap alone: its rows are computed block by block as the writer takes them (no N × F table); blocks of
                        // ≈ 2 MiB (2^18 values): with 2 threads at 32,768 atoms × 3,289 columns, 94 → 61 MiB peak and 0.91× CPU
                        // against 8 MiB blocks, the same wall time (docs/benchmarks.md round 14)
                        int blockRows = Math.Clamp((1 << 18) / Math.Max(1, soap!.FeatureCountFor(frame)), Math.Min(64, StreamBlockRows), StreamBlockRows);
                        other.Add(soapQueries ? soap.ComputeStreamed(frame, blockRows) : soap.ComputeStreamed(frame, big!, blockRows));
                        PhaseTimes.Mark("soap set-up (the rows follow as the writer takes them)");
                        break;
                    }
                    other.Add(soapQueries ? soap!.Compute(frame) : soap!.Compute(frame, big!));
                    PhaseTimes.Mark("soap");
                    break;
                case "rsf":
                    other.Add(rsf!.Compute(frame, big!));
                    break;
                case "asf":
                    other.Add(asf!.Compute(frame, big!));
                    break;
                case "xtal":
                {
                    var block = new BondCrystallinity(threads: _o.Threads).Compute(frame, cut!).Atoms;
                    structural.Add(new Part(block.Names, () => cut!, block.CopyInto));
                    break;
                }
            }
        }

        var names = new List<string>();
        foreach (var part in structural) names.AddRange(part.Names);
        int sroWidth = names.Count;
        NeighborCoarseGraining? coarse = null;
        if (_o.Mro.Count > 0 && structural.Count > 0)
        {
            coarse = new NeighborCoarseGraining(new NeighborCoarseGrainingOptions { Stats = _o.Mro, Threads = _o.Threads });
            names.AddRange(coarse.FeatureNames(names.ToArray()));
        }
        foreach (var b in other) names.AddRange(b.Names);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nm in names) if (!seen.Add(nm)) throw new ArgumentException($"duplicate feature name '{nm}'");
        foreach (var b in other) if (b.AtomCount != n) throw new ArgumentException("blocks cover different atom counts");

        int width = names.Count;
        if (structural.Count == 0 && other.Count == 1 && !PoisonOutput)
        {
            // one block (e.g. soap alone): it is the table (no copy of N × F values)
            PhaseTimes.Mark("table");
            return other[0];
        }
        if (streamed && coarse is null) return Streamed(frame, names, structural, other, steinhardt?.ScratchWidth ?? 0, s => { qlm = s.Qlm; qlmStride = s.Stride; qlmOffset = 0; }, writerOrder,
            collect: voro is null || voro.FacesPlaced);
        // every entry is written below (each family writes all of its columns for every atom)
        var values = Numerics.HugePages.NewDoubles(checked(n * width));
        if (PoisonOutput) values.AsSpan().Fill(PoisonValue);
        var partOffset = new int[structural.Count];
        for (int k = 0, c = 0; k < structural.Count; k++) { partOffset[k] = c; c += structural[k].Names.Count; }
        int scratchWidth = steinhardt?.ScratchWidth ?? 0;
        if (scratchWidth > 0)
        {
            // The Steinhardt blocks are computed first; their q_lm scratch lives in the first run of table columns written after
            // them (another family's, the MRO or the copied blocks' columns) when one is wide enough (no fresh memory), else in
            // a buffer of its own.
            var steinColumn = new bool[width];
            for (int k = 0; k < structural.Count; k++)
                if (structural[k].UsesScratch) steinColumn.AsSpan(partOffset[k], structural[k].Names.Count).Fill(true);
            int run = 0, found = -1;
            for (int c = 0; c < width && found < 0; c++)
            {
                run = steinColumn[c] ? 0 : run + 1;
                if (run == scratchWidth) found = c + 1 - scratchWidth;
            }
            if (found >= 0) { qlm = values; qlmStride = width; qlmOffset = found; }
            else { qlm = Numerics.HugePages.NewDoubles(checked(n * scratchWidth)); qlmStride = scratchWidth; qlmOffset = 0; }
        }
        for (int k = 0; k < structural.Count; k++) if (structural[k].UsesScratch) structural[k].Write(values, width, partOffset[k]);
        qlm = null;
        for (int k = 0; k < structural.Count; k++) if (!structural[k].UsesScratch) structural[k].Write(values, width, partOffset[k]);
        int col = sroWidth;
        if (coarse is not null)
        {
            // each block's columns are coarse-grained over the block's own neighbour shell
            int ns = _o.Mro.Count;
            for (int k = 0; k < structural.Count; k++)
                coarse.ComputeInto(values, width, partOffset[k], structural[k].Names.Count, structural[k].Shell(), values, width, sroWidth + ns * partOffset[k]);
            col += sroWidth * ns;
        }
        foreach (var b in other) { b.CopyInto(values, width, col); col += b.FeatureCount; }
        PhaseTimes.Mark("table");
        return new PerAtomFeatures(names, n, values);
    }

    /// <summary>Fill the table with <see cref="PoisonValue"/> before writing it (tests: proves that every entry is written).</summary>
    internal bool PoisonOutput { get; init; }

    /// <summary>A NaN with a payload no computation produces.</summary>
    internal static readonly double PoisonValue = BitConverter.Int64BitsToDouble(0x7FF4_DEAD_BEEF_0001);

    /// <summary>
    /// A block of columns, the neighbour shell its values come from (over which its MRO statistics are taken) and the call
    /// that writes them into rows of a row-major table (dest, stride, column offset);
    /// <paramref name="UsesScratch"/>: a Steinhardt block (computed first, with the shared q_lm scratch).
    /// </summary>
    // Shell: the part's neighbour shell, asked for only by the MRO coarse-graining (the Voronoi list is made on that call)
    private sealed record Part(IReadOnlyList<string> Names, Func<NeighborList> Shell, Action<double[], int, int> Write, bool UsesScratch = false)
    {
        /// <summary>The writer of a row-local block for a set of rows (null: the block is computed for every atom at once).</summary>
        public Action<AtomRows, double[], int, int>? Rows { get; init; }
    }

    /// <summary>
    /// The streamed table of <see cref="ComputeStreamed"/>: the parts without a row writer (Steinhardt, with its q_lm scratch,
    /// then xtal) are computed for every atom into a side table first; each block then runs the row writers into the block
    /// buffer and copies its rows of the side table and of the other blocks.
    /// </summary>
    private PerAtomFeatures Streamed(Frame frame, List<string> names, List<Part> structural, List<PerAtomFeatures> other, int scratchWidth,
        Action<(double[]? Qlm, int Stride)> setScratch, int[]? order, bool collect)
    {
        int n = frame.Count, width = names.Count;
        var partOffset = new int[structural.Count];
        var sideOffset = new int[structural.Count];
        int sideWidth = 0;
        for (int k = 0, c = 0; k < structural.Count; k++)
        {
            partOffset[k] = c; c += structural[k].Names.Count;
            sideOffset[k] = -1;
            if (structural[k].Rows is null) { sideOffset[k] = sideWidth; sideWidth += structural[k].Names.Count; }
        }
        bool stein = structural.Any(p => p.Rows is null && p.UsesScratch) && scratchWidth > 0;
        // The tessellation and the neighbour search leave their per-chunk buffers behind as garbage (≈ 0.5 GB at 10^6 atoms), which
        // the garbage collector would keep resident beside the side table and q_lm scratch allocated next: before a large side
        // allocation, one blocking collection that frees it for the side table and the row blocks. Not compacting: the
        // garbage is a few large arrays, whose space the next large allocations take as it is; a compacting (aggressive)
        // collection moved the live arrays as well and cost 0.06–0.09 s more of one thread (262,144 atoms, all SRO, 2 threads:
        // 1.93 → 1.87 s, medians of 5 interleaved; peak RSS 336 → 345 MiB; 1,048,576 atoms 1,298 → 1,314–1,320 MiB).
        // (the row blocks' own stores — Steinhardt's q_lm of the atoms held, the block buffers — grow with the frame as well)
        // (not when the tessellation's faces are still in its slabs, collect false: they are its result, not garbage, and there
        // is little else to free)
        if (collect && (long)n * Math.Max(width, sideWidth + (stein ? scratchWidth : 0)) * sizeof(double) >= CollectBeforeBytes)
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        var side = sideWidth > 0 ? Numerics.HugePages.NewDoubles(checked(n * sideWidth)) : [];
        if (PoisonOutput) side.AsSpan().Fill(PoisonValue);
        setScratch(stein ? (Numerics.HugePages.NewDoubles(checked(n * scratchWidth)), scratchWidth) : (null, 0));
        for (int k = 0; k < structural.Count; k++) if (structural[k].Rows is null && structural[k].UsesScratch) structural[k].Write(side, sideWidth, sideOffset[k]);
        setScratch((null, 0));
        for (int k = 0; k < structural.Count; k++) if (structural[k].Rows is null && !structural[k].UsesScratch) structural[k].Write(side, sideWidth, sideOffset[k]);
        PhaseTimes.Mark("side table (the row blocks follow as the writer takes them)");
        int sroWidth = partOffset.Length == 0 ? 0 : partOffset[^1] + structural[^1].Names.Count;
        void Fill(AtomRows rows, double[] dest)
        {
            if (PoisonOutput) dest.AsSpan(0, rows.Count * width).Fill(PoisonValue);
            for (int k = 0; k < structural.Count; k++)
            {
                if (structural[k].Rows is { } write) write(rows, dest, width, partOffset[k]);
                else CopyRows(side, sideWidth, sideOffset[k], structural[k].Names.Count, rows, dest, width, partOffset[k]);
            }
            for (int b = 0, col = sroWidth; b < other.Count; col += other[b].FeatureCount, b++)
                CopyRows(other[b].Values, other[b].FeatureCount, 0, other[b].FeatureCount, rows, dest, width, col);
        }
        return new PerAtomFeatures(names, n, Fill, order ?? Io.WriterSupport.SharedOrderById(frame), BlockRows, PerAtomFeatures.PipelineFor(_o.Threads));
    }

    // row k of dest[.., offset .. offset + w) ← row rows.Atom(k) of src[.., srcOffset .. srcOffset + w)
    private static void CopyRows(double[] src, int srcStride, int srcOffset, int w, AtomRows rows, double[] dest, int stride, int offset)
    {
        for (int k = 0; k < rows.Count; k++)
            src.AsSpan(RowLayout.Start(rows.Atom(k), srcStride, srcOffset), w).CopyTo(dest.AsSpan(RowLayout.Start(k, stride, offset), w));
    }

    /// <summary>
    /// The interstice-based reading of the seed-002 quench-in-softness set, family seed-amlearn (<see cref="AmlearnSeedFeatureSets.AllNames"/>, 746 columns in catalogue order): one Voronoi
    /// tessellation (radical with <see cref="FeaturizeOptions.Radii"/>, else plain) whose small faces leave the neighbour shell by amlearn's
    /// rule (<see cref="FeaturizeOptions.SeedSmallFaceThreshold"/>), the voronoi, motifs, distance (with sum),
    /// steinhardt and interstice blocks over its neighbours, the 123 SRO columns, then their 623 MRO columns.
    /// </summary>
    /// <exception cref="ArgumentException">A species has no interstice radius (neither given nor in <see cref="DefaultRadii"/>).</exception>
    private PerAtomFeatures ComputeSeedAmlearn(Frame frame)
    {
        var radii = _o.Radii ?? DefaultRadii;
        for (int s = 0; s < frame.Species.Count; s++)
        {
            string name = frame.Species[s].Name;
            if (!radii.ContainsKey(name))
                throw new ArgumentException($"no atomic radius for species '{name}' (not in the default metallic-radius table; the seed set's interstice features need one): give every species a radius with --radii, e.g. --radii {name}:1.0");
        }
        // amlearn's small faces left out as the cells are built (the same result as AmlearnNeighbors.SmallFaceFilteredTessellation)
        var voro = new VoronoiTessellation(new VoronoiOptions { Radii = _o.Radii, Threads = _o.Threads, AmlearnSmallFaceThreshold = _o.SeedSmallFaceThreshold }).Compute(frame);

        // One table, written in place: the families write their blocks (and the Steinhardt q_lm scratch) into the MRO columns,
        // which serve as scratch until the MRO step; the 123 SRO columns are gathered from the blocks in catalogue order
        // (AmlearnSeedFeatureSets.SelectSro), then the 623 MRO columns computed from them (AmlearnSeedFeatureSets.ComputeMro). The values are
        // those of the families' public Compute, SelectSro and ComputeMro, bit for bit.
        int n = frame.Count, sroWidth = AmlearnSeedFeatureSets.SroNames.Count, width = AmlearnSeedFeatureSets.AllNames.Count;
        var values = Numerics.HugePages.NewDoubles(checked(n * width));
        if (PoisonOutput) values.AsSpan().Fill(PoisonValue);
        var shell = voro.Neighbors;
        var vs = new VoronoiStatistics(_o.Threads);
        var mo = new Motifs();
        var ds = new DistanceStatistics(new DistanceStatisticsOptions { IncludeSum = true, Threads = _o.Threads });
        var st = new Steinhardt(new SteinhardtOptions { Threads = _o.Threads });
        var ins = new IntersticeDistribution(radii, _o.Threads);
        double[]? qlm = null;
        int qlmStride = 0, qlmOffset = 0;
        Part[] parts =
        [
            new(vs.FeatureNames, () => shell, (d, stride, o) => vs.ComputeInto(frame, voro, d, stride, o)),
            new(mo.FeatureNames, () => shell, (d, stride, o) => mo.ComputeInto(frame, voro, d, stride, o, _o.Threads)),
            new(ds.FeatureNames(shell.Source), () => shell, (d, stride, o) => ds.ComputeInto(frame, shell, d, stride, o)),
            new(st.FeatureNames(shell.Source), () => shell, (d, stride, o) => st.ComputeInto(frame, shell, d, stride, o, qlm, qlmStride, qlmOffset), true),
            new(ins.FeatureNames, () => shell, (d, stride, o) => ins.ComputeInto(frame, voro, d, stride, o)),
        ];
        var blockNames = new List<string>();
        foreach (var part in parts) blockNames.AddRange(part.Names);
        var from = AmlearnSeedFeatureSets.ColumnsOf(blockNames, AmlearnSeedFeatureSets.SroNames); // throws listing missing columns, as SelectSro
        if (sroWidth + blockNames.Count > width) throw new InvalidOperationException("the seed families' blocks do not fit in the MRO columns");
        int scratchWidth = st.ScratchWidth;
        if (sroWidth + blockNames.Count + scratchWidth <= width) { qlm = values; qlmStride = width; qlmOffset = sroWidth + blockNames.Count; }
        else if (scratchWidth > 0) { qlm = Numerics.HugePages.NewDoubles(checked(n * scratchWidth)); qlmStride = scratchWidth; }
        for (int k = 0, col = sroWidth; k < parts.Length; col += parts[k].Names.Count, k++) parts[k].Write(values, width, col);
        qlm = null;

        for (int k = 0; k < from.Length; k++) from[k] += sroWidth;
        ParallelChunks.Run(n, _o.Threads, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
            {
                long row = (long)i * width;
                for (int k = 0; k < from.Length; k++) values[row + k] = values[row + from[k]];
            }
        });
        var coarse = AmlearnSeedFeatureSets.ColumnsOf(AmlearnSeedFeatureSets.SroNames, AmlearnSeedFeatureSets.CoarseGrainedColumns);
        AmlearnSeedFeatureSets.ComputeMroInto(values, width, coarse, shell, values, width, sroWidth, _o.Threads);
        return new PerAtomFeatures(AmlearnSeedFeatureSets.AllNames, n, values);
    }

    /// <summary>
    /// The quench-in-softness catalogue (<see cref="SeedFeatureSets"/>): one Voronoi tessellation (radical with
    /// <see cref="FeaturizeOptions.Radii"/>, else plain; its small faces leave the shell by amlearn's rule,
    /// <see cref="FeaturizeOptions.SeedSmallFaceThreshold"/>, as for seed-amlearn) whose candidate queries also give the cutoff
    /// shell (<see cref="FeaturizeOptions.SeedCutoff"/>), then <see cref="SeedFeatureSets.Compute"/>.
    /// </summary>
    private PerAtomFeatures ComputeSeed(Frame frame)
    {
        bool needCut = _o.Columns is null || SeedFeatureSets.NeedsCutoff(frame.Species.All.Select(s => s.Name).ToArray(), _o.Columns);
        // amlearn's small faces left out as the cells are built (the same result as AmlearnNeighbors.SmallFaceFilteredTessellation)
        var voro = new VoronoiTessellation(new VoronoiOptions
        {
            Radii = _o.Radii, Threads = _o.Threads, CutoffNeighbors = needCut ? _o.SeedCutoff : 0, AmlearnSmallFaceThreshold = _o.SeedSmallFaceThreshold,
        }).Compute(frame);
        PhaseTimes.Mark("tessellation");
        var cut = needCut ? voro.CutoffNeighbors ?? new NeighborSearch(_o.Threads).Ball(frame, _o.SeedCutoff) : null;
        return _o.Columns is null ? SeedFeatureSets.Compute(frame, voro, cut!, _o.Threads) : SeedFeatureSets.ComputeColumns(frame, voro, cut, _o.Columns, _o.Threads);
    }

    private IReadOnlyDictionary<string, string> Params(string family)
    {
        foreach (var (k, v) in _o.Parameters) if (string.Equals(k, family, StringComparison.OrdinalIgnoreCase)) return v;
        return new Dictionary<string, string>();
    }
}
