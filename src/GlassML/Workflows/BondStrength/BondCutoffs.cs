using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>
/// Per-pair bond cutoffs (Å) by species names, symmetric (Cu-Zr = Zr-Cu). A pair i–j is a bond when its distance is
/// below the cutoff of its pair type. Written as <c>Cu-Cu:3.3,Cu-Zr:3.7,Zr-Zr:3.9</c>.
/// </summary>
public sealed class BondCutoffs
{
    private readonly Dictionary<(string, string), double> _cut;

    private BondCutoffs(Dictionary<(string, string), double> cut) { _cut = cut; }

    /// <summary>The pairs and their cutoffs, sorted by pair name.</summary>
    public IReadOnlyList<(string A, string B, double Cutoff)> Pairs =>
        _cut.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value)).OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal).ToArray();

    /// <summary>Largest cutoff (Å).</summary>
    public double Max => _cut.Count == 0 ? 0 : _cut.Values.Max();

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    /// <summary>Cutoff of a pair of species (NaN when not given).</summary>
    public double Of(string a, string b) => _cut.TryGetValue(Key(a, b), out double c) ? c : double.NaN;

    /// <summary>Cutoffs from explicit values.</summary>
    /// <exception cref="ArgumentException">A cutoff is not positive and finite, or a pair repeats.</exception>
    public static BondCutoffs From(IEnumerable<(string A, string B, double Cutoff)> pairs)
    {
        var d = new Dictionary<(string, string), double>();
        foreach (var (a, b, c) in pairs)
        {
            if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"--bond-cutoffs: the cutoff of {a}-{b} must be a positive distance (got {c})");
            if (!d.TryAdd(Key(a, b), c)) throw new ArgumentException($"--bond-cutoffs: pair {a}-{b} given twice");
        }
        return new BondCutoffs(d);
    }

    /// <summary>Parses <c>Cu-Cu:3.3,Cu-Zr:3.7,Zr-Zr:3.9</c>.</summary>
    /// <exception cref="ArgumentException">Malformed text.</exception>
    public static BondCutoffs Parse(string text)
    {
        var list = new List<(string, string, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            var names = colon > 0 ? part[..colon].Split('-', StringSplitOptions.TrimEntries) : [];
            if (names.Length != 2 || names[0].Length == 0 || names[1].Length == 0
                || !double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double c))
                throw new ArgumentException($"--bond-cutoffs: '{part}' is not A-B:CUTOFF (e.g. Cu-Zr:3.7)");
            list.Add((names[0], names[1], c));
        }
        if (list.Count == 0) throw new ArgumentException("--bond-cutoffs: no pairs given");
        return From(list);
    }

    /// <summary>The text form, e.g. <c>Cu-Cu:3.3,Cu-Zr:3.7</c> (shortest round-trip numbers).</summary>
    public override string ToString() =>
        string.Join(",", Pairs.Select(p => $"{p.A}-{p.B}:{p.Cutoff.ToString("R", CultureInfo.InvariantCulture)}"));

    /// <summary>Checks that every pair type of species present in the frame has a cutoff.</summary>
    /// <exception cref="ArgumentException">A pair type of the frame has no cutoff.</exception>
    public void CheckCovers(Frame frame)
    {
        var counts = frame.SpeciesCounts();
        for (int a = 0; a < frame.Species.Count; a++)
            for (int b = a; b < frame.Species.Count; b++)
                if (counts[a] > 0 && counts[b] > 0 && double.IsNaN(Of(frame.Species[a].Name, frame.Species[b].Name)))
                    throw new ArgumentException($"--bond-cutoffs: no cutoff for pair {frame.Species[a].Name}-{frame.Species[b].Name} (given: {this})");
    }

    /// <summary>Grid of the partial g(r) used for the default cutoffs: r ≤ 6 Å in 0.05 Å bins.</summary>
    public const double RdfMax = 6.0;
    /// <summary>Number of g(r) bins for the default cutoffs.</summary>
    public const int RdfBins = 120;

    /// <summary>
    /// Default cutoffs: the first minimum of each partial g(r) (LAMMPS normalisation, <see cref="PairDistribution"/>,
    /// r &lt; 6 Å in 0.05 Å bins), averaged over the frames given (each weighted equally) and smoothed by a 5-bin running
    /// mean; the first peak is the maximum of the smoothed curve, the first minimum its lowest point between the peak and
    /// 1.6 × the peak distance (the second shell of a metallic glass lies beyond). The bin centre is returned.
    /// </summary>
    /// <exception cref="ArgumentException">A pair type has no pairs within 6 Å.</exception>
    public static BondCutoffs FirstMinimum(IReadOnlyList<Frame> frames, int threads = 0)
    {
        if (frames.Count == 0) throw new ArgumentException("no frames to compute g(r) from");
        var sum = new Dictionary<(string, string), double[]>();
        var n = new Dictionary<(string, string), int>();
        var rdf = new PairDistribution(RdfMax, RdfBins);
        var search = new NeighborSearch(threads);
        double[] r = [];
        foreach (var f in frames)
        {
            var res = rdf.Compute(f, search.Ball(f, RdfMax));
            r = res.R;
            var counts = f.SpeciesCounts();
            for (int p = 0; p < res.PairNames.Count; p++)
            {
                var names = SplitPairName(res.PairNames[p], f);
                if (names is null) continue;
                int a = f.Species.IndexOf(names.Value.A), b = f.Species.IndexOf(names.Value.B);
                if (counts[a] == 0 || counts[b] == 0) continue;
                var key = Key(names.Value.A, names.Value.B);
                if (!sum.TryGetValue(key, out var acc)) { acc = new double[res.R.Length]; sum[key] = acc; n[key] = 0; }
                for (int k = 0; k < acc.Length; k++) acc[k] += res.Partial[p][k];
                n[key]++;
            }
        }
        var list = new List<(string, string, double)>();
        foreach (var (key, acc) in sum.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal))
        {
            var g = acc.Select(v => v / n[key]).ToArray();
            list.Add((key.Item1, key.Item2, FirstMinimumOf(r, g, $"{key.Item1}-{key.Item2}")));
        }
        return From(list);
    }

    /// <summary>The first minimum of one g(r) curve as described in <see cref="FirstMinimum"/>.</summary>
    /// <exception cref="ArgumentException">The curve is zero everywhere.</exception>
    public static double FirstMinimumOf(IReadOnlyList<double> r, IReadOnlyList<double> g, string pair)
    {
        int m = g.Count;
        var s = new double[m];
        for (int k = 0; k < m; k++)
        {
            double acc = 0; int c = 0;
            for (int t = Math.Max(0, k - 2); t <= Math.Min(m - 1, k + 2); t++) { acc += g[t]; c++; }
            s[k] = acc / c;
        }
        int peak = 0;
        for (int k = 1; k < m; k++) if (s[k] > s[peak]) peak = k;
        if (!(s[peak] > 0)) throw new ArgumentException($"pair {pair}: no pairs closer than {RdfMax} Å, cannot find the first minimum of g(r); give --bond-cutoffs");
        double limit = 1.6 * r[peak];
        int best = -1;
        for (int k = peak + 1; k < m && r[k] <= limit; k++) if (best < 0 || s[k] < s[best]) best = k;
        if (best < 0) throw new ArgumentException($"pair {pair}: the first peak of g(r) is at the end of the 6 Å range; give --bond-cutoffs");
        return r[best];
    }

    private static (string A, string B)? SplitPairName(string name, Frame f)
    {
        // species names may contain '-' in principle: try every split against the frame's species
        for (int k = name.IndexOf('-'); k > 0; k = name.IndexOf('-', k + 1))
        {
            string a = name[..k], b = name[(k + 1)..];
            if (f.Species.IndexOf(a) >= 0 && f.Species.IndexOf(b) >= 0) return (a, b);
        }
        return null;
    }
}
