using System.Globalization;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>
/// Parameters of the radial structure functions. In reduced mode (default) the grid, σ and the cutoff are in units
/// of r_p (dimensionless r̄ = r/r_p); with <see cref="RealDistance"/> they are in Å and r_p is not used.
/// </summary>
public sealed record RadialStructureFunctionOptions
{
    /// <summary>True: grid, σ and cutoff in Å (no r_p scaling). False (default): reduced distances r̄ = r/r_p.</summary>
    public bool RealDistance { get; init; }
    /// <summary>
    /// r_p (Å) for every centre species, or null to take it per centre species from the first peak of that species'
    /// same-species partial g(r) (see <see cref="RadialStructureFunctions.FirstPeak"/>). Ignored in real-distance mode.
    /// </summary>
    public double? ReferenceDistance { get; init; }
    /// <summary>Optional r_p (Å) per centre species name; overrides <see cref="ReferenceDistance"/> for the species listed.</summary>
    public IReadOnlyDictionary<string, double>? ReferenceDistances { get; init; }
    /// <summary>
    /// Optional r_p (Å) per (centre, neighbour) species pair, keyed <c>"Centre-Neighbour"</c> (e.g. <c>"Cu-Zr"</c>): when
    /// set, r̄_ij = r_ij / r_p(species of i, species of j) for every pair, and every pair of species present must be
    /// listed (structural-flexibility models fix these at training). Overrides the per-centre values. Ignored in
    /// real-distance mode.
    /// </summary>
    public IReadOnlyDictionary<string, double>? PairReferenceDistances { get; init; }
    /// <summary>First grid point (r̄, or Å in real-distance mode). Default 0.60.</summary>
    public double GridMin { get; init; } = 0.60;
    /// <summary>Last grid point. Default 3.00.</summary>
    public double GridMax { get; init; } = 3.00;
    /// <summary>Grid spacing. Default 0.05.</summary>
    public double GridStep { get; init; } = 0.05;
    /// <summary>Gaussian width σ (same units as the grid). Default 0.05.</summary>
    public double Sigma { get; init; } = 0.05;
    /// <summary>Neighbours with r̄_ij ≤ this count (same units as the grid). Default 3.0.</summary>
    public double Cutoff { get; init; } = 3.0;
    /// <summary>Append the constant bias column <c>rsf_bias</c> = 1. Default true.</summary>
    public bool Bias { get; init; } = true;
    /// <summary>Neighbour species (names) in output order; null: the frame's species in table order.</summary>
    public IReadOnlyList<string>? Species { get; init; }
    /// <summary>
    /// Bin width (Å) of the g(r) used to locate the first peak. Default 0.05 (as LAMMPS <c>compute rdf 200</c> to 10 Å;
    /// narrower bins make the maximum noisier for a few hundred atoms).
    /// </summary>
    public double PeakBinWidth { get; init; } = 0.05;
    /// <summary>Maximum degree of parallelism (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Real-distance preset: grid <paramref name="rMin"/>..<paramref name="rMax"/> Å, spacing, σ (Å) and cutoff (Å).</summary>
    public static RadialStructureFunctionOptions Real(double rMin = 2.0, double rMax = 6.6, double step = 0.1, double sigma = 0.1, double cutoff = 6.6) =>
        new() { RealDistance = true, GridMin = rMin, GridMax = rMax, GridStep = step, Sigma = sigma, Cutoff = cutoff };
}

/// <summary>
/// Radial structure functions (seed 001; Schoenholz/Cubuk-style softness inputs): for centre i and neighbour species S,
/// G_i^S(r̄) = Σ_{j∈S, r̄_ij ≤ r̄_c} exp(−(r̄ − r̄_ij)²/2σ²), r̄_ij = r_ij / r_p, on the grid r̄ = GridMin, GridMin + step, …,
/// GridMax (defaults 0.60 … 3.00 step 0.05, σ = 0.05, r̄_c = 3.0). Feature vector per atom:
/// [G^{S1}(r̄_1..m), G^{S2}(r̄_1..m), …, 1], names <c>rsf_{S}_{r}</c> with r formatted with two decimals
/// (<c>rsf_Cu_0.60</c>) and <c>rsf_bias</c>. r_p is per centre species: given, or the first peak of that species'
/// same-species partial g(r) computed from the neighbour list passed in. Real-distance mode uses Å throughout (r_p = 1).
/// Neighbours are every periodic image in the list (the list must reach r̄_c·r_p).
/// </summary>
public sealed class RadialStructureFunctions
{
    private readonly double[] _grid;

    /// <summary>Creates the compute; parameters validated here.</summary>
    public RadialStructureFunctions(RadialStructureFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.GridStep > 0)) throw new ArgumentOutOfRangeException(nameof(options), "GridStep must be positive");
        if (!(options.GridMax >= options.GridMin) || !(options.GridMin >= 0)) throw new ArgumentOutOfRangeException(nameof(options), "need 0 ≤ GridMin ≤ GridMax");
        if (!(options.Sigma > 0)) throw new ArgumentOutOfRangeException(nameof(options), "Sigma must be positive");
        if (!(options.Cutoff > 0) || double.IsInfinity(options.Cutoff)) throw new ArgumentOutOfRangeException(nameof(options), "Cutoff must be positive and finite");
        if (options.ReferenceDistance is double rp && !(rp > 0)) throw new ArgumentOutOfRangeException(nameof(options), "ReferenceDistance must be positive (Å)");
        if (options.ReferenceDistances is not null)
            foreach (var (k, v) in options.ReferenceDistances)
                if (!(v > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"ReferenceDistances[{k}] must be positive (Å)");
        if (options.PairReferenceDistances is not null)
            foreach (var (k, v) in options.PairReferenceDistances)
                if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentOutOfRangeException(nameof(options), $"PairReferenceDistances[{k}] must be positive (Å)");
        if (!(options.PeakBinWidth > 0)) throw new ArgumentOutOfRangeException(nameof(options), "PeakBinWidth must be positive");
        if (options.Threads < 0) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be ≥ 0 (0 = all cores)");
        Options = options;
        int m = (int)Math.Round((options.GridMax - options.GridMin) / options.GridStep) + 1;
        _grid = new double[m];
        for (int k = 0; k < m; k++) _grid[k] = options.GridMin + k * options.GridStep;
    }

    /// <summary>The options given.</summary>
    public RadialStructureFunctionOptions Options { get; }

    /// <summary>Grid points (r̄, or Å in real-distance mode).</summary>
    public IReadOnlyList<double> Grid => _grid;

    /// <summary>Feature names for the given neighbour species.</summary>
    public IReadOnlyList<string> FeatureNames(IReadOnlyList<string> species)
    {
        var names = new List<string>(species.Count * _grid.Length + 1);
        foreach (var s in species)
            foreach (var r in _grid) names.Add($"rsf_{s}_{r.ToString("0.00", CultureInfo.InvariantCulture)}");
        if (Options.Bias) names.Add("rsf_bias");
        return names;
    }

    /// <summary>
    /// The neighbour-list cutoff (Å) <see cref="Compute(Frame, NeighborList)"/> needs when r_p is known: r̄_c·max r_p (reduced) or the cutoff (real).
    /// When r_p comes from g(r) use <see cref="ReferenceDistancesFor"/> first, or a generous list (e.g. 10 Å for Cu–Zr).
    /// </summary>
    public double RequiredCutoff(IReadOnlyDictionary<string, double>? referenceDistances = null)
    {
        if (Options.RealDistance) return Options.Cutoff;
        double rp = 0;
        if (referenceDistances is not null) foreach (var v in referenceDistances.Values) rp = Math.Max(rp, v);
        else if (Options.ReferenceDistance is double r) rp = r;
        if (Options.ReferenceDistances is not null) foreach (var v in Options.ReferenceDistances.Values) rp = Math.Max(rp, v);
        if (Options.PairReferenceDistances is not null) { rp = 0; foreach (var v in Options.PairReferenceDistances.Values) rp = Math.Max(rp, v); }
        return rp > 0 ? Options.Cutoff * rp : double.NaN;
    }

    /// <summary>
    /// First-peak position (Å) of g(r): the first bin i (scanning up from r = 0) whose value exceeds 1 and is the maximum
    /// of the window [i − w, i + w] with w = round(0.1 Å / bin width) (so noise spikes narrower than 0.1 Å are not peaks),
    /// refined by a parabola through that bin and its two neighbours. NaN when no such bin exists.
    /// </summary>
    /// <param name="r">Bin centres (Å), uniform.</param>
    /// <param name="g">g(r) per bin.</param>
    public static double FirstPeak(IReadOnlyList<double> r, IReadOnlyList<double> g)
    {
        int n = g.Count;
        if (n < 3) return double.NaN;
        double dr = r[1] - r[0];
        int w = Math.Max(1, (int)Math.Round(0.1 / dr));
        for (int i = 1; i < n - 1; i++)
        {
            if (!(g[i] > 1)) continue;
            bool isMax = true;
            for (int k = Math.Max(0, i - w); k <= Math.Min(n - 1, i + w) && isMax; k++)
                if (g[k] > g[i]) isMax = false;
            if (!isMax) continue;
            double a = g[i - 1], b = g[i], c = g[i + 1];
            double den = a - 2 * b + c;
            double shift = den < 0 ? 0.5 * (a - c) / den : 0;
            return r[i] + Math.Clamp(shift, -0.5, 0.5) * dr;
        }
        return double.NaN;
    }

    /// <summary>
    /// r_p (Å) per centre species name: given values, else the first peak (<see cref="FirstPeak"/>) of that species'
    /// same-species partial g(r) from <see cref="PairDistribution"/> with bins of <see cref="RadialStructureFunctionOptions.PeakBinWidth"/>
    /// up to the list's cutoff. Real-distance mode: 1 for every species.
    /// </summary>
    public Dictionary<string, double> ReferenceDistancesFor(Frame frame, NeighborList neighbors)
    {
        var res = new Dictionary<string, double>(StringComparer.Ordinal);
        var counts = frame.SpeciesCounts();
        PairDistributionResult? gr = null;
        for (int s = 0; s < frame.Species.Count; s++)
        {
            string name = frame.Species[s].Name;
            if (Options.RealDistance) { res[name] = 1.0; continue; }
            if (Options.ReferenceDistances is not null && Options.ReferenceDistances.TryGetValue(name, out double given)) { res[name] = given; continue; }
            if (Options.ReferenceDistance is double rp) { res[name] = rp; continue; }
            if (counts[s] == 0) continue;
            if (gr is null)
            {
                if (!(neighbors.Cutoff > 0)) throw new ArgumentException("r_p from g(r) needs a cutoff neighbour list");
                int bins = Math.Max(10, (int)Math.Floor(neighbors.Cutoff / Options.PeakBinWidth));
                gr = new PairDistribution(bins * Options.PeakBinWidth, bins).Compute(frame, neighbors);
            }
            int idx = -1;
            for (int k = 0; k < gr.PairNames.Count; k++) if (gr.PairNames[k] == $"{name}-{name}") idx = k;
            double peak = idx < 0 ? double.NaN : FirstPeak(gr.R, gr.Partial[idx]);
            if (double.IsNaN(peak)) throw new ArgumentException($"no first peak in the {name}-{name} partial g(r) within {neighbors.Cutoff:G4} Å: give ReferenceDistance");
            res[name] = peak;
        }
        return res;
    }

    /// <summary>
    /// Computes the functions of every atom (rows in frame order). The neighbour list must include every periodic image
    /// within r̄_c·r_p of each atom (cutoff list with cutoff ≥ <see cref="RequiredCutoff"/>).
    /// </summary>
    public PerAtomFeatures Compute(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.AtomCount != frame.Count) throw new ArgumentException($"the neighbour list has {neighbors.AtomCount} atoms, the frame {frame.Count}");
        var (map, invRpPair, maxRc) = Setup(frame, neighbors);
        if (!(neighbors.Cutoff >= maxRc * (1 - 1e-12)))
            throw new ArgumentException($"radial structure functions need a cutoff neighbour list reaching r̄_c·r_p = {maxRc:G6} Å (got {neighbors.Cutoff:G6})");
        var names = FeatureNames(SpeciesOf(frame));
        int F = names.Count, n = frame.Count;
        var values = new double[(long)n * F];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads == 0 ? -1 : Options.Threads };
        Parallel.For(0, n, po, i =>
        {
            int a = neighbors.Offsets[i], b = neighbors.Offsets[i + 1];
            Accumulate(frame, i, neighbors.Index.AsSpan(a, b - a), neighbors.Distance.AsSpan(a, b - a), map, invRpPair, values.AsSpan((int)((long)i * F), F));
        });
        return new PerAtomFeatures(names, n, values);
    }

    /// <summary>
    /// Computes the functions of every atom (rows in frame order) without storing a neighbour list
    /// (<see cref="NeighborSearch.ForEachBall"/>): the values of <see cref="Compute(Frame, NeighborList)"/> with a
    /// <see cref="NeighborSearch.Ball"/> list, bit for bit, in a fraction of the memory (large structures). Needs r_p given
    /// (<see cref="RadialStructureFunctionOptions.PairReferenceDistances"/>, per-species values or real-distance mode).
    /// </summary>
    public PerAtomFeatures Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (map, invRpPair, maxRc) = Setup(frame, null);
        var names = FeatureNames(SpeciesOf(frame));
        int F = names.Count, n = frame.Count;
        var values = new double[(long)n * F];
        if (n == 0 || !(maxRc > 0)) return new PerAtomFeatures(names, n, values);
        new NeighborSearch(Options.Threads).ForEachBall(frame, maxRc, (i, idx, dist) =>
            Accumulate(frame, i, idx, dist, map, invRpPair, values.AsSpan((int)((long)i * F), F)));
        return new PerAtomFeatures(names, n, values);
    }

    private IReadOnlyList<string> SpeciesOf(Frame frame) => Options.Species ?? frame.Species.All.Select(s => s.Name).ToList();

    /// <summary>Neighbour-species column map, 1/r_p per (centre type, neighbour type) and the largest cutoff needed (Å).</summary>
    private (int[] Map, double[] InvRpPair, double MaxRc) Setup(Frame frame, NeighborList? neighbors)
    {
        var species = SpeciesOf(frame);
        int T = frame.Species.Count;
        var map = new int[T];
        for (int t = 0; t < T; t++)
        {
            map[t] = -1;
            for (int k = 0; k < species.Count; k++) if (species[k] == frame.Species[t].Name) map[t] = k;
        }
        var invRpPair = new double[T * T]; // [centre type * T + neighbour type]
        double maxRc = 0;
        var counts = frame.SpeciesCounts();
        if (Options.PairReferenceDistances is not null && !Options.RealDistance)
        {
            for (int a = 0; a < T; a++)
                for (int b = 0; b < T; b++)
                {
                    if (counts[a] == 0 || counts[b] == 0) { invRpPair[a * T + b] = double.NaN; continue; }
                    string key = $"{frame.Species[a].Name}-{frame.Species[b].Name}";
                    if (!Options.PairReferenceDistances.TryGetValue(key, out double rp))
                        throw new ArgumentException($"no r_p for the species pair {key} (pairs given: {string.Join(", ", Options.PairReferenceDistances.Keys)})");
                    invRpPair[a * T + b] = 1.0 / rp;
                    maxRc = Math.Max(maxRc, Options.Cutoff * rp);
                }
        }
        else
        {
            Dictionary<string, double> rpByName;
            if (neighbors is not null) rpByName = ReferenceDistancesFor(frame, neighbors);
            else
            {
                rpByName = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int a = 0; a < T; a++)
                {
                    string name = frame.Species[a].Name;
                    if (Options.RealDistance) rpByName[name] = 1.0;
                    else if (Options.ReferenceDistances is not null && Options.ReferenceDistances.TryGetValue(name, out double g)) rpByName[name] = g;
                    else if (Options.ReferenceDistance is double r) rpByName[name] = r;
                    else if (counts[a] > 0) throw new ArgumentException($"r_p of species {name} is not given (the list-free computation cannot take it from g(r))");
                }
            }
            for (int a = 0; a < T; a++)
            {
                double rp = rpByName.TryGetValue(frame.Species[a].Name, out double v) ? v : double.NaN;
                for (int b = 0; b < T; b++) invRpPair[a * T + b] = 1.0 / rp;
                if (counts[a] > 0) maxRc = Math.Max(maxRc, Options.Cutoff * rp);
            }
        }
        return (map, invRpPair, maxRc);
    }

    /// <summary>Gaussians closer than this many σ to a neighbour are evaluated; farther terms are below e^−37 ≈ 8.5e−17.</summary>
    internal const double WindowSigmas = 8.61;

    /// <summary>
    /// Adds atom i's Gaussians to its row (neighbours in list order) and sets the bias column. Per neighbour only the grid
    /// points within <see cref="WindowSigmas"/>·σ are evaluated (one vectorised exp over that window); the terms skipped
    /// are each below 1e−16.
    /// </summary>
    private void Accumulate(Frame frame, int i, ReadOnlySpan<int> index, ReadOnlySpan<double> distance, int[] map, double[] invRpPair, Span<double> row)
    {
        int T = frame.Species.Count, m = _grid.Length;
        double inv2s2 = 1.0 / (2 * Options.Sigma * Options.Sigma), rc = Options.Cutoff;
        double g0 = Options.GridMin, h = Options.GridStep, win = WindowSigmas * Options.Sigma;
        var grid = _grid;
        Span<double> buf = m <= 256 ? stackalloc double[m] : new double[m];
        int ci = frame.SpeciesIndex[i] * T;
        for (int p = 0; p < index.Length; p++)
        {
            int tj = frame.SpeciesIndex[index[p]];
            int s = map[tj];
            if (s < 0) continue;
            double rb = distance[p] * invRpPair[ci + tj];
            if (rb > rc) continue;
            int k0 = Math.Max(0, (int)Math.Ceiling((rb - win - g0) / h));
            int k1 = Math.Min(m - 1, (int)Math.Floor((rb + win - g0) / h));
            int len = k1 - k0 + 1;
            if (len <= 0) continue;
            var e = buf[..len];
            for (int k = 0; k < len; k++)
            {
                double d = grid[k0 + k] - rb;
                e[k] = -d * d * inv2s2;
            }
            System.Numerics.Tensors.TensorPrimitives.Exp(e, e);
            var blk = row.Slice(s * m + k0, len);
            System.Numerics.Tensors.TensorPrimitives.Add(blk, e, blk);
        }
        if (Options.Bias) row[^1] = 1.0;
    }
}
